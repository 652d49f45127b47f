"""The proved bound against optima found by exhaustive search on tiny instances."""

from __future__ import annotations

import pytest
from matching_builders import build, random_problem_dict, volunteer
from matching_builders import request as care_request

from marketplace.matching import SolveOptions, check_result, parse_problem, solve
from marketplace.matching.bound import prove_bound
from marketplace.matching.eligibility import prepare
from marketplace.matching.problem import LOAD_TOLERANCE_H

EVERY_PAIR = 10_000  # keep_per_mask: nothing pruned


def exhaustive_optimum(problem) -> tuple[int, dict[str, list[str]]]:
    """The most priority staffed over every eligible pair, by depth-first search."""
    prepared = prepare(problem, EVERY_PAIR)
    for r, cands in enumerate(prepared.requests):  # a lone member must cover everything
        def useful(mask, r=r, cands=cands):
            return problem.requests[r].team_size > 1 or mask & cands.full_mask == cands.full_mask
        assert sum(map(useful, cands.mask)) == sum(
            count for mask, count in cands.mask_counts.items() if useful(mask))
    requests = problem.requests
    hours_left = [v.hours_per_week + LOAD_TOLERANCE_H for v in problem.volunteers]
    teams_left = list(prepared.max_teams)
    options = []
    for r, cands in enumerate(prepared.requests):
        size = requests[r].team_size
        teams = []

        def extend(start, chosen, covered, cands=cands, size=size, teams=teams):
            if len(chosen) == size:
                if covered == cands.full_mask:
                    teams.append(tuple(chosen))
                return
            for j in range(start, len(cands.volunteers)):
                extend(j + 1, [*chosen, j], covered | (cands.mask[j] & cands.full_mask))

        extend(0, [], 0)
        options.append(teams)
    order = sorted(range(len(requests)), key=lambda r: -requests[r].priority)
    best = [-1, {}]
    chosen: dict[int, tuple[int, ...]] = {}

    def search(position: int, value: int) -> None:
        if value + sum(requests[r].priority for r in order[position:]) <= best[0]:
            return
        if position == len(order):
            best[0], best[1] = value, dict(chosen)
            return
        r = order[position]
        cands = prepared.requests[r]
        for team in options[r]:
            members = [cands.volunteers[j] for j in team]
            if all(teams_left[vi] >= 1 and hours_left[vi] >= cands.hours[j]
                   for j, vi in zip(team, members, strict=True)):
                for j, vi in zip(team, members, strict=True):
                    teams_left[vi] -= 1
                    hours_left[vi] -= cands.hours[j]
                chosen[r] = team
                search(position + 1, value + requests[r].priority)
                del chosen[r]
                for j, vi in zip(team, members, strict=True):
                    teams_left[vi] += 1
                    hours_left[vi] += cands.hours[j]
        search(position + 1, value)

    search(0, 0)
    named = {requests[r].id: [problem.volunteers[prepared.requests[r].volunteers[j]].id
                              for j in team] for r, team in best[1].items()}
    return best[0], named


def as_result(problem, teams: dict[str, list[str]], priority: int) -> dict:
    return {"version": 1, "status": "FEASIBLE", "solver": "exhaustive",
            "teams": [{"request": rid, "members": members} for rid, members in teams.items()],
            "open": [{"request": r.id, "reason": "not chosen"} for r in problem.requests
                     if r.id not in teams],
            "score": {"priority_staffed": priority, "kept_members": 0, "total_km": 0.0}}


def odd_cycle():
    """Three two-person requests over three volunteers who take one team each: the LP
    relaxation staffs half of each (3 x 2 = 6 halves, value 3 x 2 / 2 = 3), while
    only one request can really be staffed."""
    volunteers = [volunteer(f"v{i}", 0.1 * i, max_teams=1) for i in range(3)]
    requests = [care_request(f"h{i}", 0.2, team_size=2, priority=2, exclude=[f"v{(i + 2) % 3}"])
                for i in range(3)]
    return build(volunteers, requests)


def test_bound_closes_an_odd_cycle_the_lp_cannot():
    problem = odd_cycle()
    optimum, _ = exhaustive_optimum(problem)
    assert optimum == 2
    bound = prove_bound(prepare(problem), lp_time_limit_s=1.0)
    assert bound.lp_value == pytest.approx(3.0)
    assert bound.priority_staffed == optimum
    result = solve(problem, SolveOptions(time_limit_s=2, workers=1))
    assert result.score.priority_staffed == result.bound_priority_staffed == 2


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("keep_per_mask", [1, EVERY_PAIR])
def test_bound_never_below_the_exhaustive_optimum(seed, keep_per_mask):
    """Also with pruning: pairs pruned from the model must still count in the bound."""
    problem = parse_problem(random_problem_dict(seed, volunteers=9, requests=6))
    optimum, teams = exhaustive_optimum(problem)
    # The search maximises priority only; the tie-breaks are not its business.
    violations = check_result(problem, as_result(problem, teams, optimum))
    assert [v for v in violations
            if not v.startswith(("score.kept_members", "score.total_km"))] == []
    for workers in (1, 2):
        bound = prove_bound(prepare(problem, keep_per_mask), lp_time_limit_s=1.0,
                            workers=workers)
        assert bound.priority_staffed >= optimum
    result = solve(problem, SolveOptions(time_limit_s=2, workers=1,
                                         keep_per_mask=keep_per_mask))
    assert result.bound_priority_staffed >= optimum >= result.score.priority_staffed
    if result.status == "OPTIMAL":
        assert result.score.priority_staffed == optimum == result.bound_priority_staffed
