"""Every run route attacked: another organization's staff and out-of-scope officials get 404,
a 20-digit id is a 404, officials see aggregates only, volunteers answer only their own offer,
double submits change state once."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from marketplace import jobs
from marketplace.auth.models import Role
from marketplace.care.run_models import (
    MatchingRun,
    MatchingRunState,
    MemberState,
    ProposalState,
    ScopeKind,
    TeamProposal,
)
from marketplace.extensions import db
from marketplace.notifications.models import Notification

BIG = "9" * 20


@pytest.fixture
def app_config(app_config):
    return {**app_config, "CARE_RUN_HEARTBEAT_S": 0.2, "CARE_RUN_SHORTFALL": False}


def as_(app, login_as, user_id):
    client = app.test_client()
    login_as(client, user_id)
    return client


def finished_run(app, login_as, world, scope=None, starter=None) -> int:
    client = as_(app, login_as, starter or world.social_worker)
    response = client.post("/care/runs", data={"scope": scope or f"organization:{world.org}",
                                               "time_limit_s": 2})
    assert response.status_code == 302
    jobs.wait_for_threads()
    with app.app_context():
        run = db.session.scalar(select(MatchingRun).order_by(MatchingRun.id.desc()))
        assert run.state == MatchingRunState.SUCCEEDED, run.error
        return run.id


def test_other_organizations_staff_get_404_everywhere(app, login_as, run_world):
    run_id = finished_run(app, login_as, run_world)
    with app.app_context():
        proposal_id = db.session.scalar(select(MatchingRun).where(MatchingRun.id == run_id)
                                        ).proposals[0].id
    other = as_(app, login_as, run_world.other_social_worker)
    official = as_(app, login_as, run_world.other_street_official)
    for client in (other, official):
        for url in (f"/care/runs/{run_id}", f"/care/runs/{run_id}/status",
                    f"/care/runs/{run_id}/problem.json"):
            assert client.get(url).status_code == 404, url
        for url in (f"/care/runs/{run_id}/apply", f"/care/runs/{run_id}/discard",
                    f"/care/runs/{run_id}/cancel", f"/care/proposals/{proposal_id}/offer",
                    f"/care/proposals/{proposal_id}/reject"):
            assert client.post(url).status_code in (403, 404), url
    with app.app_context():
        assert db.session.get(MatchingRun, run_id).state == MatchingRunState.SUCCEEDED
    # An organization's social worker cannot start a run for another organization's scope.
    sw = as_(app, login_as, run_world.social_worker)
    sw.post("/care/runs", data={"scope": f"organization:{run_world.other_org}",
                                "time_limit_s": 2})
    with app.app_context():
        assert db.session.scalar(select(func.count(MatchingRun.id)).where(
            MatchingRun.scope_id == run_world.other_org)) == 0


def test_twenty_digit_ids_are_404(app, login_as, run_world):
    sw = as_(app, login_as, run_world.social_worker)
    for url in (f"/care/runs/{BIG}", f"/care/runs/{BIG}/status", f"/care/runs/{BIG}/problem.json"):
        assert sw.get(url).status_code == 404
    for url in (f"/care/runs/{BIG}/apply", f"/care/proposals/{BIG}/offer",
                f"/care/runs/{BIG}/recruit/{BIG}"):
        assert sw.post(url).status_code == 404
    volunteer = as_(app, login_as, next(iter(run_world.volunteers.values())))
    assert volunteer.post(f"/care/offers/{BIG}/accept").status_code == 404
    assert sw.post("/care/rematch", data={"care_request_id": BIG}).status_code == 404


def test_officials_run_their_area_and_see_aggregates_only(app, login_as, run_world, geo):
    run_id = finished_run(app, login_as, run_world, scope=f"district:{geo['district']}",
                          starter=run_world.district_official)
    official = as_(app, login_as, run_world.district_official)
    page = official.get(f"/care/runs/{run_id}").get_data(as_text=True)
    assert "HH-T" not in page and "李" not in page  # no household, no volunteer name
    assert official.get(f"/care/runs/{run_id}/status").status_code == 200
    assert official.post(f"/care/runs/{run_id}/apply").status_code in (403, 404)
    # The street official of another street neither starts a district run nor sees this one.
    street = as_(app, login_as, run_world.other_street_official)
    street.post("/care/runs", data={"scope": f"district:{geo['district']}", "time_limit_s": 2})
    assert street.get(f"/care/runs/{run_id}").status_code == 404
    # The household's own social worker reviews its proposal in the official's run.
    sw = as_(app, login_as, run_world.social_worker)
    body = sw.get(f"/care/runs/{run_id}").get_data(as_text=True)
    assert "HH-T" in body
    other = as_(app, login_as, run_world.other_social_worker)
    other_body = other.get(f"/care/runs/{run_id}").get_data(as_text=True)
    with app.app_context():
        run = db.session.get(MatchingRun, run_id)
        assert run.scope_kind == ScopeKind.DISTRICT
        mine = {p.household_id for p in run.proposals if p.organization_id == run_world.org}
        from marketplace.care.models import Household

        for household_id in mine:
            assert db.session.get(Household, household_id).pseudonym not in other_body


def test_a_volunteer_answers_only_their_own_offer_once(app, login_as, run_world):
    run_id = finished_run(app, login_as, run_world)
    sw = as_(app, login_as, run_world.social_worker)
    with app.app_context():
        run = db.session.get(MatchingRun, run_id)
        proposal = run.proposals[0]
        proposal_id = proposal.id
        member_id, volunteer_id = proposal.members[0].id, proposal.members[0].volunteer_id
        outsider = next(v for v in run_world.volunteers
                        if v not in {m.volunteer_id for m in proposal.members})
    assert sw.post(f"/care/proposals/{proposal_id}/offer").status_code == 302
    sw.post(f"/care/proposals/{proposal_id}/offer")  # double submit
    with app.app_context():
        assert db.session.scalar(select(func.count(Notification.id))) == len(
            db.session.get(MatchingRun, run_id).proposals[0].members)
        assert db.session.get(MatchingRun, run_id).proposals[0].state == ProposalState.OFFERED
    stranger = as_(app, login_as, run_world.volunteers[outsider])
    assert stranger.post(f"/care/offers/{member_id}/accept").status_code == 404
    assert stranger.post(f"/care/offers/{member_id}/decline").status_code == 404
    own = as_(app, login_as, run_world.volunteers[volunteer_id])
    assert own.post(f"/care/offers/{member_id}/decline").status_code == 302
    own.post(f"/care/offers/{member_id}/accept")  # too late: declined stays declined
    with app.app_context():
        from marketplace.care.run_models import DeclinedPair, MemberState, ProposalMember

        assert db.session.get(ProposalMember, member_id).state == MemberState.DECLINED
        assert db.session.scalar(select(func.count(DeclinedPair.id))) == 1


def test_matching_rules_are_public_and_in_chinese(client, app):
    page = client.get("/matching-rules", headers={"Accept-Language": "zh-CN"})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "匹配" in text and "自动匹配" in text


def test_roles_without_runs_are_refused(app, login_as, run_world, make_user):
    volunteer = as_(app, login_as, next(iter(run_world.volunteers.values())))
    assert volunteer.get("/care/runs").status_code in (403, 404)
    admin = as_(app, login_as, run_world.org_admin)
    assert admin.post("/care/runs", data={"scope": f"organization:{run_world.org}",
                                          "time_limit_s": 2}).status_code in (403, 404)
    assert Role.ORG_ADMIN  # org admins read runs but do not start them (domain §2)


def test_rematch_starts_a_small_run_for_that_request_only(app, login_as, run_world):
    sw = as_(app, login_as, run_world.social_worker)
    request_id = run_world.requests[0]
    response = sw.post("/care/rematch", data={"care_request_id": request_id})
    assert response.status_code == 302
    jobs.wait_for_threads()
    with app.app_context():
        run = db.session.scalar(select(MatchingRun))
        assert run.scope_kind == ScopeKind.REQUEST and run.scope_id == request_id
        assert run.state == MatchingRunState.SUCCEEDED, run.error
        assert [r["id"] for r in run.problem["requests"]] == [f"r{request_id}"]
        assert [p.care_request_id for p in run.proposals] == [request_id]
    other = as_(app, login_as, run_world.other_social_worker)
    assert other.post("/care/rematch", data={"care_request_id": request_id}).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count(MatchingRun.id))) == 1


def test_discard_sets_the_run_aside_once_and_nothing_is_offered(app, login_as, run_world):
    run_id = finished_run(app, login_as, run_world)
    sw = as_(app, login_as, run_world.social_worker)
    assert sw.post(f"/care/runs/{run_id}/discard").status_code == 302
    sw.post(f"/care/runs/{run_id}/discard")
    sw.post(f"/care/runs/{run_id}/apply")
    with app.app_context():
        run = db.session.get(MatchingRun, run_id)
        assert run.state == MatchingRunState.DISCARDED
        assert {p.state for p in run.proposals} == {ProposalState.REJECTED}
        assert db.session.scalar(select(func.count(Notification.id))) == 0


def test_two_last_acceptances_at_once_form_one_team(app, login_as, run_world):
    import threading

    from marketplace.auth.models import User
    from marketplace.care import review
    from marketplace.care.models import CareTeam
    from marketplace.care.run_models import ProposalMember
    from marketplace.volunteers.models import VolunteerProfile

    run_id = finished_run(app, login_as, run_world)
    with app.app_context():
        proposal = next(p for p in db.session.get(MatchingRun, run_id).proposals
                        if len(p.members) == 3)
        proposal_id, member_ids = proposal.id, [m.id for m in proposal.members]
    as_(app, login_as, run_world.social_worker).post(f"/care/proposals/{proposal_id}/offer")

    def answer(member_id):
        with app.test_request_context():
            member = db.session.get(ProposalMember, member_id)
            profile = db.session.get(VolunteerProfile, member.volunteer_id)
            try:
                review.accept(db.session.get(User, profile.user_id), member)
                db.session.commit()
            except Exception:
                db.session.rollback()
            finally:
                db.session.remove()

    answer(member_ids[0])
    threads = [threading.Thread(target=answer, args=(m,)) for m in member_ids[1:]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with app.app_context():
        accepted = db.session.scalars(select(ProposalMember.state).where(
            ProposalMember.proposal_id == proposal_id)).all()
        teams = db.session.scalars(select(CareTeam)).all()
        assert set(accepted) == {MemberState.ACCEPTED}  # both answers were kept
        assert len(teams) == 1 and len(teams[0].current_members) == 3
        assert db.session.get(TeamProposal, proposal_id).state == ProposalState.ACCEPTED
