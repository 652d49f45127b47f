"""Volunteer profiles (志愿者): real-name registration, one per user."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Date, Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.auth.models import enum_column
from marketplace.clock import local_today, utcnow
from marketplace.extensions import db
from marketplace.privacy import crypto
from marketplace.privacy.masking import mask_id_number, mask_phone
from marketplace.privacy.models import ConsentPurpose
from marketplace.privacy.services import has_consent
from marketplace.volunteers.identity import age_on

ADULT_AGE = 18
DEFAULT_MAX_TEAMS = 2  # domain §8.21


class Gender(enum.StrEnum):
    MALE = "male"
    FEMALE = "female"


class VolunteerProfile(db.Model):
    __tablename__ = "volunteer_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    # Public number: ZY + region code + serial, never derived from the ID number (§8.26).
    volunteer_no: Mapped[str] = mapped_column(String(16), unique=True)
    real_name: Mapped[str] = mapped_column(String(50))
    # The ID number only ever lands encrypted; the digest finds a second registration.
    id_number_encrypted: Mapped[str] = mapped_column(Text)
    id_number_digest: Mapped[str] = mapped_column(String(64), unique=True)
    birth_date: Mapped[date] = mapped_column(Date)
    gender: Mapped[Gender] = mapped_column(enum_column(Gender, 8))
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    slots: Mapped[list[str]] = mapped_column(JSON, default=list)
    social_worker: Mapped[bool] = mapped_column(default=False)
    sw_certificate_no: Mapped[str | None] = mapped_column(String(32))
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id"), index=True)
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grids.id"), index=True)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    hours_per_week: Mapped[float] = mapped_column(Float, default=2.0)
    max_km: Mapped[float] = mapped_column(Float, default=3.0)
    max_teams: Mapped[int] = mapped_column(default=DEFAULT_MAX_TEAMS)
    # PIPL art. 24: a volunteer may refuse automated matching; they still apply and accept
    # invitations by hand.
    automated_matching: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user = relationship("User")
    community = relationship("Community")
    grid = relationship("Grid")

    def __repr__(self) -> str:  # never a name or number: reprs end up in logs
        return f"<VolunteerProfile {self.id}>"

    @property
    def id_number(self) -> str:
        """The plain ID number: for the person themself and audited reveals only."""
        return crypto.decrypt(self.id_number_encrypted)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.user.phone if self.user else None)

    def age(self, today: date | None = None) -> int:
        return age_on(self.birth_date, today or local_today())

    @property
    def is_minor(self) -> bool:
        return self.age() < ADULT_AGE

    @property
    def has_guardian_consent(self) -> bool:
        return has_consent(self.user_id, ConsentPurpose.GUARDIAN)

    @property
    def may_take_part(self) -> bool:
        """Adults may; a minor only once a guardian's consent is recorded."""
        return not self.is_minor or self.has_guardian_consent
