"""Gongzhi matching engine: volunteer teams for care requests, with CP-SAT.

Pure: imports the standard library, ``numpy`` and ``ortools`` only. Format: matching-format.md.

    from marketplace.matching import parse_problem, solve, SolveOptions, check_result
    result = solve(parse_problem(data), SolveOptions(time_limit_s=10, workers=1))
    result.to_json()
"""

from .check import check_result
from .engine import SolveOptions, greedy, solve
from .problem import Problem, ProblemError, Request, Volunteer, load_problem, parse_problem
from .result import OpenRequest, Result, Score, Team
from .shortfall import Proposal, Shortfall, shortfall

__all__ = [
    "OpenRequest", "Problem", "ProblemError", "Proposal", "Request", "Result", "Score",
    "Shortfall", "SolveOptions", "Team", "Volunteer", "check_result", "greedy", "load_problem",
    "parse_problem", "shortfall", "solve",
]
