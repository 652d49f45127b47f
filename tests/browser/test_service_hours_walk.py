"""The daily loop on a 360 px phone, in Chinese: a volunteer finds a shift near home and
signs up, checks in and out with the leader's code, the social worker verifies the hours,
the volunteer downloads the certificate PDF, and the public page accepts its serial and
refuses an altered one."""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

import pytest
import segno
from fixtures.builders import log_in_on_page
from pypdf import PdfReader
from sqlalchemy import select

from marketplace.auth.models import Role
from marketplace.clock import local_today, utcnow
from marketplace.demo.context import DemoContext
from marketplace.demo.geography import seed_geography
from marketplace.extensions import db

pytestmark = pytest.mark.browser

TITLE = "重阳节敬老活动"


@pytest.fixture
def loop(app, make_user):
    """An approved organization with a social worker who leads a free shift starting in 20
    minutes near the volunteer's home, a farther one, and the volunteer."""
    from marketplace.orgs.models import LegalForm, Organization, OrgStatus
    from marketplace.privacy import crypto
    from marketplace.projects.models import FeeType, Project, ProjectState, Shift
    from marketplace.volunteers.models import Gender, VolunteerProfile

    with app.app_context():
        ctx = DemoContext(scale="small", rng=random.Random(5))
        seed_geography(ctx)
        near, far = ctx.communities[0], ctx.communities[-1]
        org = Organization(name="克拉玛依区乐龄社会工作服务社", status=OrgStatus.APPROVED,
                           legal_form=LegalForm.SOCIAL_SERVICE_AGENCY, district=ctx.district)
        db.session.add(org)
        db.session.commit()
        org_id, near_id, far_id = org.id, near.id, far.id
        home = (near.lat, near.lon)
        far_point = (far.lat + 0.02, far.lon + 0.02)
    social_worker = make_user(phone="13600000001", display_name="李社工",
                              roles=[(Role.SOCIAL_WORKER, {"organization_id": org_id})])
    volunteer = make_user(phone="13600000002", display_name="王小明", roles=[Role.VOLUNTEER])
    with app.app_context():
        db.session.add(VolunteerProfile(
            user_id=volunteer, volunteer_no="ZY65020300000042", real_name="王小明",
            id_number_encrypted=crypto.encrypt("650203198005010015"),
            id_number_digest=crypto.digest("650203198005010015"), birth_date=date(1980, 5, 1),
            gender=Gender.MALE, community_id=near_id, lat=home[0], lon=home[1],
            hours_per_week=8,
        ))
        project = Project(organization_id=org_id, title=TITLE, domain="elder_care",
                          community_id=near_id, starts_on=local_today(), fee_type=FeeType.FREE,
                          state=ProjectState.PUBLISHED)
        db.session.add(project)
        db.session.flush()
        start = utcnow() + timedelta(minutes=20)
        shift = Shift(project_id=project.id, starts_at=start, ends_at=start + timedelta(hours=3),
                      community_id=near_id, address="活动室", lat=home[0], lon=home[1],
                      seats=3, leader_id=social_worker)
        farther = Shift(project_id=project.id, starts_at=start, ends_at=start + timedelta(hours=2),
                        community_id=far_id, address="广场", lat=far_point[0],
                        lon=far_point[1], seats=3)
        db.session.add_all([shift, farther])
        db.session.commit()
        return {"shift": shift.id, "org": org_id}


def scan_url(app, base, leader_page, shift_id) -> str:
    """What the leader's code encodes: the test reads it as a phone camera would, checking
    that the code on the leader's screen is exactly this address."""
    from marketplace.projects.attendance import check_in_token
    from marketplace.projects.models import Shift

    for _attempt in range(3):
        leader_page.goto(f"{base}/shifts/{shift_id}/code")
        shown = leader_page.locator("figure.check-in-code img").get_attribute("src")
        with app.test_request_context(base_url=base):
            from flask import url_for

            shift = db.session.get(Shift, shift_id)
            target = url_for("projects.scan", shift_id=shift_id, t=check_in_token(shift),
                             _external=True)
        if segno.make(target, error="m").svg_data_uri(scale=6, border=2) == shown:
            return target
    raise AssertionError("the leader's code does not encode the scan address")


