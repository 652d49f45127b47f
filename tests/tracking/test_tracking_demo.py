"""The small demo holds a contract in each of the eight domains whose KPIs come from the
demo's own records: projects, and for care contracts the contractor's households, with their
visits over the contract's year and their follow-ups."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from marketplace.care.models import CareRequest, CareTeam, Household, VisitLog
from marketplace.clock import local_today
from marketplace.extensions import db
from marketplace.projects.models import Project
from marketplace.tracking import kpis
from marketplace.tracking.demo import CARE_DOMAINS, EIGHT_DOMAINS
from marketplace.tracking.models import Contract, ContractState, Kpi


def test_small_demo_has_eight_domains_of_contracts_with_live_kpis(app, runner):
    result = runner.invoke(args=["seed-demo", "--scale", "small"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        contracts = list(db.session.scalars(select(Contract)))
        assert sorted(c.domain for c in contracts) == sorted(EIGHT_DOMAINS)
        assert all(c.state == ContractState.IN_PROGRESS and len(c.milestones) == 2
                   for c in contracts)
        today = local_today()
        for contract in contracts:
            linked = db.session.scalars(select(Project).where(
                Project.contract_id == contract.id)).all()
            assert linked and all(p.organization_id == contract.organization_id for p in linked)
            assert {t.kpi for t in contract.targets} >= {Kpi.VERIFIED_HOURS, Kpi.ACTIVITIES_HELD}
            # Every targeted KPI reads a figure the demo's records produced, none typed in.
            for row in kpis.progress(contract, today):
                assert row.actual > 0, (contract.title, row.kpi)

        care = [c for c in contracts if c.domain in CARE_DOMAINS]
        assert care
        for contract in care:
            owners = set(db.session.scalars(
                select(Household.organization_id).join(CareRequest)
                .where(CareRequest.contract_id == contract.id)))
            assert owners == {contract.organization_id}
            assert {t.kpi for t in contract.targets} >= {
                Kpi.HOUSEHOLDS_SERVED, Kpi.VISITS, Kpi.BENEFICIARY_RATE,
                Kpi.EMPTY_NEST_COVERAGE, Kpi.SATISFACTION_RATE}
            # A year of progress: the linked teams were visiting long before the last weeks.
            first = db.session.scalar(
                select(func.min(VisitLog.visited_on))
                .join(CareTeam, CareTeam.id == VisitLog.care_team_id)
                .join(CareRequest, CareRequest.id == CareTeam.care_request_id)
                .where(CareRequest.contract_id == contract.id))
            assert first is not None
            assert first <= max(contract.starts_on + timedelta(days=30),
                                today - timedelta(days=120))
