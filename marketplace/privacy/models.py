"""Consent given by a person, or by a guardian for a minor (domain §1.2 ``ConsentRecord``)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.auth.models import enum_column
from marketplace.clock import utcnow
from marketplace.extensions import db


class ConsentPurpose(enum.StrEnum):
    PRIVACY_NOTICE = "privacy_notice"
    GUARDIAN = "guardian"
    HEALTH_DATA = "health_data"
    LOCATION = "location"


class ConsentRecord(db.Model):
    __tablename__ = "consent_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The person the consent is about, when they have an account; a household's consent
    # (recorded by its social worker) is reached from the record that needs it instead.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[ConsentPurpose] = mapped_column(enum_column(ConsentPurpose))
    text_version: Mapped[str] = mapped_column(String(16))
    given_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column()
    # Set when a guardian consents for a minor: who they are to the person.
    guardian_name: Mapped[str | None] = mapped_column(String(50))
    guardian_relation: Mapped[str | None] = mapped_column(String(20))
    # Who entered the record (the person, or a social worker on their behalf).
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user = relationship("User", foreign_keys=[user_id])

    def __repr__(self) -> str:  # the guardian's name never goes into a repr
        return f"<ConsentRecord {self.id} {self.purpose}>"
