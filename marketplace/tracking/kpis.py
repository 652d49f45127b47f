"""Live KPIs of a contract, computed from the platform's records, never typed in (domain §5).

A contract's records are its linked projects (their shifts, hours and follow-ups) and its
linked care requests (their households, living teams, visits and follow-ups). Rates are
percentages; each KPI is compared with the share of the contract period elapsed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, func, or_, select

from marketplace.care.models import (
    CareRequest,
    CareTeam,
    Household,
    HouseholdFlag,
    HouseholdState,
    VisitLog,
)
from marketplace.extensions import db
from marketplace.hours.models import HoursEntry, HoursKind
from marketplace.hours.services import counted_entries
from marketplace.projects.localtime import day_bounds
from marketplace.projects.models import FollowUp, FollowUpAnswer, Project, Shift, ShiftState
from marketplace.tracking.models import PERSON_KPIS, RATE_KPIS, Contract, Kpi
from marketplace.tracking.suppression import SMALL, shown

LAG_POINTS = 10  # a KPI lags when actual ÷ target trails the elapsed share by more than this
COVERAGE_DAYS = 30  # 空巢覆盖率: a visit with contact in the last 30 days
SATISFIED = (FollowUpAnswer.SATISFIED, FollowUpAnswer.BASICALLY_SATISFIED)


@dataclass(frozen=True)
class Measure:
    value: float  # a count, hours, or a percentage for rates
    numerator: int | None = None
    denominator: int | None = None


@dataclass(frozen=True)
class KpiProgress:
    kpi: Kpi
    target: float
    actual: float
    shown_actual: str  # after the small-numbers rule, for officials and the public
    achieved_pct: float  # actual ÷ target, percent
    elapsed_pct: float
    lags: bool
    # The share as shown: "—" when the actual is hidden, as target × share would give it back.
    shown_achieved: str
    hidden: bool


def period_of(contract: Contract, as_of: date) -> tuple[date, date]:
    return contract.starts_on, min(contract.ends_on, as_of)


def elapsed_share(contract: Contract, as_of: date) -> float:
    """Share of the contract period elapsed on ``as_of``, 0 to 1."""
    total = (contract.ends_on - contract.starts_on).days
    if total <= 0:
        return 1.0 if as_of >= contract.ends_on else 0.0
    done = (as_of - contract.starts_on).days
    return max(0.0, min(1.0, done / total))


def lags(actual: float, target: float, elapsed: float) -> bool:
    """Domain §5: actual ÷ target trails the elapsed share by more than 10 points."""
    if target <= 0:
        return False
    return 100 * actual / target < 100 * elapsed - LAG_POINTS


class ContractRecords:
    """The SQL pieces selecting one contract's records within a period."""

    def __init__(self, contract: Contract, period: tuple[date, date]):
        self.contract = contract
        self.period = period
        # Read once as id lists: a mostly-NULL contract column misleads the planner into
        # walking the ledger by date when these are subqueries.
        self.projects = list(db.session.scalars(
            select(Project.id).where(Project.contract_id == contract.id)))
        self.requests = list(db.session.scalars(
            select(CareRequest.id).where(CareRequest.contract_id == contract.id)))
        self.households = sorted(set(db.session.scalars(
            select(CareRequest.household_id).where(CareRequest.contract_id == contract.id))))
        self.teams = list(db.session.scalars(
            select(CareTeam.id).where(CareTeam.care_request_id.in_(self.requests))))

    def served_visits(self):
        """Visits of the contract's teams in the period, with contact, whose hours are
        verified: a verified service."""
        return (
            select(VisitLog.id)
            .join(HoursEntry, HoursEntry.id == VisitLog.hours_entry_id)
            .where(VisitLog.care_team_id.in_(self.teams), VisitLog.contact.is_(True),
                   VisitLog.visited_on.between(*self.period), counted_entries())
        )

    def served_households(self):
        return (
            select(CareRequest.household_id).distinct()
            .join(CareTeam, CareTeam.care_request_id == CareRequest.id)
            .join(VisitLog, VisitLog.care_team_id == CareTeam.id)
            .where(VisitLog.id.in_(self.served_visits()))
        )

    def follow_ups(self):
        shifts = list(db.session.scalars(
            select(Shift.id).where(Shift.project_id.in_(self.projects))))
        start, _ = day_bounds(self.period[0])
        _, end = day_bounds(self.period[1])
        return (
            FollowUp.asked_at >= start, FollowUp.asked_at < end,
            or_(FollowUp.shift_id.in_(shifts), FollowUp.household_id.in_(self.households)),
        )


