"""Registry fixtures: a small geography, people in every role, organizations and profiles."""

from __future__ import annotations

from datetime import date

import pytest
from orgs_helpers import next_serial, valid_code

from marketplace.auth.models import Role
from marketplace.extensions import db
from marketplace.geo.models import Community, District, Street
from marketplace.orgs.uscc import CIVIL_AFFAIRS_PREFIX


@pytest.fixture
def geo(app):
    """Two districts; the first has streets A (communities 1, 2) and B (community 3)."""
    with app.app_context():
        home = District(name="克拉玛依区", region_code="650203", lat=45.6, lon=84.87)
        other = District(name="独山子区", region_code="650202", lat=44.33, lon=84.88)
        street_a = Street(district=home, name="胜利路街道", lat=45.6, lon=84.87)
        street_b = Street(district=home, name="昆仑路街道", lat=45.6, lon=84.88)
        street_x = Street(district=other, name="西宁路街道", lat=44.3, lon=84.9)
        communities = [
            Community(street=street_a, name="百花社区", lat=45.6, lon=84.87),
            Community(street=street_a, name="迎宾社区", lat=45.6, lon=84.87),
            Community(street=street_b, name="幸福社区", lat=45.6, lon=84.88),
            Community(street=street_x, name="天山社区", lat=44.3, lon=84.9),
        ]
        db.session.add_all([home, other, street_a, street_b, street_x, *communities])
        db.session.commit()
        return {
            "district": home.id, "other_district": other.id,
            "street_a": street_a.id, "street_b": street_b.id, "street_x": street_x.id,
            "communities": [c.id for c in communities],
        }


@pytest.fixture
def people(make_user, geo):
    """User ids in every role the registry cares about."""
    return {
        "founder": make_user(),
        "district_official": make_user(roles=[(Role.OFFICIAL, {"district_id": geo["district"]})]),
        "street_official": make_user(roles=[(Role.OFFICIAL, {"street_id": geo["street_a"]})]),
        "other_street_official": make_user(
            roles=[(Role.OFFICIAL, {"street_id": geo["street_b"]})]
        ),
        "other_district_official": make_user(
            roles=[(Role.OFFICIAL, {"district_id": geo["other_district"]})]
        ),
        "volunteer": make_user(roles=[Role.VOLUNTEER]),
        "stranger_admin": make_user(),
    }


@pytest.fixture
def make_org(app, geo):
    """Factory: an organization in the given status with its admin grant, without the forms."""
    from marketplace.auth.models import RoleGrant, User
    from marketplace.orgs.models import LegalForm, Organization, OrgStatus

    def factory(admin_id: int | None = None, name="乐龄社会工作服务社",
                legal_form="social_service_agency", status="draft", street=None,
                category="service", communities=(), domains=(), contact_phone="13912345678"):
        with app.app_context():
            form = LegalForm(legal_form)
            org = Organization(
                name=name, legal_form=form, status=OrgStatus(status), category=category,
                district_id=geo["district"],
                street_id=geo[street] if street else (
                    geo["street_a"] if form == LegalForm.COMMUNITY_ORG else None
                ),
                uscc=valid_code(legal_form) if form in CIVIL_AFFAIRS_PREFIX else None,
                contact_name="张丽", contact_phone=contact_phone,
            )
            org.communities = [db.session.get(Community, geo["communities"][i])
                               for i in communities]
            org.domains = list(domains)
            db.session.add(org)
            db.session.flush()
            if admin_id:
                admin = db.session.get(User, admin_id)
                admin.grants.append(RoleGrant(role=Role.ORG_ADMIN, organization_id=org.id))
            db.session.commit()
            return org.id

    return factory


@pytest.fixture
def make_profile(app, geo):
    """Factory: a volunteer profile for a user (adult unless ``birth_date`` says otherwise)."""
    from marketplace.privacy import crypto
    from marketplace.volunteers.models import Gender, VolunteerProfile

    def factory(user_id: int, real_name="王小明", birth_date=date(1980, 5, 1)):
        with app.app_context():
            n = next_serial()
            id_number = f"650203{birth_date:%Y%m%d}{n:03d}X"
            profile = VolunteerProfile(
                user_id=user_id, volunteer_no=f"ZY650203{n:08d}", real_name=real_name,
                id_number_encrypted=crypto.encrypt(id_number),
                id_number_digest=crypto.digest(id_number),
                birth_date=birth_date, gender=Gender.MALE,
                community_id=geo["communities"][0],
            )
            db.session.add(profile)
            db.session.commit()
            return profile.id

    return factory
