"""The small demo holds a contract in each of the eight domains whose KPIs come from the
demo's own records."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from marketplace.extensions import db
from marketplace.projects.models import Project
from marketplace.tracking import kpis
from marketplace.tracking.demo import EIGHT_DOMAINS
from marketplace.tracking.models import Contract, ContractState, Kpi


def test_small_demo_has_eight_domains_of_contracts_with_live_kpis(app, runner):
    result = runner.invoke(args=["seed-demo", "--scale", "small"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        contracts = list(db.session.scalars(select(Contract)))
        assert sorted(c.domain for c in contracts) == sorted(EIGHT_DOMAINS)
        assert all(c.state == ContractState.IN_PROGRESS and len(c.milestones) == 2
                   for c in contracts)
        today = date.today()
        with_hours = 0
        for contract in contracts:
            linked = db.session.scalars(select(Project).where(
                Project.contract_id == contract.id)).all()
            assert linked and all(p.organization_id == contract.organization_id for p in linked)
            hours = kpis.measure(contract, Kpi.VERIFIED_HOURS, today).value
            with_hours += hours > 0
            assert {t.kpi for t in contract.targets} >= {Kpi.VERIFIED_HOURS, Kpi.ACTIVITIES_HELD}
        assert with_hours >= 6
