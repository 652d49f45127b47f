"""A notification is stored as a kind code and its parameters, never as a sentence: it is
rendered in the reader's language when shown or sent. Each one has an outbox row that
``flask notify due`` hands to the configured sender once it is due."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.auth.models import enum_column
from marketplace.clock import utcnow
from marketplace.extensions import db


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_due", "user_id", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(64))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    url: Mapped[str | None] = mapped_column(String(500))
    # Shown in the centre and sent from this moment on (reminders are made ahead of time).
    due_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Makes notify() idempotent: a second call with the same key returns the first row.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column()
    cancelled_at: Mapped[datetime | None] = mapped_column()

    user = relationship("User")
    outbox: Mapped[list[OutboxMessage]] = relationship(
        back_populates="notification", cascade="all, delete-orphan", order_by="OutboxMessage.id"
    )

    def __repr__(self) -> str:
        return f"<Notification {self.id} {self.kind}>"


class OutboxState(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by one `notify due` run; no other run touches it
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


class OutboxMessage(db.Model):
    """One message to send outside the site (SMS, e-mail) for a notification."""

    __tablename__ = "notification_outbox"
    __table_args__ = (Index("ix_notification_outbox_state_due", "state", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(
        ForeignKey("notifications.id", ondelete="CASCADE"), index=True
    )
    due_at: Mapped[datetime] = mapped_column(default=utcnow)
    state: Mapped[OutboxState] = mapped_column(
        enum_column(OutboxState, 16), default=OutboxState.PENDING
    )
    # The sender that handled it: "outbox" (kept here only), "sms" or "email".
    channel: Mapped[str | None] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_at: Mapped[datetime | None] = mapped_column()
    sent_at: Mapped[datetime | None] = mapped_column()
    # The failure's class and a short reason; never the address or the text.
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    notification: Mapped[Notification] = relationship(back_populates="outbox")