def _count(statement) -> int:
    return int(db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0)


def _rate(numerator: int, denominator: int) -> Measure:
    value = 100 * numerator / denominator if denominator else 0.0
    return Measure(round(value, 1), numerator, denominator)


def _contract_entries(records: ContractRecords, *where):
    """The counted entries of the contract's projects, and of its teams' visits outside
    those projects: two index-friendly selects (an OR of the two would scan the ledger)."""
    of_projects = select(HoursEntry.id, HoursEntry.volunteer_id, HoursEntry.minutes).where(
        HoursEntry.project_id.in_(records.projects), counted_entries(),
        HoursEntry.service_date.between(*records.period), *where)
    visit_entries = select(VisitLog.hours_entry_id).where(
        VisitLog.care_team_id.in_(records.teams), VisitLog.visited_on.between(*records.period))
    of_visits = select(HoursEntry.id, HoursEntry.volunteer_id, HoursEntry.minutes).where(
        HoursEntry.id.in_(visit_entries), counted_entries(),
        HoursEntry.service_date.between(*records.period),
        or_(HoursEntry.project_id.is_(None), HoursEntry.project_id.not_in(records.projects)),
        *where)
    return of_projects.union_all(of_visits).subquery()


def _verified_hours(records: ContractRecords) -> Measure:
    # Contract KPIs count volunteer and paid service hours alike (domain §8.16).
    entries = _contract_entries(records)
    minutes = db.session.scalar(select(func.coalesce(func.sum(entries.c.minutes), 0)))
    return Measure(round(int(minutes) / 60, 1))


def _activities_held(records: ContractRecords) -> Measure:
    start, _ = day_bounds(records.period[0])
    _, end = day_bounds(records.period[1])
    return Measure(_count(select(Shift.id).where(
        Shift.project_id.in_(records.projects), Shift.state == ShiftState.HELD,
        Shift.starts_at >= start, Shift.starts_at < end,
    )))


def _visits(records: ContractRecords) -> Measure:
    return Measure(_count(records.served_visits()))


def _households_served(records: ContractRecords) -> Measure:
    return Measure(_count(records.served_households()))


def _active_in_period(period: tuple[date, date]):
    start, _ = day_bounds(period[0])
    return or_(Household.state == HouseholdState.ACTIVE, Household.closed_at >= start)


def _beneficiary_rate(records: ContractRecords) -> Measure:
    flags = set(records.contract.target_flags or [])
    rows = db.session.execute(
        select(Household.id, Household.flags).where(
            Household.id.in_(records.households), _active_in_period(records.period)
        )
    ).all()
    targeted = {hid for hid, hflags in rows if not flags or flags & set(hflags or [])}
    served = set(db.session.scalars(records.served_households()))
    return _rate(len(targeted & served), len(targeted))


def _participation_rate(records: ContractRecords) -> Measure:
    from marketplace.geo.models import Community, Street
    from marketplace.volunteers.models import VolunteerProfile

    contract = records.contract
    if contract.buyer_street_id:
        streets = select(Community.id).where(Community.street_id == contract.buyer_street_id)
    else:
        streets = select(Community.id).join(Street, Street.id == Community.street_id).where(
            Street.district_id == contract.buyer_district_id
        )
    home_in_scope = VolunteerProfile.community_id.in_(streets)
    denominator = _count(select(VolunteerProfile.id).where(home_in_scope))
    entries = _contract_entries(records, HoursEntry.kind == HoursKind.VOLUNTEER)
    serving = sorted(set(db.session.scalars(select(entries.c.volunteer_id).distinct())))
    numerator = _count(select(VolunteerProfile.id).where(
        VolunteerProfile.id.in_(serving), home_in_scope)) if serving else 0
    return _rate(numerator, denominator)


