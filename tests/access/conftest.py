"""The access world: one of every object a URL can name, all of organization A in district 1
(street A), built on the shared fixtures, and an account for each role of the expectation
table, logged in once."""

from __future__ import annotations

import time
from datetime import date, timedelta
from decimal import Decimal

import pytest
from access_table import (
    SENTINEL_HEALTH_NOTE,
    SENTINEL_HOUSEHOLD_PHONE,
    SENTINEL_ID_NUMBER,
    SENTINEL_VOLUNTEER_PHONE,
    AccessWorld,
)
from fixtures.care import household_form
from sqlalchemy import select

from marketplace import jobs
from marketplace.auth.models import Role
from marketplace.extensions import db


@pytest.fixture
def app_config(app_config):
    return {**app_config, "CARE_RUN_HEARTBEAT_S": 0.2, "CARE_RUN_SHORTFALL": False}


def _wait_for_run(app, run_id):
    from marketplace.care.run_models import MatchingRun, MatchingRunState

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        jobs.wait_for_threads()
        with app.app_context():
            run = db.session.get(MatchingRun, run_id)
            if run.state not in (MatchingRunState.QUEUED, MatchingRunState.RUNNING):
                assert run.state == MatchingRunState.SUCCEEDED, run.error
                return
        time.sleep(0.1)
    raise AssertionError("the matching run did not finish")


