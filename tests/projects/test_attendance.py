"""Check-in and check-out by the leader's rotating code, the roster, no-shows, and the pending
hours entry a check-out writes (service time only, travel excluded)."""

from __future__ import annotations

import re
import time
from datetime import date, timedelta

from sqlalchemy import select

from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.hours.models import HoursEntry, HoursSource, HoursState, InsuranceRecord
from marketplace.projects import attendance
from marketplace.projects.models import Shift, ShiftState, SignUp, SignUpState


def _confirmed(app, signed_in, make_volunteer, shift_id):
    user_id, profile_id = make_volunteer()
    client = signed_in(user_id)
    assert client.post(f"/shifts/{shift_id}/sign-up").status_code == 302
    with app.app_context():
        entry_id = db.session.scalar(select(SignUp.id).where(SignUp.volunteer_id == profile_id))
    return client, entry_id


def _token(app, shift_id, now_epoch=None):
    with app.test_request_context():
        return attendance.check_in_token(db.session.get(Shift, shift_id), now_epoch)


def _move(app, shift_id, starts_in, hours=2):
    """Put the shift at another time (sign-up needs it in the future first)."""
    with app.app_context():
        shift = db.session.get(Shift, shift_id)
        shift.starts_at = utcnow() + starts_in
        shift.ends_at = shift.starts_at + timedelta(hours=hours)
        db.session.commit()


def _entry(app, entry_id):
    with app.app_context():
        entry = db.session.get(SignUp, entry_id)
        db.session.expunge(entry)
        return entry


def test_the_leaders_code_checks_a_volunteer_in_and_out(
    app, world, make_shift, make_volunteer, signed_in
):
    shift_id = make_shift(starts_in=timedelta(days=1))
    client, entry_id = _confirmed(app, signed_in, make_volunteer, shift_id)
    _move(app, shift_id, timedelta(minutes=-30))
    leader = signed_in(world["social_worker"])
    code_page = leader.get(f"/shifts/{shift_id}/code")
    assert code_page.status_code == 200
    assert 'src="data:image/svg+xml' in code_page.text
    assert re.search(r'http-equiv="refresh" content="\d+"', code_page.text)

    page = client.post(f"/shifts/{shift_id}/scan", data={"t": _token(app, shift_id)},
                       follow_redirects=True)
    assert "签到成功" in page.text
    assert _entry(app, entry_id).state == SignUpState.ATTENDED
    with app.app_context():
        assert db.session.get(Shift, shift_id).state == ShiftState.HELD
        db.session.get(SignUp, entry_id).checked_in_at = utcnow() - timedelta(minutes=45)
        db.session.commit()
    page = client.post(f"/shifts/{shift_id}/scan", data={"t": _token(app, shift_id)},
                       follow_redirects=True)
    assert "签退成功" in page.text
    with app.app_context():
        hours = db.session.scalar(select(HoursEntry).where(HoursEntry.sign_up_id == entry_id))
        assert hours.state == HoursState.PENDING and hours.source == HoursSource.CHECKIN
        # Checked in 45 minutes ago but the shift started 30 minutes ago: 30 minutes served.
        assert 29 <= hours.minutes <= 31
    again = client.post(f"/shifts/{shift_id}/scan", data={"t": _token(app, shift_id)})
    assert again.status_code == 400 and "您已完成此班次的签到和签退" in again.text


def test_codes_of_another_shift_old_or_forged_are_refused_with_a_message(
    app, make_shift, make_volunteer, signed_in
):
    shift_id = make_shift(starts_in=timedelta(days=1))
    other_id = make_shift(starts_in=timedelta(days=2))
    client, entry_id = _confirmed(app, signed_in, make_volunteer, shift_id)
    _move(app, shift_id, timedelta(minutes=10))
    _move(app, other_id, timedelta(minutes=10))
    refusals = {
        _token(app, other_id): "此签到码属于另一个班次",
        _token(app, shift_id, time.time() - 180): "此签到码已过期",
        _token(app, shift_id)[:-3] + "abc": "此签到码无效",
        "": "此签到码无效",
    }
    for token, message in refusals.items():
        response = client.post(f"/shifts/{shift_id}/scan", data={"t": token})
        assert response.status_code == 400 and message in response.text
    assert _entry(app, entry_id).state == SignUpState.CONFIRMED
    # The code of the minute before is still good: a scan at the turn of the minute.
    response = client.post(f"/shifts/{shift_id}/scan",
                           data={"t": _token(app, shift_id, time.time() - 60)})
    assert response.status_code == 302
    assert _entry(app, entry_id).state == SignUpState.ATTENDED


