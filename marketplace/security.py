"""Security headers, cookies over HTTPS, and the only-inside-the-site rule for ``next=``
redirects."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, request

# A year, the usual minimum for browsers' preload lists; sent only over HTTPS, as the RFC wants.
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)


def safe_next_url(target: str | None) -> str | None:
    """Return ``target`` if it is a path inside this site, else None.

    Rejects absolute URLs, scheme-relative ``//host`` and backslash tricks (``/\\host``)
    that browsers treat as another host.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def add_security_headers(app: Flask) -> None:
    @app.after_request
    def set_headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "geolocation=(self), camera=()")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
        return response


class SecureCookiesOverHttps:
    """WSGI middleware: on a request that arrived over HTTPS (directly, or as a trusted
    proxy's ``X-Forwarded-Proto`` says), every cookie the site sets is ``Secure``.

    It sits inside ProxyFix, which has already set ``wsgi.url_scheme``, and outside Flask, so
    it sees the session cookie (written after the ``after_request`` hooks) and any other.
    """

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if environ.get("wsgi.url_scheme") != "https":
            return self.wsgi_app(environ, start_response)

        def secure_start_response(status, headers, exc_info=None):
            headers = [
                (name, _secure_cookie(value) if name.lower() == "set-cookie" else value)
                for name, value in headers
            ]
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, secure_start_response)


def _secure_cookie(value: str) -> str:
    attributes = {part.strip().lower() for part in value.split(";")[1:]}
    return value if "secure" in attributes else f"{value}; Secure"
