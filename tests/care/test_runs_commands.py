"""`flask match export | run | apply`: the exported problem and the run's result pass the
engine's own checker on the command line."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from sqlalchemy import select

from marketplace.care.models import CareRequest, CareRequestState
from marketplace.care.run_models import MatchingRun, MatchingRunState, ProposalState
from marketplace.extensions import db


@pytest.fixture
def app_config(app_config):
    return {**app_config, "CARE_RUN_HEARTBEAT_S": 0.2}


def check(problem_path, result_path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "marketplace.matching", "check",
                           str(problem_path), str(result_path)], capture_output=True,
                          text=True)


def test_export_run_apply_and_check(app, runner, run_world, tmp_path):
    exported = tmp_path / "problem.json"
    done = runner.invoke(args=["match", "export", f"organization:{run_world.org}",
                               "--out", str(exported)])
    assert done.exit_code == 0, done.output
    problem = json.loads(exported.read_text(encoding="utf-8"))
    assert len(problem["requests"]) == 3 and len(problem["volunteers"]) == 9

    result_path, problem_path = tmp_path / "result.json", tmp_path / "run-problem.json"
    done = runner.invoke(args=["match", "run", f"organization:{run_world.org}",
                               "--time-limit", "2", "--problem-out", str(problem_path),
                               "--result-out", str(result_path)])
    assert done.exit_code == 0, done.output
    assert "3 teams, 0 open" in done.output
    checked = check(problem_path, result_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert check(exported, result_path).returncode == 0  # the same snapshot

    with app.app_context():
        run_id = db.session.scalar(select(MatchingRun.id))
    done = runner.invoke(args=["match", "apply", str(run_id)])
    assert done.exit_code == 0 and "3 team(s) offered" in done.output
    again = runner.invoke(args=["match", "apply", str(run_id)])
    assert again.exit_code != 0  # applied once
    with app.app_context():
        run = db.session.get(MatchingRun, run_id)
        assert run.state == MatchingRunState.APPLIED
        assert {p.state for p in run.proposals} == {ProposalState.OFFERED}
        assert {db.session.get(CareRequest, r).state for r in run_world.requests} == {
            CareRequestState.PROPOSED}


def test_apply_refuses_a_stale_snapshot(app, runner, run_world):
    assert runner.invoke(args=["match", "run", f"organization:{run_world.org}",
                               "--time-limit", "2"]).exit_code == 0
    with app.app_context():
        run = db.session.scalar(select(MatchingRun))
        volunteer_id = run.proposals[0].members[0].volunteer_id
        from marketplace.volunteers.models import VolunteerProfile

        db.session.get(VolunteerProfile, volunteer_id).hours_per_week = 1.5
        db.session.commit()
        run_id = run.id
    done = runner.invoke(args=["match", "apply", str(run_id)])
    assert done.exit_code != 0 and "changed since" in done.output
    with app.app_context():
        run = db.session.get(MatchingRun, run_id)
        states = [p.state for p in run.proposals]
        assert ProposalState.OFFERED not in states and ProposalState.STALE in states
        assert {db.session.get(CareRequest, r).state for r in run_world.requests} == {
            CareRequestState.OPEN}


@pytest.mark.parametrize("scope", ["county:1", "district:x", "district:99999999999999999999"])
def test_bad_scope_names_the_argument(runner, scope, app):
    done = runner.invoke(args=["match", "export", scope])
    assert done.exit_code == 2 and "SCOPE" in done.output
