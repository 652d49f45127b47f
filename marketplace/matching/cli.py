"""``python -m marketplace.matching solve|check|greedy|shortfall``; bad input exits 2, never a
traceback."""

from __future__ import annotations

import argparse
import json
import sys

from .check import check_result
from .engine import SolveOptions, greedy, solve
from .problem import ProblemError, load_json, load_problem
from .shortfall import shortfall

EXIT_OK, EXIT_VIOLATIONS, EXIT_BAD_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own exit code is 2 already; keep the text short
        self.print_usage(sys.stderr)
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be > 0, got {text}")
    return value


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m marketplace.matching",
                     description="Gongzhi matching engine: staff requests with volunteer teams.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    solve_cmd = commands.add_parser("solve", help="CP-SAT search with a proved bound")
    solve_cmd.add_argument("problem")
    solve_cmd.add_argument("--out", required=True)
    solve_cmd.add_argument("--time-limit", type=_positive_float, default=None,
                           help="seconds (default: options.time_limit_s, else 30)")
    solve_cmd.add_argument("--workers", type=_positive_int, default=None,
                           help="CP-SAT workers; 1 gives repeatable output")
    solve_cmd.add_argument("--seed", type=int, default=None)
    solve_cmd.add_argument("--progress", action="store_true", help="progress lines on stderr")
    greedy_cmd = commands.add_parser("greedy", help="the greedy baseline")
    greedy_cmd.add_argument("problem")
    greedy_cmd.add_argument("--out", required=True)
    check_cmd = commands.add_parser("check", help="validate a result; exit 1 on violations")
    check_cmd.add_argument("problem")
    check_cmd.add_argument("result")
    shortfall_cmd = commands.add_parser(
        "shortfall", help="recruitment targets for the open requests, verified by re-solving")
    shortfall_cmd.add_argument("problem")
    shortfall_cmd.add_argument("result")
    shortfall_cmd.add_argument("--out", help="also write the proposal as JSON")
    shortfall_cmd.add_argument("--time-limit", type=_positive_float, default=20.0,
                               help="seconds for the verifying re-solve (default 20)")
    shortfall_cmd.add_argument("--workers", type=_positive_int, default=2)
    shortfall_cmd.add_argument("--radius-km", type=_positive_float, default=3.0,
                               help="how far recruits may live from the requests they serve")
    return parser


def _write(path: str, data: dict) -> None:
    try:
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=1)
            handle.write("\n")
    except OSError as exc:
        raise ProblemError(f"output {path}: {exc.strerror or exc}") from None


def _print_progress(event: dict) -> None:
    print(json.dumps(event, ensure_ascii=False), file=sys.stderr, flush=True)


def _summary(result) -> str:
    score = result.score
    bound = result.bound_priority_staffed
    return (f"{result.status}: priority_staffed={score.priority_staffed}"
            f"{'' if bound is None else f' (bound {bound})'} kept_members={score.kept_members}"
            f" total_km={score.total_km:.1f} teams={len(result.teams)} open={len(result.open)}")


def _shortfall(problem, args) -> int:
    found = shortfall(problem, load_json(args.result, "result"), time_limit_s=args.time_limit,
                      workers=args.workers, radius_km=args.radius_km)
    for proposal in found.proposals:
        print(proposal.describe())
    print(f"{found.staffed} of {found.targeted} targeted open requests staffed when re-solved "
          f"with {sum(p.count for p in found.proposals)} proposed volunteers "
          f"({found.verification['violations']} violation(s))")
    if args.out:
        _write(args.out, found.to_json())
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        problem = load_problem(args.problem)
        if args.command == "check":
            violations = check_result(problem, load_json(args.result, "result"))
            for line in violations:
                print(line)
            print(f"{len(violations)} violation(s)", file=sys.stderr)
            return EXIT_VIOLATIONS if violations else EXIT_OK
        if args.command == "shortfall":
            return _shortfall(problem, args)
        if args.command == "greedy":
            result = greedy(problem)
        else:
            knobs = {"time_limit_s": args.time_limit, "seed": args.seed}
            if args.workers is not None:  # otherwise SolveOptions picks from the cores
                knobs["workers"] = args.workers
            result = solve(problem, SolveOptions(**knobs),
                           _print_progress if args.progress else None)
        _write(args.out, result.to_json())
        print(_summary(result), file=sys.stderr)
        return EXIT_OK
    except ProblemError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
