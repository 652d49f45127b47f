"""Password throttling: only failed attempts count.

Two limits apply to login POSTs: one per client address and phone number (the brake on
guessing one account's password) and a looser one per address alone (the brake on trying
many numbers). The phone enters the limiter key only as a keyed hash, because Flask-Limiter
logs the key when a limit is hit and phones never go into logs.

Password change has the per-account limit too, keyed by the user: a stolen session must not
become a way to guess the current password.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import Response, current_app, g, render_template, request
from flask_limiter.util import get_remote_address
from flask_login import current_user

from marketplace.auth.phones import normalise_phone

# The per-address limit allows this many times the per-account one: a family or an office
# behind one address should not lock each other out.
ADDRESS_FACTOR = 5


def attempts_per_minute() -> int:
    return int(current_app.config["LOGIN_ATTEMPTS_PER_MINUTE"])


def account_limit() -> str:
    return f"{attempts_per_minute()}/minute"


def address_limit() -> str:
    return f"{attempts_per_minute() * ADDRESS_FACTOR}/minute"


def account_key() -> str:
    raw = request.form.get("phone", "")
    phone = normalise_phone(raw) or raw.strip()
    digest = hmac.new(
        current_app.config["SECRET_KEY"].encode(), phone.encode(), hashlib.sha256
    ).hexdigest()[:24]
    return f"{get_remote_address()}:{digest}"


def user_key() -> str:
    return f"user:{current_user.get_id() or get_remote_address()}"


def mark_failed_attempt() -> None:
    g.login_failed = True


def failed_attempt(response: Response) -> bool:
    return bool(g.get("login_failed"))


def too_many_attempts(request_limit) -> Response:
    response = current_app.make_response(render_template("auth/rate_limited.html"))
    response.status_code = 429
    response.headers["Retry-After"] = "60"
    return response
