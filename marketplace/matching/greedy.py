"""Greedy baseline and warm start: priority first, scarcest first, nearest gap-closers.

Requests are taken by priority (highest first), then by how few candidates they have.
Each gets the cheapest team that covers its skills, language and social-worker needs
from the volunteers who still have time and team slots; current members are strongly
preferred, and volunteers with scarce abilities cost extra when used as a filler.
"""

from __future__ import annotations

from .eligibility import Prepared
from .teams import cheapest_team

# Cost offsets, in km: keeping a current member beats any distance; spending a social
# worker or a minority-language speaker where it is not needed costs a detour.
KEPT_BONUS_KM = 1000.0
SOCIAL_WORKER_COST_KM = 5.0
RARE_LANGUAGE_COST_KM = 1.0
RARE_LANGUAGES = frozenset({"ug", "kk", "mn"})

# Per request: the positions of its members in that request's candidate lists, or None.
Assignment = list[tuple[int, ...] | None]


def scarcity_cost(prepared: Prepared) -> list[float]:
    cost = []
    for v in prepared.problem.volunteers:
        extra = SOCIAL_WORKER_COST_KM if v.social_worker else 0.0
        if v.languages & RARE_LANGUAGES:
            extra += RARE_LANGUAGE_COST_KM
        cost.append(extra)
    return cost


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


def greedy_assignment(prepared: Prepared, start: Assignment | None = None) -> Assignment:
    """Staff open requests greedily; ``start`` (default: all open) keeps its teams.

    Run on a finished search it fills any request left open that still has a covering
    team among the volunteers with time left, so no answer is trivially improvable.
    """
    problem = prepared.problem
    assignment: Assignment = list(start) if start else [None] * len(problem.requests)
    cap_left, teams_left = time_and_slots_left(prepared, assignment)
    extra = scarcity_cost(prepared)
    order = sorted(
        (r for r in range(len(problem.requests)) if assignment[r] is None),
        key=lambda r: (-problem.requests[r].priority, prepared.requests[r].eligible,
                       problem.requests[r].id),
    )
    for r in order:
        cands = prepared.requests[r]
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
