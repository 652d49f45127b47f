"""Shift pages in Chinese show no English; the demo seeds projects, a year of
shifts, sign-ups and attendance, and the demo social worker has a shift today."""

from __future__ import annotations

from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.projects.models import Project, Shift, ShiftState, SignUp, SignUpState


def test_chinese_shift_pages_show_no_english(app, make_shift, world, signed_in):
    shift_id = make_shift(skills=["nursing"], languages=["ug"], min_age=16, risky=True)
    worker = signed_in(world["social_worker"])
    html = "".join(worker.get(url).text for url in (
        "/shifts", f"/shifts/{shift_id}", f"/shifts/{shift_id}/roster", "/projects/mine",
        f"/shifts/{shift_id}/edit", f"/orgs/{world['org']}/projects/new", "/projects/today"))
    for english in ("Open shifts", "Seats", "Minimum age", "Nursing", "Uyghur", "Roster",
                    "Required skills", "Sign up", "Elder care", "Beijing time"):
        assert english not in html


def test_small_demo_has_a_year_of_shifts_with_sign_ups_and_attendance(app, runner):
    result = runner.invoke(args=["seed-demo", "--scale", "small"])
    assert result.exit_code == 0, result.output
    assert "marketplace.projects.demo.seed_projects" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Project.id))) >= 25
        states = dict(db.session.execute(
            select(Shift.state, func.count(Shift.id)).group_by(Shift.state)).all())
        assert 900 <= sum(states.values()) <= 1_100
        assert states[ShiftState.HELD] > 300 and states[ShiftState.SCHEDULED] > 300
        sign_ups = dict(db.session.execute(
            select(SignUp.state, func.count(SignUp.id)).group_by(SignUp.state)).all())
        assert sign_ups[SignUpState.ATTENDED] > 10 * sign_ups[SignUpState.NO_SHOW] > 0
        # Seats taken agree with the confirmed sign-ups, shift by shift.
        confirmed = dict(db.session.execute(
            select(SignUp.shift_id, func.count(SignUp.id))
            .where(SignUp.state == SignUpState.CONFIRMED).group_by(SignUp.shift_id)).all())
        taken = dict(db.session.execute(select(Shift.id, Shift.seats_taken)).all())
        assert all(taken[s] == confirmed.get(s, 0) for s in taken)
        assert all(t <= s for t, s in db.session.execute(select(Shift.seats_taken, Shift.seats)))
