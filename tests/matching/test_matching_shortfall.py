"""Recruitment targets: grouped by what blocks the open requests, verified by re-solving."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from matching_builders import build, problem_dict, request, volunteer

from marketplace.matching import ProblemError, SolveOptions, shortfall, solve
from marketplace.matching.shortfall import residual_problem


def city():
    """Two Uyghur-speaking households 1 km apart and a family needing a social worker,
    in a neighbourhood of Mandarin speakers; one ordinary request that is staffed."""
    volunteers = [volunteer(f"v{i}", 0.2 * i, max_teams=1) for i in range(4)]
    requests = [request("ug1", 0.5, languages=["ug"], priority=4),
                request("ug2", 1.5, languages=["ug"], priority=2),
                request("family", 0.3, team_size=3, needs_social_worker=True, priority=5),
                request("plain", 0.1, priority=1)]
    return volunteers, requests


def solved_city():
    problem = build(*city())
    result = solve(problem, SolveOptions(time_limit_s=2, workers=1)).to_json()
    assert {o["request"] for o in result["open"]} == {"ug1", "ug2", "family"}
    return problem, result


def test_proposal_names_the_missing_profiles_and_staffs_every_target():
    problem, result = solved_city()
    found = shortfall(problem, result, time_limit_s=2, workers=1)
    assert found.open_requests == 3
    assert found.targeted == 3
    assert found.staffed == 3
    assert found.verification["violations"] == 0
    assert {p.blocker for p in found.proposals} == {"missing_requirement"}
    speakers = next(p for p in found.proposals if p.languages)
    assert speakers.languages == ("ug",) and not speakers.social_worker
    assert speakers.count == 1  # one 4-hour recruit serves both households
    assert sorted(speakers.targets) == ["ug1", "ug2"]
    social = next(p for p in found.proposals if p.social_worker)
    assert social.targets == ("family",) and social.count == 1
    assert sum(p.count for p in found.proposals) == 2
    assert "1 volunteer offering daily_care, speaking ug, within 3 km of (45.59, 84.87), " \
        "4 h a week, would staff 2 of 2 open requests" in speakers.describe()


def test_residual_problem_keeps_only_what_the_teams_leave():
    problem, result = solved_city()
    residual = residual_problem(problem, result)
    assert [r.id for r in residual.requests] == ["ug1", "ug2", "family"]
    member = next(t["members"][0] for t in result["teams"] if t["request"] == "plain")
    busy = next(v for v in residual.volunteers if v.id == member)
    assert busy.max_teams == 0  # its only team slot is taken by "plain"
    assert next(v for v in residual.volunteers if v.id != member).max_teams == 1


def test_recruits_only_count_when_used():
    # Both requests only lack time: the residual re-solve needs a recruit for one seat.
    problem = build([volunteer("v1", hours_per_week=1.2, max_teams=1)],
                    [request("a", priority=5), request("b", 0.2, priority=3)])
    result = solve(problem, SolveOptions(time_limit_s=1, workers=1)).to_json()
    found = shortfall(problem, result, time_limit_s=1, workers=1)
    assert found.targeted == 1 and found.staffed == 1
    assert [p.count for p in found.proposals] == [1]
    assert found.proposals[0].skills == ("daily_care",)


def test_result_with_violations_is_refused():
    problem, result = solved_city()
    result["score"]["priority_staffed"] += 1
    with pytest.raises(ProblemError, match="result: 1 violation"):
        shortfall(problem, result, time_limit_s=1, workers=1)


def test_cli_prints_and_writes_the_proposal(tmp_path):
    _, result = solved_city()
    problem_path = tmp_path / "p.json"
    problem_path.write_text(json.dumps(problem_dict(*city())))
    result_path = tmp_path / "r.json"
    result_path.write_text(json.dumps(result))
    out = tmp_path / "s.json"
    completed = subprocess.run(
        [sys.executable, "-m", "marketplace.matching", "shortfall", str(problem_path),
         str(result_path), "--out", str(out), "--time-limit", "2", "--workers", "1"],
        capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr
    assert "3 of 3 targeted open requests staffed" in completed.stdout
    written = json.loads(out.read_text())
    assert written["staffed"] == 3 and written["recruits"] == 2
    result["teams"][0]["members"] = []
    result_path.write_text(json.dumps(result))
    broken = subprocess.run(
        [sys.executable, "-m", "marketplace.matching", "shortfall", str(problem_path),
         str(result_path)], capture_output=True, text=True, timeout=120)
    assert broken.returncode == 2
    assert "result:" in broken.stderr and "Traceback" not in broken.stderr
