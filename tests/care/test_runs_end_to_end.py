"""A social worker runs matching through the jobs interface, offers, volunteers accept and
decline, teams form; the exported problem and the result pass the engine's checker; a second
run keeps the accepted members and never re-proposes a declined pair."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from marketplace import jobs
from marketplace.care.models import CareRequest, CareRequestState, CareTeam
from marketplace.care.run_models import (
    DeclinedPair,
    MatchingRun,
    MatchingRunState,
    MemberState,
    ProposalState,
    TeamProposal,
)
from marketplace.extensions import db
from marketplace.matching import check_result, parse_problem


@pytest.fixture
def app_config(app_config):
    return {**app_config, "CARE_RUN_HEARTBEAT_S": 0.2}


def start_and_wait(client, scope: str, limit: int = 2) -> int:
    response = client.post("/care/runs", data={"scope": scope, "time_limit_s": limit})
    assert response.status_code == 302, response.get_data(as_text=True)
    run_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    jobs.wait_for_threads()
    return run_id


def client_of(app, login_as, user_id):
    client = app.test_client()
    login_as(client, user_id)
    return client


def test_run_offer_accept_decline_and_a_second_run(app, run_world, login_as):
    world = run_world
    sw = client_of(app, login_as, world.social_worker)
    run_id = start_and_wait(sw, f"organization:{world.org}")

    with app.app_context():
        run = db.session.get(MatchingRun, run_id)
        assert run.state == MatchingRunState.SUCCEEDED, run.error
        problem = parse_problem(run.problem)
        assert check_result(problem, run.result) == []
        ids = {v["id"] for v in run.problem["volunteers"]}
        assert f"v{world.minor}" not in ids and f"v{world.opted_out}" not in ids
        assert {r["id"] for r in run.problem["requests"]} == {f"r{r}" for r in world.requests}
        proposals = {p.care_request_id: p.id for p in run.proposals}
        assert set(proposals) == set(world.requests)

    page = sw.get(f"/care/runs/{run_id}")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "相距" in body and "公里" in body  # the reasons, in Chinese
    status = sw.get(f"/care/runs/{run_id}/status").get_json()
    assert status["state"] == "succeeded" and status["finished"] and status["percent"] == 100

    assert sw.post(f"/care/runs/{run_id}/apply").status_code == 302
    assert sw.post(f"/care/runs/{run_id}/apply").status_code == 302  # double submit
    with app.app_context():
        run = db.session.get(MatchingRun, run_id)
        assert run.state == MatchingRunState.APPLIED
        assert {p.state for p in run.proposals} == {ProposalState.OFFERED}
        assert all(db.session.get(CareRequest, r).state == CareRequestState.PROPOSED
                   for r in world.requests)
        teams = db.session.scalar(select(func.count(CareTeam.id)))
        assert teams == 0  # offers, never teams, until everyone accepts
        members = {p.care_request_id: [(m.id, m.volunteer_id) for m in p.members]
                   for p in run.proposals}

    first, second, single = world.requests
    for member_id, volunteer_id in members[first]:
        volunteer = client_of(app, login_as, world.volunteers[volunteer_id])
        assert b"psych" not in volunteer.get("/care/offers").data
        assert volunteer.post(f"/care/offers/{member_id}/accept").status_code == 302
        volunteer.post(f"/care/offers/{member_id}/accept")  # double submit: one change
    (accepting_id, accepting), (declining_id, declining) = members[second][:2]
    client_of(app, login_as, world.volunteers[accepting]).post(
        f"/care/offers/{accepting_id}/accept")
    client_of(app, login_as, world.volunteers[declining]).post(
        f"/care/offers/{declining_id}/decline")
    (single_member, single_volunteer), = members[single]
    client_of(app, login_as, world.volunteers[single_volunteer]).post(
        f"/care/offers/{single_member}/accept")

    with app.app_context():
        request = db.session.get(CareRequest, first)
        assert request.state == CareRequestState.STAFFED
        assert sorted(m.volunteer_id for m in request.living_team.current_members) == \
            sorted(v for _m, v in members[first])
        assert db.session.scalar(select(func.count(CareTeam.id))) == 2
        assert db.session.get(CareRequest, second).state == CareRequestState.OPEN
        household = db.session.get(CareRequest, second).household_id
        assert db.session.scalar(select(func.count(DeclinedPair.id)).where(
            DeclinedPair.household_id == household,
            DeclinedPair.volunteer_id == declining)) == 1
        proposal = db.session.get(TeamProposal, proposals_second := db.session.scalar(
            select(TeamProposal.id).where(TeamProposal.run_id == run_id,
                                          TeamProposal.care_request_id == second)))
        assert proposal.state == ProposalState.DECLINED and proposals_second
        assert {m.state for m in proposal.members} == {
            MemberState.ACCEPTED, MemberState.DECLINED, MemberState.EXPIRED}

    rerun = start_and_wait(sw, f"organization:{world.org}")
    with app.app_context():
        run = db.session.get(MatchingRun, rerun)
        assert run.state == MatchingRunState.SUCCEEDED, run.error
        assert check_result(parse_problem(run.problem), run.result) == []
        teams = {t["request"]: set(t["members"]) for t in run.result["teams"]}
        assert {f"v{v}" for _m, v in members[first]} <= teams[f"r{first}"]
        assert f"v{single_volunteer}" in teams[f"r{single}"]
        second_team = teams.get(f"r{second}", set())
        requests = {r["id"]: r for r in run.problem["requests"]}
        assert f"v{declining}" in requests[f"r{second}"]["exclude"]
        assert f"v{accepting}" in requests[f"r{second}"]["current_team"]
        assert f"v{declining}" not in second_team
        assert f"v{accepting}" in second_team
        # Staffed requests keep their living teams: only the reopened one is proposed.
        assert [p.care_request_id for p in run.proposals] == [second]
        kept = {m.volunteer_id: m for m in run.proposals[0].members}
        assert kept[accepting].kept and kept[accepting].state == MemberState.ACCEPTED


def test_starting_returns_at_once_and_one_live_run_per_scope(app, run_world, login_as,
                                                               monkeypatch):
    queued = []
    monkeypatch.setattr(jobs, "enqueue", lambda *args, job_id, **options: queued.append(job_id))
    sw = client_of(app, login_as, run_world.social_worker)
    first = sw.post("/care/runs", data={"scope": f"organization:{run_world.org}",
                                        "time_limit_s": 2})
    again = sw.post("/care/runs", data={"scope": f"organization:{run_world.org}",
                                        "time_limit_s": 2})
    assert first.status_code == again.status_code == 302
    assert len(queued) == 1
    with app.app_context():
        run = db.session.scalar(select(MatchingRun))
        assert run.state == MatchingRunState.QUEUED and run.problem == {}
