"""A district with two streets and a second district, an organization in each place, people in
every role, and audit records about them."""

from __future__ import annotations

from datetime import datetime

import pytest

from marketplace.audit.models import AuditRecord
from marketplace.auth.models import Role
from marketplace.extensions import db
from marketplace.geo.models import District, Street
from marketplace.orgs.models import LegalForm, Organization


@pytest.fixture
def places(app):
    with app.app_context():
        home = District(name="克拉玛依区", region_code="650203", lat=45.6, lon=84.87)
        other = District(name="独山子区", region_code="650202", lat=44.33, lon=84.88)
        street_a = Street(district=home, name="胜利路街道", lat=45.6, lon=84.87)
        street_b = Street(district=home, name="昆仑路街道", lat=45.6, lon=84.88)
        street_x = Street(district=other, name="西宁路街道", lat=44.3, lon=84.9)
        orgs = {
            "a": Organization(name="胜利路乐龄社", legal_form=LegalForm.COMMUNITY_ORG,
                              district=home, street=street_a),
            "b": Organization(name="昆仑路互助会", legal_form=LegalForm.COMMUNITY_ORG,
                              district=home, street=street_b),
            "x": Organization(name="独山子志愿者协会", legal_form=LegalForm.SOCIAL_GROUP,
                              district=other),
        }
        db.session.add_all([home, other, street_a, street_b, street_x, *orgs.values()])
        db.session.commit()
        ids = {f"org_{key}": org.id for key, org in orgs.items()}
        return ids | {"district": home.id, "other_district": other.id,
                      "street_a": street_a.id, "street_b": street_b.id}


@pytest.fixture
def people(make_user, places):
    return {
        "admin": make_user(phone="13700000001", roles=[Role.PLATFORM_ADMIN],
                           display_name="平台管理员甲"),
        "district_official": make_user(
            roles=[(Role.OFFICIAL, {"district_id": places["district"]})]
        ),
        "street_official": make_user(roles=[(Role.OFFICIAL, {"street_id": places["street_a"]})]),
        "other_official": make_user(
            roles=[(Role.OFFICIAL, {"district_id": places["other_district"]})]
        ),
        "worker_a": make_user(
            phone="13712340001", display_name="社工阿依古丽",
            roles=[(Role.SOCIAL_WORKER, {"organization_id": places["org_a"]})],
        ),
        "worker_x": make_user(
            phone="13712340002", display_name="社工王明",
            roles=[(Role.SOCIAL_WORKER, {"organization_id": places["org_x"]})],
        ),
        "volunteer": make_user(phone="13712340003", roles=[Role.VOLUNTEER]),
    }


@pytest.fixture
def add_record(app):
    """Factory: one audit record, optionally at a given UTC time."""

    def factory(actor_id, action, object_type, object_id, reason=None, role=None, at=None):
        with app.app_context():
            entry = AuditRecord(actor_id=actor_id, actor_role=role, action=action,
                                object_type=object_type, object_id=str(object_id), reason=reason)
            if at is not None:
                entry.created_at = at
            db.session.add(entry)
            db.session.commit()
            return entry.id

    return factory


@pytest.fixture
def trail(people, places, add_record):
    """One record per case of the official's scope; the reason names the case."""
    admin = people["admin"]
    add_record(admin, "org.create", "organization", places["org_a"], "R-org-a", "org_admin")
    add_record(admin, "org.approve", "organization", places["org_b"], "R-org-b", "official")
    add_record(admin, "org.create", "organization", places["org_x"], "R-org-x", "org_admin")
    add_record(people["worker_a"], "reveal.phone", "volunteer_profile", 7, "R-reveal-a",
               "social_worker")
    add_record(people["worker_x"], "reveal.id_number", "volunteer_profile", 8, "R-reveal-x",
               "social_worker")
    add_record(people["worker_a"], "team.create", "volunteer_team", 3, "R-team-a", "org_admin",
               at=datetime(2026, 1, 1, 2, 0))
    return ["R-org-a", "R-org-b", "R-org-x", "R-reveal-a", "R-reveal-x", "R-team-a"]