def test_volunteer_serves_gets_hours_verified_and_a_certificate_anyone_can_check(
    app, live_server, open_phone, phone_page, check_phone_layout, loop
):
    page, base = phone_page, live_server
    leader = open_phone()
    log_in_on_page(leader, base, "13600000001")

    # 1. The volunteer finds the nearest shift first and signs up.
    log_in_on_page(page, base, "13600000002")
    page.goto(base + "/shifts")
    check_phone_layout(page)
    first = page.locator("main a", has_text=TITLE).first
    distances = [float(km) for km in
                 re.findall(r"距离 ([\d.]+) 公里", page.locator("main").inner_text())]
    assert len(distances) == 2 and distances == sorted(distances) and distances[0] < 0.5
    first.click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="报名").click()
    page.wait_for_load_state("networkidle")
    assert "报名成功" in page.locator(".flashes").inner_text()
    check_phone_layout(page)

    # 2. Checked in by the leader's code…
    page.goto(scan_url(app, base, leader, loop["shift"]))
    check_phone_layout(page)
    page.get_by_role("button", name="确认").click()
    page.wait_for_load_state("networkidle")
    assert "签到成功" in page.locator(".flashes").inner_text()

    # …the shift takes place (its times move three hours back), and checked out.
    from marketplace.projects.models import Shift, SignUp

    with app.app_context():
        back = timedelta(hours=3)
        shift = db.session.get(Shift, loop["shift"])
        shift.starts_at, shift.ends_at = shift.starts_at - back, shift.ends_at - back
        for entry in db.session.scalars(select(SignUp).where(SignUp.shift_id == shift.id)):
            entry.checked_in_at -= back
        db.session.commit()
    page.goto(scan_url(app, base, leader, loop["shift"]))
    page.get_by_role("button", name="确认").click()
    page.wait_for_load_state("networkidle")
    assert "签退成功" in page.locator(".flashes").inner_text()

    # 3. The social worker verifies the hours from the queue.
    leader.goto(base + "/")
    assert "待核实时长" in leader.locator("main").inner_text()
    leader.goto(base + "/hours/queue")
    check_phone_layout(leader)
    entry = leader.locator("li.entry", has_text="王小明")
    assert TITLE in entry.inner_text()
    hours = float(re.search(r"([\d.]+) 小时", entry.inner_text()).group(1))
    assert 2.5 <= hours <= 3.0  # on site within the shift; travel never counts
    entry.get_by_role("button", name="核实").click()
    leader.wait_for_load_state("networkidle")
    assert "时长已核实" in leader.locator(".flashes").inner_text()

    # 4. The volunteer is told, and gets the certificate as a PDF.
    page.goto(base + "/")
    assert page.locator(".badge").count() >= 1
    page.goto(base + "/notifications")
    assert "已核实您" in page.locator("main").inner_text()
    page.goto(base + "/me/hours")
    check_phone_layout(page)
    today = local_today().isoformat()
    page.locator("#period_from").fill((local_today() - timedelta(days=1)).isoformat())
    page.locator("#period_to").fill(today)
    page.get_by_role("button", name="开具证明").click()
    page.wait_for_load_state("networkidle")
    assert "志愿服务记录证明" in page.locator("h1").inner_text()
    check_phone_layout(page)
    serial = re.search(r"证明编号：(\S+)", page.locator(".certificate").inner_text()).group(1)
    code = re.search(r"校验码：(\S+)", page.locator(".certificate").inner_text()).group(1)
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 PDF").click()
    pdf = PdfReader(download.value.path())
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in pdf.pages))
    assert "志愿服务记录证明" in text and "王小明" in text and serial in text

    # 5. Anyone checks it on the public page; an altered serial is refused.
    public = open_phone()
    public.goto(base + "/certificates/check")
    public.locator("#serial").fill(serial)
    public.locator("#code").fill(code)
    public.get_by_role("button", name="核验").click()
    public.wait_for_load_state("networkidle")
    shown = public.locator("main").inner_text()
    assert "证明真实有效" in shown and "王*明" in shown and "王小明" not in shown
    check_phone_layout(public)
    altered = serial[:-1] + ("7" if serial[-1] != "7" else "8")
    public.locator("#serial").fill(altered)
    public.get_by_role("button", name="核验").click()
    public.wait_for_load_state("networkidle")
    assert "没有与该编号和校验码相符的证明" in public.locator("main").inner_text()
    with app.app_context():
        from marketplace.hours.models import HoursEntry

        assert db.session.scalars(select(HoursEntry.state)).all() == ["verified"]
