"""Server-side session records behind Flask-Login.

The signed cookie carries the user id and a random session token; a request is logged in only
while the token's ``UserSession`` row exists and is not revoked. Logging out or changing the
password revokes rows, so a cookie captured earlier stops working.

A session also ends after a while without requests (``IDLE_TIMEOUT_STAFF`` for anyone holding
a staff role, ``IDLE_TIMEOUT_VOLUNTEER`` otherwise). ``last_seen_at`` records the latest
request, written at most once a minute so that browsing does not mean a write per page.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app, g, request, session
from flask_babel import gettext
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select, update

from marketplace.auth.models import Role, User, UserSession
from marketplace.clock import utcnow
from marketplace.extensions import db, login_manager

SESSION_TOKEN_KEY = "sid"
# Survives login and logout: the language someone picked is not a credential.
KEPT_KEYS = ("locale",)
STAFF_ROLES = (Role.SOCIAL_WORKER, Role.ORG_ADMIN, Role.OFFICIAL, Role.PLATFORM_ADMIN)
LAST_SEEN_RESOLUTION = timedelta(minutes=1)

# A plain message id: Flask-Login passes it through localize_callback at flash time.
login_manager.login_message = "Please log in to open this page."
login_manager.login_message_category = "info"
login_manager.localize_callback = gettext


def _clear_session() -> None:
    kept = {key: session[key] for key in KEPT_KEYS if key in session}
    session.clear()
    session.update(kept)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    token = session.get(SESSION_TOKEN_KEY)
    if not token or not user_id.isdigit():
        return None
    live = db.session.execute(
        select(UserSession).where(
            UserSession.token == token,
            UserSession.user_id == int(user_id),
            UserSession.revoked_at.is_(None),
        )
    ).scalar_one_or_none()
    if live is None:
        return None
    user = db.session.get(User, live.user_id)
    if user is None or not user.is_active:
        return None
    now = utcnow()
    idle = now - live.last_seen_at
    if idle > idle_timeout(user):
        g.session_record_update = (live.id, {"revoked_at": now})
        return None
    if idle >= LAST_SEEN_RESOLUTION:
        g.session_record_update = (live.id, {"last_seen_at": now})
    return user


def idle_timeout(user: User) -> timedelta:
    name = "IDLE_TIMEOUT_STAFF" if user.has_role(*STAFF_ROLES) else "IDLE_TIMEOUT_VOLUNTEER"
    return timedelta(seconds=int(current_app.config[name]))


def load_session_user() -> None:
    """Before each request: load the user, and store what the loader found (an idle session
    revoked, ``last_seen_at`` moved on) in a commit of its own. At the start of the request
    nothing else is pending, so the view's single commit stays the view's own, and a page that
    only reads still keeps ``last_seen_at``."""
    if request.endpoint == "static":
        return
    current_user._get_current_object()
    pending = g.pop("session_record_update", None)
    if pending is not None:
        record_id, values = pending
        db.session.execute(update(UserSession).where(UserSession.id == record_id).values(**values))
        db.session.commit()


def start_session(user: User) -> UserSession:
    """Log ``user`` in with a fresh server-side session record (the caller commits)."""
    _clear_session()  # no pre-login state survives: defeats session fixation
    record = UserSession(token=secrets.token_urlsafe(32), user_id=user.id)
    db.session.add(record)
    db.session.flush()
    session[SESSION_TOKEN_KEY] = record.token
    session.permanent = True
    login_user(user)
    return record


def end_session() -> None:
    """Revoke the current session record and clear the cookie (the caller commits)."""
    token = session.get(SESSION_TOKEN_KEY)
    if token:
        db.session.execute(
            update(UserSession)
            .where(UserSession.token == token, UserSession.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )
    logout_user()
    _clear_session()


def revoke_other_sessions(user: User) -> int:
    """Revoke every live session of ``user`` except the current one; returns how many."""
    current = session.get(SESSION_TOKEN_KEY)
    result = db.session.execute(
        update(UserSession)
        .where(
            UserSession.user_id == user.id,
            UserSession.revoked_at.is_(None),
            UserSession.token != (current or ""),
        )
        .values(revoked_at=utcnow())
    )
    return result.rowcount or 0


def rotate_session(user: User) -> UserSession:
    """Replace the current session record with a fresh one (after a password change)."""
    end_session()
    return start_session(user)
