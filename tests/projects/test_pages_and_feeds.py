"""What volunteers see: open shifts nearest home first with the filters, the calendar feed
at a rotatable secret address, the A4 poster, ratings, follow-ups and the contributions to
the home page, the organization page and the data download."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from marketplace.clock import utcnow
from marketplace.contributions import contributed
from marketplace.extensions import db
from marketplace.projects.models import (
    CalendarFeed,
    Feedback,
    FollowUp,
    Shift,
    ShiftState,
    SignUp,
    SignUpState,
)

# The volunteer lives at NEAREST; NEAR is some 1.5 km away, FAR 6 km.
NEAREST, NEAR, FAR = (45.600, 84.870), (45.610, 84.885), (45.655, 84.875)


def _titles(html: str) -> list[str]:
    return re.findall(r'<h2 class="card-title"><a href="/shifts/\d+">([^<]+)</a>', html)


def test_open_shifts_nearest_home_first_with_filters(app, world, make_project, make_shift,
                                                     make_volunteer, signed_in):
    near_project = make_project(title="近处助老")
    far_project = make_project(title="远处巡逻", domain="public_security")
    nearest_project = make_project(title="楼下陪伴")
    make_shift(project_id=far_project, point=FAR, starts_in=timedelta(days=1))
    make_shift(project_id=near_project, point=NEAR, starts_in=timedelta(days=2),
               skills=["nursing"], languages=["ug"])
    make_shift(project_id=nearest_project, point=NEAREST, starts_in=timedelta(days=3))
    make_shift(project_id=make_project(title="草稿项目", state="draft"), point=NEAREST)
    make_shift(project_id=make_project(title="停办组织", org="suspended_org"), point=NEAREST)
    volunteer = signed_in(make_volunteer(point=NEAREST)[0])

    page = volunteer.get("/shifts").text
    assert _titles(page) == ["楼下陪伴", "近处助老", "远处巡逻"]
    assert "剩余 3 个名额" in page and "距离" in page
    assert _titles(volunteer.get("/shifts?domain=public_security").text) == ["远处巡逻"]
    assert _titles(volunteer.get("/shifts?skill=nursing").text) == ["近处助老"]
    assert _titles(volunteer.get("/shifts?language=ug").text) == ["近处助老"]
    day = (utcnow() + timedelta(days=2, hours=8)).date().isoformat()
    assert _titles(volunteer.get(f"/shifts?date={day}").text) == ["近处助老"]
    community = world["communities"][0]
    assert "楼下陪伴" in _titles(volunteer.get(f"/shifts?community={community}").text)
    # Anonymous visitors see them soonest first; junk filters are ignored, not a 500.
    anonymous = app.test_client().get("/shifts?date=x&domain=%00&community=9999999999999999999"
                                      "&radius=nan")
    assert anonymous.status_code == 200
    assert _titles(anonymous.text) == ["远处巡逻", "近处助老", "楼下陪伴"]


def test_shift_page_shows_needs_languages_and_seats(app, make_shift, client):
    shift_id = make_shift(skills=["nursing"], languages=["ug", "kk"], min_age=18, risky=True)
    page = client.get(f"/shifts/{shift_id}", headers={"Accept-Language": "zh-CN"}).text
    for text in ("护理", "维吾尔语", "哈萨克语", "共 3 个名额，剩余 3 个", "最低年龄", "意外保险",
                 "登录后报名"):
        assert text in page


def test_calendar_feed_lists_confirmed_shifts_and_rotates(app, make_project, make_shift,
                                                          make_volunteer, signed_in):
    user_id, _profile_id = make_volunteer()
    client = signed_in(user_id)
    confirmed = make_shift(project_id=make_project(title="社区义诊; 量血压, 测血糖"))
    waiting_full = make_shift(seats=1, starts_in=timedelta(days=8))
    signed_in(make_volunteer()[0]).post(f"/shifts/{waiting_full}/sign-up")
    for shift_id in (confirmed, waiting_full):
        client.post(f"/shifts/{shift_id}/sign-up")
    page = client.get("/me/sign-ups")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    feed_path = re.search(r'value="http://localhost(/calendar/[\w-]+\.ics)"', page.text).group(1)
    ics = app.test_client().get(feed_path)
    assert ics.status_code == 200 and ics.mimetype == "text/calendar"
    body = ics.get_data(as_text=True)
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "\n" not in body.replace("\r\n", "")
    assert body.count("BEGIN:VEVENT") == 1  # the waiting-list place is not in the feed
    assert "SUMMARY:社区义诊\\; 量血压\\, 测血糖" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    with app.app_context():
        starts = db.session.get(Shift, confirmed).starts_at
    assert f"DTSTART:{starts:%Y%m%dT%H%M%S}Z" in body
    client.post("/me/calendar/rotate")
    assert app.test_client().get(feed_path).status_code == 404
    with app.app_context():
        token = db.session.scalar(select(CalendarFeed.token))
    assert app.test_client().get(f"/calendar/{token}.ics").status_code == 200


def test_poster_is_a_chinese_a4_page_with_a_qr_code(app, make_shift):
    shift_id = make_shift()
    page = app.test_client().get(f"/shifts/{shift_id}/poster",
                                 headers={"Accept-Language": "en"})
    assert page.status_code == 200
    html = page.text
    assert '<html lang="zh-CN">' in html and "扫码报名" in html and "招募志愿者" in html
    assert re.search(r'<img src="data:image/svg\+xml[^"]+"', html)
    assert f"/shifts/{shift_id}" in html
    assert "<style" not in html and "<script" not in html  # the CSP allows neither
    assert "poster.css" in html


def test_ratings_after_the_shift_from_both_sides(app, world, make_shift, make_volunteer,
                                                 signed_in):
    user_id, _profile_id = make_volunteer()
    client = signed_in(user_id)
    shift_id = make_shift(starts_in=timedelta(days=1))
    client.post(f"/shifts/{shift_id}/sign-up")
    with app.app_context():
        entry = db.session.scalar(select(SignUp))
        entry_id = entry.id
        shift = db.session.get(Shift, shift_id)
        shift.starts_at = utcnow() - timedelta(hours=3)
        shift.ends_at = utcnow() - timedelta(hours=1)
        entry.state = SignUpState.ATTENDED
        shift.state = ShiftState.HELD
        db.session.commit()
    assert "评价此活动" in client.get("/me/sign-ups").text
    client.post(f"/sign-ups/{entry_id}/rating", data={"rating": "5", "comment": "很有意义"})
    page = client.post(f"/sign-ups/{entry_id}/rating", data={"rating": "1"},
                       follow_redirects=True).text
    assert "您已经评价过了" in page
    worker = signed_in(world["social_worker"])
    worker.post(f"/sign-ups/{entry_id}/attendance-rating", data={"rating": "4"})
    outsider = signed_in(world["other_social_worker"])
    assert outsider.post(f"/sign-ups/{entry_id}/attendance-rating",
                         data={"rating": "1"}).status_code == 404
    with app.app_context():
        ratings = {(f.role.value, f.rating) for f in db.session.scalars(select(Feedback))}
    assert ratings == {("volunteer", 5), ("organizer", 4)}


def test_follow_ups_are_recorded_for_held_shifts(app, world, make_shift, signed_in):
    shift_id = make_shift()
    worker = signed_in(world["social_worker"])
    form = {"asked_person": "受助老人的女儿", "channel": "phone", "answer": "satisfied",
            "independent": "y"}
    assert "只能为已举行的班次记录回访" in worker.post(f"/shifts/{shift_id}/follow-ups",
                                                      data=form).text
    with app.app_context():
        db.session.get(Shift, shift_id).state = ShiftState.HELD
        db.session.commit()
    assert "回访对象：请删除其中不可见的控制字符" in worker.post(
        f"/shifts/{shift_id}/follow-ups", data=form | {"asked_person": "女儿\x07"}).text
    assert "请选择回访结果" in worker.post(
        f"/shifts/{shift_id}/follow-ups", data=form | {"answer": "meh"}).text
    page = worker.post(f"/shifts/{shift_id}/follow-ups", data=form, follow_redirects=True).text
    assert "回访已记录" in page and "满意" in page
    with app.app_context():
        record = db.session.scalar(select(FollowUp))
    assert (record.answer.value, record.channel.value, record.independent,
            record.organization_id) == ("satisfied", "phone", True, world["org"])


def test_contributions_home_cards_org_panel_and_export(app, world, make_project, make_shift,
                                                       make_volunteer, signed_in):
    from marketplace.auth.models import User
    from marketplace.orgs.models import Organization

    project_id = make_project(title="重阳敬老")
    shift_id = make_shift(project_id=project_id)
    user_id, _profile = make_volunteer()
    client = signed_in(user_id)
    client.post(f"/shifts/{shift_id}/sign-up")
    home = client.get("/").text
    assert "我附近的活动" in home and "我的报名" in home
    worker_home = signed_in(world["social_worker"]).get("/").text
    assert "我的项目" in worker_home and "今日班次" in worker_home
    with app.test_request_context():
        org = db.session.get(Organization, world["org"])
        panels = [provider(None, org) for provider in contributed("org_panels")]
        ours = [p for p in panels if p and p.template == "projects/_org_panel.html"]
        assert [p.title for p in ours[0].context["projects"]] == ["重阳敬老"]
        assert ours[0].context["upcoming"] == {project_id: 1}
        sections = {}
        for provider in contributed("export_sections"):
            sections |= provider(db.session.get(User, user_id))
    assert [s["project"] for s in sections["sign_ups"]] == ["重阳敬老"]
    assert sections["sign_ups"][0]["state"] == "confirmed"


def test_the_search_radius_grows_until_a_page_is_full_and_can_be_widened(
    app, make_project, make_shift, make_volunteer, signed_in
):
    project_id = make_project(title="楼下陪伴")
    for day in range(20):
        make_shift(project_id=project_id, point=NEAREST, starts_in=timedelta(days=1 + day))
    make_shift(project_id=make_project(title="远处巡逻"), point=FAR)
    volunteer = signed_in(make_volunteer(point=NEAREST)[0])
    page = volunteer.get("/shifts").text
    assert "1 公里以内" in page and "远处巡逻" not in page
    assert 'href="/shifts?radius=2"' in page and "显示 2 公里以内的活动" in page
    wider = volunteer.get("/shifts?radius=10&page=2").text
    assert "10 公里以内" in wider and "远处巡逻" in wider


def test_staff_are_offered_only_what_the_shift_still_allows(app, world, make_shift, signed_in):
    """A shift that has started can no longer be edited, so its page offers no edit button;
    another organization's social worker is offered nothing."""
    from marketplace.projects.models import Shift, ShiftState

    coming = make_shift()
    started = make_shift(starts_in=timedelta(minutes=-30))
    held = make_shift(starts_in=timedelta(days=-2))
    with app.app_context():
        db.session.get(Shift, held).state = ShiftState.HELD
        db.session.commit()
    staff = signed_in(world["social_worker"])
    stranger = signed_in(world["other_social_worker"])

    def offers(client, shift_id):
        page = client.get(f"/shifts/{shift_id}").get_data(as_text=True)
        return {"edit": f"/shifts/{shift_id}/edit" in page,
                "follow_ups": f"/shifts/{shift_id}/follow-ups" in page}

    assert offers(staff, coming) == {"edit": True, "follow_ups": False}
    assert offers(staff, started) == {"edit": False, "follow_ups": False}
    assert offers(staff, held) == {"edit": False, "follow_ups": True}
    assert offers(stranger, coming) == {"edit": False, "follow_ups": False}


