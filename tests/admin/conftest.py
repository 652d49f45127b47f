"""An organization in each place of the shared geography, people in every role, and audit
records about them."""

from __future__ import annotations

from datetime import datetime

import pytest

from marketplace.audit.models import AuditRecord
from marketplace.auth import scopes
from marketplace.auth.models import Role, User
from marketplace.extensions import db
from marketplace.orgs.models import Organization


@pytest.fixture
def places(geo, make_org):
    orgs = {
        "org_a": make_org(name="胜利路乐龄社", legal_form="community_org", street="street_a"),
        "org_b": make_org(name="昆仑路互助会", legal_form="community_org", street="street_b"),
        "org_x": make_org(name="独山子志愿者协会", legal_form="social_group",
                          district="other_district"),
    }
    return orgs | geo


@pytest.fixture
def people(make_user, make_official, make_staff, places):
    return {
        "admin": make_user(phone="13700000001", roles=[Role.PLATFORM_ADMIN],
                           display_name="平台管理员甲"),
        "district_official": make_official("district"),
        "street_official": make_official("street_a"),
        "other_official": make_official("other_district"),
        "worker_a": make_staff(places["org_a"], phone="13712340001", display_name="社工阿依古丽"),
        "worker_x": make_staff(places["org_x"], phone="13712340002", display_name="社工王明"),
        "volunteer": make_user(phone="13712340003", roles=[Role.VOLUNTEER]),
    }


def _places_of(actor_id, action, object_type, object_id) -> scopes.Places:
    """Where the services would place the record: an organization record at that
    organization, a reveal at the organization its staff actor works for; others nowhere."""
    org = None
    if object_type == "organization" and str(object_id).isdigit():
        org = db.session.get(Organization, int(object_id))
    elif action.startswith("reveal."):
        staff = scopes.organization_ids(db.session.get(User, actor_id))
        org = db.session.get(Organization, min(staff)) if staff else None
    return org.places if org is not None else scopes.NOWHERE


@pytest.fixture
def add_record(app):
    """Factory: one audit record, optionally at a given UTC time."""

    def factory(actor_id, action, object_type, object_id, reason=None, role=None, at=None):
        with app.app_context():
            where = _places_of(actor_id, action, object_type, object_id)
            entry = AuditRecord(actor_id=actor_id, actor_role=role, action=action,
                                object_type=object_type, object_id=str(object_id), reason=reason,
                                organization_id=where.organization_id,
                                street_id=where.street_id, district_id=where.district_id)
            if at is not None:
                entry.created_at = at
            db.session.add(entry)
            db.session.commit()
            return entry.id

    return factory


@pytest.fixture
def trail(people, places, add_record):
    """One record per case of the official's scope; the reason names the case. The team record
    is written without places, like records from before records carried them: only the
    platform admin reads it."""
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
