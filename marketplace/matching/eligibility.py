"""Candidate pairs: which volunteer may serve which request, prepared before any model.

A pair is eligible when the volunteer is within both ``max_km`` limits, shares a slot
with the request (when both list slots), is not excluded, may take a team at all, and
the pair's own load (rule 3) fits the volunteer's weekly hours. Everything the search
needs about a pair is computed here once: distance, load in integer units, and the
bit mask of the request's requirements that the volunteer covers.

Integer scaling lives here and nowhere else: loads are rounded UP and budgets DOWN
(``LOAD_UNITS_PER_HOUR``), so any selection that fits in units also fits in hours
and the checker always agrees with the solver.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .geo import EARTH_RADIUS_KM, GridIndex, haversine_km
from .problem import LOAD_TOLERANCE_H, SKILLS, Problem, Request

LOAD_UNITS_PER_HOUR = 1000
# Pruning keeps, for every requirement mask, this many nearest and this many least
# contested volunteers; a team never needs more than team_size of one mask, the
# extra ones give the search room when the nearest are busy elsewhere.
DEFAULT_KEEP_PER_MASK = 8

_SKILL_BIT = {skill: i for i, skill in enumerate(sorted(SKILLS))}


def pair_load_hours(request: Request, km: float, travel_kmh: float) -> float:
    """Rule 3 for one pair: service hours plus round trips."""
    return request.hours_per_week + request.visits_per_week * 2.0 * km / travel_kmh


def load_units(hours: float) -> int:
    return math.ceil(hours * LOAD_UNITS_PER_HOUR)


def budget_units(hours: float) -> int:
    # Half the checker's tolerance as margin against float noise in its own sum.
    return math.floor((hours + LOAD_TOLERANCE_H / 2) * LOAD_UNITS_PER_HOUR)


@dataclass(slots=True)
class RequestCandidates:
    """The kept candidates of one request, parallel lists ordered by distance."""

    full_mask: int  # all requirement bits of the request
    bit_names: list[str]  # what each bit means, e.g. "skill psych_support", "language ug"
    volunteers: list[int] = field(default_factory=list)
    km: list[float] = field(default_factory=list)
    load: list[int] = field(default_factory=list)  # units, rounded up
    hours: list[float] = field(default_factory=list)  # exact load, for the bound
    mask: list[int] = field(default_factory=list)
    kept: list[bool] = field(default_factory=list)  # in current_team
    eligible: int = 0  # eligible volunteers before pruning
    mask_counts: dict[int, int] = field(default_factory=dict)  # before pruning


@dataclass(slots=True)
class Prepared:
    problem: Problem
    capacity: list[int]  # volunteer budget in load units, rounded down
    max_teams: list[int]
    requests: list[RequestCandidates]
    eligible_pairs: int
    kept_pairs: int


def requirement_bits(request: Request) -> list[str]:
    bits = [f"skill {s}" for s in sorted(request.skills)]
    if request.languages:
        bits.append("language " + "/".join(sorted(request.languages)))
    if request.needs_social_worker:
        bits.append("social worker")
    return bits


def _code_mask(codes, index: dict[str, int]) -> int:
    mask = 0
    for code in codes:
        mask |= 1 << index[code]
    return mask


def prepare(problem: Problem, keep_per_mask: int = DEFAULT_KEEP_PER_MASK) -> Prepared:
    """Compute eligible pairs with a grid index, then prune them per request."""
    vols = problem.volunteers
    kmh = problem.options.travel_kmh
    capacity = [budget_units(v.hours_per_week) for v in vols]
    slot_index = {s: i for i, s in enumerate(sorted({s for v in vols for s in (v.slots or ())}
                                                      | {s for r in problem.requests
                                                         for s in (r.slots or ())}))}
    lang_index = {c: i for i, c in enumerate(sorted({c for v in vols for c in v.languages}
                                                      | {c for r in problem.requests
                                                         for c in r.languages}))}
    v_slots = [-1 if v.slots is None else _code_mask(v.slots, slot_index) for v in vols]
    v_skills = [_code_mask(v.skills, _SKILL_BIT) for v in vols]
    v_langs = [_code_mask(v.languages, lang_index) for v in vols]
    index_of = problem.volunteer_index()
    max_vol_km = max((v.max_km for v in vols), default=0.0)
    # Cells a quarter of the typical reach: a query scans about twice the circle's area.
    typical_km = sorted(v.max_km for v in vols)[len(vols) // 2] if vols else 1.0
    grid = GridIndex([(v.lat, v.lon) for v in vols], cell_km=max(0.25, typical_km / 4))
    km_per_deg_lat = math.pi * EARTH_RADIUS_KM / 180.0

    # Pass 1: all eligible pairs, stored compactly per request.
    raw: list[tuple[list[int], list[float], list[int], list[int], list[float]]] = []
    demand = [0] * len(vols)
    for r in problem.requests:
        radius = max_vol_km if r.max_km is None else min(r.max_km, max_vol_km)
        r_slots = -1 if r.slots is None else _code_mask(r.slots, slot_index)
        skill_bits = [1 << _SKILL_BIT[s] for s in sorted(r.skills)]
        lang_mask = _code_mask(r.languages, lang_index)
        n_skill = len(skill_bits)
        lang_bit = 1 << n_skill if r.languages else 0
        sw_bit = (1 << (n_skill + (1 if r.languages else 0))) if r.needs_social_worker else 0
        excluded = {index_of[x] for x in r.exclude}
        ids, kms, loads, masks = [], [], [], []
        hours_of = []
        for vi in grid.near(r.lat, r.lon, radius):
            if (r_slots != -1 and v_slots[vi] & r_slots == 0) or vi in excluded:
                continue
            v = vols[vi]
            # The great-circle distance is never below the north-south one: a cheap reject.
            if abs(v.lat - r.lat) * km_per_deg_lat > min(v.max_km, radius) or v.max_teams < 1:
                continue
            km = haversine_km(v.lat, v.lon, r.lat, r.lon)
            if km > v.max_km or (r.max_km is not None and km > r.max_km):
                continue
            hours = pair_load_hours(r, km, kmh)
            units = load_units(hours)
            if units > capacity[vi]:
                continue
            mask = 0
            skills = v_skills[vi]
            for bit, skill_bit in enumerate(skill_bits):
                if skills & skill_bit:
                    mask |= 1 << bit
            if v_langs[vi] & lang_mask:
                mask |= lang_bit
            if v.social_worker:
                mask |= sw_bit
            ids.append(vi)
            kms.append(km)
            loads.append(units)
            masks.append(mask)
            hours_of.append(hours)
            demand[vi] += 1
        raw.append((ids, kms, loads, masks, hours_of))

    # Pass 2: prune. A volunteer's pressure is how many requests want them per team
    # they can take; the least contested ones are the spare capacity LNS can use.
    pressure = [demand[i] / max(1, vols[i].max_teams) for i in range(len(vols))]
    prepared_requests = []
    eligible_pairs = kept_pairs = 0
    for r, (ids, kms, loads, masks, hours_of) in zip(problem.requests, raw, strict=True):
        bits = requirement_bits(r)
        full = (1 << len(bits)) - 1
        current = {index_of[m] for m in r.current_team}
        cands = RequestCandidates(full_mask=full, bit_names=bits, eligible=len(ids))
        by_mask: dict[int, list[int]] = {}
        for j, mask in enumerate(masks):
            cands.mask_counts[mask] = cands.mask_counts.get(mask, 0) + 1
            # A single member must cover everything; otherwise any volunteer can fill a seat.
            if r.team_size == 1 and mask != full:
                continue
            by_mask.setdefault(mask, []).append(j)
        chosen: set[int] = {j for j, vi in enumerate(ids) if vi in current}
        for members in by_mask.values():
            members.sort(key=lambda j: (kms[j], ids[j]))
            chosen.update(members[:keep_per_mask])
            if len(members) > keep_per_mask:
                spare = sorted(members[keep_per_mask:], key=lambda j: (pressure[ids[j]], kms[j]))
                chosen.update(spare[: keep_per_mask // 2])
        for j in sorted(chosen, key=lambda j: (kms[j], ids[j])):
            cands.volunteers.append(ids[j])
            cands.km.append(kms[j])
            cands.load.append(loads[j])
            cands.hours.append(hours_of[j])
            cands.mask.append(masks[j])
            cands.kept.append(ids[j] in current)
        eligible_pairs += len(ids)
        kept_pairs += len(cands.volunteers)
        prepared_requests.append(cands)
    return Prepared(problem, capacity, [v.max_teams for v in vols], prepared_requests,
                    eligible_pairs, kept_pairs)


def prepare_from_pairs(problem: Problem, pairs: list[list[tuple[int, float, float]]]) -> Prepared:
    """Internal extension, not part of the JSON format: pairs given directly.

    ``pairs[r]`` lists ``(volunteer index, cost as km, load in hours)`` for request r,
    so benchmarks such as the generalized assignment problem can state a per-pair
    load and cost that no geography produces. Requests must not ask for skills,
    languages or social workers (their masks are empty); every listed pair is kept.
    """
    capacity = [budget_units(v.hours_per_week) for v in problem.volunteers]
    requests = []
    total = 0
    for r, request in enumerate(problem.requests):
        if request.skills or request.languages or request.needs_social_worker:
            raise ValueError(f"requests[{r}]: prepare_from_pairs takes no requirements")
        cands = RequestCandidates(full_mask=0, bit_names=[])
        for vi, cost, hours in sorted(pairs[r], key=lambda p: (p[1], p[0])):
            units = load_units(hours)
            if units > capacity[vi]:
                continue
            cands.volunteers.append(vi)
            cands.km.append(cost)
            cands.load.append(units)
            cands.hours.append(hours)
            cands.mask.append(0)
            cands.kept.append(False)
        cands.eligible = len(cands.volunteers)
        cands.mask_counts = {0: cands.eligible} if cands.eligible else {}
        total += cands.eligible
        requests.append(cands)
    return Prepared(problem, capacity, [v.max_teams for v in problem.volunteers], requests,
                    total, total)