def test_only_an_approved_organization_offers_a_new_project(app, world, signed_in):
    suspended = signed_in(world["suspended_social_worker"])
    active = signed_in(world["social_worker"])
    assert f"/orgs/{world['suspended_org']}/projects/new" not in suspended.get(
        "/projects/mine").get_data(as_text=True)
    assert f"/orgs/{world['org']}/projects/new" in active.get("/projects/mine").get_data(
        as_text=True)
    assert f"/orgs/{world['suspended_org']}/projects/new" not in suspended.get(
        f"/orgs/{world['suspended_org']}").get_data(as_text=True)


def test_my_sign_ups_runs_the_same_statements_for_one_or_seven_attended_shifts(
    app, make_project, make_shift, make_volunteer, signed_in, count_queries
):
    user_id, _profile_id = make_volunteer()
    client = signed_in(user_id)

    def attend(n: int) -> None:
        for day in range(n):
            shift_id = make_shift(project_id=make_project(), starts_in=timedelta(days=day + 1))
            client.post(f"/shifts/{shift_id}/sign-up")
        with app.app_context():
            for entry in db.session.scalars(select(SignUp)):
                entry.shift.ends_at = utcnow() - timedelta(hours=1)
                entry.shift.starts_at = entry.shift.ends_at - timedelta(hours=2)
                entry.shift.state = ShiftState.HELD
                entry.state = SignUpState.ATTENDED
            db.session.commit()

    client.get("/me/sign-ups")  # the first visit makes the calendar address
    attend(1)
    few = count_queries(client, "/me/sign-ups")
    attend(6)
    many = count_queries(client, "/me/sign-ups")
    assert few == many
    assert client.get("/me/sign-ups").text.count("评价此活动") == 7


def test_the_roster_runs_the_same_statements_for_one_or_seven_attended_volunteers(
    app, world, make_shift, make_volunteer, signed_in, count_queries
):
    def held_shift_attended_by(n: int) -> int:
        shift_id = make_shift(seats=10)
        for _ in range(n):
            signed_in(make_volunteer()[0]).post(f"/shifts/{shift_id}/sign-up")
        with app.app_context():
            shift = db.session.get(Shift, shift_id)
            shift.ends_at = utcnow() - timedelta(hours=1)
            shift.starts_at = shift.ends_at - timedelta(hours=2)
            shift.state = ShiftState.HELD
            for entry in shift.sign_ups:
                entry.state = SignUpState.ATTENDED
            db.session.commit()
        return shift_id

    one, seven = held_shift_attended_by(1), held_shift_attended_by(7)
    worker = signed_in(world["social_worker"])
    assert count_queries(worker, f"/shifts/{one}/roster") == count_queries(
        worker, f"/shifts/{seven}/roster")
    assert worker.get(f"/shifts/{seven}/roster").text.count("/attendance-rating") == 7
