from __future__ import annotations

import json

import pytest
from fixtures.builders import make_id_number, profile_form

from marketplace.audit.services import record
from marketplace.auth.models import Role, User
from marketplace.clock import local_today, utcnow
from marketplace.extensions import db
from marketplace.privacy.models import ConsentRecord
from marketplace.volunteers.models import VolunteerProfile


def _minor_birth() -> str:
    today = local_today()
    return f"{today.year - 15}0101"


def test_minor_needs_guardian_consent(app, client, make_user, login_as, geo):
    user_id = make_user(roles=[Role.VOLUNTEER])
    login_as(client, user_id)
    minor = profile_form(geo, id_number=make_id_number(_minor_birth(), 21))
    response = client.post("/me/profile/edit", data=minor, headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert "under 18" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(db.select(VolunteerProfile)).first() is None
    # Consent ticked but no guardian named: still refused.
    response = client.post("/me/profile/edit", data={**minor, "guardian_consent": "y"})
    assert response.status_code == 400
    response = client.post(
        "/me/profile/edit",
        data={**minor, "guardian_consent": "y", "guardian_name": "李  梅",
              "guardian_relation": "母亲"},
    )
    assert response.status_code == 302
    with app.app_context():
        profile = db.session.execute(db.select(VolunteerProfile)).scalar_one()
        assert profile.is_minor and profile.has_guardian_consent and profile.may_take_part
        guardian = db.session.execute(
            db.select(ConsentRecord).filter_by(purpose="guardian")
        ).scalar_one()
        assert (guardian.guardian_name, guardian.guardian_relation) == ("李 梅", "母亲")
        # Withdrawing the guardian's consent stops the minor from taking part.
        guardian.withdrawn_at = utcnow()
        db.session.commit()
        assert not profile.has_guardian_consent and not profile.may_take_part


def test_adult_takes_part_without_guardian(app, volunteer):
    _, profile_id = volunteer(id_number=make_id_number("19600101", 31))
    with app.app_context():
        profile = db.session.get(VolunteerProfile, profile_id)
        assert not profile.is_minor and profile.may_take_part and not profile.has_guardian_consent


def test_an_eighteenth_birthday_counts_from_midnight_in_beijing(
        app, client, make_user, login_as, geo, beijing_small_hours):
    # 01:00 in Beijing: the birthday has begun there, while the UTC date is still the day before.
    today = local_today()
    if (today.month, today.day) == (2, 29):
        pytest.skip("29 February has no day eighteen years before")
    birth = today.replace(year=today.year - 18)
    user_id = make_user(roles=[Role.VOLUNTEER])
    login_as(client, user_id)
    adult = profile_form(geo, id_number=make_id_number(birth.strftime("%Y%m%d"), 41))
    assert client.post("/me/profile/edit", data=adult).status_code == 302
    with app.app_context():
        profile = db.session.execute(db.select(VolunteerProfile)).scalar_one()
        assert not profile.is_minor and profile.may_take_part


def test_export_contains_all_data_unmasked(app, client, login_as, volunteer, team_of, geo):
    number = make_id_number("19700505", 88)
    user_id, profile_id = volunteer(
        phone="13712345678", id_number=number, real_name="阿依古丽•买买提",
        social_worker="y", sw_certificate_no="SW-1", slots=["tue_am"],
    )
    team_of(profile_id, geo["district"])
    with app.app_context():
        staff = db.session.get(User, user_id)
        record(staff, "reveal.phone", "volunteer_profile", profile_id, "回访电话", "social_worker")
        record(staff, "reveal.phone", "volunteer_profile", profile_id + 999, "other", None)
        db.session.commit()
    login_as(client, user_id)
    response = client.get("/me/data.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.get_data(as_text=True))
    assert set(data) == {
        "format", "exported_at", "account", "role_grants", "volunteer_profile", "consents",
        "team_memberships", "audit_records", "sign_ups", "hours_entries", "certificates",
        "insurance_records",
    }
    assert data["account"]["phone"] == "13712345678"
    assert [grant["role"] for grant in data["role_grants"]] == ["volunteer"]
    profile = data["volunteer_profile"]
    assert profile["id_number"] == number and profile["real_name"] == "阿依古丽·买买提"
    assert profile["birth_date"] == "1970-05-05" and profile["gender"] == "female"
    assert profile["slots"] == ["tue_am"] and profile["sw_certificate_no"] == "SW-1"
    assert profile["volunteer_no"].startswith("ZY650203")
    assert [c["purpose"] for c in data["consents"]] == ["privacy_notice"]
    assert data["team_memberships"][0]["state"] == "active"
    assert [(a["action"], a["reason"]) for a in data["audit_records"]] == [
        ("reveal.phone", "回访电话")
    ]
    # Every moment says it is UTC: a reader in Beijing must not take it for local time.
    moments = dict(_moments(data))
    assert {"exported_at", "account.created_at", "consents.given_at",
            "team_memberships.created_at", "audit_records.created_at"} <= set(moments)
    assert all(value.endswith("+00:00") for value in moments.values()), moments


def _moments(value, path=""):
    """(dotted key, value) of every time in the exported file (keys ending in ``_at``)."""
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else key
            if key.endswith("_at") and isinstance(item, str):
                yield where, item
            else:
                yield from _moments(item, where)
    elif isinstance(value, list):
        for item in value:
            yield from _moments(item, path)


def test_export_without_profile_still_has_account(app, client, make_user, login_as):
    user_id = make_user(phone="13600000001", roles=[Role.VOLUNTEER])
    login_as(client, user_id)
    data = client.get("/me/data.json").get_json()
    assert data["account"]["phone"] == "13600000001"
    assert data["volunteer_profile"] is None and data["team_memberships"] == []


def test_own_pages_need_login(client):
    for url in ("/me/profile", "/me/profile/edit", "/me/data.json"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/auth/login" in response.headers["Location"]


def test_home_page_offers_the_profile_first(app, client, make_user, login_as, geo):
    user_id = make_user(roles=[Role.VOLUNTEER])
    login_as(client, user_id)
    home = client.get("/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "完善实名资料" in home and 'href="/me/profile/edit"' in home
    assert "/me/data.json" not in home
    client.post("/me/profile/edit", data=profile_form(geo))
    home = client.get("/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "完善实名资料" not in home
    assert "修改我的资料" in home and 'href="/me/data.json"' in home


def test_adult_correcting_to_a_minor_id_is_asked_for_the_guardian(
    app, client, login_as, volunteer, geo
):
    user_id, _ = volunteer()
    login_as(client, user_id)
    assert "guardian_consent" not in client.get("/me/profile/edit").get_data(as_text=True)
    response = client.post(
        "/me/profile/edit",
        data=profile_form(geo, id_number=make_id_number(_minor_birth(), 41)),
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="guardian_consent"' in page and 'id="guardian_consent-error"' in page
