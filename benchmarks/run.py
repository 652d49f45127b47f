"""City benchmark: both greedies vs CP-SAT vs the proved bound, checked, timed, peak memory.

Each instance and time limit runs in its own process (so peak memory is that run's
own): parse, the earlier "nearest" greedy, the regret greedy, solve, the independent
checker on both public results, and optionally the shortfall proposal verified.

    python benchmarks/run.py --sizes small medium large --seed 1 --workers 2
    python benchmarks/run.py --sizes dense --time-limits 30 120 600 --shortfall
    python benchmarks/run.py --problem city.json --time-limits 30
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)

TIME_LIMITS = {"small": 10.0, "medium": 30.0, "large": 120.0, "dense": 120.0,
               "dense40k": 120.0}


def run_one(path: str, time_limit: float, workers: int, shortfall_limit: float | None) -> dict:
    from marketplace.matching import (
        SolveOptions,
        check_result,
        greedy,
        load_problem,
        shortfall,
        solve,
    )
    from marketplace.matching.eligibility import prepare
    from marketplace.matching.greedy import greedy_assignment
    from marketplace.matching.result import assignment_score

    problem = load_problem(path)
    prepared = prepare(problem)
    nearest = assignment_score(prepared, greedy_assignment(prepared, strategy="nearest"))
    del prepared
    baseline = greedy(problem)
    started = time.monotonic()
    result = solve(problem, SolveOptions(time_limit_s=time_limit, workers=workers))
    solve_s = time.monotonic() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    data = result.to_json()
    violations = {"greedy": len(check_result(problem, baseline.to_json())),
                  "solver": len(check_result(problem, data))}
    bound = result.bound_priority_staffed
    row = {
        "volunteers": len(problem.volunteers), "requests": len(problem.requests),
        "eligible_pairs": result.stats["eligible_pairs"],
        "kept_pairs": result.stats["candidate_pairs"],
        "examined": result.stats["examined_requests"],
        "greedy_nearest": nearest.priority_staffed,
        "greedy": baseline.score.priority_staffed,
        # The warm start on what this run prepared (the floor of its answer).
        "greedy_prepared": result.stats["greedy_score"]["priority_staffed"],
        "greedy_kept": baseline.score.kept_members, "greedy_km": baseline.score.total_km,
        "solver": result.score.priority_staffed, "bound": bound,
        "pct_of_bound": 100.0 * result.score.priority_staffed / bound if bound else 100.0,
        "kept_members": result.score.kept_members, "total_km": result.score.total_km,
        "time_limit": time_limit, "solve_s": solve_s,
        "prepare_s": result.stats["prepare_s"],
        "search_s": result.stats["search"]["search_s"],
        "bound_s": result.stats["bound"]["total_s"], "status": result.status,
        "status_detail": result.stats["status_detail"], "peak_mb": peak_mb,
        "violations": violations, "search": result.stats["search"],
    }
    if shortfall_limit is not None:
        found = shortfall(problem, data, time_limit_s=shortfall_limit, workers=workers)
        row["shortfall"] = {"open": found.open_requests, "targeted": found.targeted,
                            "staffed": found.staffed,
                            "recruits": sum(p.count for p in found.proposals),
                            "proposals": len(found.proposals),
                            "violations": found.verification["violations"],
                            "examples": [p.describe() for p in found.proposals[:3]]}
    return row


def _child(path: str, time_limit: float, workers: int, shortfall_limit: float | None) -> dict:
    command = [sys.executable, __file__, "--one", path, "--time-limits", str(time_limit),
               "--workers", str(workers)]
    if shortfall_limit is not None:
        command += ["--shortfall-limit", str(shortfall_limit)]
    completed = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _load() -> str:
    return f"{os.getloadavg()[0]:.1f}"  # one-minute load average


def main() -> None:
    parser = argparse.ArgumentParser(description="city benchmark for the matching engine")
    parser.add_argument("--sizes", nargs="*", default=[], choices=sorted(TIME_LIMITS))
    parser.add_argument("--problem", action="append", default=[], help="a problem JSON file")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limits", type=float, nargs="*",
                        help="run each instance at each of these limits (default: per size)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--shortfall", action="store_true",
                        help="also propose recruits for the open requests and verify them")
    parser.add_argument("--shortfall-limit", type=float, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.time_limits[0], args.workers,
                                 args.shortfall_limit)))
        return

    from generate import SIZES, generate

    print("| instance | limit s | eligible / kept pairs | requests prepared "
          "| greedy nearest / regret / on prepared | solver | bound | % of bound "
          "| kept members g/s | km g/s | wall s (prepare, search) | peak MB | violations g/s "
          "| load before → after |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    jobs = [(f"{size} seed {args.seed}", size, None) for size in args.sizes]
    jobs += [(os.path.basename(p), None, p) for p in args.problem]
    with tempfile.TemporaryDirectory() as tmp:
        for label, size, path in jobs:
            if size is not None:
                path = os.path.join(tmp, f"{size}.json")
                volunteers, requests, city_km = SIZES[size]
                with open(path, "w") as handle:
                    json.dump(generate(volunteers, requests, args.seed, city_km), handle)
            for limit in args.time_limits or [TIME_LIMITS.get(size, 30.0)]:
                before = _load()
                row = _child(path, limit, args.workers, 20.0 if args.shortfall else None)
                after = _load()
                v = row["violations"]
                print(f"| {label} | {limit:g} | {row['eligible_pairs']} / {row['kept_pairs']} | "
                      f"{row['examined']} of {row['requests']} | "
                      f"{row['greedy_nearest']} / {row['greedy']} / {row['greedy_prepared']} | "
                      f"{row['solver']} | {row['bound']} | {row['pct_of_bound']:.2f} | "
                      f"{row['greedy_kept']} / {row['kept_members']} | "
                      f"{row['greedy_km']:.0f} / {row['total_km']:.0f} | "
                      f"{row['solve_s']:.1f} ({row['prepare_s']:.1f}, {row['search_s']:.1f}) | "
                      f"{row['peak_mb']:.0f} | {v['greedy']}/{v['solver']} | "
                      f"{before} → {after} |", flush=True)
                print(f"<!-- {label} @ {limit:g} s, load {before} -> {after}: "
                      f"{json.dumps(row)} -->", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
