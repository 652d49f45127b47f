"""Demo contracts: for each of the eight domains, organizations whose demo projects deliver
a purchase (two a domain at district scale, one in the small demo). The elder-care and
disability contracts also carry the contractor's care requests, with a year of visits; the
held shifts and served households of every contract have their satisfaction follow-ups.
Targets are set against the demo's own records; every actual is computed live from them."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select, update

from marketplace.care.models import CareRequest, CareTeam, CareTeamMember, Household, VisitLog
from marketplace.clock import local_today, utcnow
from marketplace.extensions import db
from marketplace.hours.models import HoursEntry, HoursKind, HoursSource, HoursState
from marketplace.orgs.models import ServiceDomain
from marketplace.projects.localtime import local_date
from marketplace.projects.models import (
    FollowUp,
    FollowUpAnswer,
    FollowUpChannel,
    Project,
    Shift,
    ShiftState,
)
from marketplace.tracking import kpis, summary
from marketplace.tracking.models import (
    Contract,
    ContractState,
    Kpi,
    KpiTarget,
    Milestone,
)

EIGHT_DOMAINS = [domain for domain in ServiceDomain if domain != ServiceDomain.OTHER]
# Contracts of these domains buy care for households as well as projects.
CARE_DOMAINS = (ServiceDomain.ELDER_CARE, ServiceDomain.DISABILITY_SUPPORT)
PER_DOMAIN = {"small": 1, "district": 2}
TITLES = {
    ServiceDomain.ELDER_CARE: "居家养老关爱服务",
    ServiceDomain.PUBLIC_SECURITY: "平安社区志愿巡防",
    ServiceDomain.CULTURE: "社区文化活动",
    ServiceDomain.SCIENCE_POPULARIZATION: "社区科普宣传",
    ServiceDomain.EDUCATION: "社区课后辅导",
    ServiceDomain.RELEASED_PRISONER_SUPPORT: "刑释解教人员帮教",
    ServiceDomain.DISABILITY_SUPPORT: "残疾人康复助残",
    ServiceDomain.CHILD_YOUTH: "儿童青少年关爱",
}
VISIT_EVERY_DAYS = 14  # the earlier months of the year: a visit a fortnight per team
SHIFT_FOLLOW_UP_SHARE = 0.3
ANSWERS = ((FollowUpAnswer.SATISFIED, 70), (FollowUpAnswer.BASICALLY_SATISFIED, 20),
           (FollowUpAnswer.DISSATISFIED, 5), (FollowUpAnswer.NOT_REACHED, 5))
PACE_KPIS = (Kpi.VERIFIED_HOURS, Kpi.ACTIVITIES_HELD)
CARE_PACE_KPIS = (Kpi.VISITS, Kpi.HOUSEHOLDS_SERVED)
CARE_RATE_KPIS = (Kpi.BENEFICIARY_RATE, Kpi.EMPTY_NEST_COVERAGE)
SHARED_RATE_KPIS = (Kpi.PARTICIPATION_RATE, Kpi.SATISFACTION_RATE,
                    Kpi.FOLLOW_UP_SATISFACTION_RATE)


def seed_contracts(ctx) -> None:
    if ctx.district is None or not ctx.streets:
        return
    rng = ctx.rng
    today = local_today()
    projects = list(db.session.scalars(select(Project).order_by(Project.id)))
    if not projects:
        return
    starts_on = min(project.starts_on for project in projects)
    ends_on = starts_on + timedelta(days=364)
    now = utcnow()
    households_by_org = _unlinked_requests_by_org()
    for domain in EIGHT_DOMAINS:
        by_org: dict[int, list[Project]] = {}
        for project in projects:
            if project.domain == domain and project.contract_id is None:
                by_org.setdefault(project.organization_id, []).append(project)
        chosen = _contractors(rng, domain, by_org, households_by_org, PER_DOMAIN[ctx.scale])
        for number, org_id in enumerate(chosen):
            street = ctx.streets[(number + EIGHT_DOMAINS.index(domain)) % len(ctx.streets)]
            budget = Decimal(rng.randrange(100, 501) * 1000)
            contract = Contract(
                title=f"{ctx.district.name}{TITLES[domain]}项目", domain=domain,
                buyer_district_id=ctx.district.id,
                buyer_street_id=street.id if number % 2 else None,
                organization_id=org_id, budget=budget, starts_on=starts_on, ends_on=ends_on,
                state=ContractState.IN_PROGRESS, signed_at=now, started_at=now,
            )
            db.session.add(contract)
            db.session.flush()
            for project in by_org[org_id]:
                project.contract_id = contract.id
            if domain in CARE_DOMAINS and households_by_org.get(org_id):
                _link_care(rng, contract, households_by_org.pop(org_id), today, now)
            db.session.flush()
            _follow_ups(rng, contract, today, now)
            contract.targets = _targets(rng, contract, today)
            contract.milestones = [
                Milestone(title="中期评估", due_on=starts_on + timedelta(days=182),
                          tranche_amount=budget * Decimal("0.4"), required_share=50),
                Milestone(title="结项评估", due_on=ends_on,
                          tranche_amount=budget * Decimal("0.6"), required_share=100),
            ]
    db.session.flush()
    summary.refresh()  # the dashboards read the year of hours from the summary


def _unlinked_requests_by_org() -> dict[int, list[int]]:
    rows = db.session.execute(
        select(Household.organization_id, CareRequest.id).join(Household)
        .where(CareRequest.contract_id.is_(None)).order_by(CareRequest.id))
    found: dict[int, list[int]] = defaultdict(list)
    for org_id, request_id in rows:
        found[org_id].append(request_id)
    return found


def _contractors(rng, domain, by_org, households_by_org, count) -> list[int]:
    """Care domains go to the organizations serving the most households; others at random."""
    if domain in CARE_DOMAINS:
        ranked = sorted(by_org, key=lambda org: (-len(households_by_org.get(org, ())), org))
        return ranked[:count]
    return rng.sample(sorted(by_org), min(count, len(by_org)))


def _link_care(rng, contract: Contract, request_ids: list[int], today, now) -> None:
    db.session.execute(update(CareRequest).where(CareRequest.id.in_(request_ids))
                       .values(contract_id=contract.id))
    _earlier_visits(rng, contract, request_ids, today, now)


def _earlier_visits(rng, contract: Contract, request_ids: list[int], today, now) -> None:
    """The care demo logs the last weeks; the contract's year began earlier: a visit a
    fortnight from the team's forming (or the first day) up to the first logged visit."""
    teams = db.session.execute(
        select(CareTeam.id, CareTeam.formed_at).where(CareTeam.care_request_id.in_(request_ids),
                                                      CareTeam.ended_at.is_(None))
        .order_by(CareTeam.id)).all()
    if not teams:
        return
    team_ids = [team_id for team_id, _formed in teams]
    members: dict[int, list[int]] = defaultdict(list)
    for team_id, volunteer_id in db.session.execute(
            select(CareTeamMember.care_team_id, CareTeamMember.volunteer_id)
            .where(CareTeamMember.care_team_id.in_(team_ids))
            .order_by(CareTeamMember.id)):
        members[team_id].append(volunteer_id)
    first_visit = dict(db.session.execute(
        select(VisitLog.care_team_id, func.min(VisitLog.visited_on))
        .where(VisitLog.care_team_id.in_(team_ids)).group_by(VisitLog.care_team_id)).all())
    rows = []
    for team_id, formed_at in teams:
        if not members[team_id]:
            continue
        day = max(contract.starts_on, local_date(formed_at)) + timedelta(days=rng.randint(0, 6))
        until = first_visit.get(team_id, today)
        while day < until - timedelta(days=3):
            rows.append((team_id, rng.choice(members[team_id]), day,
                         rng.choice((45, 60, 60, 90))))
            day += timedelta(days=VISIT_EVERY_DAYS)
    if not rows:
        return
    entries = db.session.execute(
        insert(HoursEntry.__table__).returning(HoursEntry.__table__.c.id,
                                               sort_by_parameter_order=True),
        [{"volunteer_id": volunteer_id, "organization_id": contract.organization_id,
          "service_date": day, "minutes": minutes, "kind": HoursKind.VOLUNTEER.value,
          "source": HoursSource.VISIT.value, "state": HoursState.VERIFIED.value,
          "verified_at": now, "note": "", "created_at": now}
         for _team, volunteer_id, day, minutes in rows])
    db.session.execute(insert(VisitLog.__table__), [
        {"care_team_id": team_id, "volunteer_id": volunteer_id, "visited_on": day,
         "minutes": minutes, "contact": True, "persons_reached": 1, "note": "",
         "hours_entry_id": entry_id, "created_at": now}
        for (team_id, volunteer_id, day, minutes), (entry_id,) in zip(rows, entries,
                                                                      strict=True)])


