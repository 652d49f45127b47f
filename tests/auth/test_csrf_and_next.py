"""CSRF on every form, and ``next=`` that never leaves the site."""

from __future__ import annotations

import re

import pytest

PASSWORD = "correct horse 1"
OPEN_REDIRECTS = [
    "//evil.example",
    "https://evil.example",
    "http://evil.example/path",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "/\r\nLocation: https://evil.example",
    " //evil.example",
    "///evil.example",
]


@pytest.fixture
def app_config(app_config):
    return {**app_config, "WTF_CSRF_ENABLED": True}


def csrf_token(client, path) -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/auth/login", {"phone": "13800138000", "password": PASSWORD}),
        ("/auth/register", {"phone": "13800138001", "display_name": "李娜",
                            "password": "long walk home 7", "confirm": "long walk home 7"}),
        ("/auth/logout", {}),
        ("/language", {"locale": "en"}),
    ],
)
def test_post_without_csrf_token_is_refused(client, make_user, path, data):
    make_user(phone="13800138000")
    assert client.post(path, data=data).status_code == 400


def test_login_with_csrf_token_works_and_logout_needs_one_too(client, make_user):
    make_user(phone="13800138000")
    token = csrf_token(client, "/auth/login")
    response = client.post(
        "/auth/login", data={"phone": "13800138000", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    assert client.post("/auth/logout").status_code == 400
    assert client.get("/auth/password").status_code == 200  # still logged in
    token = csrf_token(client, "/")  # the logout button in the page header
    assert client.post("/auth/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/auth/password").status_code == 302


@pytest.mark.parametrize("target", OPEN_REDIRECTS)
def test_login_next_stays_inside_the_site(client, make_user, target):
    make_user(phone="13800138000")
    token = csrf_token(client, "/auth/login")
    response = client.post(
        "/auth/login",
        query_string={"next": target},
        data={"phone": "13800138000", "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", OPEN_REDIRECTS)
def test_language_next_stays_inside_the_site(client, target):
    token = csrf_token(client, "/language")
    response = client.post(
        "/language", data={"locale": "en", "next": target, "csrf_token": token}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_a_path_inside_the_site_is_honoured(client, make_user):
    make_user(phone="13800138000")
    token = csrf_token(client, "/auth/login")
    response = client.post(
        "/auth/login",
        query_string={"next": "/auth/password?tab=1"},
        data={"phone": "13800138000", "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/auth/password?tab=1"
