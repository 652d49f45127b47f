"""Which memberships open a volunteer's profile and reveals to an organization's staff.

An invitation is not a membership: an organization that only typed a volunteer's number must
not see the person's name, ID number or phone. A suspended or deregistered organization's
staff lose access as well.
"""

from __future__ import annotations

import pytest
from fixtures.builders import make_id_number

from marketplace.audit.models import AuditRecord
from marketplace.auth.models import Role
from marketplace.extensions import db
from marketplace.orgs.models import Organization, OrgStatus
from marketplace.teams.models import MembershipState, VolunteerTeam
from marketplace.volunteers.models import VolunteerProfile

NUMBER = make_id_number("19620704", 31)
PHONE = "18912345678"
PURPOSE = "联系志愿者安排走访"


def _reveal(client, profile_id, kind="id_number"):
    return client.post(
        "/privacy/reveal", data={"kind": kind, "object": profile_id, "purpose": PURPOSE}
    )


def _audits(app):
    """The reveals on record."""
    with app.app_context():
        return db.session.execute(
            db.select(AuditRecord).where(AuditRecord.action.like("reveal.%"))
        ).scalars().all()


@pytest.mark.parametrize(
    ("state", "opens"),
    [
        (MembershipState.APPLIED, True),  # staff decide on an application: they see who it is
        (MembershipState.ACTIVE, True),
        (MembershipState.INVITED, False),
        (MembershipState.DECLINED, False),
        (MembershipState.REJECTED, False),
        (MembershipState.LEFT, False),
        (MembershipState.REMOVED, False),
    ],
)
def test_only_applied_and_active_memberships_open_the_profile(
    app, client, login_as, make_user, volunteer, team_of, geo, state, opens
):
    _, profile_id = volunteer(phone=PHONE, id_number=NUMBER)
    org_id = team_of(profile_id, geo["district"], state=state)
    login_as(client, make_user(roles=[(Role.ORG_ADMIN, {"organization_id": org_id})]))
    detail = client.get(f"/volunteers/{profile_id}")
    revealed = _reveal(client, profile_id)
    if opens:
        assert detail.status_code == 200 and "王小明" in detail.text
        assert revealed.status_code == 200 and NUMBER in revealed.text
    else:
        assert detail.status_code == 404 and "王小明" not in detail.text
        assert revealed.status_code == 404 and NUMBER not in revealed.text
        assert _audits(app) == []


@pytest.mark.parametrize("status", [OrgStatus.SUSPENDED, OrgStatus.DEREGISTERED])
def test_staff_of_a_suspended_or_deregistered_organization_lose_access(
    app, client, login_as, make_user, volunteer, team_of, geo, status
):
    _, profile_id = volunteer(phone=PHONE, id_number=NUMBER)
    org_id = team_of(profile_id, geo["district"], state=MembershipState.ACTIVE)
    staff = [make_user(roles=[(role, {"organization_id": org_id})])
             for role in (Role.ORG_ADMIN, Role.SOCIAL_WORKER)]
    login_as(client, staff[0])
    assert client.get(f"/volunteers/{profile_id}").status_code == 200
    with app.app_context():
        db.session.get(Organization, org_id).status = status
        db.session.commit()
    for user in staff:
        login_as(client, user)
        assert client.get(f"/volunteers/{profile_id}").status_code == 404
        for kind in ("id_number", "phone"):
            response = _reveal(client, profile_id, kind)
            assert response.status_code == 404
            assert NUMBER not in response.text and PHONE not in response.text
    assert _audits(app) == []


def test_an_invitation_by_number_from_another_district_reveals_nothing(
    app, client, login_as, make_user, volunteer, team_of, geo
):
    """The probe's attack: an approved organization elsewhere invites by volunteer number,
    then opens the profile, reveals, and reads its own team page."""
    _, target = volunteer(phone=PHONE, id_number=NUMBER)
    _, bystander = volunteer(id_number=make_id_number("19900101", 8), real_name="李建国")
    with app.app_context():
        number = db.session.get(VolunteerProfile, target).volunteer_no
    org_id = team_of(bystander, geo["other_district"])
    with app.app_context():
        team_id = db.session.scalars(
            db.select(VolunteerTeam.id).where(VolunteerTeam.organization_id == org_id)
        ).one()
    login_as(client, make_user(roles=[(Role.ORG_ADMIN, {"organization_id": org_id})]))
    client.post(f"/teams/{team_id}/invite", data={"volunteer_id": number})
    assert client.get(f"/volunteers/{target}").status_code == 404
    for kind in ("id_number", "phone"):
        response = _reveal(client, target, kind)
        assert response.status_code == 404
        assert NUMBER not in response.text and PHONE not in response.text
    team_page = client.get(f"/teams/{team_id}").text
    assert "王小明" not in team_page and "王*明" in team_page  # invited: masked until accepted
    assert "李建国" in team_page  # the active member's name stays visible to the manager
    assert _audits(app) == []
