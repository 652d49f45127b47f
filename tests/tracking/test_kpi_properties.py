"""Property tests of the KPI formulas and how they are shown: a rate is a share between
0 and 100 % of its own denominator, an empty or small denominator is shown as "—", a count of
persons under five never appears as its number, and the elapsed share and the least-achieved
percentage stay between their bounds whatever the dates and figures."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from types import SimpleNamespace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marketplace.extensions import db
from marketplace.tracking import kpis
from marketplace.tracking.models import PERSON_KPIS, RATE_KPIS, Contract, Kpi

ANSWERS = ("satisfied", "basically_satisfied", "dissatisfied", "not_reached")


@given(st.integers(0, 10**6), st.integers(0, 10**6))
def test_a_rate_is_a_percentage_of_its_denominator_or_a_dash_when_too_small(part, whole):
    part = min(part, whole)
    result = kpis._rate(part, whole)
    assert 0.0 <= result.value <= 100.0
    assert (result.numerator, result.denominator) == (part, whole)
    for kpi in RATE_KPIS:
        shown = kpis.shown_value(kpi, result)
        if whole < 5:
            assert shown == "—"
        else:
            assert shown.endswith("%") and 0.0 <= float(shown[:-1]) <= 100.0


@given(st.integers(0, 10**6))
def test_a_count_of_persons_under_five_is_never_shown_as_its_number(count):
    for kpi in PERSON_KPIS:
        shown = kpis.shown_value(kpi, kpis.Measure(float(count)))
        assert shown == ("<5" if count < 5 else str(count))


@given(st.dates(date(2020, 1, 1), date(2030, 12, 31)), st.integers(-400, 2000),
       st.dates(date(2019, 1, 1), date(2032, 12, 31)))
def test_the_elapsed_share_stays_between_nothing_and_all(starts_on, length, as_of):
    # The share reads the two dates only: a plain stand-in, no mapped row needed.
    contract = SimpleNamespace(starts_on=starts_on, ends_on=starts_on + timedelta(days=length))
    share = kpis.elapsed_share(contract, as_of)
    assert 0.0 <= share <= 1.0
    if as_of >= contract.ends_on:
        assert share == 1.0


@given(st.lists(st.floats(0, 10**6, allow_nan=False), max_size=8))
def test_the_least_achieved_share_stays_between_0_and_100(achieved):
    rows = [kpis.KpiProgress(kpi=Kpi.VERIFIED_HOURS, target=1, actual=0, shown_actual="",
                             achieved_pct=pct, elapsed_pct=0, lags=False,
                             shown_achieved=f"{pct}%", hidden=False) for pct in achieved]
    overall = kpis.overall_pct(rows)
    assert 0.0 <= overall <= 100.0
    assert overall == min([min(pct, 100.0) for pct in achieved], default=0.0)


@given(st.floats(0, 10**6, allow_nan=False), st.floats(-10, 10**6, allow_nan=False),
       st.floats(0, 1), st.floats(0, 10**6, allow_nan=False))
def test_doing_more_never_makes_a_kpi_lag(actual, target, elapsed, more):
    if target <= 0:
        assert not kpis.lags(actual, target, elapsed)
    elif kpis.lags(actual + more, target, elapsed):
        assert kpis.lags(actual, target, elapsed)


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answers=st.lists(st.tuples(st.sampled_from(ANSWERS), st.booleans()), max_size=12))
def test_satisfaction_rates_from_records_stay_within_their_answered_follow_ups(
        app, make_contract, records, answers):
    from marketplace.projects.models import FollowUp

    contract_id = make_contract("in_progress")
    household_id, _team = records.household(contract_id)
    for answer, independent in answers:
        records.follow_up(household_id=household_id, answer=answer, independent=independent,
                          at=datetime(2026, 3, 3, 2))
    answered = [(a, i) for a, i in answers if a != "not_reached"]
    with app.app_context():
        contract = db.session.get(Contract, contract_id)
        for kpi, counted in ((Kpi.SATISFACTION_RATE, lambda i: True),
                             (Kpi.FOLLOW_UP_SATISFACTION_RATE, lambda i: i)):
            result = kpis.measure(contract, kpi, date(2026, 6, 30))
            satisfied = sum(1 for a, i in answered
                            if a in ("satisfied", "basically_satisfied") and counted(i))
            assert (result.numerator, result.denominator) == (satisfied, len(answered))
            assert 0.0 <= result.value <= 100.0
            if len(answered) < 5:
                assert kpis.shown_value(kpi, result) == "—"
        db.session.execute(db.delete(FollowUp))
        db.session.commit()
