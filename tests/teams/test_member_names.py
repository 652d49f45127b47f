"""The name rule on the team page, for each role: the organization's staff and the team's
leaders see members' full names; everyone else sees them shortened, and is told so."""

from __future__ import annotations

import pytest

from marketplace.auth.models import Role
from marketplace.extensions import db
from marketplace.teams.models import MembershipState, TeamKind, TeamMembership, VolunteerTeam

FULL, SHORT = "阿依古丽·买买提", "阿******提"
NOTE = "Names are shown shortened"
EN = {"Accept-Language": "en"}


@pytest.fixture
def viewers(app, people, make_org, make_user, make_profile):
    """A team with a leader and a member, and a user id for every kind of viewer."""
    org_id = make_org(people["founder"], status="approved")
    other_org = make_org(people["stranger_admin"], name="另一家服务社", status="approved")
    leader = make_user(roles=[Role.VOLUNTEER])
    member = make_user(roles=[Role.VOLUNTEER])
    stranger = make_user(roles=[Role.VOLUNTEER])
    profiles = {who: make_profile(who, real_name=name) for who, name in
                ((leader, "李建国"), (member, FULL), (stranger, "赵强"))}
    with app.app_context():
        team = VolunteerTeam(organization_id=org_id, name="乐龄探访队", kind=TeamKind.ELDER_CARE)
        db.session.add(team)
        db.session.flush()
        db.session.add_all([
            TeamMembership(team_id=team.id, volunteer_id=profiles[leader],
                           state=MembershipState.ACTIVE, is_leader=True),
            TeamMembership(team_id=team.id, volunteer_id=profiles[member],
                           state=MembershipState.ACTIVE),
        ])
        db.session.commit()
        team_id = team.id
    return team_id, {
        "visitor": None,
        "volunteer outside the team": stranger,
        "member": member,
        "leader": leader,
        "org admin": people["founder"],
        "social worker of the organization": make_user(
            roles=[(Role.SOCIAL_WORKER, {"organization_id": org_id})]),
        "staff of another organization": make_user(
            roles=[(Role.SOCIAL_WORKER, {"organization_id": other_org})]),
        "admin of another organization": people["stranger_admin"],
        "district official": people["district_official"],
    }


SEES_FULL_NAMES = {
    "visitor": False,
    "volunteer outside the team": False,
    "member": False,
    "leader": True,
    "org admin": True,
    "social worker of the organization": True,
    "staff of another organization": False,
    "admin of another organization": False,
    "district official": False,
}


@pytest.mark.parametrize("viewer", sorted(SEES_FULL_NAMES))
def test_member_names_follow_one_rule_for_each_role(app, login_as, viewers, viewer):
    team_id, ids = viewers
    client = app.test_client()
    if ids[viewer] is not None:
        login_as(client, ids[viewer])
    page = client.get(f"/teams/{team_id}", headers=EN).get_data(as_text=True)
    if SEES_FULL_NAMES[viewer]:
        assert FULL in page and NOTE not in page
    else:
        # the note says what the page does: never beside full names
        assert FULL not in page and SHORT in page and NOTE in page
