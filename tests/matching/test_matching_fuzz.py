"""Fuzzing the engine's doors: whatever JSON comes in, the answer is a refusal naming the
record (ProblemError, exit 2) or a valid result, never a traceback."""

from __future__ import annotations

import contextlib
import copy
import io
import json
import math
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matching_builders import problem_dict, request, volunteer

from marketplace.matching import (
    ProblemError,
    SolveOptions,
    check_result,
    greedy,
    parse_problem,
    solve,
)
from marketplace.matching.cli import main
from marketplace.matching.problem import BOUNDS, parse_json

# Bounded so the whole module runs in a few seconds within `make test`.
FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

FIELDS = sorted({key for _, key in BOUNDS} | {
    "id", "version", "volunteers", "requests", "options", "skills", "languages", "slots",
    "social_worker", "needs_social_worker", "current_team", "exclude", "status", "solver",
    "teams", "open", "score", "bound", "stats", "request", "members", "reason", "reasons"})

# Any character, unpaired surrogates, controls and bidi overrides included.
TEXT = st.text(st.characters(exclude_categories=()), max_size=12)
EXTREMES = st.sampled_from([
    0, -1, 1, 0.5, 3, 1e-300, 1e308, -1e308, 2**31, 2**40, 10**20, 10**400, math.nan,
    math.inf, -math.inf, True, False, None, "", " ", "\ud800", "\u202e", "v1", "h1",
    "daily_care", "mon_am", "zh", "OPTIMAL", [], {}, ["v1"], ["v1", "v1"], ["daily_care"],
    [[["deep"]]], {"v1": "x"},
] + [b.low for b in BOUNDS.values()] + [b.high for b in BOUNDS.values()]
  + [b.high + 1 for b in BOUNDS.values()])
SCALARS = (st.none() | st.booleans() | st.integers() | st.floats() | TEXT | EXTREMES
           | st.sampled_from(FIELDS))
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.sampled_from(FIELDS) | TEXT, inner, max_size=4),
    max_leaves=12,
)




def _in_range(bounds) -> st.SearchStrategy:
    if bounds.integer:
        return st.integers(int(bounds.low), int(bounds.high))
    return st.sampled_from([bounds.low, bounds.high]) | st.floats(
        bounds.low, bounds.high, exclude_min=bounds.low_open).filter(
        lambda value: value > bounds.low or not bounds.low_open)


# Half the time a number field gets a value the parser accepts, so the engine behind it
# meets the extremes of every range too.
IN_RANGE = {key: _in_range(bounds) for (_, key), bounds in reversed(BOUNDS.items())}


def _base_problem() -> dict:
    """A small problem with every optional field present, so mutations reach them all."""
    return problem_dict(
        [volunteer("v1", slots=["mon_am", "tue_am"], max_teams=2),
         volunteer("v2", 0.5, skills=["daily_care", "nursing"], languages=["zh", "ug"],
                   social_worker=True),
         volunteer("v3", 1.0)],
        [request("h1", team_size=2, visits_per_week=2, languages=["ug"],
                 needs_social_worker=True, slots=["mon_am"], max_km=3.0, current_team=["v2"],
                 exclude=["v3"]),
         request("h2", 0.3, priority=5)],
        time_limit_s=1, seed=0,
    )


BASE_PROBLEM = _base_problem()
BASE_RESULT = greedy(parse_problem(BASE_PROBLEM)).to_json()
assert BASE_RESULT["teams"] and check_result(parse_problem(BASE_PROBLEM), BASE_RESULT) == []


def _slots(data) -> list[tuple]:
    """Every (container, key or index) inside ``data``, and (container, None) to add one."""
    found, stack = [], [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict | list):
            keys = list(item) if isinstance(item, dict) else range(len(item))
            found += [(item, key) for key in keys] + [(item, None)]
            stack.extend(item.values() if isinstance(item, dict) else item)
    return found


@st.composite
def mutated(draw, base: dict) -> dict:
    """``base`` with one to three fields replaced, removed or added, anywhere in it."""
    data = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 3))):
        target, key = draw(st.sampled_from(_slots(data)))
        if key in IN_RANGE and draw(st.booleans()):
            value = draw(IN_RANGE[key])
        else:
            value = copy.deepcopy(draw(EXTREMES | JSON))  # never alias the shared samples
        if key is None and isinstance(target, dict):
            target[draw(st.sampled_from(FIELDS) | TEXT)] = value
        elif key is None:
            target.append(value)
        elif draw(st.integers(0, 4)) == 0:
            del target[key]
        else:
            target[key] = value
    return data