def _satisfaction(records: ContractRecords, *, independent_only: bool) -> Measure:
    answered = and_(*records.follow_ups(), FollowUp.answer != FollowUpAnswer.NOT_REACHED)
    denominator = _count(select(FollowUp.id).where(answered))
    satisfied = [answered, FollowUp.answer.in_(SATISFIED)]
    if independent_only:
        satisfied.append(FollowUp.independent.is_(True))
    return _rate(_count(select(FollowUp.id).where(*satisfied)), denominator)


def _empty_nest_coverage(records: ContractRecords) -> Measure:
    end = records.period[1]
    rows = db.session.execute(
        select(Household.id, Household.flags).where(
            Household.id.in_(records.households), Household.state == HouseholdState.ACTIVE
        )
    ).all()
    empty_nest = {hid for hid, flags in rows if HouseholdFlag.EMPTY_NEST in (flags or [])}
    covered = set(db.session.scalars(
        select(CareRequest.household_id).distinct()
        .join(CareTeam, CareTeam.care_request_id == CareRequest.id)
        .join(VisitLog, VisitLog.care_team_id == CareTeam.id)
        .where(CareRequest.contract_id == records.contract.id, CareTeam.ended_at.is_(None),
               VisitLog.contact.is_(True),
               VisitLog.visited_on.between(end - timedelta(days=COVERAGE_DAYS), end))
    ))
    return _rate(len(empty_nest & covered), len(empty_nest))


MEASURES = {
    Kpi.HOUSEHOLDS_SERVED: _households_served,
    Kpi.VERIFIED_HOURS: _verified_hours,
    Kpi.ACTIVITIES_HELD: _activities_held,
    Kpi.VISITS: _visits,
    Kpi.BENEFICIARY_RATE: _beneficiary_rate,
    Kpi.PARTICIPATION_RATE: _participation_rate,
    Kpi.SATISFACTION_RATE: lambda records: _satisfaction(records, independent_only=False),
    Kpi.FOLLOW_UP_SATISFACTION_RATE: lambda records: _satisfaction(records,
                                                                   independent_only=True),
    Kpi.EMPTY_NEST_COVERAGE: _empty_nest_coverage,
}


def measure(contract: Contract, kpi: Kpi, as_of: date) -> Measure:
    return MEASURES[kpi](ContractRecords(contract, period_of(contract, as_of)))


def shown_value(kpi: Kpi, result: Measure) -> str:
    if kpi in RATE_KPIS:
        return shown(result.numerator or 0, result.denominator or 0)
    if kpi in PERSON_KPIS:
        return shown(int(result.value))
    return f"{result.value:g}"


def is_hidden(kpi: Kpi, result: Measure) -> bool:
    """Whether the small-numbers rule hides this actual (so whatever is derived from it)."""
    if kpi in RATE_KPIS:
        return (result.denominator or 0) < SMALL
    return kpi in PERSON_KPIS and result.value < SMALL


def progress(contract: Contract, as_of: date) -> list[KpiProgress]:
    """Every target of the contract with its live actual, elapsed share and lag flag."""
    elapsed = elapsed_share(contract, as_of)
    records = ContractRecords(contract, period_of(contract, as_of))
    rows = []
    for target in contract.targets:
        result = MEASURES[target.kpi](records)
        achieved = round(100 * result.value / target.target if target.target else 0.0, 1)
        hidden = is_hidden(target.kpi, result)
        rows.append(KpiProgress(
            kpi=target.kpi, target=target.target, actual=result.value,
            shown_actual=shown_value(target.kpi, result), achieved_pct=achieved,
            elapsed_pct=round(100 * elapsed, 1), lags=lags(result.value, target.target, elapsed),
            shown_achieved="—" if hidden else f"{achieved}%", hidden=hidden,
        ))
    return rows


def overall_pct(rows: list[KpiProgress]) -> float:
    """The least-achieved KPI, capped at 100: what a milestone's tranche is tied to."""
    return min((min(row.achieved_pct, 100.0) for row in rows), default=0.0)


def shown_overall_pct(rows: list[KpiProgress]) -> float | None:
    """``overall_pct`` for pages and exports; None when the least-achieved KPI is hidden by
    the small-numbers rule, whose share it would repeat."""
    least = min(rows, key=lambda row: min(row.achieved_pct, 100.0), default=None)
    return None if least is not None and least.hidden else overall_pct(rows)
