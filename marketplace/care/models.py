"""Households (服务对象), their care requests and the living teams that serve them (domain §1.2,
§3, §4). Personal values (names, phones, address, health notes) are kept apart from what a
purge keeps: hours, counts and the household's pseudonym (§8.27)."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    Float,
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
from marketplace.privacy import crypto
from marketplace.privacy.masking import mask_name, mask_phone


class HouseholdFlag(enum.StrEnum):
    ADVANCED_AGE = "advanced_age"  # 高龄 80+
    SOLITARY = "solitary"  # 孤寡
    INCAPACITATED = "incapacitated"  # 失能
    SEMI_INCAPACITATED = "semi_incapacitated"  # 半失能
    EMPTY_NEST = "empty_nest"  # 空巢
    DIBAO = "dibao"  # 低保
    DISABLED = "disabled"  # 残疾


# Points of each flag (domain §1.2, §8.20); empty_nest is the reason a 311 team exists, not
# a further priority point.
FLAG_POINTS = {
    HouseholdFlag.INCAPACITATED: 3,
    HouseholdFlag.SOLITARY: 2,
    HouseholdFlag.SEMI_INCAPACITATED: 2,
    HouseholdFlag.ADVANCED_AGE: 2,
    HouseholdFlag.DISABLED: 1,
    HouseholdFlag.DIBAO: 1,
    HouseholdFlag.EMPTY_NEST: 0,
}
MAX_PRIORITY = 5


def priority_from_flags(flags) -> int:
    """``min(5, 1 + points)`` over the household's flags (domain §1.2)."""
    return min(MAX_PRIORITY, 1 + sum(FLAG_POINTS[HouseholdFlag(flag)] for flag in set(flags)))


