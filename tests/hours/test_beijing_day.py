"""Dates are Beijing days (domain §8.30): between 00:00 and 08:00 Beijing time the UTC date is
still yesterday, and a volunteer's "today" must not be refused as the future."""

from __future__ import annotations

import io
from datetime import UTC, timedelta

from pypdf import PdfReader
from sqlalchemy import select

from marketplace.clock import BEIJING, local_today
from marketplace.extensions import db
from marketplace.hours.models import HoursEntry

ZH = {"Accept-Language": "zh-CN"}


def test_the_clock_of_the_small_hours_is_a_beijing_day_ahead_of_utc(beijing_small_hours):
    beijing = beijing_small_hours.replace(tzinfo=UTC).astimezone(BEIJING)
    assert beijing.hour == 1 and local_today() == beijing.date()
    assert local_today() == beijing_small_hours.date() + timedelta(days=1)


def test_staff_record_todays_service_at_one_in_the_morning(
        app, client, login_as, world, beijing_small_hours):
    from marketplace.volunteers.models import VolunteerProfile

    login_as(client, world.social_worker)
    with app.app_context():
        number = db.session.get(VolunteerProfile, world.volunteer).volunteer_no
    today = local_today()
    form = {"volunteer_no": number, "hours": "2", "project_id": ""}
    tomorrow = client.post(f"/orgs/{world.org}/hours", headers=ZH,
                           data=form | {"service_date": (today + timedelta(days=1)).isoformat()})
    assert tomorrow.status_code == 400 and "服务尚未发生" in tomorrow.text
    done = client.post(f"/orgs/{world.org}/hours", headers=ZH,
                       data=form | {"service_date": today.isoformat()})
    assert done.status_code == 302
    with app.app_context():
        assert db.session.scalars(select(HoursEntry.service_date)).one() == today


def test_a_certificate_may_end_today_at_one_in_the_morning(
        app, beijing_small_hours, world, verified):
    today = local_today()
    later = verified.post("/me/certificates", headers=ZH, data={
        "organization_id": str(world.org), "period_from": "2025-01-01",
        "period_to": (today + timedelta(days=1)).isoformat()}, follow_redirects=True)
    assert "时段不能晚于今天结束" in later.text
    issued = verified.post("/me/certificates", headers=ZH, data={
        "organization_id": str(world.org), "period_from": "2025-01-01",
        "period_to": today.isoformat()})
    assert issued.status_code == 302 and "/me/certificates/" in issued.headers["Location"]
    # Issued on the Beijing day, on the page and in the PDF (UTC would print yesterday).
    page = verified.get(issued.headers["Location"], headers=ZH).text
    assert f"出具日期：{today.isoformat()}" in page
    pdf = verified.get(issued.headers["Location"] + ".pdf", headers=ZH).data
    text = "".join(sheet.extract_text() for sheet in PdfReader(io.BytesIO(pdf)).pages)
    assert today.isoformat() in text and (today - timedelta(days=1)).isoformat() not in text
