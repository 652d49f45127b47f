"""A KPI hidden by the small-numbers rule stays hidden in what is derived from it: three
households served of a target of ten show "<5", and no page or export shows the 30 % that
would give the three back (target × share), nor the least-achieved share built on it."""

from __future__ import annotations

from datetime import date

from marketplace.extensions import db


def test_a_hidden_count_is_not_given_back_by_its_achieved_share(
        app, client, login_as, world, make_contract, records):
    from marketplace.tracking import kpis
    from marketplace.tracking.models import Contract

    contract_id = make_contract("in_progress", targets={"households_served": 10})
    for _ in range(3):
        _household, team_id = records.household(contract_id)
        records.visit(team_id, date(2026, 6, 2))
    with app.app_context():
        [row] = kpis.progress(db.session.get(Contract, contract_id), date(2026, 7, 1))
        assert (row.actual, row.achieved_pct, row.shown_actual) == (3, 30.0, "<5")
        assert row.shown_achieved == "—"
    public = client.get("/purchased-services").get_data(as_text=True)
    login_as(client, world["official"])
    pages = {
        "public list": public,
        "contract page": client.get(f"/contracts/{contract_id}").get_data(as_text=True),
        "report": client.get(f"/contracts/{contract_id}/report").get_data(as_text=True),
        "KPI export": client.get(f"/contracts/{contract_id}/kpis.csv").get_data(as_text=True),
        "KPI table": client.get("/tracking/exports/kpis.csv").get_data(as_text=True),
        "contracts": client.get("/tracking/exports/contracts.csv").get_data(as_text=True),
        "dashboard": client.get("/tracking/dashboard").get_data(as_text=True),
        "dashboard data": client.get("/tracking/dashboard/data.json").get_data(as_text=True),
    }
    assert "<5" in public or "&lt;5" in public  # the contract is listed, its count hidden
    assert {name for name, text in pages.items() if "30.0" in text or "30%" in text} == set()
    assert client.get("/tracking/dashboard/data.json").get_json()["budget"][0]["kpi_pct"] is None
