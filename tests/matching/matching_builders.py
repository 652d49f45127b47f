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


def random_problem_dict(seed: int, volunteers: int = 60, requests: int = 40) -> dict:
    """A small seeded neighbourhood with every rule in play."""
    import random

    rng = random.Random(seed)
    skills = ["daily_care", "psych_support", "nursing", "legal_aid", "escort"]
    slots = ["mon_am", "mon_pm", "tue_am", "wed_pm", "fri_am", "sat_pm"]
    vols = []
    for i in range(volunteers):
        vols.append(volunteer(
            f"v{i}", rng.uniform(0, 3), hours_per_week=rng.choice([2, 3, 4, 6]),
            max_km=rng.choice([1.0, 2.0, 3.0]), skills=rng.sample(skills, rng.randint(1, 2)),
            languages=["zh", "ug"] if rng.random() < 0.25 else ["zh"],
            social_worker=rng.random() < 0.08, slots=rng.sample(slots, 3),
            max_teams=rng.choice([1, 2, 3])))
    reqs = []
    for i in range(requests):
        size = rng.choice([1, 1, 3])
        fields = {"team_size": size, "hours_per_week": rng.choice([1, 1.5, 2]),
                  "skills": rng.sample(skills, 2 if size == 3 else 1),
                  "priority": rng.randint(1, 5), "slots": rng.sample(slots, 3)}
        if rng.random() < 0.2:
            fields["languages"] = ["ug"]
        if size == 3 and rng.random() < 0.3:
            fields["needs_social_worker"] = True
        if rng.random() < 0.2:
            fields["current_team"] = [f"v{j}" for j in rng.sample(range(volunteers), size)]
        elif rng.random() < 0.1:
            fields["exclude"] = [f"v{rng.randrange(volunteers)}"]
        reqs.append(request(f"h{i}", rng.uniform(0, 3), **fields))
    return problem_dict(vols, reqs, seed=seed)
