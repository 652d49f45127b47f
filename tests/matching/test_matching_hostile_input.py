"""Hostile input on the command line: exit 2, one line naming the record, never a traceback."""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from matching_builders import problem_dict, request, volunteer

from marketplace.matching import ProblemError, check_result, greedy, parse_problem
from marketplace.matching.cli import _write as write_result
from marketplace.matching.problem import BOUNDS, parse_json

ROOT = Path(__file__).resolve().parents[2]


def _problem() -> dict:
    return problem_dict([volunteer("v1"), volunteer("v2", 0.5)],
                        [request("h1"), request("h2", 0.2)])


def _run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "marketplace.matching", *args],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)


def _assert_refused(completed: subprocess.CompletedProcess, record: str) -> None:
    assert "Traceback" not in completed.stderr, completed.stderr
    assert completed.returncode == 2, completed.stderr
    lines = completed.stderr.strip().splitlines()
    assert len(lines) == 1, completed.stderr
    assert record in lines[0], lines[0]


def _with_literal(data: dict, path: tuple, literal: str) -> str:
    """The problem as JSON text with ``literal`` written verbatim at ``path``."""
    marker = "__literal__"
    target = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = marker
    return json.dumps(data).replace(json.dumps(marker), literal)


PROBLEM_ATTACKS = {
    "400-digit integer": ((("volunteers", 0, "hours_per_week"), "9" * 400),
                          "volunteers[0].hours_per_week"),
    "400-digit integer in an integer field": ((("requests", 0, "team_size"), "9" * 400),
                                              "requests[0].team_size"),
    "5,000-digit integer": ((("requests", 1, "priority"), "1" + "0" * 4999),
                            "requests[1].priority"),
    "100,000-deep nesting": ((("requests", 0, "skills"), "[" * 100_000 + "]" * 100_000),
                             "requests[0].skills"),
    "volunteer hours_per_week 1e308": ((("volunteers", 1, "hours_per_week"), "1e308"),
                                       "volunteers[1].hours_per_week"),
    "request hours_per_week 1e308": ((("requests", 0, "hours_per_week"), "1e308"),
                                     "requests[0].hours_per_week"),
    "visits_per_week 1e308": ((("requests", 0, "visits_per_week"), "1e308"),
                              "requests[0].visits_per_week"),
    "time_limit_s 1e308": ((("options", "time_limit_s"), "1e308"), "options.time_limit_s"),
    "seed 2**40 in options": ((("options", "seed"), str(2**40)), "options.seed"),
    "lone surrogate in an id": ((("volunteers", 0, "id"), '"\\ud800"'), "volunteers[0].id"),
    "lone surrogate in a request id": ((("requests", 1, "id"), '"h\\udfff"'), "requests[1].id"),
}


@pytest.mark.parametrize("attack", PROBLEM_ATTACKS.values(), ids=PROBLEM_ATTACKS.keys())
def test_hostile_problem_exits_2_and_names_the_record(tmp_path, attack):
    (path, literal), record = attack
    problem = tmp_path / "problem.json"
    problem.write_text(_with_literal(_problem(), path, literal))
    out = tmp_path / "result.json"
    _assert_refused(_run_cli("solve", str(problem), "--out", str(out), "--time-limit", "1",
                             "--workers", "1"), record)
    assert not out.exists()  # nothing half-written


def test_duplicate_keys_are_refused_not_last_wins(tmp_path):
    text = json.dumps(_problem()).replace('"max_km": 5.0', '"max_km": 5.0, "max_km": 0.1', 1)
    problem = tmp_path / "problem.json"
    problem.write_text(text)
    _assert_refused(_run_cli("greedy", str(problem), "--out", str(tmp_path / "r.json")),
                    "volunteers[0]: duplicate key 'max_km'")


def test_duplicate_top_level_key_is_refused(tmp_path):
    text = json.dumps(_problem())
    problem = tmp_path / "problem.json"
    problem.write_text(text[:-1] + ', "requests": []}')
    _assert_refused(_run_cli("greedy", str(problem), "--out", str(tmp_path / "r.json")),
                    "problem: duplicate key 'requests'")


@pytest.mark.parametrize(
    ("args", "record"),
    [
        (["--time-limit", "inf"], "--time-limit"),
        (["--time-limit", "1e308"], "--time-limit"),
        (["--time-limit", "nan"], "--time-limit"),
        (["--seed", str(2**40)], "--seed"),
        (["--seed", "2**40"], "--seed"),
        (["--seed", "-1"], "--seed"),
        (["--workers", "100000"], "--workers"),
    ],
)
def test_hostile_arguments_exit_2_and_name_the_argument(tmp_path, args, record):
    problem = tmp_path / "problem.json"
    problem.write_text(json.dumps(_problem()))
    out = tmp_path / "result.json"
    _assert_refused(_run_cli("solve", str(problem), "--out", str(out), *args), record)
    assert not out.exists()


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    folder = tmp_path_factory.mktemp("solved")
    problem = folder / "problem.json"
    problem.write_text(json.dumps(_problem()))
    result = greedy(parse_problem(_problem())).to_json()
    assert result["teams"]
    return problem, result


def _check_text(tmp_path, problem, text) -> subprocess.CompletedProcess:
    path = tmp_path / "result.json"
    path.write_text(text)
    return _run_cli("check", str(problem), str(path))