class HouseholdState(enum.StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"


class Household(db.Model):
    __tablename__ = "households"
    __table_args__ = (
        CheckConstraint("priority >= 1 AND priority <= 5", name="priority_range"),
        CheckConstraint(
            "priority_override IS NULL OR (priority_override >= 1 AND priority_override <= 5)",
            name="priority_override_range",
        ),
        Index("ix_households_org_state", "organization_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grids.id"), index=True)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    # The street address, encrypted like ID numbers; None once purged.
    address_encrypted: Mapped[str | None] = mapped_column(Text)
    living_situation: Mapped[str] = mapped_column(Text, default="")
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    # From the flags (§1.2) unless a social worker overrode it, with a reason (§8.20).
    priority: Mapped[int] = mapped_column(default=1)
    priority_override: Mapped[int | None] = mapped_column()
    priority_reason: Mapped[str | None] = mapped_column(Text)
    needs: Mapped[list[str]] = mapped_column(JSON, default=list)  # the engine's skill codes
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    slots: Mapped[list[str]] = mapped_column(JSON, default=list)
    hours_per_week: Mapped[float] = mapped_column(Float, default=2.0)
    visits_per_week: Mapped[int] = mapped_column(default=1)
    state: Mapped[HouseholdState] = mapped_column(
        enum_column(HouseholdState, 16), default=HouseholdState.ACTIVE
    )
    # What lists, counts and hours show once personal data is gone, e.g. "HH-0042-7KQ3".
    pseudonym: Mapped[str] = mapped_column(String(24), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column()
    close_reason: Mapped[str | None] = mapped_column(Text)
    purged_at: Mapped[datetime | None] = mapped_column()

    organization = relationship("Organization")
    community = relationship("Community")
    grid = relationship("Grid")
    persons: Mapped[list[HouseholdPerson]] = relationship(
        back_populates="household", order_by="HouseholdPerson.id",
        cascade="all, delete-orphan",
    )
    health_note: Mapped[HealthNote | None] = relationship(
        back_populates="household", cascade="all, delete-orphan", uselist=False
    )
    care_requests: Mapped[list[CareRequest]] = relationship(
        back_populates="household", order_by="CareRequest.id"
    )

    def __repr__(self) -> str:  # the pseudonym only: reprs end up in logs
        return f"<Household {self.id} {self.pseudonym}>"

    @property
    def address(self) -> str:
        return crypto.decrypt(self.address_encrypted) if self.address_encrypted else ""

    @property
    def is_active(self) -> bool:
        return self.state == HouseholdState.ACTIVE

    @property
    def current_requests(self) -> list[CareRequest]:
        """Its requests that are not closed: what the household list shows."""
        return [r for r in self.care_requests if r.state != CareRequestState.CLOSED]

    @property
    def effective_priority(self) -> int:
        return self.priority_override or self.priority


class HouseholdPerson(db.Model):
    __tablename__ = "household_persons"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(50))
    birth_year: Mapped[int | None] = mapped_column()
    phone: Mapped[str | None] = mapped_column(String(20))
    relation: Mapped[str] = mapped_column(String(20), default="")  # e.g. 本人, 配偶

    household: Mapped[Household] = relationship(back_populates="persons")

    def __repr__(self) -> str:
        return f"<HouseholdPerson {self.id}>"

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class HealthNote(db.Model):
    """Health notes of a household (PIPL art. 28–29): only with a recorded ``health_data``
    consent, encrypted at rest, read by the household's social workers through a reveal."""

    __tablename__ = "health_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), unique=True
    )
    text_encrypted: Mapped[str] = mapped_column(Text)
    consent_id: Mapped[int] = mapped_column(ForeignKey("consent_records.id"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    household: Mapped[Household] = relationship(back_populates="health_note")
    consent = relationship("ConsentRecord")

    def __repr__(self) -> str:
        return f"<HealthNote {self.id}>"

    @property
    def text(self) -> str:
        return crypto.decrypt(self.text_encrypted)


class CareRequestState(enum.StrEnum):
    OPEN = "open"
    PROPOSED = "proposed"
    STAFFED = "staffed"
    CLOSED = "closed"


class CareRequest(db.Model):
    """A household's need in the engine's request fields (matching-format.md)."""

    __tablename__ = "care_requests"
    __table_args__ = (
        CheckConstraint("team_size IN (1, 3)", name="team_size_1_or_3"),
        CheckConstraint("priority >= 1 AND priority <= 5", name="priority_range"),
        Index("ix_care_requests_state", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    team_size: Mapped[int] = mapped_column(default=3)
    # What a single-member request is for (repair, escort, legal aid …); empty for a 311 team.
    title: Mapped[str] = mapped_column(String(100), default="")
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    needs_social_worker: Mapped[bool] = mapped_column(default=False)
    slots: Mapped[list[str]] = mapped_column(JSON, default=list)
    hours_per_week: Mapped[float] = mapped_column(Float, default=2.0)
    visits_per_week: Mapped[int] = mapped_column(default=1)
    # The household's priority unless set on the request itself.
    priority: Mapped[int] = mapped_column(default=1)
    max_km: Mapped[float | None] = mapped_column(Float)
    state: Mapped[CareRequestState] = mapped_column(
        enum_column(CareRequestState, 16), default=CareRequestState.OPEN
    )
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contracts.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column()
    close_reason: Mapped[str | None] = mapped_column(Text)

    household: Mapped[Household] = relationship(back_populates="care_requests")
    teams: Mapped[list[CareTeam]] = relationship(
        back_populates="care_request", order_by="CareTeam.id"
    )

    def __repr__(self) -> str:
        return f"<CareRequest {self.id} {self.state}>"

    @property
    def living_team(self) -> CareTeam | None:
        return next((team for team in self.teams if team.ended_at is None), None)


_LIVE_TEAM_SQL = "ended_at IS NULL"
_LIVE_MEMBER_SQL = "left_at IS NULL"


class CareTeam(db.Model):
    """服务小组: the living team of one care request; a request has at most one live team."""

    __tablename__ = "care_teams"
    __table_args__ = (
        Index(
            "uq_care_teams_live_request", "care_request_id", unique=True,
            sqlite_where=text(_LIVE_TEAM_SQL), postgresql_where=text(_LIVE_TEAM_SQL),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    care_request_id: Mapped[int] = mapped_column(ForeignKey("care_requests.id"), index=True)
    formed_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column()

    care_request: Mapped[CareRequest] = relationship(back_populates="teams")
    members: Mapped[list[CareTeamMember]] = relationship(
        back_populates="care_team", order_by="CareTeamMember.id"
    )
    visits: Mapped[list[VisitLog]] = relationship(
        back_populates="care_team", order_by="VisitLog.visited_on.desc()"
    )

    def __repr__(self) -> str:
        return f"<CareTeam {self.id}>"

    @property
    def current_members(self) -> list[CareTeamMember]:
        return [member for member in self.members if member.left_at is None]


class CareTeamMember(db.Model):
    __tablename__ = "care_team_members"
    __table_args__ = (
        Index(
            "uq_care_team_members_live", "care_team_id", "volunteer_id", unique=True,
            sqlite_where=text(_LIVE_MEMBER_SQL), postgresql_where=text(_LIVE_MEMBER_SQL),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    care_team_id: Mapped[int] = mapped_column(ForeignKey("care_teams.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteer_profiles.id"), index=True)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    left_at: Mapped[datetime | None] = mapped_column()
    leave_reason: Mapped[str | None] = mapped_column(Text)

    care_team: Mapped[CareTeam] = relationship(back_populates="members")
    volunteer = relationship("VolunteerProfile")

    def __repr__(self) -> str:
        return f"<CareTeamMember {self.id}>"


class VisitLog(db.Model):
    """走访记录: one team visit; its minutes become a pending hours entry (source visit)."""

    __tablename__ = "visit_logs"
    __table_args__ = (
        CheckConstraint("minutes > 0 AND minutes <= 1440", name="minutes_in_a_day"),
        CheckConstraint("persons_reached >= 0", name="persons_reached_positive"),
        # One visit a day per member and team: a second submit of the same visit is refused.
        UniqueConstraint("care_team_id", "volunteer_id", "visited_on",
                         name="uq_visit_logs_member_day"),
        Index("ix_visit_logs_team_day", "care_team_id", "visited_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    care_team_id: Mapped[int] = mapped_column(ForeignKey("care_teams.id"))
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteer_profiles.id"), index=True)
    visited_on: Mapped[date] = mapped_column(Date)
    minutes: Mapped[int] = mapped_column()
    contact: Mapped[bool] = mapped_column(default=True)  # someone at home was reached
    persons_reached: Mapped[int] = mapped_column(default=1)
    note: Mapped[str] = mapped_column(Text, default="")  # no health data: the form says so
    hours_entry_id: Mapped[int | None] = mapped_column(ForeignKey("hours_entries.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    care_team: Mapped[CareTeam] = relationship(back_populates="visits")
    volunteer = relationship("VolunteerProfile")
    hours_entry = relationship("HoursEntry")

    def __repr__(self) -> str:
        return f"<VisitLog {self.id}>"
