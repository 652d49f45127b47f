"""Hours fixtures: two approved organizations with their staff, volunteers, free and paid
projects with a shift each."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime

import pytest

from marketplace.auth.models import Role
from marketplace.extensions import db

_serial = itertools.count(1)


@dataclass
class World:
    org: int
    other_org: int
    committee: int
    social_worker: int
    org_admin: int
    other_social_worker: int
    volunteer_user: int
    volunteer: int
    second_user: int
    second: int
    leader_user: int
    free_project: int
    paid_project: int
    other_project: int
    shift: int
    sign_up: int


@pytest.fixture
def make_volunteer(app, make_user):
    """Factory: (user_id, profile_id) of a volunteer with a real-name profile."""
    from marketplace.privacy import crypto
    from marketplace.volunteers.models import Gender, VolunteerProfile

    def factory(real_name="王小明", roles=(Role.VOLUNTEER,), community_id=None):
        user_id = make_user(roles=list(roles), display_name=real_name)
        with app.app_context():
            n = next(_serial)
            id_number = f"65020319800501{n:03d}X"
            profile = VolunteerProfile(
                user_id=user_id, volunteer_no=f"ZY650203{n:08d}", real_name=real_name,
                id_number_encrypted=crypto.encrypt(id_number),
                id_number_digest=crypto.digest(id_number), birth_date=date(1980, 5, 1),
                gender=Gender.MALE, community_id=community_id,
            )
            db.session.add(profile)
            db.session.commit()
            return user_id, profile.id

    return factory


@pytest.fixture
def world(app, make_user, make_volunteer) -> World:
    from marketplace.geo.models import Community, District, Street
    from marketplace.orgs.models import LegalForm, Organization, OrgStatus
    from marketplace.projects.models import (
        FeeType,
        Project,
        ProjectState,
        Shift,
        SignUp,
        SignUpState,
    )

    with app.app_context():
        district = District(name="克拉玛依区", region_code="650203", lat=45.6, lon=84.87)
        street = Street(district=district, name="胜利路街道", lat=45.6, lon=84.87)
        community = Community(street=street, name="百花社区", lat=45.6, lon=84.87)
        db.session.add_all([district, street, community])
        orgs = [
            Organization(name=name, legal_form=form, status=OrgStatus.APPROVED,
                         district=district, street=street)
            for name, form in (
                ("乐龄社会工作服务社", LegalForm.SOCIAL_SERVICE_AGENCY),
                ("绿城社工服务中心", LegalForm.SOCIAL_SERVICE_AGENCY),
                ("百花社区居民委员会", LegalForm.RESIDENTS_COMMITTEE),
            )
        ]
        db.session.add_all(orgs)
        db.session.commit()
        org, other, committee = (o.id for o in orgs)
        community_id = community.id
    sw = make_user(roles=[(Role.SOCIAL_WORKER, {"organization_id": org})], display_name="李社工")
    admin = make_user(roles=[(Role.ORG_ADMIN, {"organization_id": org})], display_name="张主任")
    other_sw = make_user(roles=[(Role.SOCIAL_WORKER, {"organization_id": other})])
    vol_user, vol = make_volunteer("王小明", community_id=community_id)
    second_user, second = make_volunteer("阿依古丽·买买提", community_id=community_id)
    leader_user, _leader = make_volunteer("赵队长", community_id=community_id)
    with app.app_context():
        projects = [
            Project(organization_id=o, title=title, domain="elder_care", community_id=community_id,
                    starts_on=date(2025, 1, 1), fee_type=fee, state=ProjectState.PUBLISHED)
            for o, title, fee in (
                (org, "重阳节敬老活动", FeeType.FREE),
                (org, "低偿助餐", FeeType.LOW_FEE),
                (other, "社区环保日", FeeType.FREE),
            )
        ]
        db.session.add_all(projects)
        db.session.flush()
        shift = Shift(project_id=projects[0].id, starts_at=datetime(2025, 10, 9, 1, 0),
                      ends_at=datetime(2025, 10, 9, 4, 0), community_id=community_id,
                      lat=45.6, lon=84.87, seats=5, seats_taken=1, leader_id=leader_user)
        db.session.add(shift)
        db.session.flush()
        sign_up = SignUp(shift_id=shift.id, volunteer_id=vol, state=SignUpState.ATTENDED)
        db.session.add(sign_up)
        db.session.commit()
        return World(
            org=org, other_org=other, committee=committee, social_worker=sw, org_admin=admin,
            other_social_worker=other_sw, volunteer_user=vol_user, volunteer=vol,
            second_user=second_user, second=second, leader_user=leader_user,
            free_project=projects[0].id, paid_project=projects[1].id,
            other_project=projects[2].id, shift=shift.id, sign_up=sign_up.id,
        )


@pytest.fixture
def pending(app, world):
    """Factory: a pending entry of ``world.org`` (or another) for a volunteer; returns its id."""
    from marketplace.hours.models import HoursSource
    from marketplace.hours.services import record_pending

    def factory(minutes=180, volunteer=None, organization=None, project="free",
                service_date=date(2025, 10, 9), source=HoursSource.MANUAL):
        project_id = {"free": world.free_project, "paid": world.paid_project,
                      "other": world.other_project, None: None}[project]
        with app.app_context():
            entry = record_pending(
                volunteer_id=volunteer or world.volunteer,
                organization_id=organization or world.org, service_date=service_date,
                minutes=minutes, source=source, project_id=project_id,
                recorded_by_id=world.social_worker,
            )
            db.session.commit()
            return entry.id

    return factory


@pytest.fixture
def verified(app, client, login_as, world, pending):
    """Verified service of the volunteer: 3 h and 2.5 h with the organization, 4 h of paid
    work (never on a certificate), 1 h with the residents' committee."""
    entries = [pending(minutes=180), pending(minutes=150, service_date=date(2025, 11, 2)),
               pending(minutes=240, project="paid")]
    committee_entry = pending(minutes=60, organization=world.committee, project=None)
    staff = app.test_client()
    login_as(staff, world.social_worker)
    for entry in entries:
        staff.post(f"/hours/{entry}/verify")
    from marketplace.auth.models import Role

    with app.app_context():
        from marketplace.auth.models import RoleGrant

        db.session.add(RoleGrant(user_id=world.org_admin, role=Role.ORG_ADMIN,
                                 organization_id=world.committee))
        db.session.commit()
    committee_staff = app.test_client()
    login_as(committee_staff, world.org_admin)
    committee_staff.post(f"/hours/{committee_entry}/verify")
    login_as(client, world.volunteer_user)
    return client
