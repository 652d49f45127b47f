"""On a 360 px phone, in Chinese: a volunteer finds the shift nearest home, signs up, is
checked in by the leader's code and out again; the social worker's code, roster and
project pages fit the screen."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fixtures.builders import log_in_on_page
from sqlalchemy import select

from marketplace.auth.models import User
from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.projects import attendance
from marketplace.projects.models import Shift, SignUp, SignUpState


def _log_in(page, live_server, app, user_id):
    with app.app_context():
        phone = db.session.get(User, user_id).phone
    log_in_on_page(page, live_server, phone)


@pytest.mark.browser
def test_volunteer_signs_up_and_checks_in_and_out_on_a_phone(
    app, live_server, phone_page, check_phone_layout, world, make_project, make_shift,
    make_volunteer
):
    shift_id = make_shift(project_id=make_project(title="楼下陪伴老人"),
                          starts_in=timedelta(hours=5), skills=["daily_care"],
                          languages=["ug"])
    make_shift(project_id=make_project(title="远处巡逻"), point=(45.655, 84.875))
    user_id, profile_id = make_volunteer(skills=["daily_care"])
    page = phone_page
    _log_in(page, live_server, app, user_id)

    page.goto(live_server + "/shifts")
    check_phone_layout(page)
    titles = page.locator(".shift-card .card-title").all_inner_texts()
    assert titles == ["楼下陪伴老人", "远处巡逻"]
    page.locator(".shift-card .card-title a").first.tap()
    page.wait_for_load_state("networkidle")
    check_phone_layout(page)
    assert "维吾尔语" in page.locator("main").inner_text()
    page.locator("form.single-submit button").tap()
    page.wait_for_load_state("networkidle")
    assert "报名成功" in page.locator(".flashes").inner_text()
    assert "已确认" in page.locator("main").inner_text()

    # The shift begins; the leader's code leads the volunteer's phone to the scan page.
    with app.app_context():
        shift = db.session.get(Shift, shift_id)
        shift.starts_at = utcnow() - timedelta(minutes=20)
        shift.ends_at = utcnow() + timedelta(hours=1)
        db.session.commit()
    with app.test_request_context():
        token = attendance.check_in_token(db.session.get(Shift, shift_id))
    page.goto(f"{live_server}/shifts/{shift_id}/scan?t={token}")
    check_phone_layout(page)
    page.locator("form.single-submit button").tap()
    page.wait_for_load_state("networkidle")
    assert "签到成功" in page.locator(".flashes").inner_text()
    with app.app_context():
        entry = db.session.scalar(select(SignUp).where(SignUp.volunteer_id == profile_id))
        entry.checked_in_at = utcnow() - timedelta(minutes=20)
        db.session.commit()
    page.goto(f"{live_server}/shifts/{shift_id}/scan?t={token}")
    page.locator("form.single-submit button").tap()
    page.wait_for_load_state("networkidle")
    assert "签退成功" in page.locator(".flashes").inner_text()
    with app.app_context():
        entry = db.session.scalar(select(SignUp).where(SignUp.volunteer_id == profile_id))
        assert entry.state == SignUpState.ATTENDED and entry.checked_out_at is not None
    page.goto(live_server + "/me/sign-ups")
    check_phone_layout(page)


@pytest.mark.browser
def test_staff_pages_fit_a_phone(app, live_server, phone_page, check_phone_layout, world,
                                 make_shift, make_volunteer):
    from playwright.sync_api import Page

    shift_id = make_shift(starts_in=timedelta(minutes=20))
    with app.app_context():
        project_id = db.session.get(Shift, shift_id).project_id
    page: Page = phone_page
    _log_in(page, live_server, app, world["social_worker"])
    for path in (f"/shifts/{shift_id}/code", f"/shifts/{shift_id}/roster",
                 f"/projects/{project_id}", "/projects/mine", "/projects/today",
                 f"/shifts/{shift_id}/edit", f"/projects/{project_id}/shifts/new",
                 f"/shifts/{shift_id}/poster"):
        page.goto(live_server + path)
        assert page.locator("h1").count() == 1, path
        check_phone_layout(page)
    page.goto(f"{live_server}/shifts/{shift_id}/code")
    assert page.locator(".check-in-code img").is_visible()