def _answer(rng) -> FollowUpAnswer:
    return rng.choices([a for a, _w in ANSWERS], weights=[w for _a, w in ANSWERS])[0]


def _follow_ups(rng, contract: Contract, today, now) -> None:
    """回访 of a share of the held shifts, and of each served household once a quarter."""
    rows = []
    shifts = db.session.execute(
        select(Shift.id, Shift.ends_at).join(Project)
        .where(Project.contract_id == contract.id, Shift.state == ShiftState.HELD,
               Shift.ends_at < now)
        .order_by(Shift.id)).all()
    for shift_id, ends_at in shifts:
        if rng.random() < SHIFT_FOLLOW_UP_SHARE:
            rows.append({"shift_id": shift_id, "household_id": None,
                         "asked_person": "活动参与居民", "channel": FollowUpChannel.ON_SITE.value,
                         "asked_at": min(now, ends_at + timedelta(hours=2)),
                         "independent": rng.random() < 0.5})
    households = db.session.scalars(
        select(CareRequest.household_id).distinct()
        .join(CareTeam, CareTeam.care_request_id == CareRequest.id)
        .where(CareRequest.contract_id == contract.id)
        .order_by(CareRequest.household_id))
    quarters = [contract.starts_on + timedelta(days=91 * q + 80) for q in range(4)]
    for household_id in households:
        for day in quarters:
            if day <= today:
                asked = datetime.combine(day, time(2)) + timedelta(days=rng.randint(0, 9))
                rows.append({"shift_id": None, "household_id": household_id,
                             "asked_person": "受助老人", "channel": FollowUpChannel.PHONE.value,
                             "asked_at": min(now, asked), "independent": True})
    if rows:
        db.session.execute(insert(FollowUp.__table__), [
            {**row, "organization_id": contract.organization_id, "asked_by_id": None,
             "answer": _answer(rng).value, "note": "", "created_at": now} for row in rows])


def _targets(rng, contract: Contract, today) -> list[KpiTarget]:
    """A year's target from the pace of the records so far, some ahead and some behind;
    a rate's target near its level so far. Only KPIs the records can move are targeted."""
    elapsed = max(kpis.elapsed_share(contract, today), 0.05)
    care = contract.domain in CARE_DOMAINS and kpis.measure(contract, Kpi.VISITS, today).value
    targets = []
    for kpi in PACE_KPIS + (CARE_PACE_KPIS if care else ()):
        pace = kpis.measure(contract, kpi, today).value / elapsed
        targets.append(KpiTarget(kpi=kpi, target=max(10.0, round(pace * rng.uniform(0.8, 1.5)))))
    for kpi in SHARED_RATE_KPIS + (CARE_RATE_KPIS if care else ()):
        result = kpis.measure(contract, kpi, today)
        if result.numerator:  # a rate no record has moved yet is not a deliverable
            target = round(result.value * rng.uniform(0.9, 1.3))
            targets.append(KpiTarget(kpi=kpi, target=float(min(100, max(1, target)))))
    return targets
