"""Registering a volunteer account with a mainland mobile number."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.auth.models import Role, User, UserSession
from marketplace.auth.phones import normalise_phone
from marketplace.extensions import db

GOOD_PASSWORD = "long walk home 7"


def register(client, phone="13800138000", password=GOOD_PASSWORD, confirm=None, name="王芳"):
    return client.post(
        "/auth/register",
        data={
            "phone": phone,
            "display_name": name,
            "password": password,
            "confirm": password if confirm is None else confirm,
        },
        headers={"Accept-Language": "en"},
    )


def users(app) -> list[User]:
    with app.app_context():
        return db.session.execute(select(User)).scalars().all()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("13800138000", "13800138000"),
        ("１３８００１３８０００", "13800138000"),
        ("+86 138 0013 8000", "13800138000"),
        ("+86１３８-0013-8000", "13800138000"),
        ("86 13800138000", "13800138000"),
        ("0086-138-0013-8000", "13800138000"),
        ("199 9999 9999", "19999999999"),
    ],
)
def test_phone_spellings_are_normalised(typed, stored):
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize(
    "typed",
    ["", "1380013800", "138001380000", "12800138000", "23800138000", "+1 415 555 0100",
     "1380013800x", "١٣٨٠٠١٣٨٠٠٠", "8613800138000 1"],
)
def test_bad_phones_are_refused(typed):
    assert normalise_phone(typed) is None


def test_registration_creates_a_logged_in_volunteer(app, client):
    response = register(client, phone="+86 １３８-0013 8000")
    assert response.status_code == 302
    [user] = users(app)
    assert user.phone == "13800138000"
    assert user.roles == {Role.VOLUNTEER}
    assert user.password_hash.startswith("$argon2id$")
    with app.app_context():
        assert db.session.execute(select(UserSession)).scalar_one().user_id == user.id
    # The new volunteer is signed in: the home page greets them by name.
    assert "王芳" in client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_registration_leads_to_the_profile_form_when_it_exists(app, client):
    response = register(client)
    expected = "/me/profile/edit" if "volunteers.edit_profile" in app.view_functions else "/"
    assert response.headers["Location"] == expected


@pytest.mark.parametrize("phone", ["1380013800", "12345678901", "+1 415 555 0100", "abc"])
def test_bad_phone_shows_an_error_on_the_phone_field(app, client, phone):
    response = register(client, phone=phone)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="phone-error"' in page
    assert "Mobile number: enter an 11-digit mainland China mobile number." in page
    assert users(app) == []


def test_bad_phone_error_is_in_chinese_by_default(app, client):
    response = client.post(
        "/auth/register",
        data={"phone": "123", "display_name": "王芳", "password": GOOD_PASSWORD,
              "confirm": GOOD_PASSWORD},
    )
    assert "手机号码：请输入 11 位中国大陆手机号码。" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1", "Password: use at least 8 characters."),
        ("x" * 129, "Password: use at most 128 characters."),
        ("woaini1314", "Password: this password is too common"),
        ("WoAiNi1314", "Password: this password is too common"),
        ("1qaz2wsx", "Password: this password is too common"),
        ("88888888", "Password: this password is too common"),
        ("Password1", "Password: this password is too common"),
        ("我爱你", "Password: use at least 8 characters."),
    ],
)
def test_weak_passwords_are_refused(app, client, password, message):
    response = register(client, password=password)
    page = response.get_data(as_text=True)
    assert 'id="password-error"' in page
    assert message in page
    assert users(app) == []


@pytest.mark.parametrize("password", ["我们一起服务社区吧", "x" * 128, "志愿者 2024 春"])
def test_long_and_chinese_passwords_are_accepted(app, client, password):
    # Eight Chinese characters are 24 bytes but 8 characters: length counts characters.
    assert register(client, password=password).status_code == 302
    client.post("/auth/logout")
    response = client.post("/auth/login", data={"phone": "13800138000", "password": password})
    assert response.status_code == 302


def test_mismatched_confirmation_is_refused(app, client):
    response = register(client, confirm="something else 9")
    assert "Repeat password: the two passwords differ." in response.get_data(as_text=True)
    assert users(app) == []


def test_duplicate_phone_in_another_spelling_is_refused(app, client, make_user):
    make_user(phone="13800138000")
    response = register(client, phone="+86 138-0013-8000")
    page = response.get_data(as_text=True)
    assert 'id="phone-error"' in page
    assert "this number is already registered" in page
    assert len(users(app)) == 1


def test_registration_never_logs_the_phone(app, client, caplog):
    caplog.set_level("DEBUG")
    register(client, phone="13912345678")
    client.post("/auth/logout")
    client.post("/auth/login", data={"phone": "13912345678", "password": "wrong password 1"})
    client.post("/auth/login", data={"phone": "13912345678", "password": GOOD_PASSWORD})
    assert caplog.records, "the requests above are logged"
    logged = "\n".join(
        f"{record.getMessage()} {getattr(record, 'fields', '')}" for record in caplog.records
    )
    assert "13912345678" not in logged
    assert "12345678" not in logged


@pytest.mark.parametrize("name", ["王\x00芳", "\u202e芳王", "王芳\x07", "\u200b\u200b", "\u3164"])
def test_display_names_with_control_override_or_only_invisible_characters_are_refused(
    app, client, name
):
    response = register(client, name=name)
    assert response.status_code == 200
    assert "What should we call you?:" in response.text
    assert users(app) == []
    chinese = client.post("/auth/register", data={
        "phone": "13800138000", "display_name": name, "password": GOOD_PASSWORD,
        "confirm": GOOD_PASSWORD}, headers={"Accept-Language": "zh-CN"})
    assert ("请删除其中不可见的控制字符" in chinese.text
            or "请输入看得见的文字" in chinese.text)
    assert users(app) == []


def test_a_display_name_with_an_emoji_sequence_is_fine(app, client):
    assert register(client, name="芳芳 👨\u200d👩\u200d👧").status_code == 302


def test_probing_which_numbers_hold_accounts_is_throttled_per_address(app, client, make_user):
    """The probe's 18 tries in a second: from the eleventh on, no answer but a 429."""
    for n in range(18):
        make_user(phone=f"1380013{n:04d}")
    statuses = [register(client, phone=f"1380013{n:04d}").status_code for n in range(18)]
    assert statuses[:10] == [200] * 10  # "this number is already registered"
    assert statuses[10:] == [429] * 8
    blocked = client.post("/auth/register", headers={"Accept-Language": "zh-CN"}, data={
        "phone": "13900000001", "display_name": "王芳", "password": GOOD_PASSWORD,
        "confirm": GOOD_PASSWORD})
    assert blocked.status_code == 429 and blocked.headers["Retry-After"] == "60"
    assert "注册次数过多" in blocked.text and "13900000001" not in blocked.text
    assert len(users(app)) == 18
    # Another address is not held back by the first one.
    other = app.test_client()
    response = other.post("/auth/register", environ_base={"REMOTE_ADDR": "10.9.9.9"}, data={
        "phone": "13900000001", "display_name": "王芳", "password": GOOD_PASSWORD,
        "confirm": GOOD_PASSWORD})
    assert response.status_code == 302


def test_one_number_tried_from_many_addresses_is_throttled(app, make_user):
    from marketplace.extensions import limiter

    make_user(phone="13800138000")
    for n in range(10):
        client = app.test_client()
        response = client.post("/auth/register", environ_base={"REMOTE_ADDR": f"10.1.0.{n}"},
                               data={"phone": "+86 138 0013 8000", "display_name": "王芳",
                                     "password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD})
        assert response.status_code == 200
    response = app.test_client().post(
        "/auth/register", environ_base={"REMOTE_ADDR": "10.1.0.99"},
        data={"phone": "13800138000", "display_name": "王芳", "password": GOOD_PASSWORD,
              "confirm": GOOD_PASSWORD})
    assert response.status_code == 429
    assert not any("13800138000" in key for key in limiter.storage.storage)
