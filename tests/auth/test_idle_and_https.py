"""Sessions end when idle (staff after two hours, volunteers after two weeks), ``last_seen_at``
is written at most once a minute, and behind an HTTPS proxy every cookie is Secure and
Strict-Transport-Security is sent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from marketplace.auth import sessions
from marketplace.auth.models import Role, UserSession
from marketplace.clock import utcnow
from marketplace.extensions import db, limiter


class MovableClock:
    """Stands in for ``utcnow`` in the session code; ``advance`` moves time on."""

    def __init__(self):
        self.now = utcnow()

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    moved = MovableClock()
    monkeypatch.setattr(sessions, "utcnow", moved)
    return moved


def _record(app, token):
    with app.app_context():
        return db.session.scalars(select(UserSession).where(UserSession.token == token)).one()


def _signed_in(client):
    """True when a guarded page opens (anonymous users are sent to the login page)."""
    response = client.get("/auth/password")
    return response.status_code == 200


STAFF = [Role.SOCIAL_WORKER, Role.ORG_ADMIN, Role.OFFICIAL, Role.PLATFORM_ADMIN]


@pytest.mark.parametrize("role", STAFF)
def test_staff_sessions_end_after_two_idle_hours(app, client, make_user, login_as, clock, role):
    token = login_as(client, make_user(roles=[role]))
    clock.advance(hours=1, minutes=59)
    assert _signed_in(client)
    clock.advance(hours=2, seconds=1)  # two hours and a second after that last request
    assert not _signed_in(client)
    assert _record(app, token).revoked_at == clock.now
    clock.advance(seconds=5)  # revoked for good: no new request revives it
    assert not _signed_in(client)


def test_staff_stay_signed_in_while_they_keep_working(app, client, make_user, login_as, clock):
    login_as(client, make_user(roles=[Role.SOCIAL_WORKER]))
    for _ in range(6):  # a working day with a request every 90 minutes
        clock.advance(minutes=90)
        assert _signed_in(client)


def test_volunteer_sessions_last_two_idle_weeks(app, client, make_user, login_as, clock):
    volunteer = make_user(roles=[Role.VOLUNTEER])
    login_as(client, volunteer)
    clock.advance(days=13, hours=23)
    assert _signed_in(client)
    clock.advance(days=14, minutes=1)
    assert not _signed_in(client)


def test_a_volunteer_who_is_also_staff_gets_the_staff_timeout(app, client, make_user, login_as,
                                                              clock):
    login_as(client, make_user(roles=[Role.VOLUNTEER, Role.SOCIAL_WORKER]))
    clock.advance(hours=3)
    assert not _signed_in(client)


def test_idle_timeouts_are_configurable(app, client, make_user, login_as, clock):
    app.config.update(IDLE_TIMEOUT_STAFF=600, IDLE_TIMEOUT_VOLUNTEER=3600)
    staff = app.test_client()
    login_as(staff, make_user(roles=[Role.ORG_ADMIN]))
    login_as(client, make_user(roles=[Role.VOLUNTEER]))
    clock.advance(minutes=11)
    assert not _signed_in(staff)
    assert _signed_in(client)
    clock.advance(minutes=61)
    assert not _signed_in(client)


def test_last_seen_is_written_at_most_once_a_minute(app, client, make_user, login_as, clock):
    token = login_as(client, make_user(roles=[Role.VOLUNTEER]))
    first_seen = _record(app, token).last_seen_at
    for seconds in (10, 20, 20):  # 50 seconds of browsing: nothing written
        clock.advance(seconds=seconds)
        assert _signed_in(client)
        assert _record(app, token).last_seen_at == first_seen
    clock.advance(seconds=15)
    assert _signed_in(client)
    assert _record(app, token).last_seen_at == clock.now
    written = clock.now
    clock.advance(seconds=30)
    assert _signed_in(client)
    assert _record(app, token).last_seen_at == written


@pytest.fixture
def proxied_app(make_app):
    app = make_app(TRUSTED_PROXIES=1)
    limiter.reset()
    return app


def _login_through_proxy(app, proto):
    from marketplace.auth.models import User
    from marketplace.auth.passwords import hash_password

    with app.app_context():
        if db.session.scalars(select(User)).first() is None:
            db.session.add(User(phone="13800138000", display_name="王芳",
                                password_hash=hash_password("correct horse 1")))
            db.session.commit()
    return app.test_client().post(
        "/auth/login",
        data={"phone": "13800138000", "password": "correct horse 1"},
        headers={"X-Forwarded-Proto": proto, "X-Forwarded-For": "203.0.113.7"},
        environ_base={"REMOTE_ADDR": "10.0.0.254"},
    )


def test_behind_an_https_proxy_cookies_are_secure_and_hsts_is_sent(proxied_app):
    response = _login_through_proxy(proxied_app, "https")
    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    assert cookies and all("; Secure" in cookie for cookie in cookies)
    assert any(cookie.startswith("session=") for cookie in cookies)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    page = proxied_app.test_client().get("/", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" in page.headers


def test_plain_http_sets_no_secure_flag_and_no_hsts(proxied_app):
    response = _login_through_proxy(proxied_app, "http")
    assert response.status_code == 302
    assert not any("Secure" in cookie for cookie in response.headers.getlist("Set-Cookie"))
    assert "Strict-Transport-Security" not in response.headers


def test_without_a_trusted_proxy_forwarded_proto_changes_nothing(client):
    response = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in response.headers


def test_logging_out_after_a_pause_revokes_the_session(app, client, make_user, login_as, clock):
    """The request's own write (revoking the record) comes after ``last_seen_at`` is stored."""
    token = login_as(client, make_user(roles=[Role.SOCIAL_WORKER]))
    clock.advance(minutes=5)
    assert client.post("/auth/logout").status_code == 302
    record = _record(app, token)
    assert record.revoked_at is not None and record.last_seen_at == clock.now
    assert not _signed_in(client)
