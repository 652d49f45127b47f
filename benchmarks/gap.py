"""Generalized assignment (OR-Library / Yagiura) instances through the matching engine.

Each instance becomes a problem: agents are volunteers whose weekly hours are the
capacity b[i], jobs are requests of team size 1 and equal priority, so staffing all
of them comes first and total cost second, exactly the GAP. Per-pair load w[i][j]
and cost c[i][j] cannot be said in the public JSON format (there load and distance
come from geography), so this reader uses the engine's internal
``prepare_from_pairs``: the cost is passed where the engine keeps a pair's km.
The answer is then re-checked here against the raw instance data (every job once,
no agent over capacity) before its cost is compared with bestknown.csv.

    python benchmarks/gap.py d10100 e20200 --time-limit 60 --workers 2
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from dataclasses import dataclass

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from marketplace.matching.eligibility import prepare_from_pairs
from marketplace.matching.engine import SolveOptions, solve_prepared
from marketplace.matching.problem import Options, Problem, Request, Volunteer

GAP_DIR = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "..", "shared",
                                        "bench", "gap"))


@dataclass(frozen=True)
class GapInstance:
    name: str
    cost: list[list[int]]  # cost[i][j], agent i, job j
    weight: list[list[int]]
    capacity: list[int]


def _read_instance(numbers: list[int], at: int, name: str) -> tuple[GapInstance, int]:
    m, n = numbers[at], numbers[at + 1]
    at += 2
    cost = [numbers[at + i * n: at + (i + 1) * n] for i in range(m)]
    at += m * n
    weight = [numbers[at + i * n: at + (i + 1) * n] for i in range(m)]
    at += m * n
    capacity = numbers[at: at + m]
    return GapInstance(name, cost, weight, capacity), at + m


def read_orlib(path: str) -> list[GapInstance]:
    """An OR-Library file: P instances. gapK -> gapK-i; gapa..gapd -> e.g. d05100."""
    with open(path) as handle:
        numbers = [int(x) for x in handle.read().split()]
    stem = os.path.splitext(os.path.basename(path))[0]
    instances, at = [], 1
    for index in range(numbers[0]):
        m, n = numbers[at], numbers[at + 1]
        name = f"{stem[-1]}{m:02d}{n}" if stem[-1] in "abcd" else f"{stem}-{index + 1}"
        instance, at = _read_instance(numbers, at, name)
        instances.append(instance)
    return instances


def read_yagiura(path: str) -> GapInstance:
    with open(path) as handle:
        numbers = [int(x) for x in handle.read().split()]
    return _read_instance(numbers, 0, os.path.basename(path))[0]


def find_instance(name: str) -> GapInstance:
    yagiura = os.path.join(GAP_DIR, "yagiura", name)
    if os.path.exists(yagiura):
        return read_yagiura(yagiura)
    stem = f"gap{name[0]}" if name[0] in "abcd" else name.split("-")[0]
    for instance in read_orlib(os.path.join(GAP_DIR, "orlib", f"{stem}.txt")):
        if instance.name == name:
            return instance
    raise SystemExit(f"unknown GAP instance {name!r}")


def best_known(name: str) -> int | None:
    with open(os.path.join(GAP_DIR, "bestknown.csv")) as handle:
        for row in csv.DictReader(handle):
            if row["name"] == name and row["sense"] == "min":
                return int(row["best"])
    return None


def to_problem(instance: GapInstance):
    m, n = len(instance.capacity), len(instance.cost[0])
    volunteers = tuple(
        Volunteer(id=f"agent{i}", lat=0.0, lon=0.0, hours_per_week=float(instance.capacity[i]),
                  max_km=1e9, skills=frozenset(), languages=frozenset(), social_worker=False,
                  slots=None, max_teams=n)
        for i in range(m))
    requests = tuple(
        Request(id=f"job{j}", lat=0.0, lon=0.0, team_size=1, hours_per_week=0.0,
                visits_per_week=0.0, skills=frozenset(), languages=frozenset(),
                needs_social_worker=False, slots=None, priority=1, max_km=None,
                current_team=(), exclude=frozenset())
        for j in range(n))
    problem = Problem(volunteers, requests, Options())
    pairs = [[(i, float(instance.cost[i][j]), float(instance.weight[i][j])) for i in range(m)]
             for j in range(n)]
    return prepare_from_pairs(problem, pairs)


def verify(instance: GapInstance, result) -> tuple[int | None, list[str]]:
    """Independent check on the raw data: every job once, capacities kept; the cost."""
    m, n = len(instance.capacity), len(instance.cost[0])
    agent_of: dict[int, int] = {}
    for team in result.teams:
        agent_of[int(team.request[3:])] = int(team.members[0][5:])
    problems = [f"job{j} unassigned" for j in range(n) if j not in agent_of]
    used = [0] * m
    for j, i in agent_of.items():
        used[i] += instance.weight[i][j]
    problems += [f"agent{i} over capacity" for i in range(m) if used[i] > instance.capacity[i]]
    cost = sum(instance.cost[i][j] for j, i in agent_of.items())
    return (None if problems else cost), problems


def run(name: str, time_limit: float, workers: int, seed: int) -> dict:
    instance = find_instance(name)
    prepared = to_problem(instance)
    started = time.monotonic()
    # Dense instances (every job fits every agent) want small neighbourhoods after half
    # the time in one whole CP-SAT model; the city defaults are tuned for sparse graphs.
    options = SolveOptions(time_limit_s=time_limit, workers=workers, seed=seed, bound=False,
                           neighbourhood_requests=20, sub_time_limit_s=0.3,
                           whole_model_share=0.5, full_model_max_pairs=40_000)
    result = solve_prepared(prepared, options)
    wall = time.monotonic() - started
    cost, problems = verify(instance, result)
    best = best_known(name)
    return {"name": name, "size": f"{len(instance.capacity)}x{len(instance.cost[0])}",
            "cost": cost, "best": best, "wall_s": wall, "violations": problems,
            "gap_pct": None if cost is None or not best else 100.0 * (cost - best) / best}


def main() -> None:
    parser = argparse.ArgumentParser(description="GAP benchmark through the matching engine")
    parser.add_argument("names", nargs="+", help="e.g. d05100 e20200 gap12-1 d10400")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print("| instance | m x n | cost | best known | gap % | time s | violations |")
    print("|---|---|---|---|---|---|---|")
    for name in args.names:
        row = run(name, args.time_limit, args.workers, args.seed)
        gap = "-" if row["gap_pct"] is None else f"{row['gap_pct']:.2f}"
        print(f"| {row['name']} | {row['size']} | {row['cost']} | {row['best']} | {gap} | "
              f"{row['wall_s']:.1f} | {len(row['violations'])} |", flush=True)


if __name__ == "__main__":
    main()
