"""Logging in and out, and server-side sessions that really end."""

from __future__ import annotations

from marketplace.auth.models import User
from marketplace.auth.passwords import verify_password
from marketplace.extensions import db

PASSWORD = "correct horse 1"
EN = {"Accept-Language": "en"}


def log_in(client, phone, password=PASSWORD, next_url=None):
    url = "/auth/login" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"phone": phone, "password": password}, headers=EN)


def is_logged_in(client) -> bool:
    response = client.get("/auth/password", headers=EN)
    return response.status_code == 200


def test_login_with_any_spelling_of_the_phone(client, make_user):
    make_user(phone="13800138000")
    response = log_in(client, "+86 １３８ 0013 8000")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert is_logged_in(client)


def test_unknown_phone_and_wrong_password_get_the_same_answer(client, make_user):
    make_user(phone="13800138000")
    wrong_password = log_in(client, "13800138000", "not my password")
    unknown_phone = log_in(client, "13900000000", PASSWORD)
    assert wrong_password.status_code == unknown_phone.status_code == 200
    for response in (wrong_password, unknown_phone):
        assert "The mobile number or the password is wrong." in response.get_data(as_text=True)
    assert not is_logged_in(client)


def test_logout_is_a_post_and_ends_the_session(client, make_user):
    make_user(phone="13800138000")
    log_in(client, "13800138000")
    assert client.get("/auth/logout").status_code == 405
    response = client.post("/auth/logout")
    assert response.status_code == 302
    assert not is_logged_in(client)


def test_a_captured_cookie_replayed_after_logout_is_rejected(app, make_user):
    make_user(phone="13800138000")
    victim, thief = app.test_client(), app.test_client()
    log_in(victim, "13800138000")
    thief.set_cookie("session", victim.get_cookie("session").value)
    assert is_logged_in(thief), "the copied cookie works while the session lives"

    victim.post("/auth/logout")

    response = thief.get("/auth/password")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=")


def test_password_change_revokes_other_sessions_and_keeps_this_one(app, make_user):
    user_id = make_user(phone="13800138000")
    laptop, phone = app.test_client(), app.test_client()
    log_in(laptop, "13800138000")
    log_in(phone, "13800138000")
    old_cookie = laptop.get_cookie("session").value

    response = laptop.post(
        "/auth/password",
        data={"current_password": PASSWORD, "new_password": "a new long secret",
              "confirm": "a new long secret"},
    )

    assert response.status_code == 302
    assert is_logged_in(laptop)
    assert not is_logged_in(phone)
    # The session was rotated: the cookie from before the change no longer works.
    replay = app.test_client()
    replay.set_cookie("session", old_cookie)
    assert not is_logged_in(replay)
    with app.app_context():
        assert verify_password(db.session.get(User, user_id).password_hash, "a new long secret")
    assert log_in(app.test_client(), "13800138000").status_code == 200  # old password dead


def test_password_change_needs_the_current_password_and_the_same_rules(client, make_user):
    make_user(phone="13800138000")
    log_in(client, "13800138000")
    wrong = client.post(
        "/auth/password",
        data={"current_password": "guess guess", "new_password": "a new long secret",
              "confirm": "a new long secret"},
        headers=EN,
    )
    assert "Current password: this is not your password." in wrong.get_data(as_text=True)
    common = client.post(
        "/auth/password",
        data={"current_password": PASSWORD, "new_password": "qwertyuiop",
              "confirm": "qwertyuiop"},
        headers=EN,
    )
    assert 'id="new_password-error"' in common.get_data(as_text=True)
    assert log_in(client, "13800138000").status_code == 302  # password unchanged


def test_anonymous_user_is_sent_to_login_with_next_and_a_translated_message(client, make_user):
    make_user(phone="13800138000")
    response = client.get("/auth/password")
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login?next=%2Fauth%2Fpassword"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "请先登录再打开此页面。" in page
    back = log_in(client, "13800138000", next_url="/auth/password")
    assert back.headers["Location"] == "/auth/password"


def test_logged_in_user_opening_login_or_register_goes_home(client, make_user, login_as):
    login_as(client, make_user())
    assert client.get("/auth/login").headers["Location"] == "/"
    assert client.get("/auth/register").headers["Location"] == "/"


def test_a_deactivated_account_cannot_log_in_and_its_sessions_stop(app, client, make_user):
    user_id = make_user(phone="13800138000")
    log_in(client, "13800138000")
    with app.app_context():
        db.session.get(User, user_id).is_active_account = False
        db.session.commit()
    assert not is_logged_in(client)
    response = log_in(app.test_client(), "13800138000")
    assert "The mobile number or the password is wrong." in response.get_data(as_text=True)
