"""Seeded personal values never reach a log line, and reach other people only masked.

Sentinel values (an ID number, phone, name, home point and a reveal purpose that reads like
an address) go through every profile page, the export, reveals and error paths, as the
volunteer, another volunteer, a social worker of the volunteer's organization and an
official, while every logger (SQLAlchemy's included) records at DEBUG.
"""

from __future__ import annotations

import json
import logging

from fixtures.builders import make_id_number, profile_form

from marketplace.auth.models import Role
from marketplace.extensions import db
from marketplace.privacy.masking import mask_id_number, mask_phone
from marketplace.requestlog import JsonFormatter
from marketplace.volunteers.models import VolunteerProfile

SENTINEL_ID = make_id_number("19660606", 909)
SENTINEL_PHONE = "15866554433"
SENTINEL_NAME = "沙木沙克·吐鲁洪"
SENTINEL_LAT, SENTINEL_LON = "45.613579", "84.864201"
SENTINEL_ADDRESS = "友谊路九十九号七栋三单元"
SENTINELS = (SENTINEL_ID, SENTINEL_PHONE, SENTINEL_NAME, SENTINEL_LAT, SENTINEL_LON,
             SENTINEL_ADDRESS)


def _log_texts(records) -> list[str]:
    json_format, plain = JsonFormatter(), logging.Formatter()
    texts = []
    for record in records:
        texts.append(json_format.format(record))
        texts.append(plain.format(record))
        texts.append(repr(record.args))
        texts.append(repr(getattr(record, "fields", None)))
    return texts


def test_no_personal_value_in_logs_or_other_peoples_pages(
    app, client, make_user, login_as, geo, team_of, caplog
):
    app.config["SQLALCHEMY_ECHO"] = False
    caplog.set_level(logging.DEBUG)  # root logger: every library's records
    # Echo stays off, but an operator may switch SQL statement logging on: even then the
    # bound values must not appear.
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    own, others, revealed = [], [], []

    volunteer = make_user(phone=SENTINEL_PHONE, roles=[Role.VOLUNTEER])
    login_as(client, volunteer)
    sentinel_form = profile_form(
        geo, real_name=SENTINEL_NAME, id_number=SENTINEL_ID, location_source="point",
        lat=SENTINEL_LAT, lon=SENTINEL_LON,
    )
    # Error paths first: a form refused for another field, then one with a bad point.
    own.append(client.post("/me/profile/edit", data={**sentinel_form, "privacy_consent": ""}))
    own.append(client.post("/me/profile/edit", data={**sentinel_form, "lat": "95"}))
    own.append(client.post("/me/profile/edit", data=sentinel_form))
    assert own[-1].status_code == 302
    own.append(client.get("/me/profile"))
    own.append(client.get("/me/profile/edit"))
    export = client.get("/me/data.json")
    own.append(export)
    with app.app_context():
        profile_id = db.session.execute(db.select(VolunteerProfile.id)).scalar_one()
    org_id = team_of(profile_id, geo["district"])

    # Another volunteer: tries the same ID number (the form echoes only what they typed
    # themselves), then the first volunteer's pages.
    other = make_user(roles=[Role.VOLUNTEER])
    login_as(client, other)
    duplicate = client.post("/me/profile/edit", data={**sentinel_form, "real_name": "王五"})
    assert duplicate.status_code == 400
    assert SENTINEL_NAME not in duplicate.get_data(as_text=True)
    others.append(client.get(f"/volunteers/{profile_id}"))
    others.append(client.post(
        "/privacy/reveal",
        data={"kind": "id_number", "object": profile_id, "purpose": SENTINEL_ADDRESS},
    ))
    others.append(client.get("/me/data.json"))

    # A social worker of the volunteer's organization: masked page, refused and audited reveals.
    social_worker = make_user(roles=[(Role.SOCIAL_WORKER, {"organization_id": org_id})])
    login_as(client, social_worker)
    detail = client.get(f"/volunteers/{profile_id}")
    others.append(detail)
    others.append(client.post(
        "/privacy/reveal", data={"kind": "phone", "object": profile_id, "purpose": "去"}
    ))
    others.append(client.post(
        "/privacy/reveal", data={"kind": "id_number", "object": profile_id + 1000,
                                 "purpose": SENTINEL_ADDRESS}
    ))
    for kind in ("id_number", "phone"):
        revealed.append(client.post(
            "/privacy/reveal",
            data={"kind": kind, "object": profile_id, "purpose": SENTINEL_ADDRESS},
        ))
    others.append(client.get(f"/volunteers/{profile_id}"))

    # An official of the district.
    official = make_user(roles=[(Role.OFFICIAL, {"district_id": geo["district"]})])
    login_as(client, official)
    others.append(client.get(f"/volunteers/{profile_id}"))
    others.append(client.post(
        "/privacy/reveal",
        data={"kind": "phone", "object": profile_id, "purpose": SENTINEL_ADDRESS},
    ))
    others.append(client.get("/me/data.json"))
    others.append(client.get("/privacy"))

    # The person sees their own values; the export has them all.
    data = json.loads(export.get_data(as_text=True))
    assert data["volunteer_profile"]["id_number"] == SENTINEL_ID
    assert data["account"]["phone"] == SENTINEL_PHONE
    assert SENTINEL_ID in own[3].get_data(as_text=True)

    # Other people: masked forms only; the audited reveals show exactly one value each.
    masked_page = detail.get_data(as_text=True)
    assert mask_id_number(SENTINEL_ID) in masked_page and mask_phone(SENTINEL_PHONE) in masked_page
    for response in others:
        body = response.get_data(as_text=True)
        for value in (SENTINEL_ID, SENTINEL_PHONE, SENTINEL_LAT, SENTINEL_LON):
            assert value not in body, (response.request.path, response.status_code)
    assert SENTINEL_ID in revealed[0].get_data(as_text=True)
    assert SENTINEL_PHONE not in revealed[0].get_data(as_text=True)
    assert SENTINEL_PHONE in revealed[1].get_data(as_text=True)
    assert SENTINEL_ID not in revealed[1].get_data(as_text=True)

    # Logs: SQL statements were captured (so parameters would have shown), no sentinel anywhere.
    assert any(record.name.startswith("sqlalchemy.engine") for record in caplog.records)
    assert any(record.name == "marketplace.app" for record in caplog.records)
    for text in [*_log_texts(caplog.records), caplog.text]:
        for value in SENTINELS:
            assert value not in text, value

    # Reprs of everything that holds the values.
    with app.app_context():
        from marketplace.auth.models import User
        from marketplace.privacy.models import ConsentRecord

        objects = [
            db.session.get(VolunteerProfile, profile_id), db.session.get(User, volunteer),
            *db.session.execute(db.select(ConsentRecord)).scalars(),
        ]
        for obj in objects:
            for value in SENTINELS:
                assert value not in repr(obj)
