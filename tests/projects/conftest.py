"""Projects fixtures: a small district with real coordinates, two approved organizations with
their staff, volunteers with home points, and factories for projects and shifts that skip the
forms (the services' own checks are tested through the pages)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

from marketplace.auth.models import Role
from marketplace.clock import utcnow
from marketplace.extensions import db

_serial = itertools.count(1)

# 百花 and 迎宾 are 1–2 km apart in the town centre, 幸福 some 6 km north.
COMMUNITY_POINTS = {"百花社区": (45.600, 84.870), "迎宾社区": (45.610, 84.885),
                    "幸福社区": (45.655, 84.875)}


@pytest.fixture
def world(app, make_user):
    """Geography, an approved organization with a social worker and an admin, a second
    approved organization with its own social worker, and a suspended third one."""
    from marketplace.auth.models import RoleGrant, User
    from marketplace.geo.models import Community, District, Street
    from marketplace.orgs.models import LegalForm, Organization, OrgStatus

    with app.app_context():
        district = District(name="克拉玛依区", region_code="650203", lat=45.6, lon=84.87)
        street = Street(district=district, name="胜利路街道", lat=45.6, lon=84.87)
        communities = [Community(street=street, name=name, lat=lat, lon=lon)
                       for name, (lat, lon) in COMMUNITY_POINTS.items()]
        orgs = [
            Organization(name="乐龄社会工作服务社", legal_form=LegalForm.SOCIAL_SERVICE_AGENCY,
                         status=OrgStatus.APPROVED, district=district),
            Organization(name="幸福社区志愿者协会", legal_form=LegalForm.SOCIAL_GROUP,
                         status=OrgStatus.APPROVED, district=district),
            Organization(name="停办服务中心", legal_form=LegalForm.SOCIAL_SERVICE_AGENCY,
                         status=OrgStatus.SUSPENDED, district=district),
        ]
        db.session.add_all([district, street, *communities, *orgs])
        db.session.commit()
        ids = {"district": district.id, "street": street.id,
               "communities": [c.id for c in communities],
               "org": orgs[0].id, "other_org": orgs[1].id, "suspended_org": orgs[2].id}

    def staff(role, org_key):
        user_id = make_user(display_name="社工")
        with app.app_context():
            user = db.session.get(User, user_id)
            user.grants.append(RoleGrant(role=role, organization_id=ids[org_key]))
            db.session.commit()
        return user_id

    ids["social_worker"] = staff(Role.SOCIAL_WORKER, "org")
    ids["org_admin"] = staff(Role.ORG_ADMIN, "org")
    ids["other_social_worker"] = staff(Role.SOCIAL_WORKER, "other_org")
    ids["suspended_social_worker"] = staff(Role.SOCIAL_WORKER, "suspended_org")
    return ids


@pytest.fixture
def make_volunteer(app, make_user, world):
    """Factory: a volunteer account with a profile; returns (user id, profile id)."""
    from marketplace.privacy import crypto
    from marketplace.volunteers.models import Gender, VolunteerProfile

    def factory(birth_date=date(1980, 5, 1), skills=(), languages=("zh",), hours_per_week=20.0,
                point=COMMUNITY_POINTS["百花社区"], real_name="王小明"):
        user_id = make_user(roles=[Role.VOLUNTEER], display_name=real_name)
        n = next(_serial)
        id_number = f"650203{birth_date:%Y%m%d}{n:03d}X"
        with app.app_context():
            profile = VolunteerProfile(
                user_id=user_id, volunteer_no=f"ZY650203{n:08d}", real_name=real_name,
                id_number_encrypted=crypto.encrypt(id_number),
                id_number_digest=crypto.digest(id_number),
                birth_date=birth_date, gender=Gender.FEMALE, skills=list(skills),
                languages=list(languages), community_id=world["communities"][0],
                lat=point[0] if point else None, lon=point[1] if point else None,
                hours_per_week=hours_per_week,
            )
            db.session.add(profile)
            db.session.commit()
            return user_id, profile.id

    return factory


@pytest.fixture
def make_project(app, world):
    """Factory: a project of ``org`` (default: the first organization), published."""
    from marketplace.orgs.models import ServiceDomain
    from marketplace.projects.models import FeeType, Project, ProjectState

    def factory(org="org", title="敬老院陪伴", state="published", domain="elder_care",
                fee_type="free"):
        with app.app_context():
            project = Project(
                organization_id=world[org], title=title, domain=ServiceDomain(domain),
                community_id=world["communities"][0], starts_on=date(2026, 1, 1),
                fee_type=FeeType(fee_type), state=ProjectState(state),
            )
            db.session.add(project)
            db.session.commit()
            return project.id

    return factory


@pytest.fixture
def make_shift(app, world, make_project):
    """Factory: a scheduled shift starting ``starts_in`` from now, lasting ``hours``."""
    from marketplace.projects.models import Shift

    def factory(project_id=None, starts_in=timedelta(days=3), hours=2, seats=3, community=0,
                point=None, **fields):
        project_id = project_id or make_project()
        starts_at = utcnow().replace(microsecond=0) + starts_in
        lat, lon = point or list(COMMUNITY_POINTS.values())[community]
        with app.app_context():
            shift = Shift(
                project_id=project_id, starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=hours),
                community_id=world["communities"][community], address="友谊路 12 号",
                lat=lat, lon=lon, seats=seats, **fields,
            )
            db.session.add(shift)
            db.session.commit()
            return shift.id

    return factory


@pytest.fixture
def signed_in(app, login_as):
    """``signed_in(user_id)``: a test client logged in as that user, asking for Chinese."""

    def factory(user_id: int, language: str = "zh-CN"):
        client = app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
        login_as(client, user_id)
        return client

    return factory


@pytest.fixture
def seat_counts(app):
    """``seat_counts(shift_id)``: sign-ups per state, and the shift's seats taken."""
    from marketplace.projects.models import Shift, SignUp

    def count(shift_id: int) -> dict:
        with app.app_context():
            rows = db.session.execute(
                db.select(SignUp.state, db.func.count()).where(SignUp.shift_id == shift_id)
                .group_by(SignUp.state)
            ).all()
            result = {state.value: n for state, n in rows}
            result["seats_taken"] = db.session.get(Shift, shift_id).seats_taken
            return result

    return count