@st.composite
def in_range(draw, base: dict) -> dict:
    """``base`` with any of its numbers moved anywhere within their bounds."""
    data = copy.deepcopy(base)
    for target, key in _slots(data):
        if key in IN_RANGE and isinstance(target, dict) and draw(st.booleans()):
            target[key] = draw(IN_RANGE[key])
    return data


def _parse_or_refuse(data):
    try:
        return parse_problem(data)
    except ProblemError as exc:
        assert "\n" not in str(exc)
        return None


def _assert_check_answers(problem, result) -> None:
    try:
        violations = check_result(problem, result)
    except ProblemError as exc:
        assert "\n" not in str(exc)
        return
    assert isinstance(violations, list)
    assert all(isinstance(line, str) and "\n" not in line for line in violations)
    if not violations:  # what check accepts has a finite, in-range score
        json.dumps([result["score"], result.get("bound")], allow_nan=False)
        assert all(0 <= value <= BOUNDS["score", key].high
                   for key, value in result["score"].items())


@FUZZ
@given(JSON)
def test_the_parser_refuses_or_accepts_any_json(data):
    _parse_or_refuse(data)


@FUZZ
@given(mutated(BASE_PROBLEM) | in_range(BASE_PROBLEM))
def test_a_mutated_problem_is_refused_or_gives_a_valid_result(data):
    problem = _parse_or_refuse(data)
    if problem is not None:
        assert check_result(problem, greedy(problem).to_json()) == []


@settings(FUZZ, max_examples=25)
@given(in_range(BASE_PROBLEM))
def test_cp_sat_solves_whatever_the_parser_accepts(data):
    problem = _parse_or_refuse(data)
    if problem is not None:
        result = solve(problem, SolveOptions(time_limit_s=0.2, workers=1))
        assert check_result(problem, result.to_json()) == []


@settings(FUZZ, max_examples=300)
@given(JSON | mutated(BASE_RESULT))
def test_check_refuses_or_lists_violations_for_any_result(result):
    _assert_check_answers(parse_problem(BASE_PROBLEM), result)


TOKENS = st.sampled_from([
    "{", "}", "[", "]", ":", ",", '"id"', '"v1"', '"version"', "1", "-0", "1e308", "1e999",
    "NaN", "Infinity", "9" * 30, "1" + "0" * 5000, '"\\ud800"', '"\\u0000"', "true", "null",
    " ", "\n", '"', "\\", "[" * 2000, "]" * 2000,
])
TEXTS = (st.lists(TOKENS, max_size=30).map("".join)
         | st.builds(lambda text, at, insert: text[:at] + insert + text[at:],
                     st.just(json.dumps(BASE_PROBLEM)), st.integers(0, 2000),
                     st.lists(TOKENS, min_size=1, max_size=4).map("".join)))


@FUZZ
@given(TEXTS)
def test_the_loader_refuses_or_decodes_any_text(text):
    try:
        parse_json(text, "problem")
    except ProblemError as exc:
        assert "\n" not in str(exc)


def _run_main(*args: str) -> tuple[int, str]:
    errors = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(errors):
        code = main(list(args))
    return code, errors.getvalue()


@settings(FUZZ, max_examples=60)
@given(TEXTS | JSON.map(json.dumps) | mutated(BASE_PROBLEM).map(json.dumps),
       JSON.map(json.dumps) | mutated(BASE_RESULT).map(json.dumps))
def test_the_command_line_exits_0_1_or_2_and_never_raises(problem_text, result_text):
    with tempfile.TemporaryDirectory() as folder:
        problem, result, out = (Path(folder) / name for name in ("p.json", "r.json", "o.json"))
        problem.write_text(problem_text, encoding="utf-8", errors="surrogatepass")
        result.write_text(result_text, encoding="utf-8", errors="surrogatepass")
        code, errors = _run_main("check", str(problem), str(result))
        assert code in (0, 1, 2)
        if code == 2:
            assert len(errors.strip().splitlines()) == 1, errors
        code, errors = _run_main("greedy", str(problem), "--out", str(out))
        if code == 2:
            assert len(errors.strip().splitlines()) == 1, errors
            assert not out.exists()
        else:
            assert code == 0
            assert _run_main("check", str(problem), str(out))[0] == 0
