"""Candidate pairs: which volunteer may serve which request, prepared before any model.

A pair is eligible when the volunteer is within both ``max_km`` limits, shares a slot
with the request (when both list slots), is not excluded, may take a team at all, and
the pair's own load (rule 3) fits the volunteer's weekly hours. Everything the search
needs about a pair is computed here once: distance, load in integer units, and the
bit mask of the request's requirements that the volunteer covers.

Eligible pairs are found with numpy, one block of nearby requests of the same
priority at a time, and only the pairs kept by pruning ever become Python objects:
at city density a request has thousands of eligible volunteers, of which a few dozen
are kept. The numpy pass is deliberately generous by a relative 1e-9 in distance, so
its counts (which the bound relies on) never miss a pair; every kept pair is then
confirmed with the checker's own arithmetic. Blocks run highest priority first and
stop at a deadline, so a short time limit still leaves the most urgent requests
prepared.

Integer scaling lives here and nowhere else: loads are rounded UP and budgets DOWN
(``LOAD_UNITS_PER_HOUR``), so any selection that fits in units also fits in hours
and the checker always agrees with the solver.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

from .geo import EARTH_RADIUS_KM, haversine_km
from .problem import LOAD_TOLERANCE_H, SKILLS, Problem, Request

LOAD_UNITS_PER_HOUR = 1000
# Pruning keeps, for every requirement mask, this many nearest and this many least
# contested volunteers; a team never needs more than team_size of one mask, the
# extra ones give the search room when the nearest are busy elsewhere.
DEFAULT_KEEP_PER_MASK = 8

_SKILL_BIT = {skill: i for i, skill in enumerate(sorted(SKILLS))}
_KM_PER_DEG_LAT = math.pi * EARTH_RADIUS_KM / 180.0
_SLACK = 1e-9  # relative; the numpy pass accepts a superset of the exact rules
# Distance-matrix cells per numpy step: bounds the temporary memory (~40 bytes a cell).
_BLOCK_CELLS = 1_000_000
_REQUESTS_PER_BLOCK = 32  # aimed at when sizing the spatial cells of a block
_MASK_BITS = 20  # a pair key is request << _MASK_BITS | mask


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
    examined: bool = True  # False: the time limit came before this request's pairs


@dataclass(slots=True)
class Prepared:
    problem: Problem
    capacity: list[int]  # volunteer budget in load units, rounded down
    max_teams: list[int]
    requests: list[RequestCandidates]
    eligible_pairs: int
    kept_pairs: int
    examined: int = -1  # requests whose pairs were computed; -1: all of them
    source: PairSource | None = None  # recomputes every eligible pair, for the bound

    def __post_init__(self) -> None:
        if self.examined < 0:
            self.examined = len(self.requests)

    @property
    def complete(self) -> bool:
        return self.examined == len(self.requests)


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


def _haversine(p1, cos1, lon1, p2, cos2, lon2):
    """``geo.haversine_km`` on arrays of radians and cosines (may differ from it in the
    last bits)."""
    a = np.sin((p2 - p1) / 2) ** 2
    a += cos1 * cos2 * np.sin(np.radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))


class _Arrays:
    """The problem as numpy columns: one row per volunteer, one per request."""

    def __init__(self, problem: Problem):
        vols = problem.volunteers
        reqs = problem.requests
        slot_codes = sorted({s for v in vols for s in (v.slots or ())}
                            | {s for r in reqs for s in (r.slots or ())})
        slot_index = {s: i for i, s in enumerate(slot_codes)}
        lang_index = {c: i for i, c in enumerate(sorted({c for v in vols for c in v.languages}
                                                         | {c for r in reqs
                                                            for c in r.languages}))}
        self.v_lat = np.array([v.lat for v in vols], dtype=np.float64)
        self.v_lon = np.array([v.lon for v in vols], dtype=np.float64)
        self.v_rad = np.radians(self.v_lat)
        self.v_cos = np.cos(self.v_rad)
        self.v_max_km = np.array([v.max_km for v in vols], dtype=np.float64)
        self.v_slots = np.array([-1 if v.slots is None else _code_mask(v.slots, slot_index)
                                 for v in vols], dtype=np.int64)
        self.v_skills = np.array([_code_mask(v.skills, _SKILL_BIT) for v in vols],
                                 dtype=np.int64)
        self.v_langs = np.array([_code_mask(v.languages, lang_index) for v in vols],
                                dtype=np.int64)
        self.v_sw = np.array([v.social_worker for v in vols], dtype=np.int64)
        self.capacity = np.array([budget_units(v.hours_per_week) for v in vols],
                                 dtype=np.int64)
        # Only volunteers who may take a team are searched, sorted by latitude.
        usable = np.array([v.max_teams >= 1 for v in vols], dtype=bool)
        candidates = np.nonzero(usable)[0]
        self.by_lat = candidates[np.argsort(self.v_lat[candidates], kind="stable")]
        self.sorted_lat = self.v_lat[self.by_lat]
        self.max_vol_km = float(self.v_max_km[candidates].max()) if len(candidates) else 0.0

        self.r_lat = np.array([r.lat for r in reqs], dtype=np.float64)
        self.r_lon = np.array([r.lon for r in reqs], dtype=np.float64)
        self.r_rad = np.radians(self.r_lat)
        self.r_cos = np.cos(self.r_rad)
        self.r_limit = np.array([math.inf if r.max_km is None else r.max_km for r in reqs],
                                dtype=np.float64)
        self.r_slots = np.array([-1 if r.slots is None else _code_mask(r.slots, slot_index)
                                 for r in reqs], dtype=np.int64)
        self.r_hours = np.array([r.hours_per_week for r in reqs], dtype=np.float64)
        self.r_visits = np.array([r.visits_per_week for r in reqs], dtype=np.float64)
        self.r_priority = np.array([r.priority for r in reqs], dtype=np.int64)
        n_skills = max((len(r.skills) for r in reqs), default=0)
        self.r_skill_bits = np.zeros((len(reqs), max(1, n_skills)), dtype=np.int64)
        self.r_lang = np.zeros(len(reqs), dtype=np.int64)
        self.r_lang_pos = np.zeros(len(reqs), dtype=np.int64)
        self.r_sw = np.zeros(len(reqs), dtype=np.int64)
        self.r_sw_pos = np.zeros(len(reqs), dtype=np.int64)
        self.r_n_skills = np.zeros(len(reqs), dtype=np.int64)
        for i, r in enumerate(reqs):
            skills = sorted(r.skills)
            self.r_n_skills[i] = len(skills)
            for k, skill in enumerate(skills):
                self.r_skill_bits[i, k] = 1 << _SKILL_BIT[skill]
            self.r_lang[i] = _code_mask(r.languages, lang_index)
            self.r_lang_pos[i] = len(skills)
            self.r_sw[i] = int(r.needs_social_worker)
            self.r_sw_pos[i] = len(skills) + (1 if r.languages else 0)
        self.r_full = np.array([(1 << len(requirement_bits(r))) - 1 for r in reqs],
                               dtype=np.int64)
        self.r_single = np.array([r.team_size == 1 for r in reqs], dtype=bool)


class PairSource:
    """Every eligible pair again, block by block, without keeping them in memory."""

    def __init__(self, arrays: _Arrays, kmh: float, excluded: dict[int, list[int]],
                 blocks: list[np.ndarray], prepare_s: float):
        self.arrays = arrays
        self.kmh = kmh
        self.excluded = excluded
        self.blocks = blocks  # the examined ones
        self.prepare_s = prepare_s  # what one pass over them cost

    def pairs(self):
        for rows in self.blocks:
            yield _eligible_in_block(self.arrays, rows, self.kmh, self.excluded)

    def loads_hours(self, pairs: _BlockPairs) -> np.ndarray:
        a = self.arrays
        return a.r_hours[pairs.request] + a.r_visits[pairs.request] * 2.0 * pairs.km / self.kmh


def cheapest_per_group(pairs: _BlockPairs, cost: np.ndarray, team_size: np.ndarray
                       ) -> np.ndarray:
    """Positions of the ``team_size`` cheapest pairs of each (request, mask) group:
    a team never needs more than that many members of one mask."""
    if len(cost) == 0:
        return np.zeros(0, dtype=np.int64)
    rr = pairs.request
    run = np.r_[0, np.cumsum(np.diff(rr) != 0)]
    group = run * (int(pairs.mask.max()) + 1) + pairs.mask
    stride = 2.0 ** math.ceil(math.log2(float(cost.max()) + 2.0))
    order = np.argsort(group * stride + cost)
    rank = _rank_in_groups(group[order])
    return order[rank < team_size[rr[order]]]


@dataclass(slots=True)
class _BlockPairs:
    request: np.ndarray  # int64, global request index
    volunteer: np.ndarray  # int64
    km: np.ndarray  # float64
    mask: np.ndarray  # int64


def _request_blocks(a: _Arrays) -> list[np.ndarray]:
    """Requests grouped by priority (highest first), then by spatial cell."""
    n = len(a.r_lat)
    if n == 0:
        return []
    cos0 = math.cos(math.radians(float(np.median(a.r_lat))))
    y = a.r_lat * _KM_PER_DEG_LAT
    x = a.r_lon * _KM_PER_DEG_LAT * cos0
    area = (float(np.ptp(y)) + 1.0) * (float(np.ptp(x)) + 1.0)
    levels = len(np.unique(a.r_priority))
    cell_km = min(5.0, max(0.5, math.sqrt(area * _REQUESTS_PER_BLOCK * levels / n)))
    cy = np.floor(y / cell_km).astype(np.int64)
    cx = np.floor(x / cell_km).astype(np.int64)
    order = np.lexsort((cx, cy, -a.r_priority))
    keys = np.stack([a.r_priority[order], cy[order], cx[order]])
    cuts = np.nonzero(np.any(np.diff(keys, axis=1) != 0, axis=0))[0] + 1
    return np.split(order, cuts)


def _near_in_block(a: _Arrays, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A superset of the (request, volunteer) pairs within reach, grouped by request.

    A planar approximation in float32 around the block's centre; its relative error
    grows like tan(latitude) times the angular extent, so the threshold is that much
    (twice over, plus 1 % and 10 m) generous. The exact distance follows on what
    survives.
    """
    limit_r = np.minimum(a.r_limit[rows], a.max_vol_km)
    reach = float(limit_r.max()) * 1.01 + 0.01
    lat_lo = float(a.r_lat[rows].min()) - reach / _KM_PER_DEG_LAT
    lat_hi = float(a.r_lat[rows].max()) + reach / _KM_PER_DEG_LAT
    start = np.searchsorted(a.sorted_lat, lat_lo, side="left")
    stop = np.searchsorted(a.sorted_lat, lat_hi, side="right")
    cand = a.by_lat[start:stop]
    poleward = min(89.0, max(abs(lat_lo), abs(lat_hi)) + 1.0)
    reach_lon = reach / (_KM_PER_DEG_LAT * max(math.cos(math.radians(poleward)), 1e-3))
    lon = a.v_lon[cand]
    cand = cand[(lon >= a.r_lon[rows].min() - reach_lon)
                & (lon <= a.r_lon[rows].max() + reach_lon)]
    if len(cand) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    lat0 = float(a.r_lat[rows].mean())
    lon0 = float(a.r_lon[rows].mean())
    east = _KM_PER_DEG_LAT * math.cos(math.radians(lat0))
    extent_km = reach + _KM_PER_DEG_LAT * max(
        float(np.ptp(a.r_lat[rows])), float(np.ptp(a.r_lon[rows])) * math.cos(math.radians(lat0)))
    generous = 1.01 + 2 * math.tan(math.radians(poleward)) * extent_km / EARTH_RADIUS_KM
    c_y = ((a.v_lat[cand] - lat0) * _KM_PER_DEG_LAT).astype(np.float32)
    c_x = ((a.v_lon[cand] - lon0) * east).astype(np.float32)
    c_lim2 = ((a.v_max_km[cand] * generous + 0.01) ** 2).astype(np.float32)
    r_y = ((a.r_lat[rows] - lat0) * _KM_PER_DEG_LAT).astype(np.float32)
    r_x = ((a.r_lon[rows] - lon0) * east).astype(np.float32)
    r_lim2 = ((limit_r * generous + 0.01) ** 2).astype(np.float32)
    parts_r, parts_c = [], []
    step = max(1, _BLOCK_CELLS // len(cand))
    for lo in range(0, len(rows), step):
        hi = lo + step
        d2 = c_y[None, :] - r_y[lo:hi, None]
        d2 *= d2
        dx = c_x[None, :] - r_x[lo:hi, None]
        dx *= dx
        d2 += dx
        ri, ci = np.nonzero(d2 <= np.minimum(c_lim2[None, :], r_lim2[lo:hi, None]))
        parts_r.append(rows[lo:hi][ri])
        parts_c.append(cand[ci])
    return np.concatenate(parts_r), np.concatenate(parts_c)


def _eligible_in_block(a: _Arrays, rows: np.ndarray, kmh: float,
                       excluded: dict[int, list[int]]) -> _BlockPairs:
    """Every eligible pair of the requests ``rows`` (a small, compact set), grouped
    by request in the order of ``rows``."""
    rr, vi = _near_in_block(a, rows)
    ok = (a.v_slots[vi] & a.r_slots[rr]) != 0
    ok[_positions_of(rr, vi, [(r, v) for r in rows.tolist() for v in excluded.get(r, ())],
                     len(a.v_lat))] = False
    rr, vi = rr[ok], vi[ok]
    km = _haversine(a.v_rad[vi], a.v_cos[vi], a.v_lon[vi], a.r_rad[rr], a.r_cos[rr],
                    a.r_lon[rr])
    ok = km <= np.minimum(a.v_max_km[vi], a.r_limit[rr]) * (1 + _SLACK)
    hours = a.r_hours[rr] + a.r_visits[rr] * 2.0 * km / kmh
    # Slack on the load as well: the exact check comes with the kept pairs.
    ok &= np.ceil(hours * LOAD_UNITS_PER_HOUR - 1e-6) <= a.capacity[vi]
    rr, vi, km = rr[ok], vi[ok], km[ok]
    mask = np.zeros(len(rr), dtype=np.int64)
    skills = a.v_skills[vi]
    for k in range(int(a.r_n_skills[rows].max())):
        mask |= ((skills & a.r_skill_bits[rr, k]) != 0).astype(np.int64) << k
    mask |= ((a.v_langs[vi] & a.r_lang[rr]) != 0).astype(np.int64) << a.r_lang_pos[rr]
    mask |= (a.v_sw[vi] & a.r_sw[rr]) << a.r_sw_pos[rr]
    return _BlockPairs(rr, vi, km, mask)


def _positions_of(rr: np.ndarray, vi: np.ndarray, wanted: list[tuple[int, int]],
                  n_vol: int) -> np.ndarray:
    """Positions of the given (request, volunteer) pairs among ``rr``/``vi``."""
    if not wanted:
        return np.zeros(0, dtype=np.int64)
    volunteers = np.zeros(n_vol, dtype=bool)
    volunteers[[v for _, v in wanted]] = True
    maybe = np.nonzero(volunteers[vi])[0]
    codes = np.array([r * n_vol + v for r, v in wanted], dtype=np.int64)
    return maybe[np.isin(rr[maybe] * n_vol + vi[maybe], codes)]


def _rank_in_groups(group_sorted: np.ndarray) -> np.ndarray:
    """Position of each element within its run of equal values (already sorted)."""
    n = len(group_sorted)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.r_[0, np.nonzero(np.diff(group_sorted))[0] + 1]
    lengths = np.diff(np.r_[starts, n])
    return np.arange(n) - np.repeat(starts, lengths)


def _prune_block(a: _Arrays, pairs: _BlockPairs, pressure_rank: np.ndarray, keep: int,
                 current: dict[int, set[int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Positions of the kept pairs, and each (request << bits | mask) group's size.

    One float sort per criterion: pairs come grouped by request, so a group number
    (request run, mask) times a stride above any distance, plus the distance, orders
    by group then by km; ties at the last bits keep the (deterministic) input order.
    """
    rr, vi, km, mask = pairs.request, pairs.volunteer, pairs.km, pairs.mask
    n = len(rr)
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    run = np.r_[0, np.cumsum(np.diff(rr) != 0)]
    width = int(mask.max()) + 1
    group = run * width + mask
    stride = 2.0 ** math.ceil(math.log2(float(km.max()) + 2.0))
    order = np.argsort(group * stride + km)
    g_sorted = group[order]
    rank = _rank_in_groups(g_sorted)
    firsts = np.r_[0, np.nonzero(np.diff(g_sorted))[0] + 1]
    sizes = np.diff(np.r_[firsts, n])
    first_pair = order[firsts]
    keys = rr[first_pair] << _MASK_BITS | mask[first_pair]
    # A single member must cover everything; otherwise any volunteer can fill a seat.
    pickable = ~a.r_single[rr[order]] | (mask[order] == a.r_full[rr[order]])
    chosen = [order[pickable & (rank < keep)]]
    rest = order[pickable & (rank >= keep)]
    if len(rest) and keep // 2:
        p = pressure_rank[vi[rest]]
        p_stride = 2.0 ** math.ceil(math.log2(float(p.max()) + 2.0))
        spare = rest[np.argsort((group[rest] * p_stride + p) * stride + km[rest])]
        chosen.append(spare[_rank_in_groups(group[spare]) < keep // 2])
    chosen.append(_positions_of(rr, vi, [(r, v) for r in np.unique(rr).tolist()
                                         for v in current.get(r, ())], len(a.v_lat)))
    return np.unique(np.concatenate(chosen)), keys, sizes


def prepare(problem: Problem, keep_per_mask: int = DEFAULT_KEEP_PER_MASK,
            deadline: float | None = None) -> Prepared:
    """Eligible pairs by numpy blocks, then pruned per request and mask.

    ``deadline`` (a ``time.monotonic()`` value) stops the search for pairs between
    blocks; the requests not reached are marked ``examined=False``.
    """
    vols = problem.volunteers
    reqs = problem.requests
    n_vol = len(vols)
    kmh = problem.options.travel_kmh
    a = _Arrays(problem)
    index_of = problem.volunteer_index()
    excluded = {r: [index_of[x] for x in req.exclude] for r, req in enumerate(reqs)
                if req.exclude}
    current = {r: {index_of[m] for m in req.current_team} for r, req in enumerate(reqs)
               if req.current_team}

    # Pass 1: eligible pairs, block by block, highest priority first; stored compactly.
    started = time.monotonic()
    blocks: list[_BlockPairs] = []
    done: list[np.ndarray] = []
    examined = np.zeros(len(reqs), dtype=bool)
    demand = np.zeros(n_vol, dtype=np.int64)
    pass_started = time.monotonic()
    for rows in _request_blocks(a):
        # Pruning and storing the kept pairs cost about as much again as finding them.
        if deadline is not None and \
                pass_started + (time.monotonic() - pass_started) * 2.0 >= deadline:
            break
        done.append(rows)
        pairs = _eligible_in_block(a, rows, kmh, excluded)
        examined[rows] = True
        demand += np.bincount(pairs.volunteer, minlength=n_vol)
        blocks.append(_BlockPairs(pairs.request.astype(np.int32),
                                  pairs.volunteer.astype(np.int32), pairs.km,
                                  pairs.mask.astype(np.int16)))  # <= 14 bits

    # Pass 2: prune. A volunteer's pressure is how many requests want them per team
    # they can take; the least contested ones are the spare capacity LNS can use.
    max_teams = np.array([v.max_teams for v in vols], dtype=np.float64)
    pressure_rank = np.unique(demand / np.maximum(1.0, max_teams), return_inverse=True)[1]
    kept_parts: list[tuple[np.ndarray, ...]] = []
    group_keys, group_counts = [], []
    while blocks:
        block = blocks.pop(0)
        pairs = _BlockPairs(block.request.astype(np.int64), block.volunteer.astype(np.int64),
                            block.km, block.mask.astype(np.int64))
        chosen, groups, counts = _prune_block(a, pairs, pressure_rank, keep_per_mask,
                                              current)
        kept_parts.append((pairs.request[chosen], pairs.volunteer[chosen], pairs.km[chosen],
                           pairs.mask[chosen]))
        group_keys.append(groups)
        group_counts.append(counts)

    prepared_requests = [RequestCandidates(full_mask=int(a.r_full[r]),
                                           bit_names=requirement_bits(req),
                                           examined=bool(examined[r]))
                         for r, req in enumerate(reqs)]
    eligible_pairs = kept_pairs = 0
    if group_keys:
        keys = np.concatenate(group_keys)
        counts = np.concatenate(group_counts)
        eligible_pairs = int(counts.sum())
        low = (1 << _MASK_BITS) - 1
        for key, count in zip(keys.tolist(), counts.tolist(), strict=True):
            cands = prepared_requests[key >> _MASK_BITS]
            cands.mask_counts[key & low] = count
            cands.eligible += count
        kept = [np.concatenate(column) for column in zip(*kept_parts, strict=True)]
        kept_pairs = _fill_kept(problem, a, prepared_requests, *kept, current)
    return Prepared(problem, a.capacity.tolist(), [v.max_teams for v in vols],
                    prepared_requests, eligible_pairs, kept_pairs, int(examined.sum()),
                    PairSource(a, kmh, excluded, done, time.monotonic() - started))


def _fill_kept(problem: Problem, a: _Arrays, prepared_requests: list[RequestCandidates],
               rr: np.ndarray, vi: np.ndarray, km: np.ndarray, mask: np.ndarray,
               current: dict[int, set[int]]) -> int:
    """Confirm the kept pairs exactly and store them, per request ordered by distance.

    Only a pair whose numpy distance lies within 1e-9 of a limit can be judged
    differently by the checker's own arithmetic; those are recomputed with it.
    """
    order = np.lexsort((vi, km, rr))
    rr, vi, km, mask = rr[order], vi[order], km[order], mask[order]
    limit = np.minimum(a.v_max_km[vi], a.r_limit[rr])
    ok = km <= limit
    vols = problem.volunteers
    for j in np.nonzero(km > limit * (1 - 4 * _SLACK))[0].tolist():
        v, request = vols[vi[j]], problem.requests[rr[j]]
        exact = haversine_km(v.lat, v.lon, request.lat, request.lon)
        ok[j] = exact <= v.max_km and (request.max_km is None or exact <= request.max_km)
        km[j] = exact
    hours = a.r_hours[rr] + a.r_visits[rr] * 2.0 * km / problem.options.travel_kmh
    units = np.ceil(hours * LOAD_UNITS_PER_HOUR).astype(np.int64)
    ok &= units <= a.capacity[vi]
    kept_flag = np.zeros(len(rr), dtype=bool)
    kept_flag[_positions_of(rr, vi, [(r, v) for r, members in current.items()
                                     for v in members], len(vols))] = True
    rr, vi, km, mask, hours, units, kept_flag = (
        column[ok] for column in (rr, vi, km, mask, hours, units, kept_flag))
    bounds = np.searchsorted(rr, np.arange(len(prepared_requests) + 1)).tolist()
    columns = [column.tolist() for column in (vi, km, units, hours, mask, kept_flag)]
    for r, cands in enumerate(prepared_requests):
        lo, hi = bounds[r], bounds[r + 1]
        if lo == hi:
            continue
        (cands.volunteers, cands.km, cands.load, cands.hours, cands.mask,
         cands.kept) = (column[lo:hi] for column in columns)
    return len(rr)


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