def test_the_code_works_only_from_half_an_hour_before_until_the_end(
    app, world, make_shift, make_volunteer, signed_in
):
    shift_id = make_shift(starts_in=timedelta(hours=2))
    client, entry_id = _confirmed(app, signed_in, make_volunteer, shift_id)
    leader_page = signed_in(world["social_worker"]).get(f"/shifts/{shift_id}/code").text
    assert "签到码在" in leader_page and "data:image/svg+xml" not in leader_page
    response = client.post(f"/shifts/{shift_id}/scan", data={"t": _token(app, shift_id)})
    assert response.status_code == 400 and "签到在班次开始前 30 分钟开放" in response.text
    _move(app, shift_id, timedelta(hours=-3))  # ended an hour ago
    response = client.post(f"/shifts/{shift_id}/scan", data={"t": _token(app, shift_id)})
    assert response.status_code == 400
    assert _entry(app, entry_id).state == SignUpState.CONFIRMED


def test_someone_without_a_place_cannot_check_in(app, make_shift, make_volunteer, signed_in):
    shift_id = make_shift(starts_in=timedelta(minutes=10))
    stranger = signed_in(make_volunteer()[0])
    response = stranger.post(f"/shifts/{shift_id}/scan", data={"t": _token(app, shift_id)})
    assert response.status_code == 400 and "您在此班次没有已确认的名额" in response.text


def test_the_shift_leader_keeps_the_roster_and_marks_no_shows(
    app, world, make_shift, make_volunteer, signed_in
):
    leader_user, _leader = make_volunteer(real_name="李队长")
    shift_id = make_shift(starts_in=timedelta(days=1), leader_id=leader_user)
    _came, came_id = _confirmed(app, signed_in, make_volunteer, shift_id)
    _absent, absent_id = _confirmed(app, signed_in, make_volunteer, shift_id)
    _move(app, shift_id, timedelta(hours=-3))  # over an hour ago
    leader = signed_in(leader_user)
    assert "王小明" in leader.get(f"/shifts/{shift_id}/roster").text
    leader.post(f"/sign-ups/{came_id}/attendance", data={"action": "attended"})
    leader.post(f"/sign-ups/{absent_id}/attendance", data={"action": "no_show"})
    assert _entry(app, came_id).state == SignUpState.ATTENDED
    assert _entry(app, absent_id).state == SignUpState.NO_SHOW
    with app.app_context():
        hours = db.session.scalars(select(HoursEntry)).all()
    assert [(h.sign_up_id, h.minutes, h.source) for h in hours] == [
        (came_id, 120, HoursSource.ROSTER)]
    # Recording twice changes nothing and writes no second entry.
    page = leader.post(f"/sign-ups/{came_id}/attendance", data={"action": "attended"},
                       follow_redirects=True).text
    assert "现在无法为此人记录该项" in page
    with app.app_context():
        assert db.session.scalar(select(db.func.count(HoursEntry.id))) == 1
    # A volunteer who is not the leader sees no roster.
    assert signed_in(make_volunteer()[0]).get(f"/shifts/{shift_id}/roster").status_code == 404


def test_travel_before_and_after_the_shift_is_not_service_time(app, make_shift):
    with app.app_context():
        shift = db.session.get(Shift, make_shift(hours=3))
        served = attendance._minutes_served(
            shift, shift.starts_at - timedelta(minutes=25),
            shift.ends_at + timedelta(minutes=40))
    assert served == 180


def test_risky_shifts_need_insurance_on_record(app, make_shift, make_volunteer, signed_in):
    user_id, profile_id = make_volunteer()
    client = signed_in(user_id)
    shift_id = make_shift(risky=True)
    page = client.post(f"/shifts/{shift_id}/sign-up", follow_redirects=True).text
    assert "此活动有一定风险：报名前须有覆盖活动当天的意外保险记录" in page
    with app.app_context():
        db.session.add(InsuranceRecord(volunteer_id=profile_id, insurer="中国人寿",
                                       policy_no="P2026-001", valid_from=date(2026, 1, 1),
                                       valid_until=date(2027, 12, 31)))
        db.session.commit()
    page = client.post(f"/shifts/{shift_id}/sign-up", follow_redirects=True).text
    assert "报名成功" in page


def test_a_held_shift_records_how_many_people_it_served(app, world, make_shift, signed_in):
    shift_id = make_shift(starts_in=timedelta(days=1))
    worker = signed_in(world["social_worker"])
    page = worker.post(f"/shifts/{shift_id}/beneficiaries", data={"beneficiary_count": "12"},
                       follow_redirects=True).text
    assert "请在班次举行后再记录" in page
    with app.app_context():
        db.session.get(Shift, shift_id).state = ShiftState.HELD
        db.session.commit()
    assert "请填写 0 到 100000 之间的数字" in worker.post(
        f"/shifts/{shift_id}/beneficiaries", data={"beneficiary_count": "-3"},
        follow_redirects=True).text
    worker.post(f"/shifts/{shift_id}/beneficiaries", data={"beneficiary_count": "12"})
    with app.app_context():
        assert db.session.get(Shift, shift_id).beneficiary_count == 12
