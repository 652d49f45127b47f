"""Brakes on password guessing and on probing which numbers hold accounts.

Each attempt is counted *before* the password is checked, with one atomic increment in the
limiter's storage (Redis when ``REDIS_URL`` is set, memory otherwise), so thirty parallel
guesses cannot all be evaluated while the count still reads zero. An attempt that turns out
to be a success is handed back, so only failures use up the allowance.

Login has two brakes: per account (the phone, from any address: a second address must not buy
another ten guesses) and a looser one per address (trying many numbers). Password change is
braked per account. Registration, which tells whether a number is taken, per address and per
phone. The phone enters a storage key only as a keyed hash: keys reach logs and Redis dumps.

When Redis does not answer, counting goes on in this process's memory (per web worker, so
the allowance is looser, never absent) and login keeps working.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from flask import Response, current_app, render_template
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from limits.storage import MemoryStorage

from marketplace.auth.phones import normalise_phone
from marketplace.extensions import limiter

WINDOW_SECONDS = 60
_fallback = MemoryStorage()
# The per-address login limit allows this many times the per-account one: a family or an
# office behind one address should not lock each other out.
ADDRESS_FACTOR = 5


def attempts_per_minute() -> int:
    return int(current_app.config["LOGIN_ATTEMPTS_PER_MINUTE"])


def registrations_per_minute() -> int:
    return int(current_app.config["REGISTRATION_ATTEMPTS_PER_MINUTE"])


def phone_digest(raw: str | None) -> str:
    """A keyed hash of the phone as typed (normalised when it is a mobile number)."""
    raw = raw or ""
    phone = normalise_phone(raw) or raw.strip()
    return hmac.new(
        current_app.config["SECRET_KEY"].encode(), phone.encode(), hashlib.sha256
    ).hexdigest()[:24]


@dataclass(frozen=True)
class Brake:
    key: str
    allowed: int


@dataclass
class Attempt:
    """One counted attempt; ``allowed`` is False when any of its brakes was already spent."""

    brakes: tuple[Brake, ...]
    allowed: bool

    def succeeded(self) -> None:
        """Give the attempt back: only failures count against the allowance."""
        if not _enabled():
            return
        for brake in self.brakes:
            _incr(brake.key, amount=-1)


def _enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def _incr(key: str, amount: int = 1) -> int:
    try:
        return limiter.storage.incr(key, WINDOW_SECONDS, amount=amount)
    except Exception as error:  # the storage's driver errors share no base class
        current_app.logger.warning("ratelimit storage unreachable: %s", type(error).__name__)
        return _fallback.incr(key, WINDOW_SECONDS, amount=amount)


def _key(*parts: str) -> str:
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX") or ""
    return "/".join(("gongzhi", prefix, *parts))


def _count(*brakes: Brake) -> Attempt:
    if not _enabled():
        return Attempt(brakes, True)
    allowed = True
    for brake in brakes:
        # Atomic increment-then-compare: of many parallel requests exactly ``allowed`` pass.
        if _incr(brake.key) > brake.allowed:
            allowed = False
            current_app.logger.warning(
                "ratelimit reached", extra={"fields": {"brake": brake.key.rsplit("/", 1)[0]}}
            )
    return Attempt(brakes, allowed)


def login_attempt(raw_phone: str | None) -> Attempt:
    per_account = attempts_per_minute()
    return _count(
        Brake(_key("login", "account", phone_digest(raw_phone)), per_account),
        Brake(_key("login", "address", get_remote_address()), per_account * ADDRESS_FACTOR),
    )


def password_change_attempt(user_id: int) -> Attempt:
    return _count(Brake(_key("password", "user", str(user_id)), attempts_per_minute()))


def registration_attempt(raw_phone: str | None) -> Attempt:
    allowed = registrations_per_minute()
    return _count(
        Brake(_key("register", "phone", phone_digest(raw_phone)), allowed),
        Brake(_key("register", "address", get_remote_address()), allowed),
    )


def too_many_attempts(message: str | None = None) -> Response:
    response = current_app.make_response(render_template(
        "auth/rate_limited.html",
        message=message or _("There were too many wrong passwords in a short time. "
                             "Please wait a minute and try again."),
    ))
    response.status_code = 429
    response.headers["Retry-After"] = str(WINDOW_SECONDS)
    return response


def too_many_registrations() -> Response:
    return too_many_attempts(_("There were too many registrations from here in a short time. "
                               "Please wait a minute and try again."))
