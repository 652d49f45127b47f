"""argon2id password hashes with costs from the app config (tests lower them), and the
rules a new password must meet."""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _

MIN_LENGTH = 8
MAX_LENGTH = 128
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")


def _hasher() -> PasswordHasher:
    return PasswordHasher(
        time_cost=current_app.config["ARGON2_TIME_COST"],
        memory_cost=current_app.config["ARGON2_MEMORY_COST"],
    )


def _normalise(password: str) -> str:
    # The same Chinese or accented password typed on two systems may arrive composed or
    # decomposed; NFC makes both verify against one hash.
    return unicodedata.normalize("NFC", password)


def hash_password(password: str) -> str:
    return _hasher().hash(_normalise(password))


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, _normalise(password))
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with other costs than the current config's."""
    try:
        return _hasher().check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().casefold() for line in lines if line.strip() and not line.startswith("#")
    )


def password_problem(password: str) -> str | None:
    """The translated reason ``password`` may not be used, or None when it is fine.

    Length counts characters, not bytes, so a Chinese password of 8 characters is enough.
    """
    length = len(_normalise(password))
    if length < MIN_LENGTH:
        return _("Password: use at least %(count)d characters.", count=MIN_LENGTH)
    if length > MAX_LENGTH:
        return _("Password: use at most %(count)d characters.", count=MAX_LENGTH)
    if password.strip().casefold() in common_passwords():
        return _("Password: this password is too common and easy to guess; choose another.")
    return None
