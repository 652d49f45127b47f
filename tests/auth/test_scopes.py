"""An official's scope is one rule: every page that filters by scope shows the same
organizations (the review queue, the home badge, the organization pages, the audit log)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from marketplace.auth.models import Role
from marketplace.extensions import db
from marketplace.orgs.models import Organization
from marketplace.orgs.uscc import CIVIL_AFFAIRS_PREFIX, with_check_character

EN = {"Accept-Language": "en"}
# (name, legal form, street key or None, district key)
REGISTRATIONS = (
    ("胜利路夕阳红协会", "community_org", "street_a", "district"),
    # Registered with the district, though its address is on street A.
    ("胜利路乐龄社工服务社", "social_service_agency", "street_a", "district"),
    ("昆仑路邻里互助会", "community_org", "street_b", "district"),
    ("独山子义工联合会", "social_group", None, "other_district"),
)
EXPECTED = {
    "district": {"胜利路夕阳红协会", "胜利路乐龄社工服务社", "昆仑路邻里互助会"},
    "street_a": {"胜利路夕阳红协会"},
    "street_b": {"昆仑路邻里互助会"},
    "other_district": {"独山子义工联合会"},
}


@pytest.fixture
def submitted(app, geo, make_user, login_as):
    """Each organization registered and submitted through the pages, as its founder would, so
    the audit records are the ones the services write."""
    for serial, (name, legal_form, street, district) in enumerate(REGISTRATIONS, start=1):
        client = app.test_client()
        login_as(client, make_user())
        code = ""
        if legal_form != "community_org":
            prefix = CIVIL_AFFAIRS_PREFIX[legal_form]
            code = with_check_character(f"{prefix}650203{serial:08d}M")
        response = client.post("/orgs/new", data={
            "name": name, "legal_form": legal_form, "category": "service", "uscc": code,
            "district_id": geo[district], "street_id": geo[street] if street else "",
            "contact_name": "张丽", "contact_phone": "13912345678",
        })
        assert response.status_code == 302, response.get_data(as_text=True)
        org_id = int(response.location.rstrip("/").rsplit("/", 1)[-1])
        client.post(f"/orgs/{org_id}/submit")
    with app.app_context():
        return {org.name: org.id for org in db.session.scalars(select(Organization))}


def _review_queue(client, names) -> set[str]:
    page = client.get("/orgs/review", headers=EN).get_data(as_text=True)
    return {name for name in names if name in page}


def _opens(client, orgs) -> set[str]:
    return {name for name, org_id in orgs.items()
            if client.get(f"/orgs/{org_id}").status_code == 200}


def _audit_log(client, names) -> set[str]:
    page = client.get("/audit?object_type=organization").get_data(as_text=True)
    return {name for name in names if name in page}


def _home_badge(client) -> int:
    page = client.get("/", headers=EN).get_data(as_text=True)
    card = page[page.index("Organizations awaiting your decision"):]
    card = card[:card.index("</strong>")]
    found = re.search(r'<span class="badge">(\d+)</span>', card)
    return int(found.group(1)) if found else 0


@pytest.mark.parametrize("place", sorted(EXPECTED))
def test_official_scope_agrees_across_every_page(app, client, geo, make_user, login_as,
                                                 submitted, place):
    scope = "street_id" if place.startswith("street") else "district_id"
    login_as(client, make_user(roles=[(Role.OFFICIAL, {scope: geo[place]})]))
    expected = EXPECTED[place]
    assert _review_queue(client, submitted) == expected
    assert _home_badge(client) == len(expected)
    assert _opens(client, submitted) == expected
    assert _audit_log(client, submitted) == expected
