"""Solver and greedy on small random instances: valid, repeatable, never below greedy."""

from __future__ import annotations

import time

import pytest
from matching_builders import assert_valid, random_problem_dict, teams_of

from marketplace.matching import SolveOptions, eligibility, greedy, parse_problem, solve
from marketplace.matching.eligibility import prepare
from marketplace.matching.engine import solve_prepared
from marketplace.matching.greedy import greedy_assignment
from marketplace.matching.model import km_units
from marketplace.matching.result import assignment_score


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


class _SteppingClock:
    """Stands in for ``time`` inside preparation: each look at the clock is one second
    later, so a deadline stops it after a known number of blocks on any machine."""

    def __init__(self):
        self.now = 0.0

    def monotonic(self) -> float:
        self.now += 1.0
        return self.now


@pytest.mark.parametrize("seed", [2, 5, 8])
def test_cut_short_preparation_scores_at_least_the_greedy_on_what_was_prepared(seed,
                                                                                monkeypatch):
    problem = parse_problem(random_problem_dict(seed, volunteers=120, requests=160))
    monkeypatch.setattr(eligibility, "time", _SteppingClock())
    prepared = prepare(problem, deadline=9.0)  # three blocks of the highest priorities
    monkeypatch.undo()
    assert 0 < prepared.examined < len(problem.requests)
    floor = assignment_score(prepared, greedy_assignment(prepared))
    assert floor.priority_staffed > 0
    # The limit is over before the solver starts (as when preparation took it all), and
    # with one worker and no deterministic budget the search gets nothing either.
    result = solve_prepared(prepared, SolveOptions(time_limit_s=1, workers=1,
                                                   deterministic_budget=0.0),
                            started=time.monotonic() - 10.0)
    assert_valid(problem, result)
    assert result.score.priority_staffed >= floor.priority_staffed
    assert (result.score.priority_staffed, result.score.kept_members) >= \
        (floor.priority_staffed, floor.kept_members)
    assert result.stats["status_detail"].startswith(
        f"time limit reached while preparing: {prepared.examined} of {len(problem.requests)}")
    staffed = {t.request for t in result.teams}
    unexamined = {problem.requests[r].id for r, c in enumerate(prepared.requests)
                  if not c.examined}
    assert not staffed & unexamined


@pytest.mark.parametrize("seed", [1, 3, 6])
def test_no_member_is_farther_than_an_unused_volunteer_who_could_take_the_place(seed):
    # At equal priority the answer keeps current members, then takes the nearest: a
    # volunteer nobody uses, covering what the member covers, nearer, is a needless km
    # (distances count to 10 m).
    problem = parse_problem(random_problem_dict(seed, volunteers=400, requests=300))
    result = solve(problem, SolveOptions(time_limit_s=60, workers=1,
                                         deterministic_budget=0.3))
    assert_valid(problem, result)
    prepared = prepare(problem)
    index = {v.id: i for i, v in enumerate(problem.volunteers)}
    used = {index[m] for t in result.teams for m in t.members}
    position = {req.id: r for r, req in enumerate(problem.requests)}
    for team in result.teams:
        cands = prepared.requests[position[team.request]]
        at = {vi: j for j, vi in enumerate(cands.volunteers)}
        for member in team.members:
            j = at[index[member]]
            if cands.kept[j]:
                continue
            for k, vi in enumerate(cands.volunteers):
                if vi not in used and cands.mask[k] & cands.mask[j] == cands.mask[j]:
                    assert km_units(cands.km[k]) >= km_units(cands.km[j]), (team.request,
                                                                             member)
