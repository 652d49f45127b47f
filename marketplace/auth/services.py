"""Account rules: registration, authentication and password change.

Services flush, never commit; the view that calls one commits once.
"""

from __future__ import annotations

from functools import cache

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from marketplace.auth.models import Role, RoleGrant, User
from marketplace.auth.passwords import (
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from marketplace.auth.phones import normalise_phone
from marketplace.clock import utcnow
from marketplace.errors import DomainError
from marketplace.extensions import db


def _phone_or_error(raw: str | None) -> str:
    phone = normalise_phone(raw)
    if phone is None:
        raise DomainError(
            "phone", _("Mobile number: enter an 11-digit mainland China mobile number.")
        )
    return phone


def _check_new_password(field: str, password: str) -> None:
    problem = password_problem(password)
    if problem:
        raise DomainError(field, problem)


def find_user_by_phone(phone: str) -> User | None:
    return db.session.execute(select(User).where(User.phone == phone)).scalar_one_or_none()


def register_volunteer(
    raw_phone: str, display_name: str, password: str, locale: str | None = None
) -> User:
    """Create an account holding the volunteer role (``locale``: the language chosen so far)."""
    phone = _phone_or_error(raw_phone)
    _check_new_password("password", password)
    duplicate = DomainError(
        "phone", _("Mobile number: this number is already registered. Log in instead.")
    )
    if find_user_by_phone(phone) is not None:
        raise duplicate
    user = User(
        phone=phone,
        display_name=display_name.strip(),
        password_hash=hash_password(password),
        locale=locale,
    )
    user.grants.append(RoleGrant(role=Role.VOLUNTEER))
    try:
        # A savepoint, so a concurrent registration of the same number fails as a field error
        # and leaves the outer transaction usable.
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError:
        raise duplicate from None
    current_app.logger.info("account registered", extra={"fields": {"user_id": user.id}})
    return user


@cache
def _dummy_hash() -> str:
    return hash_password("not a real password")


def _spend_verification_time(password: str) -> None:
    """Verify against a throw-away hash when the phone is unknown, so a wrong number costs as
    much time as a wrong password and timing does not reveal which numbers have accounts."""
    verify_password(_dummy_hash(), password)


def authenticate(raw_phone: str, password: str) -> User | None:
    """The active user with this phone and password, or None (never saying which was wrong)."""
    phone = normalise_phone(raw_phone)
    user = find_user_by_phone(phone) if phone else None
    if user is None:
        _spend_verification_time(password)
        return None
    if not verify_password(user.password_hash, password) or not user.is_active:
        current_app.logger.info("login refused", extra={"fields": {"user_id": user.id}})
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    current_app.logger.info("login accepted", extra={"fields": {"user_id": user.id}})
    return user


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Replace the password; the caller revokes other sessions and rotates the current one."""
    if not verify_password(user.password_hash, current_password):
        raise DomainError("current_password", _("Current password: this is not your password."))
    _check_new_password("new_password", new_password)
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    db.session.flush()
    current_app.logger.info("password changed", extra={"fields": {"user_id": user.id}})
