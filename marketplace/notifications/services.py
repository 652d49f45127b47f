"""Notify a user, withdraw what is not yet sent, and the notification centre's reads.
Services flush; the caller commits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.notifications.models import Notification, OutboxMessage, OutboxState
from marketplace.security import safe_next_url


def notify(user_id: int, kind: str, params: dict | None = None, *, url: str | None = None,
           due_at: datetime | None = None, dedupe_key: str | None = None) -> Notification:
    """Tell ``user_id`` something: shown in the centre and sent from ``due_at`` (default now).

    ``kind`` is a code of ``kinds.KINDS``, rendered in the reader's language when shown;
    ``url`` a path inside the site. With ``dedupe_key`` a second call returns the first
    notification unchanged, so a retried request never tells anyone twice; a key withdrawn by
    ``cancel_due`` is scheduled again with the new time and parameters.
    """
    due = due_at or utcnow()
    if due.tzinfo is not None:
        raise ValueError("due_at is naive UTC, as every stored time")
    fields = {"kind": kind, "params": dict(params or {}), "url": safe_next_url(url),
              "due_at": due}
    if dedupe_key is not None:
        existing = _by_key(dedupe_key)
        if existing is not None:
            return _revive(existing, fields)
    notification = Notification(user_id=user_id, dedupe_key=dedupe_key, **fields)
    notification.outbox.append(OutboxMessage(due_at=due))
    if dedupe_key is None:
        db.session.add(notification)
        db.session.flush()
        return notification
    try:
        with db.session.begin_nested():  # a concurrent call with the same key may win
            db.session.add(notification)
    except IntegrityError:
        existing = _by_key(dedupe_key)
        if existing is None:
            raise
        return _revive(existing, fields)
    return notification


def _by_key(dedupe_key: str) -> Notification | None:
    return db.session.scalar(select(Notification).where(Notification.dedupe_key == dedupe_key))


def _revive(notification: Notification, fields: dict) -> Notification:
    if notification.cancelled_at is None:
        return notification
    for name, value in fields.items():
        setattr(notification, name, value)
    notification.cancelled_at = None
    notification.read_at = None
    notification.outbox.append(OutboxMessage(due_at=fields["due_at"]))
    db.session.flush()
    return notification


def cancel_due(dedupe_key_prefix: str) -> int:
    """Withdraw the notifications whose key starts with ``dedupe_key_prefix`` and that have not
    gone out yet: not due, or due but still waiting in the outbox. Returns how many."""
    if not dedupe_key_prefix:
        raise ValueError("a prefix is needed: an empty one would withdraw everything")
    now = utcnow()
    waiting = exists().where(
        OutboxMessage.notification_id == Notification.id,
        OutboxMessage.state == OutboxState.PENDING,
    )
    ids = list(db.session.scalars(
        select(Notification.id).where(
            Notification.dedupe_key.startswith(dedupe_key_prefix, autoescape=True),
            Notification.cancelled_at.is_(None),
            or_(Notification.due_at > now, waiting),
        )
    ))
    if not ids:
        return 0
    db.session.execute(
        update(Notification).where(Notification.id.in_(ids)).values(cancelled_at=now)
    )
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.notification_id.in_(ids), OutboxMessage.state == OutboxState.PENDING)
        .values(state=OutboxState.CANCELLED)
    )
    db.session.flush()
    return len(ids)


def _shown(user_id: int, now: datetime):
    return and_(
        Notification.user_id == user_id,
        Notification.due_at <= now,
        Notification.cancelled_at.is_(None),
    )


def centre_query(user_id: int):
    """The user's notifications that are due and not withdrawn, newest first."""
    return (
        select(Notification)
        .where(_shown(user_id, utcnow()))
        .order_by(Notification.due_at.desc(), Notification.id.desc())
    )


def unread_count(user_id: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Notification).where(
            _shown(user_id, utcnow()), Notification.read_at.is_(None)
        )
    )


def open_notification(user_id: int, notification_id: int) -> Notification | None:
    """Mark one of the user's own notifications read; None when it is not theirs."""
    notification = db.session.scalar(
        select(Notification).where(Notification.id == notification_id, _shown(user_id, utcnow()))
    )
    if notification is not None and notification.read_at is None:
        notification.read_at = utcnow()
        db.session.flush()
    return notification


def mark_all_read(user_id: int) -> int:
    result = db.session.execute(
        update(Notification)
        .where(_shown(user_id, utcnow()), Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.flush()
    return result.rowcount
