"""The strict parser: every error names the record; the CLI exits 2 without a traceback."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest
from matching_builders import problem_dict, request, volunteer

from marketplace.matching import ProblemError, parse_problem


def test_parses_defaults():
    problem = parse_problem(problem_dict([volunteer("v1")], [request("h1")]))
    assert problem.volunteers[0].max_teams == 3
    assert problem.volunteers[0].slots is None
    assert problem.requests[0].visits_per_week == 1
    assert problem.requests[0].languages == frozenset()
    assert problem.options.travel_kmh == 15


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["requests"][0].update(skills=["cooking"]),
         "requests[0].skills: unknown skill 'cooking'"),
        (lambda d: d["volunteers"][1].update(languages=["fr"]),
         "volunteers[1].languages: unknown language 'fr'"),
        (lambda d: d["volunteers"][0].update(slots=["mon_night"]),
         "volunteers[0].slots: unknown slot 'mon_night'"),
        (lambda d: d["volunteers"][0].update(colour="red"),
         "volunteers[0]: unknown key 'colour'"),
        (lambda d: d.update(extra=1), "problem: unknown key 'extra'"),
        (lambda d: d["options"].update(speed=3), "options: unknown key 'speed'"),
        (lambda d: d["volunteers"][1].update(id="v1"), "volunteers[1].id: duplicate id 'v1'"),
        (lambda d: d["requests"].append(request("h1")), "requests[1].id: duplicate id 'h1'"),
        (lambda d: d["volunteers"][0].update(hours_per_week=-2),
         "volunteers[0].hours_per_week: must be > 0"),
        (lambda d: d["volunteers"][0].update(max_km=True),
         "volunteers[0].max_km: expected a number"),
        (lambda d: d["volunteers"][0].update(lat=math.nan),
         "volunteers[0].lat: expected a finite number"),
        (lambda d: d["requests"][0].update(priority=6), "requests[0].priority: must be >= 1"),
        (lambda d: d["requests"][0].update(team_size=1.5),
         "requests[0].team_size: expected an integer"),
        (lambda d: d["requests"][0].update(current_team=["ghost"]),
         "requests[0].current_team: unknown volunteer 'ghost'"),
        (lambda d: d["requests"][0].update(current_team=["v1"], exclude=["v1"]),
         "requests[0].exclude: volunteer 'v1' is also in current_team"),
        (lambda d: d["requests"][0].pop("priority"), "requests[0]: missing key 'priority'"),
        (lambda d: d.update(version=2), "version: expected 1"),
        (lambda d: d["requests"][0].update(team_size=10**400),
         "requests[0].team_size: must be >= 1 and <= 10, got an integer of about 400 digits"),
        (lambda d: d["volunteers"][0].update(max_teams=10**5000),
         "volunteers[0].max_teams: must be >= 0 and <= 20, got an integer of about 5000"),
        (lambda d: d["volunteers"][0].update(id="v\u202e1"), "volunteers[0].id: holds a non-"),
        (lambda d: d["volunteers"][0].update(id="v\n1"), "volunteers[0].id: holds a non-"),
        (lambda d: d["requests"][0].update(id="h" * 101), "requests[0].id: longer than 100"),
        (lambda d: d["options"].update(seed=2**40), "options.seed: must be >= 0 and <= 1000000000"),
    ],
)
def test_errors_name_the_record(mutate, message):
    data = problem_dict([volunteer("v1"), volunteer("v2")], [request("h1")])
    mutate(data)
    with pytest.raises(ProblemError) as info:
        parse_problem(data)
    assert str(info.value).startswith(message)


def _run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "marketplace.matching", *args],
                          capture_output=True, text=True, timeout=60)


def test_cli_bad_input_exits_2_without_traceback(tmp_path):
    data = problem_dict([volunteer("v1")], [request("h1", skills=["cooking"])])
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    for command in (["solve", str(path), "--out", str(tmp_path / "r.json")],
                    ["greedy", str(path), "--out", str(tmp_path / "r.json")],
                    ["check", str(path), str(path)]):
        completed = _run_cli(*command)
        assert completed.returncode == 2
        assert "requests[0].skills: unknown skill 'cooking'" in completed.stderr
        assert "Traceback" not in completed.stderr


def test_cli_missing_file_and_broken_json_exit_2(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    for path in (str(tmp_path / "missing.json"), str(broken)):
        completed = _run_cli("greedy", path, "--out", str(tmp_path / "r.json"))
        assert completed.returncode == 2
        assert "Traceback" not in completed.stderr
        assert path in completed.stderr


def test_cli_solve_then_check(tmp_path):
    data = problem_dict([volunteer("v1"), volunteer("v2", 1.0)], [request("h1", 0.5)])
    problem_path = tmp_path / "p.json"
    problem_path.write_text(json.dumps(data))
    out = tmp_path / "r.json"
    solved = _run_cli("solve", str(problem_path), "--out", str(out), "--time-limit", "2",
                      "--workers", "1")
    assert solved.returncode == 0, solved.stderr
    result = json.loads(out.read_text())
    assert result["teams"][0]["members"] == ["v1"]
    assert _run_cli("check", str(problem_path), str(out)).returncode == 0
    result["teams"][0]["members"] = ["v1", "v2"]
    out.write_text(json.dumps(result))
    checked = _run_cli("check", str(problem_path), str(out))
    assert checked.returncode == 1
    assert "rule 1" in checked.stdout
