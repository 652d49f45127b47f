"""On the small demo district: the demo social worker runs matching through the jobs interface
and offers every team; one team's volunteers all accept, a member of another declines; the
exported problem and each run's result pass the engine's checker on the command line; the
second run keeps every accepted member and never proposes the declined pair again."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from sqlalchemy import select

from marketplace import jobs
from marketplace.care.models import CareRequest, CareRequestState
from marketplace.care.run_models import MatchingRun, MatchingRunState, ProposalState
from marketplace.extensions import db

DEMO_SOCIAL_WORKER = "19900000002"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "CARE_RUN_HEARTBEAT_S": 0.5}


@pytest.fixture
def demo(app):
    from marketplace.auth.models import User
    from marketplace.care.services.households import social_worker_org_ids
    from marketplace.demo.commands import seed

    with app.app_context():
        seed("small")
        db.session.commit()
        worker = db.session.scalar(select(User).where(User.phone == DEMO_SOCIAL_WORKER))
        org_id = min(social_worker_org_ids(worker))
        return worker.id, org_id


def run_and_wait(client, org_id: int) -> int:
    response = client.post("/care/runs", data={"scope": f"organization:{org_id}",
                                               "time_limit_s": 5})
    assert response.status_code == 302, response.get_data(as_text=True)
    run_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    jobs.wait_for_threads(120)
    return run_id


def check(tmp_path, problem: dict, result: dict, name: str) -> subprocess.CompletedProcess:
    problem_path, result_path = tmp_path / f"{name}-problem.json", tmp_path / f"{name}.json"
    problem_path.write_text(json.dumps(problem, ensure_ascii=False), encoding="utf-8")
    result_path.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "marketplace.matching", "check",
                           str(problem_path), str(result_path)], capture_output=True, text=True)


def user_of(app, profile_id: int) -> int:
    from marketplace.volunteers.models import VolunteerProfile

    with app.app_context():
        return db.session.get(VolunteerProfile, profile_id).user_id


def test_the_demo_district_matches_offers_and_keeps_its_teams(app, demo, login_as, runner,
                                                              tmp_path):
    worker_id, org_id = demo
    social_worker = app.test_client()
    login_as(social_worker, worker_id)

    first = run_and_wait(social_worker, org_id)
    with app.app_context():
        run = db.session.get(MatchingRun, first)
        assert run.state == MatchingRunState.SUCCEEDED, run.error
        checked = check(tmp_path, run.problem, run.result, "first")
        assert checked.returncode == 0, checked.stdout + checked.stderr
        threes = [p for p in run.proposals if len(p.members) == 3]
        assert len(threes) >= 2, "the demo organization should get teams of three"
        accepted, declined = threes[0], threes[1]
        accepted_request = accepted.care_request_id
        accepted_members = [(m.id, m.volunteer_id) for m in accepted.members]
        declined_request = declined.care_request_id
        decliner_member, decliner = declined.members[0].id, declined.members[0].volunteer_id
        declined_household = declined.household_id

    assert social_worker.post(f"/care/runs/{first}/apply").status_code == 302
    with app.app_context():
        assert {p.state for p in db.session.get(MatchingRun, first).proposals} == {
            ProposalState.OFFERED}
    for member_id, profile_id in accepted_members:
        volunteer = app.test_client()
        login_as(volunteer, user_of(app, profile_id))
        assert volunteer.post(f"/care/offers/{member_id}/accept").status_code == 302
    volunteer = app.test_client()
    login_as(volunteer, user_of(app, decliner))
    assert volunteer.post(f"/care/offers/{decliner_member}/decline").status_code == 302
    with app.app_context():
        staffed = db.session.get(CareRequest, accepted_request)
        assert staffed.state == CareRequestState.STAFFED
        assert sorted(m.volunteer_id for m in staffed.living_team.current_members) == \
            sorted(v for _m, v in accepted_members)
        assert db.session.get(CareRequest, declined_request).state == CareRequestState.OPEN

    exported = tmp_path / "export.json"
    done = runner.invoke(args=["match", "export", f"organization:{org_id}",
                               "--out", str(exported)])
    assert done.exit_code == 0, done.output
    problem = json.loads(exported.read_text(encoding="utf-8"))
    requests = {r["id"]: r for r in problem["requests"]}
    assert f"v{decliner}" in requests[f"r{declined_request}"]["exclude"]
    assert set(requests[f"r{accepted_request}"]["current_team"]) == {
        f"v{v}" for _m, v in accepted_members}

    second = run_and_wait(social_worker, org_id)
    with app.app_context():
        run = db.session.get(MatchingRun, second)
        assert run.state == MatchingRunState.SUCCEEDED, run.error
        checked = check(tmp_path, problem, run.result, "second-against-export")
        assert checked.returncode == 0, checked.stdout + checked.stderr
        teams = {t["request"]: set(t["members"]) for t in run.result["teams"]}
        assert {f"v{v}" for _m, v in accepted_members} <= teams[f"r{accepted_request}"]
        assert f"v{decliner}" not in teams.get(f"r{declined_request}", set())
        for proposal in run.proposals:
            if proposal.household_id == declined_household:
                assert decliner not in {m.volunteer_id for m in proposal.members}
