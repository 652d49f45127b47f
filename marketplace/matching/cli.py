"""``python -m marketplace.matching solve|check|greedy|shortfall``; bad input exits 2, never a
traceback."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Callable

from .check import check_result
from .engine import SolveOptions, greedy, solve
from .problem import BOUNDS, Bounds, ProblemError, load_json, load_problem
from .shortfall import shortfall

EXIT_OK, EXIT_VIOLATIONS, EXIT_BAD_INPUT = 0, 1, 2
# More CP-SAT workers than this only thrash a machine; not a field of the format.
WORKERS = Bounds(1, 64, integer=True)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, like every other bad input
        print(f"error: {message} (see {self.prog} --help)", file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)


def _within(bounds: Bounds) -> Callable[[str], float]:
    """An argparse type holding a command-line number to the same bounds as the format."""
    def convert(text: str) -> float:
        try:
            value = int(text) if bounds.integer else float(text)
        except ValueError:
            kind = "an integer" if bounds.integer else "a number"
            raise argparse.ArgumentTypeError(f"expected {kind}, got {text[:40]!r}") from None
        try:
            return bounds.read(value)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    return convert


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m marketplace.matching",
                     description="Gongzhi matching engine: staff requests with volunteer teams.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    solve_cmd = commands.add_parser("solve", help="CP-SAT search with a proved bound")
    solve_cmd.add_argument("problem")
    solve_cmd.add_argument("--out", required=True)
    solve_cmd.add_argument("--time-limit", type=_within(BOUNDS["options", "time_limit_s"]),
                           default=None, help="seconds (default: options.time_limit_s, else 30)")
    solve_cmd.add_argument("--workers", type=_within(WORKERS), default=None,
                           help="CP-SAT workers; 1 gives repeatable output")
    solve_cmd.add_argument("--seed", type=_within(BOUNDS["options", "seed"]), default=None)
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
    shortfall_cmd.add_argument("--time-limit", type=_within(BOUNDS["options", "time_limit_s"]),
                               default=20.0, help="seconds for the verifying re-solve (default 20)")
    shortfall_cmd.add_argument("--workers", type=_within(WORKERS), default=2)
    shortfall_cmd.add_argument("--radius-km", type=_within(BOUNDS["volunteer", "max_km"]),
                               default=3.0,
                               help="how far recruits may live from the requests they serve")
    return parser


def _write(path: str, data: dict) -> None:
    """Write the result whole or not at all: a temporary file, then one rename over PATH."""
    payload = (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    try:
        handle, temporary = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)),
                                             prefix=".result-", suffix=".tmp")
        try:
            umask = os.umask(0)
            os.umask(umask)
            os.fchmod(handle, 0o666 & ~umask)  # as open() would create it, not mkstemp's 0600
            with os.fdopen(handle, "wb") as out:
                out.write(payload)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
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
