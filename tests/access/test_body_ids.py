"""Ids sent in a form body rather than the URL: organization B's staff and district 2's
official pointing a reveal, a re-match, a what-if question or a contract at organization A
or district 1 get a 404 or a refusal, and nothing is revealed or written."""

from __future__ import annotations

from access_table import (
    SENTINEL_HEALTH_NOTE,
    SENTINEL_HOUSEHOLD_PHONE,
    SENTINEL_ID_NUMBER,
    SENTINEL_VOLUNTEER_PHONE,
)
from sqlalchemy import func, select

from marketplace.extensions import db

SENTINELS = (SENTINEL_HEALTH_NOTE, SENTINEL_HOUSEHOLD_PHONE, SENTINEL_ID_NUMBER,
             SENTINEL_VOLUNTEER_PHONE)
PURPOSE = "上门前确认护理要点"


def _counts(app):
    from marketplace.audit.models import AuditRecord
    from marketplace.care.run_models import MatchingRun
    from marketplace.tracking.models import Contract, WhatIfScenario

    with app.app_context():
        return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
                for model in (MatchingRun, WhatIfScenario, Contract, AuditRecord)}


def test_body_ids_of_another_organization_or_district_reveal_and_write_nothing(
        app, access_world):
    from marketplace.geo.models import Street

    ids, clients = access_world.ids, access_world.clients
    with app.app_context():
        street_a = db.session.scalar(select(Street.id).order_by(Street.id))
        district_1 = db.session.get(Street, street_a).district_id
    reveals = [("health_note", ids["household_id"]), ("household_phones", ids["household_id"]),
               ("id_number", ids["profile_id"]), ("phone", ids["profile_id"])]
    before = _counts(app)
    answers = []
    for role in ("sw_b", "admin_b", "district_official_2", "street_official_1"):
        for kind, object_id in reveals:
            answers.append((role, kind, clients[role].post("/privacy/reveal", data={
                "kind": kind, "object": object_id, "purpose": PURPOSE})))
    answers.append(("sw_b", "rematch", clients["sw_b"].post(
        "/care/rematch", data={"care_request_id": ids["request_id"]})))
    official = clients["district_official_2"]
    answers.append(("district_official_2", "what-if", official.post("/tracking/what-if", data={
        "kind": "volunteers", "amount": "5", "street_id": street_a})))
    answers.append(("district_official_2", "what-if households", official.post(
        "/tracking/what-if", data={"kind": "households", "amount": "5",
                                   "contract_id": ids["contract_id"]})))
    answers.append(("district_official_2", "contract", official.post("/contracts/new", data={
        "title": "越区购买", "buyer": f"district:{district_1}",
        "organization_id": ids["org_id"], "domain": "elder_care", "budget": "1000",
        "starts_on": "2026-01-01", "ends_on": "2026-12-31"})))
    for role, what, response in answers:
        body = response.get_data()
        # A reveal or re-match is not found; a question or contract form shows its errors.
        refused = (400, 404) if what in dict(reveals) or what == "rematch" else (200, 400, 404)
        assert response.status_code in refused, (role, what, response.status_code)
        assert not [value for value in SENTINELS if value.encode() in body], (role, what)
    after = _counts(app)
    assert {name: after[name] - before[name] for name in before} == {
        "MatchingRun": 0, "WhatIfScenario": 0, "Contract": 0, "AuditRecord": 0}


def test_the_api_answers_404_for_another_organizations_object_whatever_the_body(
        app, access_world):
    """The body is read after the object is found: a malformed or unknown-field body sent at
    organization A's hours entry or run by organization B is a 404, as an empty one is."""
    ids, api = access_world.ids, access_world.api_clients
    bodies = ({}, {"reason": "x" * 600}, {"reason": "不符", "state": "verified"})
    answers = {}
    for role in ("sw_b", "admin_b"):
        for body in bodies:
            for url in (f"/api/v1/hours/{ids['entry_id']}/reject",
                        f"/api/v1/hours/{ids['entry_id']}/verify",
                        f"/api/v1/matching-runs/{ids['run_id']}/offer"):
                answers[(role, url, str(body))] = api[role].post(url, json=body).status_code
    assert {key for key, status in answers.items() if status != 404} == set()
    # The organization's own staff still get the body's field errors.
    assert api["sw_a"].post(f"/api/v1/hours/{ids['entry_id']}/reject",
                            json={"reason": "x" * 600}).status_code == 422
