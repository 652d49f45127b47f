"""The dashboards read a year of hours from a precomputed summary; what is verified or
corrected after its refresh shows at once, so the figures match the ledger at any time."""

from __future__ import annotations

from marketplace.auth.models import User
from marketplace.clock import local_today
from marketplace.extensions import db
from marketplace.hours import services as hours_services


def _street_hours(client, name="胜利路街道") -> float:
    data = client.get("/tracking/dashboard/data.json").get_json()
    return next(row["verified_hours"] for row in data["streets"] if row["name"] == name)


def _month_hours(client, month: str) -> float:
    data = client.get("/tracking/dashboard/data.json").get_json()
    return sum(row["hours"] for row in data["hours"] if row["month"] == month)


def test_hours_verified_or_corrected_after_the_refresh_count_at_once(
        app, client, login_as, world, runner, records):
    login_as(client, world["official"])
    month = local_today().isoformat()[:7]
    records.hours(minutes=120, day=local_today())
    assert _street_hours(client) == 2.0  # never refreshed: computed from the ledger
    result = runner.invoke(args=["tracking", "refresh-summary"])
    assert result.exit_code == 0 and "1 rows" in result.output
    assert _street_hours(client) == 2.0 and _month_hours(client, month) == 2.0

    pending = records.hours(minutes=60, day=local_today(), state="pending")
    assert _street_hours(client) == 2.0
    with app.test_request_context():
        staff = db.session.get(User, world["social_worker"])
        assert hours_services.verify(staff, pending)
        db.session.commit()
    assert _street_hours(client) == 3.0 and _month_hours(client, month) == 3.0

    # A correction verified after the refresh supersedes an entry the summary counted.
    original = records.hours(minutes=90, day=local_today())
    result = runner.invoke(args=["tracking", "refresh-summary"])
    assert result.exit_code == 0
    assert _street_hours(client) == 4.5
    with app.test_request_context():
        staff = db.session.get(User, world["social_worker"])
        correction = hours_services.record_correction(staff, original, 30, "少记了签退")
        db.session.commit()
        correction_id = correction.id
    assert _street_hours(client) == 4.5  # a pending correction changes nothing yet
    with app.test_request_context():
        staff = db.session.get(User, world["social_worker"])
        assert hours_services.verify(staff, correction_id)
        db.session.commit()
    assert _street_hours(client) == 3.5 and _month_hours(client, month) == 3.5
    # And a fresh refresh agrees with the figures it replaces.
    assert runner.invoke(args=["tracking", "refresh-summary"]).exit_code == 0
    assert _street_hours(client) == 3.5
