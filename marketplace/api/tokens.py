"""Creating, listing, revoking and checking personal access tokens.

A token reads ``gz_<prefix>_<secret>``: the prefix (random, unique) finds the row, the secret
(256 random bits) is compared by its SHA-256 digest. A digest needs no slow hash here: the
secret is random, not a password a person chose. The token is shown once, when it is made.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.api.models import AccessToken
from marketplace.bounds import MAX_ID
from marketplace.clock import utcnow
from marketplace.errors import DomainError, OutOfScope
from marketplace.extensions import db
from marketplace.text import forbidden_character, visible_length

TOKEN_PREFIX = "gz"
EXPIRY_DAYS = (7, 30, 90, 365)
NAME_LENGTH = 50
# A user with more live tokens than this has lost track of them.
MAX_LIVE_TOKENS = 20
# last_used_at is written at most this often, so that API calls are not a write each.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class NewToken:
    token: AccessToken
    plaintext: str  # shown once, never stored


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not name or visible_length(name) == 0:
        raise DomainError("name", _("Name: give the token a name you will recognise."))
    if forbidden_character(name) is not None:
        raise DomainError("name", _(
            "Name: remove the invisible control or text-direction characters."))
    if len(name) > NAME_LENGTH:
        raise DomainError("name", _("Name: use at most %(count)d characters.", count=NAME_LENGTH))
    return name


def live_tokens(user) -> list[AccessToken]:
    now = utcnow()
    return [token for token in tokens_of(user) if token.is_live(now)]


def create_token(user, name: str, expires_in_days: int) -> NewToken:
    """A new token for ``user`` acting with all their roles, until it expires or is revoked."""
    name = _check_name(name)
    if expires_in_days not in EXPIRY_DAYS:
        raise DomainError("expires_in_days", _("Valid for: choose one of the offered periods."))
    if len(live_tokens(user)) >= MAX_LIVE_TOKENS:
        raise DomainError(None, _(
            "You already have %(count)d active tokens: revoke one you no longer use first.",
            count=MAX_LIVE_TOKENS))
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    now = utcnow()
    token = AccessToken(
        user_id=user.id, name=name, prefix=prefix, secret_digest=digest(secret),
        created_at=now, expires_at=now + timedelta(days=expires_in_days),
    )
    db.session.add(token)
    db.session.flush()
    return NewToken(token, f"{TOKEN_PREFIX}_{prefix}_{secret}")


def tokens_of(user) -> list[AccessToken]:
    return list(db.session.scalars(
        select(AccessToken).where(AccessToken.user_id == user.id)
        .order_by(AccessToken.created_at.desc(), AccessToken.id.desc())
    ))


def own_token(user, token_id: int) -> AccessToken:
    token = db.session.get(AccessToken, token_id) if 0 < token_id <= MAX_ID else None
    if token is None or token.user_id != user.id:
        raise OutOfScope()
    return token


def revoke(user, token_id: int) -> AccessToken:
    """Revoke one of ``user``'s tokens; revoking one already revoked changes nothing."""
    token = own_token(user, token_id)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.flush()
    return token


def token_state(token: AccessToken, now: datetime | None = None) -> str:
    now = now or utcnow()
    if token.revoked_at is not None:
        return "revoked"
    return "expired" if now >= token.expires_at else "active"


def parse(presented: str) -> tuple[str, str] | None:
    """(prefix, secret) of a token as presented, or None when it cannot be one."""
    parts = presented.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or not parts[1] or not parts[2]:
        return None
    if len(parts[1]) > 16 or len(parts[2]) > 100 or not presented.isascii():
        return None
    return parts[1], parts[2]


def authenticate(presented: str) -> AccessToken | None:
    """The live token ``presented`` names, its user active, or None. Marks it used."""
    parsed = parse(presented)
    if parsed is None:
        return None
    prefix, secret = parsed
    token = db.session.scalar(select(AccessToken).where(AccessToken.prefix == prefix))
    if token is None or not hmac.compare_digest(token.secret_digest, digest(secret)):
        return None
    now = utcnow()
    if not token.is_live(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        token.last_used_at = now
    return token
