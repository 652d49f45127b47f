"""Each KPI moves with its records: verified hours, a logged visit, a follow-up."""

from __future__ import annotations

from datetime import date

from marketplace.extensions import db
from marketplace.tracking import kpis
from marketplace.tracking.models import Contract, Kpi

AS_OF = date(2026, 6, 30)


def _value(app, contract_id, kpi, as_of=AS_OF):
    with app.app_context():
        return kpis.measure(db.session.get(Contract, contract_id), kpi, as_of)


def test_verifying_hours_of_a_linked_project_moves_verified_hours(app, make_contract, records):
    contract_id = make_contract("in_progress")
    project_id, _shift = records.project(contract_id)
    pending = records.hours(project_id, minutes=90, state="pending")
    assert _value(app, contract_id, Kpi.VERIFIED_HOURS).value == 0
    records.verify(pending)
    assert _value(app, contract_id, Kpi.VERIFIED_HOURS).value == 1.5
    # Hours of a project outside the contract and hours after the as-of day do not count.
    records.hours(None, minutes=600)
    records.hours(project_id, minutes=60, day=date(2026, 9, 1))
    assert _value(app, contract_id, Kpi.VERIFIED_HOURS).value == 1.5


def test_held_shifts_of_linked_projects_are_activities(app, make_contract, records):
    contract_id = make_contract("in_progress")
    records.project(contract_id, held=False)
    assert _value(app, contract_id, Kpi.ACTIVITIES_HELD).value == 0
    records.project(contract_id, held=True)
    assert _value(app, contract_id, Kpi.ACTIVITIES_HELD).value == 1


def test_logging_a_visit_moves_households_served_visits_and_coverage(app, make_contract,
                                                                       records):
    contract_id = make_contract("in_progress", flags=["empty_nest"])
    teams = [records.household(contract_id)[1] for _ in range(5)]
    assert _value(app, contract_id, Kpi.HOUSEHOLDS_SERVED).value == 0
    assert _value(app, contract_id, Kpi.EMPTY_NEST_COVERAGE).value == 0
    # A visit whose hours are still pending is not yet a verified service.
    _visit, entry = records.visit(teams[0], date(2026, 6, 20), verified=False)
    assert _value(app, contract_id, Kpi.HOUSEHOLDS_SERVED).value == 0
    records.verify(entry)
    assert _value(app, contract_id, Kpi.HOUSEHOLDS_SERVED).value == 1
    assert _value(app, contract_id, Kpi.VISITS).value == 1
    beneficiary = _value(app, contract_id, Kpi.BENEFICIARY_RATE)
    assert (beneficiary.numerator, beneficiary.denominator) == (1, 5)
    coverage = _value(app, contract_id, Kpi.EMPTY_NEST_COVERAGE)
    assert (coverage.numerator, coverage.denominator, coverage.value) == (1, 5, 20.0)
    # The visit also counts as verified service hours of the contract.
    assert _value(app, contract_id, Kpi.VERIFIED_HOURS).value == 1.0
    # Coverage wants a visit in the last 30 days: by September it has lapsed.
    assert _value(app, contract_id, Kpi.EMPTY_NEST_COVERAGE,
                  date(2026, 9, 30)).numerator == 0


def test_recording_a_follow_up_moves_the_satisfaction_rates(app, make_contract, records):
    contract_id = make_contract("in_progress")
    _project, shift_id = records.project(contract_id)
    assert _value(app, contract_id, Kpi.SATISFACTION_RATE).denominator == 0
    records.follow_up(shift_id=shift_id, answer="satisfied")
    records.follow_up(shift_id=shift_id, answer="dissatisfied", independent=True)
    records.follow_up(shift_id=shift_id, answer="not_reached")
    satisfaction = _value(app, contract_id, Kpi.SATISFACTION_RATE)
    assert (satisfaction.numerator, satisfaction.denominator) == (1, 2)
    records.follow_up(shift_id=shift_id, answer="basically_satisfied", independent=True)
    independent = _value(app, contract_id, Kpi.FOLLOW_UP_SATISFACTION_RATE)
    assert (independent.numerator, independent.denominator) == (1, 3)


def test_participation_counts_volunteers_living_in_the_buyers_area(app, make_contract,
                                                                  records):
    contract_id = make_contract("in_progress")
    project_id, _shift = records.project(contract_id)
    before = _value(app, contract_id, Kpi.PARTICIPATION_RATE)
    assert before.numerator == 0 and before.denominator >= 1
    records.hours(project_id, minutes=60)
    assert _value(app, contract_id, Kpi.PARTICIPATION_RATE).numerator == 1


def test_a_kpi_lags_when_it_trails_the_elapsed_share_by_more_than_ten_points(
        app, make_contract, records):
    contract_id = make_contract("in_progress", targets={"verified_hours": 10})
    project_id, _shift = records.project(contract_id)
    records.hours(project_id, minutes=60 * 3)  # 30 % of the target
    with app.app_context():
        contract = db.session.get(Contract, contract_id)
        [row] = kpis.progress(contract, date(2026, 5, 1))  # 33 % elapsed: within 10 points
        assert (row.achieved_pct, row.lags) == (30.0, False)
        [row] = kpis.progress(contract, date(2026, 7, 1))  # 50 % elapsed
        assert row.lags is True
    assert kpis.lags(39.9, 100, 0.5) and not kpis.lags(40, 100, 0.5)
