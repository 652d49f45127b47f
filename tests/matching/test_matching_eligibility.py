"""The numpy preparation against a pair-by-pair reading of the format's rules."""

from __future__ import annotations

import random

import pytest
from matching_builders import random_problem_dict

from marketplace.matching import parse_problem
from marketplace.matching.eligibility import (
    DEFAULT_KEEP_PER_MASK,
    budget_units,
    load_units,
    pair_load_hours,
    prepare,
    requirement_bits,
)
from marketplace.matching.geo import haversine_km


def brute_force(problem):
    """Per request: {volunteer index: (km, requirement mask)} of every eligible pair."""
    eligible = []
    for r in problem.requests:
        bits = requirement_bits(r)
        pairs = {}
        for vi, v in enumerate(problem.volunteers):
            km = haversine_km(v.lat, v.lon, r.lat, r.lon)
            if km > v.max_km or (r.max_km is not None and km > r.max_km):
                continue
            if r.slots is not None and not (r.slots if v.slots is None else r.slots & v.slots):
                continue
            if v.id in r.exclude or v.max_teams < 1:
                continue
            hours = pair_load_hours(r, km, problem.options.travel_kmh)
            if load_units(hours) > budget_units(v.hours_per_week):
                continue
            mask = 0
            for bit, name in enumerate(bits):
                kind, _, what = name.partition(" ")
                held = (what in v.skills if kind == "skill" else
                        bool(v.languages & r.languages) if kind == "language" else
                        v.social_worker)
                mask |= held << bit
            pairs[vi] = (km, mask)
        eligible.append(pairs)
    return eligible


def spread_problem(seed: int, degrees: float = 0.05) -> dict:
    """Volunteers and requests over 12 km, so reach and blocks really cut."""
    data = random_problem_dict(seed, volunteers=300, requests=150)
    rng = random.Random(seed)
    for record in data["volunteers"] + data["requests"]:
        record["lat"] += rng.uniform(-degrees, degrees)
        record["lon"] += rng.uniform(-1.4 * degrees, 1.4 * degrees)
    return data


def far_north_problem(seed: int) -> dict:
    """Mohe-like latitude and rural reach: where a flat-earth shortcut would drift."""
    data = spread_problem(seed, degrees=0.3)
    for record in data["volunteers"] + data["requests"]:
        record["lat"] += 7.4
    for record in data["volunteers"]:
        record["max_km"] = record["max_km"] * 12
    return data


@pytest.mark.parametrize("data", [random_problem_dict(11), spread_problem(12),
                                  spread_problem(13), far_north_problem(14)])
def test_prepare_finds_every_eligible_pair_and_keeps_the_nearest(data):
    problem = parse_problem(data)
    prepared = prepare(problem)
    truth = brute_force(problem)
    index = problem.volunteer_index()
    assert prepared.eligible_pairs == sum(map(len, truth))
    for r, (cands, pairs) in enumerate(zip(prepared.requests, truth, strict=True)):
        request = problem.requests[r]
        assert cands.eligible == len(pairs)
        counts: dict[int, int] = {}
        for _, mask in pairs.values():
            counts[mask] = counts.get(mask, 0) + 1
        assert cands.mask_counts == counts
        kept = set(cands.volunteers)
        for j, vi in enumerate(cands.volunteers):
            assert vi in pairs
            assert cands.km[j] == pytest.approx(pairs[vi][0], abs=1e-9)
            assert cands.mask[j] == pairs[vi][1]
            assert cands.kept[j] == (problem.volunteers[vi].id in request.current_team)
        assert cands.km == sorted(cands.km)
        for mask in counts:
            if request.team_size == 1 and mask != cands.full_mask:
                continue
            nearest = sorted((km, vi) for vi, (km, m) in pairs.items() if m == mask)
            assert {vi for _, vi in nearest[:DEFAULT_KEEP_PER_MASK]} <= kept
        current = {index[m] for m in request.current_team}
        assert current & set(pairs) <= kept
