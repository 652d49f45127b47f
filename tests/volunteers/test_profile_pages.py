from __future__ import annotations

import re

import pytest
from fixtures.builders import make_id_number, profile_form
from sqlalchemy import text

from marketplace.auth.models import Role
from marketplace.extensions import db
from marketplace.volunteers.codes import SLOTS
from marketplace.volunteers.models import VolunteerProfile


def _profile(app, user_id):
    with app.app_context():
        return db.session.execute(
            db.select(VolunteerProfile).filter_by(user_id=user_id)
        ).scalar_one_or_none()


def test_volunteer_completes_profile_and_sees_it(app, client, make_user, login_as, geo):
    user_id = make_user(phone="13812341234", roles=[Role.VOLUNTEER])
    login_as(client, user_id)
    assert client.get("/me/profile").headers["Location"].endswith("/me/profile/edit")
    page = client.get("/me/profile/edit").get_data(as_text=True)
    assert 'toggle-grid"' in page  # the 7×2 grid of big toggles
    number = make_id_number("19800101", 12)
    response = client.post("/me/profile/edit", data=profile_form(geo, id_number=number))
    assert response.status_code == 302
    page = client.get("/me/profile").get_data(as_text=True)
    assert number in page and "13812341234" in page
    with app.app_context():
        profile = db.session.execute(db.select(VolunteerProfile)).scalar_one()
        assert profile.volunteer_no == "ZY65020300000001"
        assert profile.birth_date.isoformat() == "1980-01-01"
        assert profile.gender == "female"  # sequence 012: even
        assert (profile.lat, profile.lon) == (45.602, 84.872)  # the grid centre
        assert profile.max_teams == 2


def test_volunteer_numbers_count_up_and_never_hold_the_id_number(app, volunteer):
    numbers = []
    for index in range(3):
        _, profile_id = volunteer(id_number=make_id_number("19900305", 100 + index))
        with app.app_context():
            numbers.append(db.session.get(VolunteerProfile, profile_id).volunteer_no)
    assert numbers == ["ZY65020300000001", "ZY65020300000002", "ZY65020300000003"]
    for number in numbers:
        assert len(number) == 16 and number.startswith("ZY650203") and number[2:].isdigit()
        assert "19900305" not in number


def test_slot_toggles_round_trip(app, client, make_user, login_as, geo):
    user_id = make_user(roles=[Role.VOLUNTEER])
    login_as(client, user_id)
    chosen = ["sun_pm", "mon_am", "thu_pm", "thu_am"]
    client.post("/me/profile/edit", data=profile_form(geo, slots=chosen))
    assert _profile(app, user_id).slots == ["mon_am", "thu_am", "thu_pm", "sun_pm"]
    page = client.get("/me/profile/edit").get_data(as_text=True)
    for index, code in enumerate(SLOTS):
        box = f'id="slots-{index}" name="slots" value="{code}"'
        assert box in page
        assert (f'{box} checked' in page) == (code in chosen)
    # Untapping everything is kept as "no half-days", not ignored.
    client.post("/me/profile/edit", data=profile_form(geo, slots=[]))
    assert _profile(app, user_id).slots == []


def test_errors_keep_what_was_typed_and_lose_nothing_saved(app, client, make_user, login_as, geo):
    user_id = make_user(roles=[Role.VOLUNTEER])
    login_as(client, user_id)
    client.post("/me/profile/edit", data=profile_form(geo))
    saved = _profile(app, user_id)
    good = make_id_number("19800101", 12)
    wrong_check = good[:-1] + ("1" if good[-1] != "1" else "2")
    broken = profile_form(
        geo, real_name="李  四", id_number=wrong_check,
        skills=["legal_aid"], hours_per_week="12", max_km="4.5", slots=["fri_pm"],
    )
    response = client.post("/me/profile/edit", data=broken)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "field-error" in page
    assert 'value="李  四"' in page and f'value="{wrong_check}"' in page
    assert 'value="12"' in page and 'value="4.5"' in page
    assert 'value="legal_aid" checked' in page and 'value="fri_pm" checked' in page
    after = _profile(app, user_id)
    assert (after.real_name, after.skills, after.slots, after.hours_per_week) == (
        saved.real_name, saved.skills, saved.slots, saved.hours_per_week
    )
    # A typed-but-invalid grid (another community's) also changes nothing.
    response = client.post(
        "/me/profile/edit", data=profile_form(geo, grid_id=str(geo["grids"][2]), max_km="9")
    )
    assert response.status_code == 400
    assert _profile(app, user_id).max_km == saved.max_km


