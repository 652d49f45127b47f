"""Seeded generator of Karamay-like city instances in the matching JSON format.

Communities (社区) are scattered around Karamay district (45.59 N, 84.87 E); by
default the city's area grows with the instance so that density stays as in a
sparse suburb. ``--city-km`` fixes the radius instead: a compact city at real urban
density (``--size dense``: 20,000 volunteers and 11,000 requests within 4.6 km, more
than 2,000 eligible volunteers per request; ``--size dense40k``: twice that city at
the same density). ``--all-eligible`` puts everyone in one neighbourhood with no
slot rules, so every volunteer can serve every request. Volunteers and households
sit around their community's centre. Shares follow the brief: ~18 % of volunteers
speak Uyghur and 5 % Kazakh (more in some communities), households need ug 15 % /
kk 4 %; certified social workers are scarce (~0.7 %) while ~10 % of the 311
quasi-family requests (team of 3) need one; some requests already have a team.

    python benchmarks/generate.py --volunteers 3000 --requests 1700 --seed 1 --out city.json
    python benchmarks/generate.py --size dense --seed 1 --out dense.json
    python benchmarks/generate.py --volunteers 3000 --requests 3000 --all-eligible --out all.json
"""

from __future__ import annotations

import argparse
import json
import math
import random

CENTRE = (45.59, 84.87)
KM_PER_DEG_LAT = 111.2
COMMON_SKILLS = ["daily_care", "psych_support", "housekeeping", "meal_delivery", "escort",
                 "culture", "repair", "tutoring"]
RARE_SKILLS = ["nursing", "rehab", "legal_aid", "counseling"]
# Radius of the compact city: Karamay's built-up district at its real density.
DENSE_CITY_KM = 4.6
SLOTS = [f"{d}_{h}" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
         for h in ("am", "pm")]

SIZES = {  # name: (volunteers, requests, city radius in km or None to grow with size)
    "small": (500, 300, None),
    "medium": (3000, 1700, None),
    "large": (20000, 11000, None),
    "dense": (20000, 11000, DENSE_CITY_KM),
    "dense40k": (40000, 22000, DENSE_CITY_KM * math.sqrt(2)),
}


def _offset(rng: random.Random, centre: tuple[float, float], spread_km: float):
    angle = rng.random() * 2 * math.pi
    dist = spread_km * math.sqrt(rng.random())
    lat = centre[0] + dist * math.cos(angle) / KM_PER_DEG_LAT
    lon = centre[1] + dist * math.sin(angle) / (KM_PER_DEG_LAT * math.cos(math.radians(centre[0])))
    return round(lat, 6), round(lon, 6)


def _skills(rng: random.Random, count: int) -> list[str]:
    chosen: set[str] = set()
    while len(chosen) < count:
        pool = RARE_SKILLS if rng.random() < 0.2 else COMMON_SKILLS
        chosen.add(rng.choice(pool))
    return sorted(chosen)


