"""Matching runs, the teams they propose, and the pairs volunteers declined (domain §4).

A run's row is the one place its progress lives: the job writes phase, elapsed time, best
score and bound there (with a heartbeat), and the page polls it.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.auth.models import enum_column
from marketplace.clock import utcnow
from marketplace.extensions import db


class ScopeKind(enum.StrEnum):
    ORGANIZATION = "organization"  # a social worker's own organization's households
    STREET = "street"  # an official's street
    DISTRICT = "district"  # an official's district
    REQUEST = "request"  # one care request (supervision's re-match)


class MatchingRunState(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"
    APPLIED = "applied"
    DISCARDED = "discarded"


LIVE_RUN_STATES = (MatchingRunState.QUEUED, MatchingRunState.RUNNING)


class MatchingRun(db.Model):
    __tablename__ = "matching_runs"
    __table_args__ = (Index("ix_matching_runs_scope", "scope_kind", "scope_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope_kind: Mapped[ScopeKind] = mapped_column(enum_column(ScopeKind, 16))
    scope_id: Mapped[int]
    # The organization whose households the run covers (organization and request scopes).
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: command
    started_role: Mapped[str] = mapped_column(String(32))
    options: Mapped[dict] = mapped_column(JSON, default=dict)
    state: Mapped[MatchingRunState] = mapped_column(
        enum_column(MatchingRunState, 16), default=MatchingRunState.QUEUED, index=True)
    problem: Mapped[dict] = mapped_column(JSON)
    problem_hash: Mapped[str] = mapped_column(String(64))
    # Engine id → version stamps of the rows behind it, to tell a stale proposal.
    snapshot: Mapped[dict] = mapped_column(JSON, default=dict)
    result: Mapped[dict | None] = mapped_column(JSON)
    shortfall: Mapped[dict | None] = mapped_column(JSON)
    phase: Mapped[str | None] = mapped_column(String(32))
    elapsed_s: Mapped[float | None]
    best_score: Mapped[int | None]
    bound: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(Text)
    job_id: Mapped[str] = mapped_column(String(64), unique=True)
    # Who runs it now (host:pid:thread) and when it last said so; a running row whose
    # heartbeat stops is a dead worker's, swept to failed.
    worker: Mapped[str | None] = mapped_column(String(120))
    heartbeat_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]

    proposals: Mapped[list[TeamProposal]] = relationship(
        back_populates="run", order_by="TeamProposal.id", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<MatchingRun {self.id} {self.scope_kind}:{self.scope_id} {self.state}>"

    @property
    def live(self) -> bool:
        return self.state in LIVE_RUN_STATES


class ProposalState(enum.StrEnum):
    PENDING = "pending"
    REJECTED = "rejected"
    OFFERED = "offered"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    STALE = "stale"


class MemberState(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"


class TeamProposal(db.Model):
    __tablename__ = "team_proposals"
    __table_args__ = (UniqueConstraint("run_id", "care_request_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("matching_runs.id"), index=True)
    care_request_id: Mapped[int] = mapped_column(ForeignKey("care_requests.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    state: Mapped[ProposalState] = mapped_column(
        enum_column(ProposalState, 16), default=ProposalState.PENDING, index=True)
    offered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    offered_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    run: Mapped[MatchingRun] = relationship(back_populates="proposals")
    members: Mapped[list[ProposalMember]] = relationship(
        back_populates="proposal", order_by="ProposalMember.id", cascade="all, delete-orphan")


class ProposalMember(db.Model):
    __tablename__ = "proposal_members"
    __table_args__ = (UniqueConstraint("proposal_id", "volunteer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("team_proposals.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteer_profiles.id"), index=True)
    state: Mapped[MemberState] = mapped_column(
        enum_column(MemberState, 16), default=MemberState.PENDING)
    kept: Mapped[bool] = mapped_column(default=False)  # already serving this household
    # The engine's reason, as its code and parameters, rendered through the catalog.
    explanation: Mapped[dict] = mapped_column(JSON, default=dict)
    responded_at: Mapped[datetime | None]

    proposal: Mapped[TeamProposal] = relationship(back_populates="members")


class DeclinedPair(db.Model):
    """A volunteer who declined a household is never proposed for it again (§8.8)."""

    __tablename__ = "declined_pairs"
    __table_args__ = (UniqueConstraint("household_id", "volunteer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteer_profiles.id"))
    declined_at: Mapped[datetime] = mapped_column(default=utcnow)
