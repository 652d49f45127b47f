"""Volunteer teams: membership transitions, who may make them, masking of member names."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from marketplace.auth.models import Role
from marketplace.clock import local_today
from marketplace.extensions import db
from marketplace.teams.models import MembershipState, TeamKind, TeamMembership, VolunteerTeam


@pytest.fixture
def team(app, people, make_org):
    org_id = make_org(people["founder"], status="approved")
    with app.app_context():
        team = VolunteerTeam(organization_id=org_id, name="乐龄探访队", kind=TeamKind.ELDER_CARE)
        db.session.add(team)
        db.session.commit()
        return team.id


@pytest.fixture
def crew(make_user, make_profile):
    """Volunteers with profiles: a leader-to-be, two members and an outsider."""
    ids = {}
    for key, name in (("leader", "李建国"), ("alice", "阿依古丽·买买提"), ("bob", "王小明"),
                      ("outsider", "赵强")):
        ids[key] = make_user(roles=[Role.VOLUNTEER])
        ids[key + "_profile"] = make_profile(ids[key], real_name=name)
    return ids


def _membership(app, team_id, profile_id):
    with app.app_context():
        return db.session.scalars(
            select(TeamMembership).where(TeamMembership.team_id == team_id,
                                         TeamMembership.volunteer_id == profile_id)
            .order_by(TeamMembership.id.desc())).first()


def _state(app, team_id, profile_id):
    membership = _membership(app, team_id, profile_id)
    return membership.state if membership else None


def _act(client, team_id, membership_id, action, reason=""):
    return client.post(f"/teams/{team_id}/members/{membership_id}/{action}",
                       data={"reason": reason}, follow_redirects=True)


def _join(app, client, login_as, team_id, user_id, profile_id, admin_id):
    """Apply as the volunteer and be approved by the org admin; returns the membership id."""
    login_as(client, user_id)
    client.post(f"/teams/{team_id}/apply")
    membership = _membership(app, team_id, profile_id)
    login_as(client, admin_id)
    _act(client, team_id, membership.id, "approve")
    return membership.id


def test_apply_then_leader_or_admin_approves_or_rejects(app, client, login_as, people, team,
                                                        crew):
    admin = people["founder"]
    leader_membership = _join(app, client, login_as, team, crew["leader"],
                              crew["leader_profile"], admin)
    login_as(client, admin)
    client.post(f"/teams/{team}/members/{leader_membership}/leader/on")
    assert _membership(app, team, crew["leader_profile"]).is_leader

    login_as(client, crew["alice"])
    client.post(f"/teams/{team}/apply")
    assert _state(app, team, crew["alice_profile"]) == MembershipState.APPLIED
    # A second application while one is live is refused.
    page = client.post(f"/teams/{team}/apply", follow_redirects=True,
                       headers={"Accept-Language": "en"})
    assert "already an application" in page.text
    alice = _membership(app, team, crew["alice_profile"]).id
    # Neither the applicant, another volunteer nor an official decides.
    for user in (crew["alice"], crew["outsider"], people["district_official"]):
        login_as(client, user)
        assert client.post(f"/teams/{team}/members/{alice}/approve").status_code == 404
    assert _state(app, team, crew["alice_profile"]) == MembershipState.APPLIED
    login_as(client, crew["leader"])
    _act(client, team, alice, "approve")
    assert _state(app, team, crew["alice_profile"]) == MembershipState.ACTIVE

    login_as(client, crew["bob"])
    client.post(f"/teams/{team}/apply")
    bob = _membership(app, team, crew["bob_profile"]).id
    login_as(client, people["founder"])
    _act(client, team, bob, "reject")
    assert _state(app, team, crew["bob_profile"]) == MembershipState.REJECTED
    # Rejected is history: the volunteer may apply again.
    login_as(client, crew["bob"])
    client.post(f"/teams/{team}/apply")
    assert _state(app, team, crew["bob_profile"]) == MembershipState.APPLIED


def test_invitation_is_answered_by_the_volunteer_only(app, client, login_as, people, team,
                                                      crew):
    with app.app_context():
        from marketplace.volunteers.models import VolunteerProfile

        numbers = {key: db.session.get(VolunteerProfile, crew[key + "_profile"]).volunteer_no
                   for key in ("alice", "bob")}
    login_as(client, crew["outsider"])  # not a leader: cannot invite
    assert client.post(f"/teams/{team}/invite",
                       data={"volunteer_id": numbers["alice"]}).status_code == 404
    login_as(client, people["founder"])
    page = client.post(f"/teams/{team}/invite", data={"volunteer_id": "ZY65020399999999"},
                       follow_redirects=True, headers={"Accept-Language": "en"})
    assert "No volunteer has this number" in page.text
    for key in ("alice", "bob"):
        client.post(f"/teams/{team}/invite", data={"volunteer_id": numbers[key]})
        assert _state(app, team, crew[key + "_profile"]) == MembershipState.INVITED
    alice = _membership(app, team, crew["alice_profile"]).id
    bob = _membership(app, team, crew["bob_profile"]).id
    # The inviting admin cannot accept for the volunteer, nor can someone else.
    assert client.post(f"/teams/{team}/members/{alice}/accept").status_code == 404
    login_as(client, crew["bob"])
    assert client.post(f"/teams/{team}/members/{alice}/accept").status_code == 404
    assert "乐龄探访队" in client.get("/teams/mine").text
    _act(client, team, bob, "decline")
    assert _state(app, team, crew["bob_profile"]) == MembershipState.DECLINED
    login_as(client, crew["alice"])
    _act(client, team, alice, "accept")
    assert _state(app, team, crew["alice_profile"]) == MembershipState.ACTIVE


def test_leave_and_remove_with_reason(app, client, login_as, people, team, crew):
    alice = _join(app, client, login_as, team, crew["alice"], crew["alice_profile"],
                  people["founder"])
    bob = _join(app, client, login_as, team, crew["bob"], crew["bob_profile"],
                people["founder"])
    login_as(client, crew["alice"])
    assert client.post(f"/teams/{team}/members/{bob}/leave").status_code == 404
    _act(client, team, alice, "leave")
    assert _state(app, team, crew["alice_profile"]) == MembershipState.LEFT
    _act(client, team, alice, "leave")  # leaving twice is refused, the state stays
    assert _state(app, team, crew["alice_profile"]) == MembershipState.LEFT

    login_as(client, people["founder"])
    page = _act(client, team, bob, "remove", "")
    assert _state(app, team, crew["bob_profile"]) == MembershipState.ACTIVE
    assert 'class="flash flash-error"' in page.text
    _act(client, team, bob, "remove", "连续三个月未参加活动")
    removed = _membership(app, team, crew["bob_profile"])
    assert (removed.state, removed.reason) == (MembershipState.REMOVED, "连续三个月未参加活动")
    login_as(client, crew["bob"])
    assert "连续三个月未参加活动" in client.get("/teams/mine").text


def test_a_volunteer_may_belong_to_several_teams(app, client, login_as, people, team, crew):
    with app.app_context():
        first = db.session.get(VolunteerTeam, team)
        second = VolunteerTeam(organization_id=first.organization_id, name="夜间巡逻队",
                               kind=TeamKind.PATROL)
        db.session.add(second)
        db.session.commit()
        second_id = second.id
    for team_id in (team, second_id):
        _join(app, client, login_as, team_id, crew["alice"], crew["alice_profile"],
              people["founder"])
        assert _state(app, team_id, crew["alice_profile"]) == MembershipState.ACTIVE
    login_as(client, crew["alice"])
    page = client.get("/teams/mine").text
    assert "乐龄探访队" in page and "夜间巡逻队" in page


def test_member_names_are_masked_for_the_public_and_full_for_team_managers(
        app, client, login_as, people, team, crew):
    _join(app, client, login_as, team, crew["alice"], crew["alice_profile"], people["founder"])
    _join(app, client, login_as, team, crew["bob"], crew["bob_profile"], people["founder"])
    leader = _join(app, client, login_as, team, crew["leader"], crew["leader_profile"],
                   people["founder"])
    client.post(f"/teams/{team}/members/{leader}/leader/on")
    for who in (people["founder"], crew["leader"]):  # the org admin and the team's leader
        login_as(client, who)
        page = client.get(f"/teams/{team}").text
        assert "王小明" in page and "阿依古丽·买买提" in page
    for who in (None, crew["outsider"], crew["bob"], people["district_official"]):
        if who:
            login_as(client, who)
        else:
            client.post("/auth/logout")
            client.delete_cookie("session")
        page = client.get(f"/teams/{team}").text
        assert "王小明" not in page and "阿依古丽·买买提" not in page
        assert "王*明" in page and "阿" + "*" * 6 + "提" in page


def test_minor_needs_guardian_consent_to_join(app, client, login_as, people, team, make_user,
                                              make_profile):
    from marketplace.privacy.models import ConsentPurpose
    from marketplace.privacy.services import record_consent

    teen = make_user(roles=[Role.VOLUNTEER])
    today = local_today()
    teen_profile = make_profile(teen, real_name="马小龙",
                                birth_date=date(today.year - 15, 1, 1))
    login_as(client, teen)
    page = client.post(f"/teams/{team}/apply", follow_redirects=True,
                       headers={"Accept-Language": "en"})
    assert "guardian" in page.text
    assert _state(app, team, teen_profile) is None
    with app.app_context():
        record_consent(teen, ConsentPurpose.GUARDIAN, recorded_by_id=teen,
                       guardian_name="马建华", guardian_relation="父亲")
        db.session.commit()
    client.post(f"/teams/{team}/apply")
    assert _state(app, team, teen_profile) == MembershipState.APPLIED


def test_teams_of_unapproved_organizations_are_closed(app, client, login_as, people, make_org,
                                                      crew):
    org_id = make_org(people["founder"], status="suspended")
    with app.app_context():
        team = VolunteerTeam(organization_id=org_id, name="暂停队", kind=TeamKind.DANCE)
        db.session.add(team)
        db.session.commit()
        team_id = team.id
    assert client.get(f"/teams/{team_id}").status_code == 404
    login_as(client, crew["alice"])
    assert client.post(f"/teams/{team_id}/apply").status_code == 404
    login_as(client, people["founder"])
    assert client.get(f"/teams/{team_id}").status_code == 200
    assert client.get(f"/orgs/{org_id}/teams/new").status_code == 200
    page = client.post(f"/orgs/{org_id}/teams/new", data={"name": "新队", "kind": "dance"},
                       follow_redirects=True, headers={"Accept-Language": "en"})
    assert "Only an approved organization can form teams" in page.text


def test_org_admin_forms_a_team(app, client, login_as, people, make_org):
    org_id = make_org(people["founder"], status="approved")
    login_as(client, people["stranger_admin"])
    assert client.get(f"/orgs/{org_id}/teams/new").status_code == 404
    login_as(client, people["founder"])
    response = client.post(f"/orgs/{org_id}/teams/new",
                           data={"name": "红柳剪纸队", "kind": "paper_cutting"})
    assert response.status_code == 302
    page = client.get(response.location, headers={"Accept-Language": "zh-CN"}).text
    assert "红柳剪纸队" in page and "剪纸编制" in page
    assert "红柳剪纸队" in client.get(f"/orgs/{org_id}").text


def test_one_live_membership_per_team_and_volunteer_is_enforced_by_the_database(
        app, team, crew):
    from sqlalchemy.exc import IntegrityError

    with app.app_context():
        db.session.add(TeamMembership(team_id=team, volunteer_id=crew["alice_profile"],
                                      state=MembershipState.LEFT))
        db.session.add(TeamMembership(team_id=team, volunteer_id=crew["alice_profile"],
                                      state=MembershipState.ACTIVE))
        db.session.commit()
        db.session.add(TeamMembership(team_id=team, volunteer_id=crew["alice_profile"],
                                      state=MembershipState.APPLIED))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


@pytest.mark.parametrize("status", ["suspended", "deregistered"])
def test_a_suspended_organization_approves_no_members(app, client, login_as, people, team, crew,
                                                      status):
    from marketplace.orgs.models import Organization, OrgStatus

    admin = people["founder"]
    bob = _join(app, client, login_as, team, crew["bob"], crew["bob_profile"], admin)
    login_as(client, crew["alice"])
    client.post(f"/teams/{team}/apply")
    alice = _membership(app, team, crew["alice_profile"]).id
    with app.app_context():
        org = db.session.get(Organization, db.session.get(VolunteerTeam, team).organization_id)
        org.status = OrgStatus(status)
        db.session.commit()
    login_as(client, admin)
    for lang, message in (("en", "not taking members now"), ("zh-CN", "目前不接受新队员")):
        page = client.post(f"/teams/{team}/members/{alice}/approve", follow_redirects=True,
                           headers={"Accept-Language": lang})
        assert message in page.text
        assert _state(app, team, crew["alice_profile"]) == MembershipState.APPLIED
    # Ending memberships stays possible: an application may be turned down, a member removed.
    _act(client, team, alice, "reject")
    assert _state(app, team, crew["alice_profile"]) == MembershipState.REJECTED
    _act(client, team, bob, "remove", "组织暂停活动")
    assert _state(app, team, crew["bob_profile"]) == MembershipState.REMOVED


def test_a_removal_needs_a_reason_a_reader_can_see(app, client, login_as, people, team, crew):
    bob = _join(app, client, login_as, team, crew["bob"], crew["bob_profile"], people["founder"])
    login_as(client, people["founder"])
    for reason in ("\u200b\u200b\u200b", "\u202e\u202e\u202e", "\u2800", "未参加\x00"):
        page = client.post(f"/teams/{team}/members/{bob}/remove", data={"reason": reason},
                           follow_redirects=True, headers={"Accept-Language": "en"})
        assert 'class="flash flash-error"' in page.text
        assert _state(app, team, crew["bob_profile"]) == MembershipState.ACTIVE