def test_duplicate_id_number_gets_a_clear_error(app, client, make_user, login_as, geo, volunteer):
    number = make_id_number("19751120", 33)
    volunteer(id_number=number)
    other = make_user(roles=[Role.VOLUNTEER])
    login_as(client, other)
    response = client.post(
        "/me/profile/edit", data=profile_form(geo, id_number=number.lower()), headers={
            "Accept-Language": "en"}
    )
    assert response.status_code == 400
    assert "already registered" in response.get_data(as_text=True)
    assert _profile(app, other) is None


def test_id_number_is_not_in_the_database_row(app, volunteer):
    number = make_id_number("19620704", 51)
    _, profile_id = volunteer(id_number=number)
    with app.app_context():
        row = db.session.execute(
            text("SELECT * FROM volunteer_profiles WHERE id = :id"), {"id": profile_id}
        ).one()
        dumped = " ".join(str(value) for value in row)
        assert number not in dumped and number[6:14] + number[14:] not in dumped
        assert db.session.get(VolunteerProfile, profile_id).id_number == number


def test_certified_social_worker_needs_certificate(app, client, make_user, login_as, geo):
    user_id = make_user(roles=[Role.VOLUNTEER])
    login_as(client, user_id)
    response = client.post("/me/profile/edit", data=profile_form(geo, social_worker="y"))
    assert response.status_code == 400
    assert _profile(app, user_id) is None
    response = client.post(
        "/me/profile/edit",
        data=profile_form(geo, social_worker="y", sw_certificate_no="ZG2019-0042"),
    )
    assert response.status_code == 302
    assert _profile(app, user_id).sw_certificate_no == "ZG2019-0042"


def test_privacy_consent_is_required_and_recorded(app, client, make_user, login_as, geo):
    from marketplace.privacy.models import ConsentRecord

    user_id = make_user(roles=[Role.VOLUNTEER])
    login_as(client, user_id)
    response = client.post("/me/profile/edit", data=profile_form(geo, privacy_consent=None))
    assert response.status_code == 400
    assert _profile(app, user_id) is None
    client.post("/me/profile/edit", data=profile_form(geo))
    with app.app_context():
        consent = db.session.execute(db.select(ConsentRecord)).scalar_one()
        assert (consent.purpose, consent.text_version) == ("privacy_notice", "2026-11")
        assert consent.given_at is not None
    # Later edits do not ask again for the same version.
    assert client.post(
        "/me/profile/edit", data=profile_form(geo, privacy_consent=None, max_km="4")
    ).status_code == 302


def test_every_problem_is_reported_at_once(app, client, make_user, login_as, geo):
    user_id = make_user(roles=[Role.VOLUNTEER])
    login_as(client, user_id)
    response = client.post("/me/profile/edit", data=profile_form(
        geo, real_name="王1", id_number="110105194912310021", community_id="",
        hours_per_week="41", social_worker="y", privacy_consent=None,
    ))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    for field in ("real_name", "id_number", "community_id", "hours_per_week",
                  "sw_certificate_no", "privacy_consent"):
        assert f'id="{field}-error"' in page, field
    assert _profile(app, user_id) is None


def test_volunteer_may_refuse_automated_matching(app, client, make_user, login_as, geo):
    user_id = make_user(roles=[Role.VOLUNTEER])
    login_as(client, user_id)
    page = client.get("/me/profile/edit").get_data(as_text=True)
    box = re.search(r'<input[^>]*id="automated_matching"[^>]*>', page).group(0)
    assert "checked" in box  # on unless the volunteer says otherwise
    client.post("/me/profile/edit", data=profile_form(geo))
    assert _profile(app, user_id).automated_matching is True
    client.post("/me/profile/edit", data=profile_form(geo, automated_matching=None))
    assert _profile(app, user_id).automated_matching is False
    page = client.get("/me/profile", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Left out at the volunteer" in page
    exported = client.get("/me/data.json").get_json()["volunteer_profile"]
    assert exported["automated_matching"] is False


@pytest.mark.parametrize("digits", ["٠١٢٣٤٥٦٧٨٩", "०१२३४५६७८९", "᠐᠑᠒᠓᠔᠕᠖᠗᠘᠙"])
def test_one_id_number_in_other_scripts_digits_cannot_register_twice(
    app, client, make_user, login_as, geo, volunteer, digits
):
    number = make_id_number("19751120", 34)
    volunteer(id_number=number)
    spelled = "".join(digits[int(ch)] if ch.isdigit() else ch for ch in number)
    other = make_user(roles=[Role.VOLUNTEER])
    login_as(client, other)
    for lang, message in (("en", "17 digits followed by a digit or X"),
                          ("zh-CN", "居民身份证号码由 17 位数字加 1 位数字或 X 组成")):
        response = client.post("/me/profile/edit", data=profile_form(geo, id_number=spelled),
                               headers={"Accept-Language": lang})
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    assert _profile(app, other) is None
