"""Security headers on pages, and a session cookie scripts cannot read."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("path", ["/", "/auth/login", "/auth/register", "/language"])
def test_pages_carry_security_headers(client, path):
    response = client.get(path)
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "'unsafe-inline'" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_the_session_cookie_is_http_only_and_same_site(client, make_user):
    make_user(phone="13800138000")
    response = client.post(
        "/auth/login", data={"phone": "13800138000", "password": "correct horse 1"}
    )
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_pages_have_no_inline_scripts_or_styles(client):
    for path in ["/", "/auth/login", "/auth/register", "/language"]:
        page = client.get(path).get_data(as_text=True)
        assert "<script>" not in page
        assert "style=" not in page