@pytest.mark.parametrize(
    ("change", "record"),
    [
        (lambda r: r["teams"][0].update(request=["h1"]), "teams[0].request"),
        (lambda r: r["teams"][0].update(members="v1"), "teams[0].members"),
        (lambda r: r["score"].update(total_km=math.nan), "score.total_km"),
        (lambda r: r["score"].update(total_km=math.inf), "score.total_km"),
        (lambda r: r["score"].update(priority_staffed=10**400), "score.priority_staffed"),
        (lambda r: r.update(bound={"priority_staffed": math.nan}), "bound.priority_staffed"),
        (lambda r: r.update(status=["OPTIMAL"]), "result.status"),
        (lambda r: r.update(version=2), "result.version"),
        (lambda r: r.update(colour="red"), "result: unknown key 'colour'"),
        (lambda r: r.pop("score"), "result: missing key 'score'"),
        (lambda r: r["open"].append({"request": {"id": "h2"}, "reason": "x"}),
         "open[0].request"),
    ],
)
def test_check_exits_2_on_a_malformed_result(tmp_path, solved, change, record):
    problem, result = solved
    broken = json.loads(json.dumps(result))
    change(broken)
    _assert_refused(_check_text(tmp_path, problem, json.dumps(broken)), record)


def test_check_exits_2_on_a_result_that_is_not_an_object(tmp_path, solved):
    problem, _ = solved
    _assert_refused(_check_text(tmp_path, problem, "[1, 2]"), "result: expected an object")


def test_check_exits_2_on_duplicate_keys_in_the_result(tmp_path, solved):
    problem, result = solved
    text = json.dumps(result).replace('"status": ', '"status": "OPTIMAL", "status": ', 1)
    _assert_refused(_check_text(tmp_path, problem, text), "result: duplicate key 'status'")


def test_check_still_exits_1_on_violations(tmp_path, solved):
    problem, result = solved
    broken = json.loads(json.dumps(result))
    broken["score"]["total_km"] += 1
    completed = _check_text(tmp_path, problem, json.dumps(broken))
    assert completed.returncode == 1
    assert "score.total_km: result says" in completed.stdout


def test_a_failed_write_keeps_the_previous_result_and_leaves_no_temp_file(tmp_path):
    out = tmp_path / "result.json"
    out.write_text('{"version": 1}\n')
    with pytest.raises(UnicodeEncodeError):
        write_result(str(out), {"version": 1, "teams": [{"request": "\ud800"}]})
    assert out.read_text() == '{"version": 1}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["result.json"]


def test_a_failed_rename_keeps_the_previous_result_and_leaves_no_temp_file(tmp_path,
                                                                           monkeypatch):
    out = tmp_path / "result.json"
    out.write_text('{"version": 1}\n')

    def refuse(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("marketplace.matching.cli.os.replace", refuse)
    with pytest.raises(ProblemError, match="No space left on device"):
        write_result(str(out), {"version": 1, "teams": []})
    assert out.read_text() == '{"version": 1}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["result.json"]


def test_the_result_file_is_replaced_whole(tmp_path):
    out = tmp_path / "result.json"
    out.write_text("old, longer than the new content " * 100)
    write_result(str(out), {"version": 1})
    assert json.loads(out.read_text()) == {"version": 1}
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask  # readable like any new file
    assert [p.name for p in tmp_path.iterdir()] == ["result.json"]


BOUNDED_FIELDS = [
    (("volunteers", 0), "volunteer"), (("requests", 0), "request"), (("options",), "options"),
]


@pytest.mark.parametrize(
    ("where", "kind", "key"),
    [(where, kind, key) for where, kind in BOUNDED_FIELDS
     for (record, key) in BOUNDS if record == kind],
)
def test_every_number_of_the_problem_has_an_upper_bound(where, kind, key):
    bounds = BOUNDS[kind, key]
    accepted = _problem()
    target = accepted
    for step in where:
        target = target[step]
    target[key] = bounds.high
    parse_problem(accepted)
    target[key] = bounds.high + 1
    label = "".join(f"[{s}]" if isinstance(s, int) else s for s in where)
    with pytest.raises(ProblemError, match=rf"^{re.escape(label)}\.{key}: must be"):
        parse_problem(accepted)


def test_an_accepted_extreme_problem_still_gives_a_valid_result():
    data = _problem()
    data["volunteers"][0].update(hours_per_week=BOUNDS["volunteer", "hours_per_week"].high,
                                 max_km=BOUNDS["volunteer", "max_km"].high,
                                 max_teams=BOUNDS["volunteer", "max_teams"].high)
    data["requests"][0].update(visits_per_week=BOUNDS["request", "visits_per_week"].high,
                               hours_per_week=BOUNDS["request", "hours_per_week"].high)
    data["options"].update(seed=BOUNDS["options", "seed"].high,
                           travel_kmh=BOUNDS["options", "travel_kmh"].low)
    problem = parse_problem(data)
    assert check_result(problem, greedy(problem).to_json()) == []


def test_docs_list_every_bound():
    docs = (ROOT / "docs" / "matching.md").read_text()
    for (record, key), bounds in BOUNDS.items():
        row = f"| {record} | `{key}` | {bounds.describe()} |"
        assert row in docs, row


def test_decoder_limits_name_the_record_from_python_too():
    with pytest.raises(ProblemError, match=r"^requests\[0\]\.priority: an integer of 5000 digits"):
        parse_json(_with_literal(_problem(), ("requests", 0, "priority"), "1" * 5000), "problem")
    with pytest.raises(ProblemError, match=r"^volunteers\[1\]: duplicate key 'id'"):
        parse_json(json.dumps(_problem()).replace('"id": "v2"', '"id": "v2", "id": "v3"'),
                   "problem")
