"""Contracts (政府购买服务项目), their versions, KPI targets, milestones and evaluations."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.auth.models import enum_column
from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.orgs.models import ServiceDomain


class ContractState(enum.StrEnum):
    DRAFT = "draft"
    SIGNED = "signed"
    IN_PROGRESS = "in_progress"
    EVALUATED = "evaluated"
    CLOSED = "closed"
    TERMINATED = "terminated"  # from in_progress, with a reason (domain §8.18)


# States in which a contract is public (条例 art. 30) and its edits are versions.
SIGNED_STATES = (ContractState.SIGNED, ContractState.IN_PROGRESS, ContractState.EVALUATED,
                 ContractState.CLOSED, ContractState.TERMINATED)


class Kpi(enum.StrEnum):
    """The deliverables a contract may target (domain §5); rates are in percent."""

    HOUSEHOLDS_SERVED = "households_served"
    VERIFIED_HOURS = "verified_hours"
    ACTIVITIES_HELD = "activities_held"
    VISITS = "visits"
    BENEFICIARY_RATE = "beneficiary_rate"  # 受益率
    PARTICIPATION_RATE = "participation_rate"  # 参与率
    SATISFACTION_RATE = "satisfaction_rate"  # 满意率
    FOLLOW_UP_SATISFACTION_RATE = "follow_up_satisfaction_rate"  # 回访满意率
    EMPTY_NEST_COVERAGE = "empty_nest_coverage"  # 空巢覆盖率


RATE_KPIS = frozenset({Kpi.BENEFICIARY_RATE, Kpi.PARTICIPATION_RATE, Kpi.SATISFACTION_RATE,
                       Kpi.FOLLOW_UP_SATISFACTION_RATE, Kpi.EMPTY_NEST_COVERAGE})
# Counts of persons or households: shown "<5" to officials below five (domain §5).
PERSON_KPIS = frozenset({Kpi.HOUSEHOLDS_SERVED})


class MilestoneState(enum.StrEnum):
    PENDING = "pending"
    EVALUATED = "evaluated"
    PAID = "paid"
    PART_PAID = "part_paid"
    WITHHELD = "withheld"


DECIDED_MILESTONE_STATES = (MilestoneState.PAID, MilestoneState.PART_PAID,
                            MilestoneState.WITHHELD)


class EvaluationKind(enum.StrEnum):
    SELF = "self"
    OFFICIAL = "official"
    THIRD_PARTY = "third_party"


class Contract(db.Model):
    """A purchase by a district 民政局 (street None) or a street office from an approved
    organization. The buyer's district is always stored, so scope is one comparison."""

    __tablename__ = "contracts"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    buyer_district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)
    buyer_street_id: Mapped[int | None] = mapped_column(ForeignKey("streets.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    domain: Mapped[ServiceDomain] = mapped_column(enum_column(ServiceDomain), index=True)
    budget: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    target_flags: Mapped[list[str]] = mapped_column(JSON, default=list)  # 受益率's households
    state: Mapped[ContractState] = mapped_column(
        enum_column(ContractState), default=ContractState.DRAFT, index=True
    )
    version: Mapped[int] = mapped_column(default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    signed_at: Mapped[datetime | None] = mapped_column()
    started_at: Mapped[datetime | None] = mapped_column()
    evaluated_at: Mapped[datetime | None] = mapped_column()
    closed_at: Mapped[datetime | None] = mapped_column()
    terminated_at: Mapped[datetime | None] = mapped_column()
    terminate_reason: Mapped[str | None] = mapped_column(Text)
    # The dashboards' KPI progress (least-achieved KPI, %), as of ``kpi_progress_at``:
    # refreshed with the hours summary and whenever the contract's targets or links change.
    kpi_progress_pct: Mapped[float | None] = mapped_column()
    kpi_progress_at: Mapped[datetime | None] = mapped_column()

    organization = relationship("Organization", lazy="joined")
    buyer_district = relationship("District", lazy="joined")
    buyer_street = relationship("Street", lazy="joined")
    targets: Mapped[list[KpiTarget]] = relationship(
        back_populates="contract", cascade="all, delete-orphan", order_by="KpiTarget.id",
        lazy="selectin",
    )
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="contract", cascade="all, delete-orphan",
        order_by="(Milestone.due_on, Milestone.id)", lazy="selectin",
    )
    versions: Mapped[list[ContractVersion]] = relationship(
        back_populates="contract", cascade="all, delete-orphan", order_by="ContractVersion.number"
    )
    evaluations: Mapped[list[Evaluation]] = relationship(
        back_populates="contract", cascade="all, delete-orphan", order_by="Evaluation.id"
    )

    @property
    def buyer_name(self) -> str:
        return (self.buyer_street or self.buyer_district).name


class KpiTarget(db.Model):
    __tablename__ = "kpi_targets"
    __table_args__ = (UniqueConstraint("contract_id", "kpi"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"))
    kpi: Mapped[Kpi] = mapped_column(enum_column(Kpi, 40))
    target: Mapped[float] = mapped_column()

    contract: Mapped[Contract] = relationship(back_populates="targets")


class Milestone(db.Model):
    """A dated node releasing a payment tranche once the KPIs reach ``required_share`` percent
    of their targets; the official decides the payment (pay, part-pay or withhold)."""

    __tablename__ = "milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(
        ForeignKey("contracts.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(100))
    due_on: Mapped[date] = mapped_column(Date)
    tranche_amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    required_share: Mapped[int] = mapped_column(default=100)  # percent of every KPI target
    state: Mapped[MilestoneState] = mapped_column(
        enum_column(MilestoneState), default=MilestoneState.PENDING
    )
    paid_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column()

    contract: Mapped[Contract] = relationship(back_populates="milestones")


class ContractVersion(db.Model):
    """An edit after signing: what changed (before and after), who changed it and why."""

    __tablename__ = "contract_versions"
    __table_args__ = (UniqueConstraint("contract_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column()
    changes: Mapped[dict] = mapped_column(JSON)  # field -> [before, after]
    reason: Mapped[str] = mapped_column(Text)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    contract: Mapped[Contract] = relationship(back_populates="versions")
    changed_by = relationship("User")


class Evaluation(db.Model):
    """The contractor's self-assessment, or a scored evaluation by the buying official or a
    third-party evaluator, with the KPI figures it was made against."""

    __tablename__ = "evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(
        ForeignKey("contracts.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[EvaluationKind] = mapped_column(enum_column(EvaluationKind, 16))
    score: Mapped[int | None] = mapped_column()  # 0-100; required unless a self-assessment
    comment: Mapped[str] = mapped_column(Text, default="")
    kpi_snapshot: Mapped[list[dict]] = mapped_column(JSON, default=list)
    evaluator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    contract: Mapped[Contract] = relationship(back_populates="evaluations")
    evaluator = relationship("User")


class EvaluatorGrant(db.Model):
    """A third-party evaluator's access, scoped to one named contract (domain §8.18)."""

    __tablename__ = "contract_evaluators"
    __table_args__ = (UniqueConstraint("contract_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ScenarioKind(enum.StrEnum):
    VOLUNTEERS = "volunteers"  # n more volunteers (speaking a language) in the scope
    HOURS = "hours"  # every volunteer gives n more hours a week
    HOUSEHOLDS = "households"  # a contract funds paid staff for n more households


class ScenarioState(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class WhatIfScenario(db.Model):
    """One what-if question on a snapshot of the live problem (domain §8.35): who asked,
    when, what was added, and coverage before and after. It changes no other data."""

    __tablename__ = "whatif_scenarios"

    id: Mapped[int] = mapped_column(primary_key=True)
    scope_kind: Mapped[str] = mapped_column(String(16))  # "street" | "district"
    scope_id: Mapped[int] = mapped_column()
    street_id: Mapped[int | None] = mapped_column(ForeignKey("streets.id"), index=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)
    kind: Mapped[ScenarioKind] = mapped_column(enum_column(ScenarioKind, 16))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    state: Mapped[ScenarioState] = mapped_column(
        enum_column(ScenarioState, 16), default=ScenarioState.QUEUED
    )
    before: Mapped[dict | None] = mapped_column(JSON)  # {"requests", "staffed", "priority_staffed"}
    after: Mapped[dict | None] = mapped_column(JSON)
    recruitment: Mapped[list | None] = mapped_column(JSON)  # shortfall targets per street
    error: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column()


class HoursSummary(db.Model):
    """Counted volunteer minutes by the volunteer's home street, service month and project
    domain, as of the latest ``SummaryRefresh``: the dashboards add what was verified since
    (``tracking.summary``), so a request never scans a year of hours."""

    __tablename__ = "tracking_hours_summary"
    __table_args__ = (Index("ix_tracking_hours_summary_street_month", "street_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    street_id: Mapped[int] = mapped_column(ForeignKey("streets.id"))
    month: Mapped[str] = mapped_column(String(7))  # "2026-03"
    domain: Mapped[str | None] = mapped_column(String(32))  # None: hours of no project
    minutes: Mapped[int] = mapped_column(BigInteger)


class SummaryRefresh(db.Model):
    """When ``HoursSummary`` was rebuilt: entries verified after ``refreshed_at`` are added
    live."""

    __tablename__ = "tracking_summary_refreshes"

    id: Mapped[int] = mapped_column(primary_key=True)
    refreshed_at: Mapped[datetime] = mapped_column()
    rows: Mapped[int] = mapped_column(default=0)
