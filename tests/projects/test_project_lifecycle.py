"""Projects and shifts through the social worker's pages: draft → published → closed, the
closing cancels coming shifts and tells who signed up; out of scope answers 404."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.notifications.models import Notification
from marketplace.projects.localtime import to_local
from marketplace.projects.models import Project, ProjectState, Shift, ShiftState, SignUp

HUGE = "9" * 20


def _project_form(world, **overrides):
    form = {"title": "重阳节敬老活动", "domain": "elder_care",
            "community_id": str(world["communities"][0]), "street_id": "",
            "starts_on": "2026-01-01", "ends_on": "", "fee_type": "free",
            "description": "陪伴老人。", "beneficiaries": "独居老人"}
    return form | overrides


def _shift_form(world, starts_in=timedelta(days=3), **overrides):
    start = to_local(utcnow() + starts_in).replace(tzinfo=None)
    end = start + timedelta(hours=2)
    form = {"starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": end.strftime("%Y-%m-%dT%H:%M"),
            "community_id": str(world["communities"][1]), "address": "友谊路 12 号",
            "seats": "4", "min_age": "0", "skills": ["daily_care"], "languages": ["ug"]}
    return form | overrides


def test_a_social_worker_drafts_publishes_and_closes_a_project(
    app, world, signed_in, make_volunteer
):
    worker = signed_in(world["social_worker"])
    response = worker.post(f"/orgs/{world['org']}/projects/new", data=_project_form(world))
    assert response.status_code == 302
    project_url = response.headers["Location"]
    project_id = int(project_url.rsplit("/", 1)[1])
    assert "草稿" in worker.get(project_url).text
    assert signed_in(make_volunteer()[0]).get(project_url).status_code == 404  # drafts private

    response = worker.post(f"/projects/{project_id}/shifts/new",
                           data=_shift_form(world, skills=[]))
    assert response.status_code == 302
    shift_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert "已发布" in worker.post(f"/projects/{project_id}/publish",
                                   follow_redirects=True).text

    volunteer_user, _profile = make_volunteer()
    volunteer = signed_in(volunteer_user)
    assert "报名成功" in volunteer.post(f"/shifts/{shift_id}/sign-up",
                                        follow_redirects=True).text
    page = worker.post(f"/projects/{project_id}/close", follow_redirects=True).text
    assert "项目已结束" in page
    with app.app_context():
        assert db.session.get(Project, project_id).state == ProjectState.CLOSED
        assert db.session.get(Shift, shift_id).state == ShiftState.CANCELLED
        kinds = db.session.scalars(select(Notification.kind).where(
            Notification.user_id == volunteer_user, Notification.cancelled_at.is_(None))).all()
        assert db.session.scalar(select(SignUp.state)).value == "cancelled"
    assert "project.closed" in kinds and "shift.reminder" not in kinds
    # The public sees a closed project without its cancelled shifts; its staff see them marked.
    assert "还没有班次" in app.test_client().get(project_url).text
    assert "已取消" in worker.get(project_url).text


def test_project_form_errors_name_the_field_in_chinese(app, world, signed_in):
    worker = signed_in(world["social_worker"])
    url = f"/orgs/{world['org']}/projects/new"
    page = worker.post(url, data=_project_form(world, title="\u200b\u200b")).text
    assert "标题：请输入看得见的文字" in page
    page = worker.post(url, data=_project_form(world, title="敬老\u202e活动")).text
    assert "标题：请删除其中不可见的控制字符或文字方向字符" in page
    page = worker.post(url, data=_project_form(world, description="陪伴\x00老人")).text
    assert "简介：请删除其中不可见的控制字符或文字方向字符" in page
    page = worker.post(url, data=_project_form(world, ends_on="2025-01-01")).text
    assert "项目结束日期不能早于开始日期" in page
    page = worker.post(url, data=_project_form(world, community_id="", street_id="")).text
    assert "请说明项目服务的社区或街道" in page
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Project.id))) == 0


def test_shift_form_errors_name_the_field(app, world, signed_in, make_project):
    worker = signed_in(world["social_worker"])
    project_id = make_project(state="draft")
    url = f"/projects/{project_id}/shifts/new"
    past = _shift_form(world, starts_in=timedelta(days=-1))
    assert "班次开始时间必须在未来" in worker.post(url, data=past).text
    backwards = _shift_form(world)
    backwards["ends_at"], backwards["starts_at"] = backwards["starts_at"], backwards["ends_at"]
    assert "班次结束时间必须晚于开始时间" in worker.post(url, data=backwards).text
    assert "请从列表中选择技能" in worker.post(
        url, data=_shift_form(world, skills=["juggling"])).text
    assert "没有使用该编号的志愿者" in worker.post(
        url, data=_shift_form(world, leader_volunteer_no="ZY65020399999999")).text


def test_a_suspended_organization_publishes_nothing(app, world, signed_in, make_project):
    project_id = make_project(org="suspended_org", state="draft")
    worker = signed_in(world["suspended_social_worker"])
    page = worker.post(f"/projects/{project_id}/publish", follow_redirects=True).text
    assert "只有已登记（备案）的组织才能发布项目和班次" in page
    assert worker.post(f"/orgs/{world['suspended_org']}/projects/new",
                       data=_project_form(world)).status_code == 200
    with app.app_context():
        assert db.session.get(Project, project_id).state == ProjectState.DRAFT
        assert db.session.scalar(select(db.func.count(Project.id))) == 1


def test_cancelling_a_shift_tells_everyone_signed_up(app, world, signed_in, make_shift,
                                                      make_volunteer):
    shift_id = make_shift(seats=1)
    confirmed_user, _ = make_volunteer()
    waiting_user, _ = make_volunteer()
    for user in (confirmed_user, waiting_user):
        signed_in(user).post(f"/shifts/{shift_id}/sign-up")
    worker = signed_in(world["social_worker"])
    assert "请填写" not in worker.post(f"/shifts/{shift_id}/cancel", data={"reason": "大风"},
                                       follow_redirects=True).text
    with app.app_context():
        assert db.session.get(Shift, shift_id).state == ShiftState.CANCELLED
        for user in (confirmed_user, waiting_user):
            notice = db.session.scalar(select(Notification).where(
                Notification.user_id == user, Notification.kind == "shift.cancelled"))
            assert notice is not None and notice.params["reason"] == "大风"


def test_raising_seats_promotes_the_waiting_list(app, world, signed_in, make_shift,
                                                 make_volunteer, seat_counts):
    shift_id = make_shift(seats=1)
    for _ in range(3):
        signed_in(make_volunteer()[0]).post(f"/shifts/{shift_id}/sign-up")
    worker = signed_in(world["social_worker"])
    form = worker.get(f"/shifts/{shift_id}/edit")
    assert form.status_code == 200
    with app.app_context():
        shift = db.session.get(Shift, shift_id)
        data = _shift_form(world, skills=[], languages=[], seats="2")
        start = to_local(shift.starts_at).replace(tzinfo=None)
        data["starts_at"] = start.strftime("%Y-%m-%dT%H:%M")
        data["ends_at"] = (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    assert worker.post(f"/shifts/{shift_id}/edit", data=data).status_code == 302
    assert seat_counts(shift_id) == {"confirmed": 2, "waitlisted": 1, "seats_taken": 2}
    data["seats"] = "1"
    assert "名额不能少于此数" in worker.post(f"/shifts/{shift_id}/edit", data=data).text


@pytest.mark.parametrize("method, path", [
    ("get", "/projects/{project}/edit"),
    ("post", "/projects/{project}/publish"),
    ("post", "/projects/{project}/close"),
    ("get", "/projects/{project}/shifts/new"),
    ("get", "/shifts/{shift}/edit"),
    ("post", "/shifts/{shift}/cancel"),
    ("get", "/shifts/{shift}/code"),
    ("get", "/shifts/{shift}/roster"),
    ("get", "/shifts/{shift}/follow-ups"),
    ("post", "/shifts/{shift}/beneficiaries"),
    ("get", "/orgs/{org}/projects/new"),
])
def test_another_organizations_staff_get_404(app, world, signed_in, make_shift, method, path):
    shift_id = make_shift()
    with app.app_context():
        project_id = db.session.get(Shift, shift_id).project_id
    outsider = signed_in(world["other_social_worker"])
    url = path.format(project=project_id, shift=shift_id, org=world["org"])
    assert getattr(outsider, method)(url, data={"reason": "x"}).status_code == 404
    huge = path.format(project=HUGE, shift=HUGE, org=HUGE)
    assert getattr(signed_in(world["social_worker"]), method)(huge).status_code == 404
    with app.app_context():
        assert db.session.get(Shift, shift_id).state == ShiftState.SCHEDULED


@pytest.mark.parametrize("path", ["/shifts/{n}", "/shifts/{n}/poster", "/projects/{n}",
                                  "/calendar/{n}.ics"])
def test_public_pages_answer_404_for_a_twenty_digit_id(client, world, path):
    assert client.get(path.format(n=HUGE)).status_code == 404


@pytest.mark.parametrize("path", ["/shifts/{n}/sign-up", "/sign-ups/{n}/cancel",
                                  "/sign-ups/{n}/rating", "/sign-ups/{n}/attendance"])
def test_volunteer_actions_answer_404_for_a_twenty_digit_id(world, signed_in, make_volunteer,
                                                            path):
    client = signed_in(make_volunteer()[0])
    assert client.post(path.format(n=HUGE)).status_code == 404


def test_someone_elses_sign_up_cannot_be_cancelled(app, signed_in, make_volunteer, make_shift):
    shift_id = make_shift()
    owner = signed_in(make_volunteer()[0])
    owner.post(f"/shifts/{shift_id}/sign-up")
    with app.app_context():
        entry_id = db.session.scalar(select(SignUp.id))
    stranger = signed_in(make_volunteer()[0])
    assert stranger.post(f"/sign-ups/{entry_id}/cancel").status_code == 404
    with app.app_context():
        assert db.session.get(SignUp, entry_id).state.value == "confirmed"


def test_the_organizer_withdraws_a_place_with_a_reason_and_the_next_in_line_moves_up(
    app, world, signed_in, make_shift, make_volunteer, seat_counts
):
    shift_id = make_shift(seats=1)
    holder, _ = make_volunteer()
    waiting, _ = make_volunteer()
    for user in (holder, waiting):
        signed_in(user).post(f"/shifts/{shift_id}/sign-up")
    with app.app_context():
        entry_id = db.session.scalar(select(SignUp.id).order_by(SignUp.id))
    worker = signed_in(world["social_worker"])
    assert "取消此人的名额" in worker.get(f"/shifts/{shift_id}/roster").text
    assert "此项为必填" in worker.post(f"/sign-ups/{entry_id}/organizer-cancel",
                                      data={"reason": " "}, follow_redirects=True).text
    assert signed_in(world["other_social_worker"]).post(
        f"/sign-ups/{entry_id}/organizer-cancel", data={"reason": "x"}).status_code == 404
    page = worker.post(f"/sign-ups/{entry_id}/organizer-cancel", data={"reason": "不符合要求"},
                       follow_redirects=True).text
    assert "名额已取消，已通知该志愿者" in page
    assert seat_counts(shift_id) == {"confirmed": 1, "cancelled": 1, "seats_taken": 1}
    with app.app_context():
        told = db.session.scalar(select(Notification).where(
            Notification.user_id == holder,
            Notification.kind == "signup.cancelled_by_organizer"))
        promoted = db.session.scalar(select(Notification.kind).where(
            Notification.user_id == waiting, Notification.kind == "signup.promoted"))
    assert told.params["reason"] == "不符合要求"
    assert promoted == "signup.promoted"


def test_staff_lists_show_only_their_own_organizations_projects(app, world, signed_in,
                                                               make_project, make_shift):
    make_project(title="本组织项目")
    make_project(title="别家项目", org="other_org")
    page = signed_in(world["social_worker"]).get("/projects/mine").text
    assert "本组织项目" in page and "别家项目" not in page
    assert signed_in(world["other_social_worker"]).get(
        f"/orgs/{world['org']}/projects/new").status_code == 404


def test_moving_a_shift_moves_the_reminders(app, world, signed_in, make_shift, make_volunteer):
    shift_id = make_shift(starts_in=timedelta(days=3))
    user_id, _ = make_volunteer()
    signed_in(user_id).post(f"/shifts/{shift_id}/sign-up")
    with app.app_context():
        old_evening = to_local(db.session.get(Shift, shift_id).starts_at).date() - timedelta(1)
    worker = signed_in(world["social_worker"])
    data = _shift_form(world, starts_in=timedelta(days=9), skills=[], languages=[])
    assert worker.post(f"/shifts/{shift_id}/edit", data=data).status_code == 302
    with app.app_context():
        starts = db.session.get(Shift, shift_id).starts_at
        due = [to_local(n.due_at).date() for n in db.session.scalars(select(Notification).where(
            Notification.user_id == user_id, Notification.kind == "shift.reminder",
            Notification.cancelled_at.is_(None)))]
    assert to_local(starts).date() - timedelta(days=1) in due
    assert old_evening not in due


def test_double_submits_change_state_once_and_show_no_error_page(
    app, world, signed_in, make_project, make_shift, make_volunteer, seat_counts
):
    worker = signed_in(world["social_worker"])
    project_id = make_project(state="draft")
    shift_id = make_shift(project_id=project_id, seats=1)
    for _ in range(2):
        assert worker.post(f"/projects/{project_id}/publish").status_code == 302
    assert "只有草稿可以发布" in worker.get(f"/projects/{project_id}").text
    user_id, _ = make_volunteer()
    volunteer = signed_in(user_id)
    waiting = signed_in(make_volunteer()[0])
    volunteer.post(f"/shifts/{shift_id}/sign-up")
    waiting.post(f"/shifts/{shift_id}/sign-up")
    with app.app_context():
        entry_id = db.session.scalar(select(SignUp.id).order_by(SignUp.id))
    for _ in range(2):
        assert volunteer.post(f"/sign-ups/{entry_id}/cancel").status_code == 302
    # The second cancellation neither frees a second seat nor promotes twice.
    assert seat_counts(shift_id) == {"confirmed": 1, "cancelled": 1, "seats_taken": 1}
    for _ in range(2):
        assert worker.post(f"/projects/{project_id}/close").status_code == 302
    with app.app_context():
        assert db.session.get(Project, project_id).state == ProjectState.CLOSED


def test_the_services_refuse_invisible_text_whatever_the_caller(app, world):
    from marketplace.errors import DomainError
    from marketplace.projects.text import clean_text

    for text, multiline in (("敬老\u202e活动", True), ("a\x00b", True), ("两行\n标题", False)):
        with pytest.raises(DomainError):
            clean_text("title", text, max_length=100, multiline=multiline)
    with pytest.raises(DomainError):
        clean_text("title", "\u200b\u3164", max_length=100, required=True)
    assert clean_text("note", "第一行\n第二行", max_length=100, multiline=True) == "第一行\n第二行"
    assert clean_text("title", "  阿依古丽·买买提  ", max_length=100) == "阿依古丽·买买提"
