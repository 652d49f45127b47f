"""Tiny problem builders for the matching engine tests (no Flask, no database)."""

from __future__ import annotations

import copy

from marketplace.matching import check_result, parse_problem

# Karamay: about 0.009 degrees of latitude per km.
BASE = (45.59, 84.87)
DEG_PER_KM_LAT = 1 / 111.195


def at_km(north_km: float) -> dict:
    return {"lat": round(BASE[0] + north_km * DEG_PER_KM_LAT, 9), "lon": BASE[1]}


def volunteer(vid: str, km: float = 0.0, **fields) -> dict:
    data = {"id": vid, **at_km(km), "hours_per_week": 10, "max_km": 5.0,
            "skills": ["daily_care"], "languages": ["zh"], "social_worker": False}
    data.update(fields)
    return data


def request(rid: str, km: float = 0.0, **fields) -> dict:
    data = {"id": rid, **at_km(km), "team_size": 1, "hours_per_week": 1,
            "skills": ["daily_care"], "priority": 3}
    data.update(fields)
    return data


def problem_dict(volunteers: list[dict], requests: list[dict], **options) -> dict:
    return {"version": 1, "volunteers": copy.deepcopy(volunteers),
            "requests": copy.deepcopy(requests), "options": {"travel_kmh": 15, **options}}


def teams_of(result) -> dict[str, tuple[str, ...]]:
    return {t.request: tuple(sorted(t.members)) for t in result.teams}


def assert_valid(problem, result) -> None:
    violations = check_result(problem, result.to_json())
    assert violations == []


def build(volunteers: list[dict], requests: list[dict], **options):
    return parse_problem(problem_dict(volunteers, requests, **options))
