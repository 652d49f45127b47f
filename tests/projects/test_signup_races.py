"""Sign-ups at the same moment never overbook, on SQLite and PostgreSQL: each request runs
in its own thread with its own app context and connection, as under a threaded server."""

from __future__ import annotations

import sqlite3
import threading
from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.projects.models import SignUp, SignUpState

RUNS = 20


def _all_at_once(jobs) -> list:
    """Run every job in its own thread, released together; returns each one's result."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait(timeout=30)
            results[index] = job()
        except Exception as exc:  # reported in the assertion instead of lost in a thread
            results[index] = repr(exc)

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def _post(client, url):
    return lambda: client.post(url).status_code


def test_thirty_people_for_three_seats_confirm_exactly_three_every_time(
    app, make_volunteer, make_shift, signed_in, seat_counts
):
    clients = [signed_in(make_volunteer()[0]) for _ in range(30)]
    for run in range(RUNS):
        # Each run a later shift, so the runs' confirmed places never overlap.
        shift_id = make_shift(seats=3, starts_in=timedelta(days=3, hours=3 * run))
        statuses = _all_at_once([_post(c, f"/shifts/{shift_id}/sign-up") for c in clients])
        assert statuses == [302] * 30, f"run {run}: {statuses}"
        assert seat_counts(shift_id) == {"confirmed": 3, "waitlisted": 27, "seats_taken": 3}, (
            f"run {run}"
        )


def test_mixed_cancellations_and_sign_ups_never_leave_a_seat_empty_while_someone_waits(
    app, make_volunteer, make_shift, signed_in, seat_counts
):
    for run in range(RUNS // 2):
        shift_id = make_shift(seats=5, starts_in=timedelta(days=3, hours=3 * run))
        holders = [signed_in(make_volunteer()[0]) for _ in range(5)]
        waiting = [signed_in(make_volunteer()[0]) for _ in range(2)]
        newcomers = [signed_in(make_volunteer()[0]) for _ in range(5)]
        for client in holders + waiting:
            assert client.post(f"/shifts/{shift_id}/sign-up").status_code == 302
        with app.app_context():
            held_ids = db.session.scalars(
                select(SignUp.id).where(SignUp.shift_id == shift_id,
                                        SignUp.state == SignUpState.CONFIRMED)
                .order_by(SignUp.id)
            ).all()
        jobs = [_post(client, f"/sign-ups/{sign_up_id}/cancel")
                for client, sign_up_id in zip(holders, held_ids, strict=True)]
        jobs += [_post(c, f"/shifts/{shift_id}/sign-up") for c in newcomers]
        statuses = _all_at_once(jobs)
        assert statuses == [302] * 10, f"run {run}: {statuses}"
        counted = seat_counts(shift_id)
        # 7 live people remain (2 waiting + 5 new) for 5 seats: 5 confirmed, 2 waiting.
        assert counted == {"confirmed": 5, "waitlisted": 2, "cancelled": 5, "seats_taken": 5}, (
            f"run {run}: {counted}"
        )


def test_a_double_tap_makes_one_sign_up_and_no_error_page(
    app, make_volunteer, make_shift, signed_in, seat_counts, login_as
):
    user_id, _profile = make_volunteer()
    for run in range(RUNS // 2):
        shift_id = make_shift(seats=3, starts_in=timedelta(days=3, hours=3 * run))
        first = signed_in(user_id)
        second = signed_in(user_id)
        statuses = _all_at_once([_post(first, f"/shifts/{shift_id}/sign-up"),
                                 _post(second, f"/shifts/{shift_id}/sign-up")])
        assert statuses == [302, 302], f"run {run}: {statuses}"
        assert seat_counts(shift_id) == {"confirmed": 1, "seats_taken": 1}, f"run {run}"
        page = first.get(f"/shifts/{shift_id}")
        assert page.status_code == 200 and "已确认" in page.text


def _confirmed_among(app, volunteer_profile_id, shift_ids) -> int:
    with app.app_context():
        return len(db.session.scalars(select(SignUp).where(
            SignUp.volunteer_id == volunteer_profile_id, SignUp.shift_id.in_(shift_ids),
            SignUp.state == SignUpState.CONFIRMED,
        )).all())


def test_one_volunteer_on_two_phones_never_holds_two_shifts_at_the_same_time(
    app, make_volunteer, make_shift, signed_in
):
    """Two sign-ups by the same person for overlapping shifts, sent at the same moment from
    two devices: the schedule check sees the other one, so at most one is confirmed."""
    user_id, profile_id = make_volunteer(hours_per_week=40)
    phones = [signed_in(user_id), signed_in(user_id)]
    for run in range(RUNS // 2):
        starts_in = timedelta(days=3, hours=5 * run)
        shifts = [make_shift(seats=5, starts_in=starts_in),
                  make_shift(seats=5, starts_in=starts_in + timedelta(minutes=30))]
        statuses = _all_at_once([_post(phone, f"/shifts/{shift}/sign-up")
                                 for phone, shift in zip(phones, shifts, strict=True)])
        assert statuses == [302, 302], f"run {run}: {statuses}"
        assert _confirmed_among(app, profile_id, shifts) == 1, f"run {run}"


def test_weekly_hours_hold_when_two_sign_ups_arrive_together(
    app, make_volunteer, make_shift, signed_in
):
    """A volunteer offering 2 hours a week taps two 2-hour shifts of one week at once: only one
    is confirmed."""
    user_id, profile_id = make_volunteer(hours_per_week=2)
    phones = [signed_in(user_id), signed_in(user_id)]
    now = utcnow()
    # Wednesday 12:00 in Beijing of next week, so both shifts fall in one Monday–Sunday week.
    wednesday = (now + timedelta(hours=8)).date() + timedelta(days=9 - (now + timedelta(
        hours=8)).weekday())
    first = datetime.combine(wednesday, time(4, 0)) - now
    for run in range(RUNS // 4):
        week = first + timedelta(weeks=run)
        shifts = [make_shift(seats=5, hours=2, starts_in=week),
                  make_shift(seats=5, hours=2, starts_in=week + timedelta(hours=3))]
        statuses = _all_at_once([_post(phone, f"/shifts/{shift}/sign-up")
                                 for phone, shift in zip(phones, shifts, strict=True)])
        assert statuses == [302, 302], f"run {run}: {statuses}"
        assert _confirmed_among(app, profile_id, shifts) == 1, f"run {run}"


@pytest.mark.parametrize("db_engine", ["sqlite"], indirect=True)
def test_on_sqlite_a_sign_up_waits_for_a_long_write_instead_of_failing(
    app, make_volunteer, make_shift, signed_in, seat_counts
):
    """SQLite has one write lock. A sign-up that finds it held for longer than the driver's
    default 5 s (a burst of sign-ups on a loaded machine) waits its turn and is confirmed."""
    phone = signed_in(make_volunteer()[0])
    shift_id = make_shift(seats=3)
    holder = sqlite3.connect(make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database,
                             isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    answer = []

    def sign_up():
        try:
            answer.append(phone.post(f"/shifts/{shift_id}/sign-up").status_code)
        except Exception as exc:  # reported in the assertion instead of lost in the thread
            answer.append(repr(exc))

    waiting = threading.Thread(target=sign_up)
    try:
        waiting.start()
        waiting.join(timeout=6.5)
        assert waiting.is_alive(), f"answered while the lock was held: {answer}"
    finally:
        holder.execute("COMMIT")
        holder.close()
    waiting.join(timeout=60)
    assert answer == [302]
    assert seat_counts(shift_id)["confirmed"] == 1
