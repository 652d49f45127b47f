"""Each sign-up rule, as the volunteer meets it on the shift page: refused with a message in
Chinese that says which rule, confirmed when it holds, the waiting list in order."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from marketplace.clock import local_today, utcnow
from marketplace.extensions import db
from marketplace.notifications.models import Notification
from marketplace.projects.models import Shift, SignUp, SignUpState


def _sign_up(client, shift_id):
    response = client.post(f"/shifts/{shift_id}/sign-up", follow_redirects=True)
    assert response.status_code == 200
    return response.text


def _state(app, shift_id, profile_id):
    with app.app_context():
        return db.session.scalar(
            select(SignUp.state).where(SignUp.shift_id == shift_id,
                                       SignUp.volunteer_id == profile_id,
                                       SignUp.state != SignUpState.CANCELLED)
        )


def _kinds(app, user_id):
    with app.app_context():
        return db.session.scalars(
            select(Notification.kind).where(Notification.user_id == user_id,
                                            Notification.cancelled_at.is_(None))
            .order_by(Notification.id)
        ).all()


def test_minimum_age_and_guardian_consent(app, make_volunteer, make_shift, signed_in):
    from marketplace.privacy.models import ConsentPurpose
    from marketplace.privacy.services import record_consent

    fifteen = local_today().replace(year=local_today().year - 15) - timedelta(days=30)
    user_id, profile_id = make_volunteer(birth_date=fifteen)
    client = signed_in(user_id)
    grown_up_shift = make_shift(min_age=16)
    page = client.get(f"/shifts/{grown_up_shift}").text
    assert "此班次要求志愿者年满 16 周岁" in page and "single-submit" not in page  # told first
    assert "此班次要求志愿者年满 16 周岁" in _sign_up(client, grown_up_shift)
    open_shift = make_shift(starts_in=timedelta(days=4))
    assert "须先有监护人同意记录" in _sign_up(client, open_shift)
    assert _state(app, open_shift, profile_id) is None
    with app.app_context():
        record_consent(user_id, ConsentPurpose("guardian"), recorded_by_id=None,
                       guardian_name="王大明", guardian_relation="父亲")
        db.session.commit()
    assert "报名成功" in _sign_up(client, open_shift)
    assert _state(app, open_shift, profile_id) == SignUpState.CONFIRMED


def test_required_skills_gate_and_languages_do_not(app, make_volunteer, make_shift, signed_in):
    user_id, profile_id = make_volunteer(skills=["daily_care"], languages=["zh"])
    client = signed_in(user_id)
    nursing = make_shift(skills=["nursing", "daily_care"])
    page = _sign_up(client, nursing)
    assert "此班次需要您的资料中未填写的技能" in page and "护理" in page
    uyghur_speakers_welcome = make_shift(starts_in=timedelta(days=5), languages=["ug"],
                                         skills=["daily_care"])
    assert "报名成功" in _sign_up(client, uyghur_speakers_welcome)
    assert _state(app, uyghur_speakers_welcome, profile_id) == SignUpState.CONFIRMED


def test_overlapping_shift_and_weekly_hours(app, make_volunteer, make_shift, signed_in):
    # A Monday 10:00 Beijing time two weeks on, so that every shift below shares one week.
    today = utcnow()
    monday = today + timedelta(days=14 - today.weekday())
    base = monday.replace(hour=2, minute=0, second=0, microsecond=0) - today
    user_id, profile_id = make_volunteer(hours_per_week=3)
    client = signed_in(user_id)
    first = make_shift(starts_in=base, hours=2)
    assert "报名成功" in _sign_up(client, first)
    clash = make_shift(starts_in=base + timedelta(hours=1), hours=2)
    assert "您在这个时间已有其他班次" in _sign_up(client, clash)
    same_week = make_shift(starts_in=base + timedelta(days=2), hours=2)
    assert "超过您资料中每周可服务的 3 小时（当周已报名 2 小时）" in _sign_up(client, same_week)
    next_week = make_shift(starts_in=base + timedelta(days=7), hours=2)
    assert "报名成功" in _sign_up(client, next_week)
    assert [_state(app, s, profile_id) for s in (first, clash, same_week, next_week)] == [
        SignUpState.CONFIRMED, None, None, SignUpState.CONFIRMED]


def test_suspended_organization_takes_no_sign_ups(app, make_volunteer, make_project,
                                                   make_shift, signed_in):
    user_id, profile_id = make_volunteer()
    shift_id = make_shift(project_id=make_project(org="suspended_org"))
    assert "该组织目前暂停接受报名" in _sign_up(signed_in(user_id), shift_id)
    assert _state(app, shift_id, profile_id) is None


def test_full_shift_waitlists_in_order_and_a_cancellation_promotes_the_first_who_fits(
    app, make_volunteer, make_shift, signed_in
):
    shift_id = make_shift(seats=1, starts_in=timedelta(days=10))
    holder, waiting_a, waiting_b = (make_volunteer() for _ in range(3))
    assert "报名成功" in _sign_up(signed_in(holder[0]), shift_id)
    assert "您已进入候补名单" in _sign_up(signed_in(waiting_a[0]), shift_id)
    page = _sign_up(signed_in(waiting_b[0]), shift_id)
    assert "候补第 2 位" in page
    # The first in line has meanwhile taken another shift at the same time: skipped.
    other = make_shift(seats=5, starts_in=timedelta(days=10))
    assert "报名成功" in _sign_up(signed_in(waiting_a[0]), other)
    holder_client = signed_in(holder[0])
    with app.app_context():
        sign_up_id = db.session.scalar(select(SignUp.id).where(
            SignUp.shift_id == shift_id, SignUp.volunteer_id == holder[1]))
    page = holder_client.post(f"/sign-ups/{sign_up_id}/cancel", follow_redirects=True).text
    assert "已取消。感谢您及时告知。" in page
    assert _state(app, shift_id, waiting_a[1]) == SignUpState.WAITLISTED
    assert _state(app, shift_id, waiting_b[1]) == SignUpState.CONFIRMED
    assert "signup.promoted" in _kinds(app, waiting_b[0])
    with app.app_context():
        assert db.session.get(Shift, shift_id).seats_taken == 1


def test_late_cancellation_is_allowed_and_recorded_as_late(app, make_volunteer, make_shift,
                                                            signed_in):
    user_id, profile_id = make_volunteer()
    client = signed_in(user_id)
    soon = make_shift(starts_in=timedelta(hours=5))
    later = make_shift(starts_in=timedelta(days=5))
    for shift_id in (soon, later):
        _sign_up(client, shift_id)
    with app.app_context():
        entries = dict(db.session.execute(
            select(SignUp.shift_id, SignUp.id).where(SignUp.volunteer_id == profile_id)).all())
    assert "离开始时间较近" in client.post(
        f"/sign-ups/{entries[soon]}/cancel", follow_redirects=True).text
    assert "感谢您及时告知" in client.post(
        f"/sign-ups/{entries[later]}/cancel", follow_redirects=True).text
    with app.app_context():
        late = dict(db.session.execute(
            select(SignUp.shift_id, SignUp.late_cancel).where(
                SignUp.volunteer_id == profile_id)).all())
        states = set(db.session.scalars(
            select(SignUp.state).where(SignUp.volunteer_id == profile_id)))
    assert late == {soon: True, later: False}
    assert states == {SignUpState.CANCELLED}


def test_a_started_shift_cannot_be_cancelled_by_the_volunteer(app, make_volunteer,
                                                              make_shift, signed_in):
    user_id, profile_id = make_volunteer()
    client = signed_in(user_id)
    shift_id = make_shift(starts_in=timedelta(days=2))
    _sign_up(client, shift_id)
    with app.app_context():
        shift = db.session.get(Shift, shift_id)
        shift.starts_at = utcnow() - timedelta(minutes=10)
        entry_id = db.session.scalar(select(SignUp.id).where(SignUp.shift_id == shift_id))
        db.session.commit()
    page = client.post(f"/sign-ups/{entry_id}/cancel", follow_redirects=True).text
    assert "请直接告知负责人" in page
    assert _state(app, shift_id, profile_id) == SignUpState.CONFIRMED


def test_confirmation_schedules_reminders_and_cancelling_withdraws_them(
    app, make_volunteer, make_shift, signed_in
):
    from marketplace.projects.localtime import to_local

    user_id, _profile_id = make_volunteer()
    client = signed_in(user_id)
    shift_id = make_shift(starts_in=timedelta(days=6))
    _sign_up(client, shift_id)
    with app.app_context():
        reminders = db.session.scalars(select(Notification).where(
            Notification.user_id == user_id, Notification.kind == "shift.reminder")).all()
        starts = db.session.get(Shift, shift_id).starts_at
        entry_id = db.session.scalar(select(SignUp.id).where(SignUp.shift_id == shift_id))
    assert reminders, "a reminder is scheduled"
    evening_before = [to_local(r.due_at) for r in reminders]
    assert any(d.hour == 18 and d.date() == to_local(starts).date() - timedelta(days=1)
               for d in evening_before)
    assert "signup.confirmed" in _kinds(app, user_id)
    client.post(f"/sign-ups/{entry_id}/cancel")
    assert "shift.reminder" not in _kinds(app, user_id)