@pytest.fixture
def access_world(app, geo, run_world, make_user, make_staff, make_official, make_team,
                 login_as) -> AccessWorld:
    """Every object of organization A / district 1, and a logged-in client per role."""
    from marketplace.auth.models import User
    from marketplace.care.models import CareTeam, Household
    from marketplace.care.run_models import MatchingRun, TeamProposal
    from marketplace.care.services import living, requests
    from marketplace.hours import certificates
    from marketplace.hours import services as hours
    from marketplace.hours.models import HoursSource
    from marketplace.notifications.models import Notification
    from marketplace.privacy import crypto
    from marketplace.projects.calendar_feed import feed_of
    from marketplace.projects.models import Project, ProjectState, Shift, SignUp
    from marketplace.teams.models import TeamMembership
    from marketplace.tracking import contracts as tracking
    from marketplace.tracking import whatif
    from marketplace.volunteers.models import VolunteerProfile

    world = run_world
    users = {
        "anonymous": None,
        "sw_a": world.social_worker,
        "admin_a": world.org_admin,
        "sw_b": world.other_social_worker,
        "admin_b": make_staff(world.other_org, Role.ORG_ADMIN),
        "street_official_1": world.street_official,
        "district_official_1": world.district_official,
        "district_official_2": make_official("other_district"),
        "platform_admin": make_user(roles=[Role.PLATFORM_ADMIN]),
    }

    def client_of(user_id):
        client = app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "zh-CN"
        if user_id is not None:
            login_as(client, user_id)
        return client

    worker = client_of(world.social_worker)
    ids: dict[str, int | str] = {"org_id": world.org}

    # A matching run of organization A, its first proposal offered to its volunteers.
    assert worker.post("/care/runs", data={"scope": f"organization:{world.org}",
                                           "time_limit_s": 2}).status_code == 302
    with app.app_context():
        run_id = db.session.scalar(select(MatchingRun.id).order_by(MatchingRun.id.desc()))
    _wait_for_run(app, run_id)
    with app.app_context():
        proposal = db.session.scalars(select(TeamProposal).where(TeamProposal.run_id == run_id)
                                      .order_by(TeamProposal.id)).first()
        proposal_id = proposal.id
    assert worker.post(f"/care/proposals/{proposal_id}/offer").status_code == 302
    with app.app_context():
        proposal = db.session.get(TeamProposal, proposal_id)
        offered = min(proposal.members, key=lambda member: member.id)
        offer_member_id, profile_id = offered.id, offered.volunteer_id
        profile = db.session.get(VolunteerProfile, profile_id)
        volunteer_user = db.session.get(User, profile.user_id)
        # The sentinels belong to this volunteer: only they may see them in full.
        volunteer_user.phone = SENTINEL_VOLUNTEER_PHONE
        profile.id_number_encrypted = crypto.encrypt(SENTINEL_ID_NUMBER)
        profile.id_number_digest = crypto.digest(SENTINEL_ID_NUMBER)
        db.session.commit()
        users["volunteer"] = volunteer_user.id
    ids.update({"run_id": run_id, "proposal_id": proposal_id,
                "care_runs.accept:member_id": offer_member_id,
                "care_runs.decline:member_id": offer_member_id, "profile_id": profile_id})

    # A household registered through the form, with the phone and health-note sentinels,
    # and its living team (three volunteers other than the table's volunteer).
    response = worker.post("/care/households/new", data=household_form(
        geo, person_phone_0=SENTINEL_HOUSEHOLD_PHONE))
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        household_id = db.session.scalar(select(Household.id).order_by(Household.id.desc()))
    assert worker.post(f"/care/households/{household_id}/health", data={
        "text": SENTINEL_HEALTH_NOTE, "given_by": "person", "consent": "y"}).status_code == 302
    with app.test_request_context():
        actor = db.session.get(User, world.social_worker)
        household = db.session.get(Household, household_id)
        care_request = requests.create_request(
            actor, household, requests.RequestInput.from_household(household))
        members = [p for p in world.volunteers if p != profile_id][:3]
        team = living.form_team(care_request, members, actor=actor)
        db.session.commit()
        team_id = team.id
        care_member_id = min(m.id for m in db.session.get(CareTeam, team_id).members)
        request_id = care_request.id
    ids.update({"household_id": household_id, "request_id": request_id,
                "care.team:team_id": team_id, "care.team_leave:team_id": team_id,
                "care.member_remove:team_id": team_id, "care.visit_log:team_id": team_id,
                "care.member_remove:member_id": care_member_id})

    # A published project with a shift, the volunteer signed up; hours pending and verified,
    # a certificate, a calendar feed.
    with app.app_context():
        project = Project(organization_id=world.org, title="敬老院陪伴", domain="elder_care",
                          community_id=geo["communities"][0], starts_on=date(2026, 1, 1),
                          fee_type="free", state=ProjectState.PUBLISHED)
        db.session.add(project)
        db.session.flush()
        starts_at = _in_days(3)
        shift = Shift(project_id=project.id, starts_at=starts_at,
                      ends_at=starts_at + timedelta(hours=2),
                      community_id=geo["communities"][0], address="友谊路 12 号",
                      lat=45.601, lon=84.871, seats=3)
        db.session.add(shift)
        db.session.commit()
        ids.update({"project_id": project.id, "shift_id": shift.id})
    volunteer = client_of(users["volunteer"])
    assert volunteer.post(f"/shifts/{ids['shift_id']}/sign-up").status_code == 302
    with app.test_request_context():
        ids["sign_up_id"] = db.session.scalar(select(SignUp.id).where(
            SignUp.shift_id == ids["shift_id"], SignUp.volunteer_id == profile_id))
        assert ids["sign_up_id"] is not None
        served = date(2025, 10, 9)
        verified = hours.record_pending(
            volunteer_id=profile_id, organization_id=world.org, service_date=served,
            minutes=120, source=HoursSource.MANUAL, recorded_by_id=world.social_worker)
        db.session.flush()
        hours.verify(db.session.get(User, world.social_worker), verified.id)
        pending = hours.record_pending(
            volunteer_id=profile_id, organization_id=world.org, service_date=served,
            minutes=60, source=HoursSource.MANUAL, recorded_by_id=world.social_worker)
        certificate = certificates.issue(db.session.get(User, users["volunteer"]), world.org,
                                         date(2025, 1, 1), date(2025, 12, 31))
        ids["calendar.token"] = feed_of(db.session.get(VolunteerProfile, profile_id)).token
        db.session.commit()
        ids.update({"entry_id": pending.id, "certificate_id": certificate.id})
        ids["token"] = ids.pop("calendar.token")
        ids["notification_id"] = db.session.scalar(
            select(Notification.id).where(Notification.user_id == users["volunteer"])
            .order_by(Notification.id))
        assert ids["notification_id"] is not None

    # A volunteer team of organization A with the volunteer as a member.
    _org, volunteer_team_id = make_team(geo["district"], world.org, member=profile_id)
    with app.app_context():
        ids["membership_id"] = db.session.scalar(select(TeamMembership.id).where(
            TeamMembership.team_id == volunteer_team_id))
    for endpoint in ("teams.detail", "teams.apply", "teams.invite", "teams.member_action",
                     "teams.set_leader", "api_teams.team_detail", "api_teams.team_apply"):
        ids[f"{endpoint}:team_id"] = volunteer_team_id

    # A contract district 1 buys from organization A, with a milestone; a what-if question.
    with app.test_request_context():
        official = db.session.get(User, world.district_official)
        contract = tracking.create_contract(official, tracking.ContractData(
            title="空巢老人关爱服务", buyer=f"district:{geo['district']}",
            organization_id=world.org, domain="elder_care", budget="200000",
            starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31),
            targets={"verified_hours": 100, "households_served": 10}, target_flags=[]))
        milestone = tracking.add_milestone(official, contract, title="年中评估",
                                           due_on=date(2026, 6, 30), tranche_amount=Decimal(100000),
                                           required_share=50)
        scenario = whatif.ask(official, street_id=None, kind="volunteers", amount=5)
        db.session.commit()
        ids.update({"contract_id": contract.id, "milestone_id": milestone.id,
                    "scenario_id": scenario.id})

    # Personal access tokens: one per role for the API probes, and a spare of the volunteer's
    # for the revoke row (revoking the one in use would end the volunteer's API probes).
    from marketplace.api import tokens

    with app.app_context():
        api_tokens = {role: tokens.create_token(db.session.get(User, user_id), "脚本", 30)
                      for role, user_id in users.items() if user_id is not None}
        spare = tokens.create_token(db.session.get(User, users["volunteer"]), "备用", 30)
        db.session.commit()
        ids["token_id"] = spare.token.id
        api_tokens = {role: created.plaintext for role, created in api_tokens.items()}

    access = AccessWorld(users=users, ids=ids)
    access.clients = {role: client_of(user_id) for role, user_id in users.items()}
    access.api_clients = {role: app.test_client() for role in users}
    for role, client in access.api_clients.items():
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "zh-CN"
        if role in api_tokens:
            client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {api_tokens[role]}"
    return access


def _in_days(days: int):
    from marketplace.clock import utcnow

    return utcnow().replace(microsecond=0) + timedelta(days=days)
