"""Personal access tokens: made on the site and shown once, stored hashed, acting with the
user's roles, refused once expired or revoked, and never a way around CSRF on the site."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from marketplace.api.models import AccessToken
from marketplace.auth.models import Role
from marketplace.extensions import db

TOKEN_PATTERN = re.compile(r"gz_[0-9a-f]{12}_[A-Za-z0-9_-]{40,}")


def _create_on_site(client, name="数据同步", days="30"):
    return client.post("/account/tokens", data={"name": name, "expires_in_days": days})


def test_token_is_shown_once_and_stored_only_as_a_digest(app, make_user, login_as):
    user_id = make_user(roles=[Role.VOLUNTEER])
    client = app.test_client()
    login_as(client, user_id)
    home = client.get("/")
    assert "/account/tokens" in home.get_data(as_text=True)

    created = _create_on_site(client)
    assert created.status_code == 200
    assert created.headers["Cache-Control"] == "no-store"
    shown = TOKEN_PATTERN.findall(created.get_data(as_text=True))
    assert len(shown) == 1
    plaintext = shown[0]

    listing = client.get("/account/tokens").get_data(as_text=True)
    assert "数据同步" in listing
    assert plaintext not in listing  # never shown again
    with app.app_context():
        row = db.session.scalars(select(AccessToken)).one()
        assert row.user_id == user_id
        assert plaintext.split("_", 2)[2] not in (row.secret_digest, row.prefix)
        assert row.secret_digest == hashlib.sha256(
            plaintext.split("_", 2)[2].encode()).hexdigest()
        assert row.expires_at - row.created_at == timedelta(days=30)

    me = app.test_client().get("/api/v1/me/sign-ups",
                               headers={"Authorization": f"Bearer {plaintext}"})
    assert me.status_code == 200


@pytest.mark.parametrize("name", ["", "   ", "\u200b\u200b", "abc\u202edef", "名" * 51])
def test_a_token_needs_a_readable_name(app, make_user, login_as, name):
    client = app.test_client()
    login_as(client, make_user())
    answer = _create_on_site(client, name=name)
    assert answer.status_code == 422
    assert TOKEN_PATTERN.search(answer.get_data(as_text=True)) is None
    with app.app_context():
        assert db.session.scalars(select(AccessToken)).all() == []


def test_only_offered_periods_are_accepted(app, make_user, login_as):
    client = app.test_client()
    login_as(client, make_user())
    assert _create_on_site(client, days="100000").status_code == 422
    with app.app_context():
        assert db.session.scalars(select(AccessToken)).all() == []


def test_missing_unknown_expired_and_revoked_tokens_answer_401_with_a_challenge(
    app, make_user, make_token, login_as
):
    user_id = make_user(roles=[Role.VOLUNTEER])
    live, expired, revoked = make_token(user_id), make_token(user_id), make_token(user_id)
    with app.app_context():
        rows = {row.prefix: row for row in db.session.scalars(select(AccessToken))}
        rows[expired.split("_")[1]].expires_at -= timedelta(days=31)
        revoked_id = rows[revoked.split("_")[1]].id
        db.session.commit()
    client = app.test_client()
    login_as(client, user_id)
    assert client.post(f"/account/tokens/{revoked_id}/revoke").status_code == 302

    api = app.test_client()
    assert api.get("/api/v1/me/sign-ups",
                   headers={"Authorization": f"Bearer {live}"}).status_code == 200
    for header in (None, f"Bearer {expired}", f"Bearer {revoked}", "Bearer gz_00_nothing",
                   f"Bearer {live[:-2]}xx", f"Basic {live}"):
        answer = api.get("/api/v1/me/sign-ups",
                         headers={"Authorization": header} if header else {})
        assert answer.status_code == 401, header
        assert answer.headers["WWW-Authenticate"].startswith("Bearer")
        assert answer.json["code"] == 401 and answer.json["message"]


def test_another_users_token_cannot_be_revoked(app, make_user, make_token, login_as):
    owner, other = make_user(), make_user()
    plaintext = make_token(owner)
    with app.app_context():
        token_id = db.session.scalars(select(AccessToken.id)).one()
    client = app.test_client()
    login_as(client, other)
    assert client.post(f"/account/tokens/{token_id}/revoke").status_code == 404
    assert client.post(f"/account/tokens/{'9' * 20}/revoke").status_code == 404
    assert app.test_client().get(
        "/api/v1/me/sign-ups", headers={"Authorization": f"Bearer {plaintext}"}
    ).status_code != 401


def test_the_api_ignores_the_site_session_cookie(app, make_user, login_as):
    client = app.test_client()
    login_as(client, make_user(roles=[Role.VOLUNTEER]))
    assert client.get("/account/tokens").status_code == 200
    assert client.get("/api/v1/me/sign-ups").status_code == 401


def test_a_token_is_no_way_around_csrf_on_the_site(make_app, make_user, make_token):
    app = make_app(WTF_CSRF_ENABLED=True)
    user_id = make_user(roles=[Role.VOLUNTEER])
    plaintext = make_token(user_id)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {plaintext}"}
    # On the site a token logs nobody in, and a POST without the form's CSRF token fails.
    assert client.get("/account/tokens", headers=headers).status_code == 302
    assert client.post("/account/tokens", data={"name": "x", "expires_in_days": "7"},
                       headers=headers).status_code == 400
    # The API takes the token without any CSRF token.
    answer = client.post("/api/v1/me/sign-ups", json={"shift_id": 1}, headers=headers)
    assert answer.status_code == 404


def test_the_token_acts_with_the_users_roles_only(app, world, api_client):
    staff = api_client(world["social_worker"])
    volunteer_like = api_client(world["other_social_worker"])
    assert staff.get("/api/v1/projects").status_code == 200
    # A social worker is no volunteer: the volunteer's own sign-ups are not theirs to see.
    assert volunteer_like.get("/api/v1/me/sign-ups").status_code == 404
