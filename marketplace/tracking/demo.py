"""Demo contracts: for each of the eight domains, organizations whose demo projects deliver
a purchase (two a domain at district scale, one in the small demo). Targets are set against
a year of the demo's own records; every actual is computed live from them."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.orgs.models import ServiceDomain
from marketplace.projects.localtime import local_date
from marketplace.projects.models import Project
from marketplace.tracking import kpis
from marketplace.tracking.models import Contract, ContractState, Kpi, KpiTarget, Milestone

EIGHT_DOMAINS = [domain for domain in ServiceDomain if domain != ServiceDomain.OTHER]
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


def seed_contracts(ctx) -> None:
    if ctx.district is None or not ctx.streets:
        return
    rng = ctx.rng
    today = local_date(utcnow())
    projects = list(db.session.scalars(select(Project).order_by(Project.id)))
    if not projects:
        return
    starts_on = min(project.starts_on for project in projects)
    ends_on = starts_on + timedelta(days=364)
    now = utcnow()
    for domain in EIGHT_DOMAINS:
        by_org: dict[int, list[Project]] = {}
        for project in projects:
            if project.domain == domain and project.contract_id is None:
                by_org.setdefault(project.organization_id, []).append(project)
        chosen = rng.sample(sorted(by_org), min(PER_DOMAIN[ctx.scale], len(by_org)))
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
            db.session.flush()
            contract.targets = _targets(rng, contract, today)
            contract.milestones = [
                Milestone(title="中期评估", due_on=starts_on + timedelta(days=182),
                          tranche_amount=budget * Decimal("0.4"), required_share=50),
                Milestone(title="结项评估", due_on=ends_on,
                          tranche_amount=budget * Decimal("0.6"), required_share=100),
            ]
    db.session.flush()


def _targets(rng, contract: Contract, today) -> list[KpiTarget]:
    """A year's target from the pace of the records so far, some ahead and some behind."""
    elapsed = max(kpis.elapsed_share(contract, today), 0.05)
    targets = []
    for kpi in (Kpi.VERIFIED_HOURS, Kpi.ACTIVITIES_HELD):
        pace = kpis.measure(contract, kpi, today).value / elapsed
        targets.append(KpiTarget(kpi=kpi, target=max(10.0, round(pace * rng.uniform(0.8, 1.5)))))
    satisfaction = kpis.measure(contract, Kpi.SATISFACTION_RATE, today)
    if satisfaction.denominator:
        targets.append(KpiTarget(kpi=Kpi.SATISFACTION_RATE, target=90.0))
    return targets
