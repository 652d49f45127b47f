"""Service projects (项目), their shifts (班次), sign-ups (报名 / 候补), feedback (评价) and
satisfaction follow-ups (回访)."""

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
from marketplace.orgs.models import ServiceDomain


class FeeType(enum.StrEnum):
    """无偿 / 低偿 / 有偿 (domain §1.2): only free work earns volunteer hours."""

    FREE = "free"
    LOW_FEE = "low_fee"
    PAID = "paid"


class ProjectState(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"


class ShiftState(enum.StrEnum):
    SCHEDULED = "scheduled"
    HELD = "held"
    CANCELLED = "cancelled"


class SignUpState(enum.StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"
    ATTENDED = "attended"
    NO_SHOW = "no_show"


class FeedbackRole(enum.StrEnum):
    VOLUNTEER = "volunteer"  # the volunteer rates the shift
    ORGANIZER = "organizer"  # the organizer rates the volunteer's attendance


class FollowUpChannel(enum.StrEnum):
    ON_SITE = "on_site"
    PHONE = "phone"
    VISIT = "visit"


class FollowUpAnswer(enum.StrEnum):
    """The answers of domain §5 and §8.12."""

    SATISFIED = "satisfied"  # 满意
    BASICALLY_SATISFIED = "basically_satisfied"  # 基本满意
    DISSATISFIED = "dissatisfied"  # 不满意
    NOT_REACHED = "not_reached"


# A sign-up holds or awaits a seat until it is cancelled; attended and no-show ones stay on
# the shift's record, so a volunteer has at most one non-cancelled sign-up per shift.
LIVE_SIGNUP_STATES = (SignUpState.CONFIRMED, SignUpState.WAITLISTED)
_NOT_CANCELLED_SQL = "state <> 'cancelled'"


class Project(db.Model):
    __tablename__ = "projects"
    __table_args__ = (
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="dates_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    title: Mapped[str] = mapped_column(String(100))
    domain: Mapped[ServiceDomain] = mapped_column(enum_column(ServiceDomain), index=True)
    # Where the project serves: one community, or a whole street (§3: geography at community).
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id"), index=True)
    street_id: Mapped[int | None] = mapped_column(ForeignKey("streets.id"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    fee_type: Mapped[FeeType] = mapped_column(enum_column(FeeType), default=FeeType.FREE)
    description: Mapped[str] = mapped_column(Text, default="")
    beneficiaries: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[ProjectState] = mapped_column(
        enum_column(ProjectState), default=ProjectState.DRAFT, index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The government purchase this project delivers, if any (tracking).
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contracts.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column()
    closed_at: Mapped[datetime | None] = mapped_column()

    organization = relationship("Organization")
    community = relationship("Community")
    street = relationship("Street")
    shifts: Mapped[list[Shift]] = relationship(
        back_populates="project", order_by="Shift.starts_at"
    )

    def __repr__(self) -> str:
        return f"<Project {self.id} {self.state}>"


class Shift(db.Model):
    __tablename__ = "shifts"
    __table_args__ = (
        # The seat rule the conditional UPDATE relies on, kept by the database as well.
        CheckConstraint("seats_taken >= 0 AND seats_taken <= seats", name="seats_in_range"),
        CheckConstraint("seats >= 1", name="at_least_one_seat"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        # The nearby search: open shifts by time, then a bounding box on the point.
        Index("ix_shifts_open_by_time", "state", "starts_at"),
        Index("ix_shifts_point", "lat", "lon"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    # Naive UTC, shown in Asia/Shanghai (§8.30).
    starts_at: Mapped[datetime] = mapped_column()
    ends_at: Mapped[datetime] = mapped_column()
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    address: Mapped[str] = mapped_column(String(200), default="")
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    seats: Mapped[int] = mapped_column()
    seats_taken: Mapped[int] = mapped_column(default=0)
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    min_age: Mapped[int] = mapped_column(default=0)
    risky: Mapped[bool] = mapped_column(default=False)
    state: Mapped[ShiftState] = mapped_column(
        enum_column(ShiftState), default=ShiftState.SCHEDULED
    )
    # The shift's leader shows the check-in code and keeps the roster (besides the org's staff).
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    beneficiary_count: Mapped[int | None] = mapped_column()  # §8.14, recorded once held
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    cancelled_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    project: Mapped[Project] = relationship(back_populates="shifts", lazy="joined")
    community = relationship("Community")
    leader = relationship("User")
    sign_ups: Mapped[list[SignUp]] = relationship(back_populates="shift", order_by="SignUp.id")

    @property
    def seats_left(self) -> int:
        return max(0, self.seats - self.seats_taken)

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    def __repr__(self) -> str:
        return f"<Shift {self.id} {self.state}>"


class SignUp(db.Model):
    __tablename__ = "sign_ups"
    __table_args__ = (
        # One sign-up per shift and volunteer that is not cancelled: a double tap cannot
        # make two, whatever the checks before the insert saw.
        Index(
            "uq_sign_ups_live",
            "shift_id",
            "volunteer_id",
            unique=True,
            sqlite_where=text(_NOT_CANCELLED_SQL),
            postgresql_where=text(_NOT_CANCELLED_SQL),
        ),
        # The waiting list in order, and a volunteer's own list.
        Index("ix_sign_ups_shift_state", "shift_id", "state", "id"),
        Index("ix_sign_ups_volunteer_state", "volunteer_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.id", ondelete="CASCADE"))
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteer_profiles.id"))
    state: Mapped[SignUpState] = mapped_column(enum_column(SignUpState))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    promoted_at: Mapped[datetime | None] = mapped_column()
    cancelled_at: Mapped[datetime | None] = mapped_column()
    # Cancelled after the deadline (§8.24): allowed and recorded, never a no-show.
    late_cancel: Mapped[bool] = mapped_column(default=False)
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    checked_in_at: Mapped[datetime | None] = mapped_column()
    checked_out_at: Mapped[datetime | None] = mapped_column()
    # Who recorded attendance or the no-show (the leader or the org's staff); None for a scan.
    attendance_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    shift: Mapped[Shift] = relationship(back_populates="sign_ups")
    volunteer = relationship("VolunteerProfile")
    feedback: Mapped[list[Feedback]] = relationship(
        back_populates="sign_up", order_by="Feedback.id"
    )

    @property
    def is_live(self) -> bool:
        return self.state in LIVE_SIGNUP_STATES

    def __repr__(self) -> str:
        return f"<SignUp {self.id} {self.state}>"


class Feedback(db.Model):
    """After a shift: the volunteer rates it, the organizer rates the attendance; one each."""

    __tablename__ = "feedback"
    __table_args__ = (
        UniqueConstraint("sign_up_id", "role"),
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_1_to_5"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sign_up_id: Mapped[int] = mapped_column(
        ForeignKey("sign_ups.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[FeedbackRole] = mapped_column(enum_column(FeedbackRole, 16))
    rating: Mapped[int] = mapped_column()
    comment: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    sign_up: Mapped[SignUp] = relationship(back_populates="feedback")


class FollowUp(db.Model):
    """A beneficiary's satisfaction follow-up (回访, §8.12): who was asked, by whom, when, how
    and the answer. About a shift now; about a household once care records them."""

    __tablename__ = "follow_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id"), index=True)
    shift_id: Mapped[int | None] = mapped_column(ForeignKey("shifts.id"), index=True)
    asked_person: Mapped[str] = mapped_column(String(100))  # a description, e.g. "受助老人家属"
    asked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    asked_at: Mapped[datetime] = mapped_column(default=utcnow)
    channel: Mapped[FollowUpChannel] = mapped_column(enum_column(FollowUpChannel, 16))
    answer: Mapped[FollowUpAnswer] = mapped_column(enum_column(FollowUpAnswer, 24))
    # True when the asker is not on the team that served (回访满意率, §5).
    independent: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    shift = relationship("Shift")


class CalendarFeed(db.Model):
    """A volunteer's private calendar address (§8.36); rotating it replaces the token, so
    the old address stops working."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(
        ForeignKey("volunteer_profiles.id"), unique=True
    )
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    rotated_at: Mapped[datetime] = mapped_column(default=utcnow)
