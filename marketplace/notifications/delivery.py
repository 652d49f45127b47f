"""Send what is due. This is a unit of work of its own (called by ``flask notify due`` and the
RQ job) and commits: each outbox row is claimed by a conditional UPDATE and committed before
the sender is called, so two runs at once, or a second run after the first, never send a
message twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import func, select, update

from marketplace.auth.models import User
from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.notifications.kinds import render
from marketplace.notifications.models import Notification, OutboxMessage, OutboxState
from marketplace.notifications.senders import Outgoing, Sender, SendError, sender_from_config

MAX_ATTEMPTS = 3
RETRY_AFTER = timedelta(minutes=5)
BATCH = 500
# A row still "sending" this long after its claim belongs to a run that died mid-send. It is
# not sent again by itself (the message may have gone out): the report counts it for a person.
STUCK_AFTER = timedelta(minutes=15)


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0  # claimed by another run first
    stuck: int = 0  # left "sending" by a run that died


def _claim(message_id: int, now: datetime) -> bool:
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.state == OutboxState.PENDING)
        .values(state=OutboxState.SENDING, claimed_at=now,
                attempts=OutboxMessage.attempts + 1)
    )
    db.session.commit()
    return result.rowcount == 1


def _outgoing(notification: Notification) -> Outgoing:
    user = db.session.get(User, notification.user_id)
    with force_locale(user.locale or "zh"):
        text = render(notification.kind, notification.params)
    return Outgoing(phone=user.phone, email=getattr(user, "email", None), text=text)


def deliver_due(sender: Sender | None = None, now: datetime | None = None) -> DeliveryReport:
    sender = sender or sender_from_config(current_app.config)
    now = now or utcnow()
    report = DeliveryReport()
    due_ids = list(db.session.scalars(
        select(OutboxMessage.id)
        .join(Notification)
        .where(
            OutboxMessage.state == OutboxState.PENDING,
            OutboxMessage.due_at <= now,
            Notification.cancelled_at.is_(None),
        )
        .order_by(OutboxMessage.due_at, OutboxMessage.id)
        .limit(BATCH)
    ))
    db.session.commit()
    for message_id in due_ids:
        if not _claim(message_id, now):
            report.skipped += 1
            continue
        message = db.session.get(OutboxMessage, message_id)
        try:
            sender.send(_outgoing(message.notification))
        except SendError as exc:
            message.error = str(exc)[:500]
            if message.attempts < MAX_ATTEMPTS:
                message.state = OutboxState.PENDING
                message.due_at = now + RETRY_AFTER * message.attempts
                report.retried += 1
            else:
                message.state = OutboxState.FAILED
                report.failed += 1
        else:
            message.state = OutboxState.SENT
            message.channel = sender.name
            message.sent_at = utcnow()
            message.error = None
            report.sent += 1
        db.session.commit()
    report.stuck = db.session.scalar(
        select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.state == OutboxState.SENDING,
            OutboxMessage.claimed_at < now - STUCK_AFTER,
        )
    )
    db.session.commit()
    return report
