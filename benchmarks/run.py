"""City benchmark: greedy vs CP-SAT vs the proved bound, checked, timed, with peak memory.

Each instance runs in its own process (so peak memory is that instance's own):
parse, greedy, solve, then the independent checker on both results.

    python benchmarks/run.py --sizes small medium large --seed 1 --workers 2
    python benchmarks/run.py --problem city.json --time-limit 30
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

TIME_LIMITS = {"small": 10.0, "medium": 30.0, "large": 120.0}


def run_one(path: str, time_limit: float, workers: int) -> dict:
    from marketplace.matching import SolveOptions, check_result, greedy, load_problem, solve

    problem = load_problem(path)
    started = time.monotonic()
    baseline = greedy(problem)
    greedy_s = time.monotonic() - started
    started = time.monotonic()
    result = solve(problem, SolveOptions(time_limit_s=time_limit, workers=workers))
    solve_s = time.monotonic() - started
    violations = {
        "greedy": len(check_result(problem, baseline.to_json())),
        "solver": len(check_result(problem, result.to_json())),
    }
    bound = result.bound_priority_staffed
    return {
        "volunteers": len(problem.volunteers), "requests": len(problem.requests),
        "eligible_pairs": result.stats["eligible_pairs"],
        "kept_pairs": result.stats["candidate_pairs"],
        "greedy": baseline.score.priority_staffed, "greedy_s": greedy_s,
        "solver": result.score.priority_staffed, "bound": bound,
        "pct_of_bound": 100.0 * result.score.priority_staffed / bound if bound else 100.0,
        "kept_members": result.score.kept_members, "total_km": result.score.total_km,
        "greedy_km": baseline.score.total_km,
        "solve_s": solve_s, "prepare_s": result.stats["prepare_s"],
        "bound_s": result.stats["bound"]["total_s"], "status": result.status,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "violations": violations, "search": result.stats["search"],
    }


def _child(path: str, time_limit: float, workers: int) -> dict:
    completed = subprocess.run(
        [sys.executable, __file__, "--one", path, "--time-limit", str(time_limit),
         "--workers", str(workers)], capture_output=True, text=True, check=True)
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description="city benchmark for the matching engine")
    parser.add_argument("--sizes", nargs="*", default=[], choices=sorted(TIME_LIMITS))
    parser.add_argument("--problem", action="append", default=[], help="a problem JSON file")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, help="override the per-size limit")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.time_limit, args.workers)))
        return

    from generate import SIZES, generate

    print("| instance | volunteers | requests | eligible / kept pairs | greedy | solver | "
          "bound | % of bound | time s (prepare) | peak MB | violations g/s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    jobs = [(f"{size} seed {args.seed}", size, None) for size in args.sizes]
    jobs += [(os.path.basename(p), None, p) for p in args.problem]
    with tempfile.TemporaryDirectory() as tmp:
        for label, size, path in jobs:
            if size is not None:
                path = os.path.join(tmp, f"{size}.json")
                with open(path, "w") as handle:
                    volunteers, requests, city_km = SIZES[size]
                    json.dump(generate(volunteers, requests, args.seed, city_km), handle)
            limit = args.time_limit or TIME_LIMITS.get(size, 30.0)
            row = _child(path, limit, args.workers)
            v = row["violations"]
            print(f"| {label} | {row['volunteers']} | {row['requests']} | "
                  f"{row['eligible_pairs']} / {row['kept_pairs']} | {row['greedy']} | "
                  f"{row['solver']} | {row['bound']} | {row['pct_of_bound']:.2f} | "
                  f"{row['solve_s']:.1f} ({row['prepare_s']:.1f}) | {row['peak_mb']:.0f} | "
                  f"{v['greedy']}/{v['solver']} |", flush=True)
            print(f"<!-- {label}: {json.dumps(row)} -->", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
