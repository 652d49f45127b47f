"""The hours ledger (domain §4): rows are appended and decided, never edited. A correction is
a new entry pointing at the one it corrects, and supersedes it once verified."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.auth.models import enum_column
from marketplace.clock import utcnow
from marketplace.extensions import db


class HoursKind(enum.StrEnum):
    VOLUNTEER = "volunteer"
    PAID = "paid"  # under a low_fee/paid project or by the organization's staff (§8.16)


class HoursSource(enum.StrEnum):
    CHECKIN = "checkin"
    ROSTER = "roster"
    VISIT = "visit"
    MANUAL = "manual"


class HoursState(enum.StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"


class HoursEntry(db.Model):
    __tablename__ = "hours_entries"
    __table_args__ = (
        CheckConstraint("minutes >= 0 AND minutes <= 1440", name="minutes_in_a_day"),
        # One original entry per sign-up: a second check-out cannot write a second one.
        Index(
            "uq_hours_entries_sign_up_original", "sign_up_id", unique=True,
            sqlite_where=text("sign_up_id IS NOT NULL AND corrects_id IS NULL"),
            postgresql_where=text("sign_up_id IS NOT NULL AND corrects_id IS NULL"),
        ),
        Index("ix_hours_entries_org_state", "organization_id", "state"),
        Index("ix_hours_entries_volunteer_state", "volunteer_id", "state"),
        # Corrections only: a planner reading the full index's statistics (almost all NULL)
        # would not use it to find an entry's correction, and every total walks the ledger.
        Index("ix_hours_entries_correction_of", "corrects_id",
              sqlite_where=text("corrects_id IS NOT NULL"),
              postgresql_where=text("corrects_id IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteer_profiles.id"))
    # The recording organization: it verifies the entry and issues certificates for it.
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"), index=True)
    sign_up_id: Mapped[int | None] = mapped_column(ForeignKey("sign_ups.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("volunteer_teams.id"), index=True)
    service_date: Mapped[date] = mapped_column(Date, index=True)
    minutes: Mapped[int] = mapped_column()
    kind: Mapped[HoursKind] = mapped_column(enum_column(HoursKind, 16))
    source: Mapped[HoursSource] = mapped_column(enum_column(HoursSource, 16))
    state: Mapped[HoursState] = mapped_column(
        enum_column(HoursState, 16), default=HoursState.PENDING
    )
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("hours_entries.id"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")  # why a correction was recorded
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    verified_at: Mapped[datetime | None] = mapped_column(index=True)  # dashboards: since
    reject_reason: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    volunteer = relationship("VolunteerProfile")
    organization = relationship("Organization")
    project = relationship("Project")
    corrects = relationship("HoursEntry", remote_side=[id])

    @property
    def hours(self) -> float:
        return self.minutes / 60

    def __repr__(self) -> str:
        return f"<HoursEntry {self.id} {self.state}>"


class InsuranceRecord(db.Model):
    """Accident insurance on record for a volunteer (《志愿服务条例》 art. 17): risky shifts
    need one valid on the shift's day."""

    __tablename__ = "insurance_records"
    __table_args__ = (
        CheckConstraint("valid_until >= valid_from", name="dates_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteer_profiles.id"), index=True)
    insurer: Mapped[str] = mapped_column(String(100))
    policy_no: Mapped[str] = mapped_column(String(64))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organization = relationship("Organization")


class Certificate(db.Model):
    """志愿服务记录证明: the verified volunteer hours one organization recorded for a volunteer
    in a period. The serial (issuer, year, sequence) and a random check code are both needed
    to look it up publicly (§8.33), so serials cannot be walked to harvest names."""

    __tablename__ = "certificates"
    __table_args__ = (
        UniqueConstraint("organization_id", "year", "sequence"),
        CheckConstraint("period_to >= period_from", name="period_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteer_profiles.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    year: Mapped[int] = mapped_column()
    sequence: Mapped[int] = mapped_column()
    serial: Mapped[str] = mapped_column(String(32), unique=True)
    check_code: Mapped[str] = mapped_column(String(6))
    period_from: Mapped[date] = mapped_column(Date)
    period_to: Mapped[date] = mapped_column(Date)
    # What the certificate states, fixed when issued: later corrections need a new one.
    total_minutes: Mapped[int] = mapped_column()
    # The service behind the total, by project: [{"title": ..., "minutes": ...}, ...].
    lines: Mapped[list[dict]] = mapped_column(JSON, default=list)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)

    volunteer = relationship("VolunteerProfile")
    organization = relationship("Organization")
