"""Solver and greedy on small random instances: valid, repeatable, never below greedy."""

from __future__ import annotations

import pytest
from matching_builders import assert_valid, random_problem_dict, teams_of

from marketplace.matching import SolveOptions, greedy, parse_problem, solve


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_solver_valid_and_not_below_greedy(seed):
    problem = parse_problem(random_problem_dict(seed))
    events = []
    solved = solve(problem, SolveOptions(time_limit_s=3, workers=2), progress=events.append)
    baseline = greedy(problem)
    assert_valid(problem, solved)
    assert_valid(problem, baseline)
    assert solved.score.priority_staffed >= baseline.score.priority_staffed
    assert solved.bound_priority_staffed >= solved.score.priority_staffed
    assert events and events[-1]["phase"] == "done"
    assert len(solved.teams) + len(solved.open) == len(problem.requests)
    assert all(o.reason for o in solved.open)
    assert all(set(t.reasons) == set(t.members) for t in solved.teams)


def test_one_worker_is_deterministic():
    problem = parse_problem(random_problem_dict(7, volunteers=150, requests=100))
    # The deterministic budget (about 2 s of wall time when the machine is idle) runs
    # out long before the wall-clock limit, so even a heavily loaded machine repeats.
    options = SolveOptions(time_limit_s=120, workers=1, neighbourhood_requests=20,
                           sub_time_limit_s=0.2, deterministic_budget=1.2)
    first = solve(problem, options)
    second = solve(problem, options)
    assert first.stats["search"]["lns_iterations"] > 0  # the search ran, not just greedy
    assert first.stats["search"]["deterministic_time"] >= 1.2  # stopped by the budget
    for key in ("teams", "open", "score", "bound", "status"):
        assert first.to_json()[key] == second.to_json()[key]


def test_seed_and_time_limit_from_problem_options():
    data = random_problem_dict(4)
    data["options"].update(time_limit_s=1, seed=5)
    result = solve(parse_problem(data), SolveOptions(workers=1))
    assert result.stats["seed"] == 5
    assert result.stats["time_limit_s"] == 1


def test_empty_problem():
    problem = parse_problem({"version": 1, "volunteers": [], "requests": []})
    result = solve(problem, SolveOptions(time_limit_s=1, workers=1))
    assert result.teams == () and result.open == ()
    assert result.bound_priority_staffed == 0
    assert_valid(problem, result)
    assert teams_of(greedy(problem)) == {}
