"""Greedy baseline and warm start: priority first, scarcest first, members by regret.

Requests are taken by priority (highest first), then scarcest first: the fewer
eligible volunteers hold the request's rarest requirement (a Kazakh speaker, a social
worker, a lawyer), the earlier it is staffed. Each gets the cheapest team that covers
its skills, language and social-worker needs from the volunteers who still have time
and team slots, where a member costs their distance plus their regret: what the
requests still waiting would lose by not having them, each waiting request's
priority shared among the eligible holders of each requirement the volunteer covers
there. So a scarce volunteer is spent where nobody else could serve, and current
members are kept before any of this.

``strategy="nearest"`` is the earlier baseline (priority, then fewest eligible; fixed
detours for social workers and minority-language speakers), kept for comparison in
the benchmark.
"""

from __future__ import annotations

import time

from .eligibility import Prepared
from .teams import cheapest_team

# Cost offsets, in km: keeping a current member beats any distance or regret.
KEPT_BONUS_KM = 1000.0
# A volunteer whose absence would cost the waiting requests one priority point in
# expectation costs this detour.
REGRET_KM_PER_POINT = 3.0
# The earlier baseline's fixed detours.
SOCIAL_WORKER_COST_KM = 5.0
RARE_LANGUAGE_COST_KM = 1.0
RARE_LANGUAGES = frozenset({"ug", "kk", "mn"})
_DEADLINE_EVERY = 64  # requests between looks at the clock

# Per request: the positions of its members in that request's candidate lists, or None.
Assignment = list[tuple[int, ...] | None]


def time_and_slots_left(prepared: Prepared, assignment: Assignment) -> tuple[list[int],
                                                                               list[int]]:
    """Each volunteer's load units and team slots not used by ``assignment``."""
    cap_left = list(prepared.capacity)
    teams_left = list(prepared.max_teams)
    for r, team in enumerate(assignment):
        cands = prepared.requests[r]
        for j in team or ():
            cap_left[cands.volunteers[j]] -= cands.load[j]
            teams_left[cands.volunteers[j]] -= 1
    return cap_left, teams_left


def holders_per_bit(prepared: Prepared, r: int) -> list[int]:
    """Eligible volunteers (before pruning) holding each requirement bit of request r."""
    cands = prepared.requests[r]
    return [sum(n for m, n in cands.mask_counts.items() if m >> bit & 1)
            for bit in range(len(cands.bit_names))]


def _scarcity(prepared: Prepared, r: int) -> int:
    cands = prepared.requests[r]
    if prepared.problem.requests[r].team_size == 1 and cands.bit_names:
        return cands.mask_counts.get(cands.full_mask, 0)
    return min(holders_per_bit(prepared, r), default=cands.eligible)


def _regret_shares(prepared: Prepared, r: int) -> list[float]:
    """What request r would lose, per kept candidate, if that candidate were gone."""
    cands = prepared.requests[r]
    request = prepared.problem.requests[r]
    holders = holders_per_bit(prepared, r)
    seat = request.team_size / max(1, cands.eligible)  # any member fills a seat
    shares = []
    for mask in cands.mask:
        share = seat + sum(1.0 / holders[bit] for bit in range(len(holders))
                           if mask >> bit & 1)
        shares.append(request.priority * share)
    return shares


def _nearest_costs(prepared: Prepared) -> list[float]:
    cost = []
    for v in prepared.problem.volunteers:
        extra = SOCIAL_WORKER_COST_KM if v.social_worker else 0.0
        if v.languages & RARE_LANGUAGES:
            extra += RARE_LANGUAGE_COST_KM
        cost.append(extra)
    return cost


def greedy_assignment(prepared: Prepared, start: Assignment | None = None, *,
                      deadline: float | None = None, strategy: str = "regret") -> Assignment:
    """Staff open requests greedily; ``start`` (default: all open) keeps its teams.

    Run on a finished search it fills any request left open that still has a covering
    team among the volunteers with time left, so no answer is trivially improvable.
    At ``deadline`` (a ``time.monotonic()`` value) the requests not reached stay open.
    """
    problem = prepared.problem
    assignment: Assignment = list(start) if start else [None] * len(problem.requests)
    cap_left, teams_left = time_and_slots_left(prepared, assignment)
    waiting = [r for r in range(len(problem.requests))
               if assignment[r] is None and prepared.requests[r].volunteers]
    if strategy == "nearest":
        extra = _nearest_costs(prepared)
        order = sorted(waiting, key=lambda r: (-problem.requests[r].priority,
                                               prepared.requests[r].eligible,
                                               problem.requests[r].id))
        shares: dict[int, list[float]] = {}
    else:
        extra = [0.0] * len(problem.volunteers)  # the regret of each volunteer, in km
        shares = {r: _regret_shares(prepared, r) for r in waiting}
        for r in waiting:
            for vi, share in zip(prepared.requests[r].volunteers, shares[r], strict=True):
                extra[vi] += REGRET_KM_PER_POINT * share
        order = sorted(waiting, key=lambda r: (-problem.requests[r].priority,
                                               _scarcity(prepared, r),
                                               prepared.requests[r].eligible,
                                               problem.requests[r].id))
    for count, r in enumerate(order):
        if deadline is not None and count % _DEADLINE_EVERY == 0 \
                and time.monotonic() >= deadline:
            break
        cands = prepared.requests[r]
        if r in shares:  # no longer waiting: its own claim on its candidates goes
            for vi, share in zip(cands.volunteers, shares[r], strict=True):
                extra[vi] -= REGRET_KM_PER_POINT * share
        allowed = [
            j for j, vi in enumerate(cands.volunteers)
            if teams_left[vi] > 0 and cands.load[j] <= cap_left[vi]
        ]
        costs = [
            km + extra[vi] - (KEPT_BONUS_KM if kept else 0.0)
            for km, vi, kept in zip(cands.km, cands.volunteers, cands.kept, strict=True)
        ]
        found = cheapest_team(problem.requests[r].team_size, cands.full_mask, cands.mask,
                              costs, allowed)
        if found is None:
            continue
        for j in found[1]:
            vi = cands.volunteers[j]
            cap_left[vi] -= cands.load[j]
            teams_left[vi] -= 1
        assignment[r] = tuple(sorted(found[1]))
    return assignment
