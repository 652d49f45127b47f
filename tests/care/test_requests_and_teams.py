"""Care requests and their states; living teams: forming, the page per role, the schedule,
the visit log into pending hours, a member leaving, follow-ups; supervision flags."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from fixtures.care import SENTINEL_PHONE

from marketplace.clock import local_today
from marketplace.extensions import db

BIG_ID = "9" * 20


def test_a_311_request_and_a_single_task_carry_the_engine_fields(
    app, care, make_household, as_user
):
    from marketplace.care.models import CareRequest, CareRequestState

    household_id = make_household()
    client = as_user(care["social_worker"])
    assert client.post(f"/care/households/{household_id}/requests/new", data={
        "team_size": "3", "skills": ["psych_support"], "languages": ["zh", "ug"],
        "needs_social_worker": "y", "slots": ["tue_am"], "hours_per_week": "2",
        "visits_per_week": "1", "priority": "", "max_km": "3",
    }).status_code == 302
    refused = client.post(f"/care/households/{household_id}/requests/new", data={
        "team_size": "1", "title": "\u200b", "needs_social_worker": "y",
        "hours_per_week": "2", "visits_per_week": "9",
    })
    assert refused.status_code == 400
    assert client.post(f"/care/households/{household_id}/requests/new", data={
        "team_size": "1", "title": "水管维修", "skills": ["repair"], "hours_per_week": "1",
        "visits_per_week": "1", "priority": "3",
    }).status_code == 302
    with app.app_context():
        team, single = db.session.scalars(db.select(CareRequest).order_by(CareRequest.id)).all()
        assert (team.team_size, team.needs_social_worker, team.languages) == (3, True, ["zh", "ug"])
        assert team.priority == 5 and team.max_km == 3 and team.state == CareRequestState.OPEN
        assert (single.team_size, single.title, single.priority) == (1, "水管维修", 3)
    assert as_user(care["other_social_worker"]).post(
        f"/care/households/{household_id}/requests/new", data={"team_size": "3"}
    ).status_code == 404
    assert client.post(f"/care/requests/{BIG_ID}/close", data={"reason": "重复登记了"}
                       ).status_code == 404


def test_request_states_follow_the_domain_machine(app, care, make_household):
    from marketplace.auth.models import User
    from marketplace.care.models import CareRequestState, Household
    from marketplace.care.services import requests
    from marketplace.errors import DomainError

    household_id = make_household()
    with app.test_request_context():
        actor = db.session.get(User, care["social_worker"])
        household = db.session.get(Household, household_id)
        care_request = requests.create_request(
            actor, household, requests.RequestInput.from_household(household))
        requests.move(care_request, CareRequestState.PROPOSED)
        requests.move(care_request, CareRequestState.OPEN)  # declined or expired
        requests.close_request(actor, care_request, "需求已不存在")
        with pytest.raises(DomainError):
            requests.move(care_request, CareRequestState.OPEN)


def test_the_team_page_per_role_and_the_visit_log_into_pending_hours(
    app, care, make_living_team, as_user, make_user
):
    from marketplace.care.models import CareRequest, CareRequestState, VisitLog
    from marketplace.hours.models import HoursEntry, HoursSource, HoursState

    made = make_living_team()
    team_id = made["team"]
    member_user = made["volunteers"][0][0]
    member = as_user(member_user)
    page = member.get(f"/care/teams/{team_id}").text
    # A member sees what a visit needs: name, address, the phone plainly.
    assert "李桂兰" in page and "友谊路12号" in page and SENTINEL_PHONE in page
    assert "周二 上午" in page or "Tuesday Morning" in page
    worker_page = as_user(care["social_worker"]).get(f"/care/teams/{team_id}").text
    assert SENTINEL_PHONE not in worker_page  # staff reveal with a purpose
    stranger = make_user(roles=[])
    for who in (stranger, care["other_social_worker"], care["official"]):
        assert as_user(who).get(f"/care/teams/{team_id}").status_code in (403, 404)
    assert member.get(f"/care/teams/{BIG_ID}").status_code == 404

    today = local_today()
    visit = {"visited_on": today.isoformat(), "minutes": "90", "contact": "y",
             "persons_reached": "1", "note": "陪老人聊天，打扫厨房"}
    assert member.post(f"/care/teams/{team_id}/visits", data=visit).status_code == 302
    again = member.post(f"/care/teams/{team_id}/visits", data=visit)  # double submit
    assert again.status_code == 400
    future = member.post(f"/care/teams/{team_id}/visits", data={
        **visit, "visited_on": (today + timedelta(days=2)).isoformat()})
    assert future.status_code == 400
    control = member.post(f"/care/teams/{team_id}/visits", data={
        **visit, "visited_on": (today - timedelta(days=1)).isoformat(), "note": "好\x1b[2J"})
    assert control.status_code == 400
    with app.app_context():
        log = db.session.scalars(db.select(VisitLog)).one()
        entry = db.session.get(HoursEntry, log.hours_entry_id)
        assert entry.state == HoursState.PENDING and entry.source == HoursSource.VISIT
        assert entry.minutes == 90 and entry.organization_id == care["org"]
        assert entry.volunteer_id == made["volunteers"][0][1]

    # The social worker verifies the hours like any other entry.
    verified = as_user(care["social_worker"]).post(f"/hours/{entry.id}/verify")
    assert verified.status_code in (302, 303)
    with app.app_context():
        assert db.session.get(HoursEntry, entry.id).state == HoursState.VERIFIED

    # A member leaving reopens one seat; the two others keep serving (§8.7).
    assert member.post(f"/care/teams/{team_id}/leave").status_code == 302
    with app.app_context():
        from marketplace.care.services import living

        care_request = db.session.get(CareRequest, made["request"])
        assert care_request.state == CareRequestState.OPEN
        assert living.living_team_members(care_request) == sorted(
            p for _u, p in made["volunteers"][1:])
    assert member.get(f"/care/teams/{team_id}").status_code == 404
    # Completing the team again keeps the two and adds one.
    newcomer_user = make_user()
    with app.app_context():
        from marketplace.auth.models import User

        actor = db.session.get(User, care["social_worker"])
    return_ids = [p for _u, p in made["volunteers"][1:]]
    with app.app_context():
        from marketplace.care.services import living
        from marketplace.privacy import crypto
        from marketplace.volunteers.models import Gender, VolunteerProfile

        profile = VolunteerProfile(
            user_id=newcomer_user, volunteer_no="ZY65020399999999", real_name="新成员",
            id_number_encrypted=crypto.encrypt("65020319800101999X"),
            id_number_digest=crypto.digest("65020319800101999X"),
            birth_date=date(1980, 1, 1), gender=Gender.FEMALE)
        db.session.add(profile)
        db.session.flush()
        care_request = db.session.get(CareRequest, made["request"])
        team = living.form_team(care_request, [*return_ids, profile.id],
                                actor=db.session.merge(actor))
        db.session.commit()
        assert team.id == team_id and care_request.state == CareRequestState.STAFFED
        assert len(team.current_members) == 3


def test_the_social_worker_takes_a_member_off_with_a_reason(app, care, make_living_team,
                                                            as_user):
    from marketplace.care.models import CareRequest, CareRequestState, CareTeamMember

    made = make_living_team()
    with app.app_context():
        member_id = db.session.scalars(db.select(CareTeamMember.id)).first()
    client = as_user(care["social_worker"])
    client.post(f"/care/teams/{made['team']}/members/{member_id}/remove", data={"reason": ""})
    with app.app_context():
        assert db.session.get(CareRequest, made["request"]).state == CareRequestState.STAFFED
    other = as_user(care["other_social_worker"]).post(
        f"/care/teams/{made['team']}/members/{member_id}/remove", data={"reason": "不再合适了"})
    assert other.status_code == 404
    client.post(f"/care/teams/{made['team']}/members/{member_id}/remove",
                data={"reason": "长期外出务工"})
    with app.app_context():
        assert db.session.get(CareRequest, made["request"]).state == CareRequestState.OPEN


def test_follow_ups_are_recorded_as_independent_when_the_asker_is_not_on_the_team(
    app, care, make_living_team, as_user
):
    from marketplace.projects.models import FollowUp, FollowUpAnswer

    made = make_living_team()
    client = as_user(care["social_worker"])
    assert client.post(f"/care/households/{made['household']}/follow-ups", data={
        "asked_person": "老人本人", "channel": "phone", "answer": "satisfied"}
    ).status_code == 302
    client.post(f"/care/households/{made['household']}/follow-ups", data={
        "asked_person": "\u200b", "channel": "phone", "answer": "satisfied"})
    with app.app_context():
        follow_up = db.session.scalars(db.select(FollowUp)).one()
        assert follow_up.household_id == made["household"] and follow_up.independent
        assert follow_up.answer == FollowUpAnswer.SATISFIED


def test_quiet_teams_are_flagged_after_14_days_and_to_the_admin_after_30(
    app, care, make_living_team, as_user
):
    from marketplace.care.models import CareTeam, VisitLog
    from marketplace.care.services import supervision
    from marketplace.clock import utcnow

    made = make_living_team()
    with app.app_context():
        team = db.session.get(CareTeam, made["team"])
        team.formed_at = utcnow() - timedelta(days=40)
        db.session.add(VisitLog(care_team_id=team.id, volunteer_id=made["volunteers"][0][1],
                                visited_on=local_today() - timedelta(days=20), minutes=60))
        db.session.commit()
        assert [q.team_id for q in supervision.quiet_teams({care["org"]}, 14)] == [team.id]
        assert supervision.quiet_teams({care["org"]}, 30) == []
        assert supervision.quiet_teams({care["other_org"]}, 14) == []
    home = as_user(care["social_worker"]).get("/").text
    assert "14" in home
    households = as_user(care["social_worker"]).get("/care/households").text
    assert "20" in households
    # No re-match endpoint in this build yet: the flag shows without a dead button.
    if supervision.REMATCH_ENDPOINT not in app.view_functions:
        assert "care_request_id" not in households
    with app.app_context():
        log = db.session.scalars(db.select(VisitLog)).one()
        log.visited_on = local_today() - timedelta(days=31)
        db.session.commit()
    org_page = as_user(care["org_admin"]).get(f"/orgs/{care['org']}").text
    with app.app_context():
        pseudonym = db.session.get(CareTeam, made["team"]).care_request.household.pseudonym
    assert pseudonym in org_page
    assert pseudonym not in as_user(care["other_social_worker"]).get(
        f"/orgs/{care['org']}").text


def test_the_map_data_holds_points_and_grids_but_no_personal_values(
    app, care, make_household, as_user
):
    make_household()
    response = as_user(care["social_worker"]).get("/care/map.json")
    data = response.get_json()
    assert len(data["households"]) == 1 and data["grids"]
    text = response.get_data(as_text=True)
    assert "李桂兰" not in text and SENTINEL_PHONE not in text and "友谊路" not in text
    assert as_user(care["other_social_worker"]).get("/care/map.json").get_json()[
        "households"] == []
    assert as_user(care["official"]).get("/care/map.json").status_code in (403, 404)
    page = as_user(care["social_worker"]).get("/care/map").text
    assert "leaflet.js" in page and "http" not in page.split('data-tiles="')[1][:5]
