"""Verification by the recording organization's social workers and admins only, once, with a
reason when rejected; corrections supersede once verified; paid work never counts."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.hours.models import HoursEntry, HoursState
from marketplace.hours.services import star_level, totals
from marketplace.notifications.models import Notification

ZH = {"Accept-Language": "zh-CN"}


def _state(app, entry_id):
    with app.app_context():
        return db.session.get(HoursEntry, entry_id).state


def test_social_worker_sees_the_queue_and_verifies_the_volunteer_is_told(
    app, client, login_as, world, pending
):
    entry = pending(minutes=150)
    login_as(client, world.social_worker)
    page = client.get("/hours/queue", headers=ZH).text
    assert "王小明" in page and "2.5 小时" in page
    assert "重阳节敬老活动" in page
    response = client.post(f"/hours/{entry}/verify", headers=ZH, follow_redirects=True)
    assert "时长已核实" in response.text
    assert _state(app, entry) == HoursState.VERIFIED
    with app.app_context():
        told = db.session.scalars(select(Notification)).one()
        assert (told.user_id, told.kind) == (world.volunteer_user, "hours.verified")
        assert totals(volunteer_id=world.volunteer).volunteer_minutes == 150


def test_double_verify_changes_the_entry_once_and_shows_no_error_page(
    app, client, login_as, world, pending
):
    entry = pending()
    login_as(client, world.org_admin)
    first = client.post(f"/hours/{entry}/verify")
    second = client.post(f"/hours/{entry}/verify", headers=ZH, follow_redirects=True)
    assert first.status_code == 302 and second.status_code == 200
    assert "已处理过" in second.text
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Notification)) == 1


def test_two_colleagues_deciding_at_once_make_one_decision(
    app, make_user, login_as, world, pending
):
    from marketplace.auth.models import Role

    entry = pending()
    colleagues = [world.social_worker, world.org_admin,
                  make_user(roles=[(Role.SOCIAL_WORKER, {"organization_id": world.org})])]
    outcomes, errors = [], []

    def decide(user_id, action):
        client = app.test_client()
        login_as(client, user_id)
        data = {"reason": "时长与签到记录不符"} if action == "reject" else {}
        try:
            response = client.post(f"/hours/{entry}/{action}", data=data)
            outcomes.append(response.status_code)
        except Exception as exc:  # any failure fails the test below
            errors.append(exc)

    threads = [threading.Thread(target=decide, args=(user, action))
               for user, action in zip(colleagues, ("verify", "reject", "verify"), strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and outcomes == [302, 302, 302]
    with app.app_context():
        decided = db.session.get(HoursEntry, entry)
        assert decided.state in (HoursState.VERIFIED, HoursState.REJECTED)
        assert db.session.scalar(select(db.func.count()).select_from(Notification)) == 1


def test_rejection_needs_a_visible_reason_and_the_volunteer_reads_it(
    app, client, login_as, world, pending
):
    entry = pending()
    login_as(client, world.social_worker)
    for invisible in ("", "   ", "\u200b\u200b", "\u3164", "\x00\x07", "未签到\u202e"):
        client.post(f"/hours/{entry}/reject", data={"reason": invisible})
        assert _state(app, entry) == HoursState.PENDING
    response = client.post(f"/hours/{entry}/reject", data={"reason": "当天未签到"}, headers=ZH,
                           follow_redirects=True)
    assert "志愿者会看到您填写的原因" in response.text
    assert _state(app, entry) == HoursState.REJECTED
    volunteer = app.test_client()
    login_as(volunteer, world.volunteer_user)
    mine = volunteer.get("/me/hours", headers=ZH).text
    assert "未通过" in mine and "原因：当天未签到" in mine


def test_the_volunteer_cannot_verify_their_own_hours_even_as_staff(
    app, client, login_as, world, pending
):
    from marketplace.auth.models import RoleGrant

    with app.app_context():
        db.session.add(RoleGrant(user_id=world.second_user, role="social_worker",
                                 organization_id=world.org))
        db.session.commit()
    entry = pending(volunteer=world.second)
    login_as(client, world.second_user)
    response = client.post(f"/hours/{entry}/verify", headers=ZH, follow_redirects=True)
    assert "由同事核实" in response.text
    assert _state(app, entry) == HoursState.PENDING


@pytest.mark.parametrize("who", ["other_social_worker", "leader_user", "volunteer_user"])
def test_other_organizations_staff_leaders_and_volunteers_get_404(
    app, client, login_as, world, pending, who
):
    entry = pending()
    login_as(client, getattr(world, who))
    assert client.post(f"/hours/{entry}/verify").status_code == 404
    assert client.post(f"/hours/{entry}/reject", data={"reason": "x"}).status_code == 404
    assert client.get(f"/hours/{entry}/correct").status_code == 404
    assert client.get(f"/orgs/{world.org}/hours").status_code == 404
    assert client.get(f"/orgs/{world.org}/insurance").status_code == 404
    assert _state(app, entry) == HoursState.PENDING
    if who == "other_social_worker":
        assert "王小明" not in client.get("/hours/queue").text


def test_twenty_digit_ids_answer_404(client, login_as, world):
    login_as(client, world.social_worker)
    huge = "9" * 20
    assert client.post(f"/hours/{huge}/verify").status_code == 404
    assert client.get(f"/hours/{huge}/correct").status_code == 404
    assert client.get(f"/orgs/{huge}/hours").status_code == 404
    assert client.get(f"/orgs/{huge}/insurance").status_code == 404
    assert client.get(f"/hours/queue?page={huge}").status_code == 200
    assert client.get(f"/orgs/{world.org}/hours?page={huge}").status_code == 200


def test_a_correction_replaces_the_entry_once_verified(app, client, login_as, world, pending):
    entry = pending(minutes=240)
    login_as(client, world.social_worker)
    client.post(f"/hours/{entry}/verify")
    response = client.post(f"/hours/{entry}/correct",
                           data={"hours": "3", "note": "含路途时间，已扣除"})
    assert response.status_code == 302
    with app.app_context():
        assert totals(volunteer_id=world.volunteer).volunteer_minutes == 240  # not yet verified
        correction = db.session.scalar(select(HoursEntry).where(HoursEntry.corrects_id == entry))
        assert db.session.get(HoursEntry, entry).minutes == 240  # the old row is unchanged
    again = client.post(f"/hours/{entry}/correct", data={"hours": "2", "note": "再改"},
                        headers=ZH)
    assert "已有一条更正等待核实" in again.text
    colleague = app.test_client()
    login_as(colleague, world.org_admin)
    colleague.post(f"/hours/{correction.id}/verify")
    with app.app_context():
        assert totals(volunteer_id=world.volunteer).volunteer_minutes == 180
    ledger = client.get(f"/orgs/{world.org}/hours", headers=ZH).text
    assert "已被更正替代" in ledger


def test_only_verified_entries_can_be_corrected(app, client, login_as, world, pending):
    entry = pending()
    login_as(client, world.social_worker)
    response = client.post(f"/hours/{entry}/correct", data={"hours": "1", "note": "改"},
                           headers=ZH)
    assert "只有已核实的时长才能更正" in response.text


def test_paid_work_is_counted_apart_and_never_earns_stars(app, client, login_as, world, pending):
    free, paid = pending(minutes=120), pending(minutes=600, project="paid")
    login_as(client, world.social_worker)
    client.post(f"/hours/{free}/verify")
    client.post(f"/hours/{paid}/verify")
    with app.app_context():
        counted = totals(volunteer_id=world.volunteer)
        assert (counted.volunteer_minutes, counted.paid_minutes) == (120, 600)
        assert totals(project_id=world.paid_project).volunteer_minutes == 0
        assert totals(organization_id=world.org).volunteer_minutes == 120


def test_star_levels_start_at_100_300_600_1000_1500_hours():
    levels = [star_level(h * 60) for h in (0, 99, 100, 299, 300, 600, 999, 1000, 1499, 1500, 4000)]
    assert levels == [0, 0, 1, 1, 2, 3, 3, 4, 4, 5, 5]


def test_staff_record_manual_hours_by_volunteer_number(app, client, login_as, world):
    login_as(client, world.social_worker)
    with app.app_context():
        from marketplace.volunteers.models import VolunteerProfile

        number = db.session.get(VolunteerProfile, world.volunteer).volunteer_no
    bad = client.post(f"/orgs/{world.org}/hours", headers=ZH, data={
        "volunteer_no": "ZY000", "service_date": "2025-10-09", "hours": "2",
        "project_id": ""})
    assert bad.status_code == 400 and "没有使用该编号的志愿者" in bad.text
    wrong_project = client.post(f"/orgs/{world.org}/hours", headers=ZH, data={
        "volunteer_no": number, "service_date": "2025-10-09", "hours": "2",
        "project_id": str(world.other_project)})
    assert wrong_project.status_code == 400
    tomorrow = client.post(f"/orgs/{world.org}/hours", headers=ZH, data={
        "volunteer_no": number, "service_date": "2099-01-01", "hours": "2", "project_id": ""})
    assert "服务尚未发生" in tomorrow.text
    too_long = client.post(f"/orgs/{world.org}/hours", headers=ZH, data={
        "volunteer_no": number, "service_date": "2025-10-09", "hours": "30", "project_id": ""})
    assert too_long.status_code == 400
    good = {"volunteer_no": number, "service_date": "2025-10-09", "hours": "2.5",
            "project_id": ""}
    assert client.post(f"/orgs/{world.org}/hours", data=good).status_code == 302
    assert client.post(f"/orgs/{world.org}/hours", data=good).status_code == 302  # double tap
    with app.app_context():
        entry = db.session.scalars(select(HoursEntry)).one()
        assert (entry.minutes, entry.state, str(entry.source)) == (150, "pending", "manual")


def test_the_queue_runs_a_bounded_number_of_queries(
    app, client, login_as, world, pending, count_queries
):
    login_as(client, world.social_worker)
    pending()
    few = count_queries(client, "/hours/queue")
    for _ in range(12):
        pending(volunteer=world.second)
    assert count_queries(client, "/hours/queue") == few
    ledger_few = count_queries(client, f"/orgs/{world.org}/hours")
    for _ in range(5):
        pending()
    assert count_queries(client, f"/orgs/{world.org}/hours") == ledger_few