def generate(volunteers: int, requests: int, seed: int, city_km: float | None = None,
             all_eligible: bool = False) -> dict:
    rng = random.Random(seed)
    n_communities = max(4, volunteers // 120)
    if all_eligible:
        city_km = 0.0
    elif city_km is None:
        city_km = 2.5 * math.sqrt(n_communities)
    communities = []
    for _ in range(n_communities):
        centre = _offset(rng, CENTRE, city_km)
        ug_share = min(0.6, rng.expovariate(1 / 0.18))  # Uyghur neighbourhoods cluster
        kk_share = min(0.3, rng.expovariate(1 / 0.05))
        communities.append((centre, ug_share, kk_share))

    vols = []
    for i in range(volunteers):
        centre, ug_share, kk_share = rng.choice(communities)
        lat, lon = _offset(rng, centre, 1.2)
        languages = ["zh"] if rng.random() < 0.95 else []
        if rng.random() < ug_share:
            languages.append("ug")
        if rng.random() < kk_share:
            languages.append("kk")
        if rng.random() < 0.05:
            languages.append("en")
        if rng.random() < 0.01:
            languages.append("mn")
        volunteer = {
            "id": f"v{i}", "lat": lat, "lon": lon,
            "hours_per_week": rng.choice([2, 3, 4, 4, 5, 6, 6, 8, 10]),
            "max_km": rng.choice([1.0, 1.5, 2.0, 2.0, 2.5, 3.0]),
            "skills": _skills(rng, rng.choice([1, 1, 2, 2, 3])),
            "languages": languages or ["zh"],
            "social_worker": rng.random() < 0.007,
        }
        if rng.random() < 0.7:
            volunteer["slots"] = sorted(rng.sample(SLOTS, rng.randint(3, 7)))
        if rng.random() < 0.6:
            volunteer["max_teams"] = rng.choice([1, 2, 2, 3])
        vols.append(volunteer)

    by_community: dict[int, list[int]] = {}
    reqs = []
    for i in range(requests):
        c = rng.randrange(n_communities)
        centre, ug_share, kk_share = communities[c]
        lat, lon = _offset(rng, centre, 1.2)
        quasi_family = rng.random() < 0.3
        request = {
            "id": f"h{i}", "lat": lat, "lon": lon,
            "team_size": 3 if quasi_family else 1,
            "hours_per_week": rng.choice([1, 1.5, 2] if quasi_family else [1, 1.5, 2, 2.5, 3]),
            "visits_per_week": rng.choice([1, 1, 2]),
            "skills": _skills(rng, 2 if quasi_family else 1),
            "priority": rng.choices([1, 2, 3, 4, 5], weights=[15, 25, 30, 20, 10])[0],
        }
        roll = rng.random()
        if roll < 0.15 * ug_share / 0.18:
            request["languages"] = ["ug"]
        elif roll < 0.15 * ug_share / 0.18 + 0.04 * kk_share / 0.05:
            request["languages"] = ["kk"]
        if quasi_family and rng.random() < 0.10:
            request["needs_social_worker"] = True
        if rng.random() < 0.6:
            request["slots"] = sorted(rng.sample(SLOTS, rng.randint(3, 6)))
        if rng.random() < 0.5:
            request["max_km"] = rng.choice([1.5, 2.0, 2.5, 3.0])
        by_community.setdefault(c, []).append(i)
        reqs.append(request)

    _add_history(rng, vols, reqs)
    if all_eligible:
        _make_all_eligible(vols, reqs)
    return {"version": 1, "volunteers": vols, "requests": reqs,
            "options": {"travel_kmh": 15, "seed": seed}}


def _add_history(rng: random.Random, vols: list[dict], reqs: list[dict]) -> None:
    """Existing teams (some members since moved away or busy) and past refusals."""
    cell = 0.02  # degrees, about 2 km
    grid: dict[tuple[int, int], list[int]] = {}
    for i, v in enumerate(vols):
        grid.setdefault((int(v["lat"] / cell), int(v["lon"] / cell)), []).append(i)
    for request in reqs:
        key = (int(request["lat"] / cell), int(request["lon"] / cell))
        near = [i for di in (-1, 0, 1) for dj in (-1, 0, 1)
                for i in grid.get((key[0] + di, key[1] + dj), [])]
        if len(near) < 4:
            continue
        picks = rng.sample(near, min(len(near), request["team_size"] + 1))
        if rng.random() < 0.15:
            request["current_team"] = [vols[i]["id"] for i in picks[:request["team_size"]]]
        elif rng.random() < 0.05:
            request["exclude"] = [vols[picks[-1]]["id"]]


def _make_all_eligible(vols: list[dict], reqs: list[dict]) -> None:
    """Everyone lives within 2.4 km of everyone: reach, time and slots never exclude."""
    for volunteer in vols:
        volunteer["max_km"] = 5.0
        volunteer["hours_per_week"] = max(volunteer["hours_per_week"], 4)
        volunteer.pop("slots", None)
    for request in reqs:
        for key in ("slots", "max_km", "exclude"):
            request.pop(key, None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), help="preset size")
    parser.add_argument("--volunteers", type=int)
    parser.add_argument("--requests", type=int)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--city-km", type=float,
                        help="radius of the city in km (default: grows with the size)")
    parser.add_argument("--all-eligible", action="store_true",
                        help="one neighbourhood, no slots: every pair is eligible")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    if args.size:
        volunteers, requests, city_km = SIZES[args.size]
    else:
        volunteers, requests, city_km = args.volunteers, args.requests, None
    if args.city_km is not None:
        city_km = args.city_km
    data = generate(volunteers, requests, args.seed, city_km, args.all_eligible)
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump(data, handle)


if __name__ == "__main__":
    main()
