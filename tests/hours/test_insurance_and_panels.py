"""Insurance records kept by the organization; what hours adds to other pages: the home
cards, the organization page's panel, the profile's star level, the own-data export."""

from __future__ import annotations

from datetime import date

from flask import render_template
from sqlalchemy import select

from marketplace.auth.models import User
from marketplace.extensions import db
from marketplace.hours.contributions import (
    hours_export,
    hours_home_actions,
    star_panel,
    verified_hours_panel,
)
from marketplace.hours.models import HoursEntry, HoursKind, HoursSource, HoursState, InsuranceRecord
from marketplace.hours.services import has_insurance
from marketplace.orgs.models import Organization
from marketplace.volunteers.models import VolunteerProfile

ZH = {"Accept-Language": "zh-CN"}


def _number(app, profile_id):
    with app.app_context():
        return db.session.get(VolunteerProfile, profile_id).volunteer_no


def _insurance_form(number, **changes):
    data = {"volunteer_no": number, "insurer": "中国人寿", "policy_no": "P2025-0001",
            "valid_from": "2025-01-01", "valid_until": "2025-12-31"}
    data.update(changes)
    return data


def test_staff_record_insurance_for_their_own_volunteers(app, client, login_as, world):
    login_as(client, world.social_worker)
    number = _number(app, world.volunteer)  # signed up for the organization's shift
    for _tap in range(2):  # a double submit keeps one record
        response = client.post(f"/orgs/{world.org}/insurance", data=_insurance_form(number))
        assert response.status_code == 302
    with app.app_context():
        assert len(db.session.scalars(select(InsuranceRecord)).all()) == 1
    page = client.get(f"/orgs/{world.org}/insurance", headers=ZH).text
    assert "中国人寿" in page and "王小明" in page
    with app.app_context():
        assert has_insurance(world.volunteer, date(2025, 10, 9))


def test_insurance_for_a_stranger_or_with_bad_dates_or_invisible_text_is_refused(
    app, client, login_as, world
):
    login_as(client, world.social_worker)
    stranger = client.post(f"/orgs/{world.org}/insurance", headers=ZH,
                           data=_insurance_form(_number(app, world.second)))
    assert stranger.status_code == 400 and "在本组织服务的志愿者" in stranger.text
    number = _number(app, world.volunteer)
    backwards = client.post(f"/orgs/{world.org}/insurance", headers=ZH,
                            data=_insurance_form(number, valid_until="2024-01-01"))
    assert "保单截止日期早于生效日期" in backwards.text
    invisible = client.post(f"/orgs/{world.org}/insurance", headers=ZH,
                            data=_insurance_form(number, insurer="\u200b\u200b"))
    assert invisible.status_code == 400
    with app.app_context():
        assert db.session.scalars(select(InsuranceRecord)).all() == []


def test_home_cards_for_volunteers_and_staff_with_the_waiting_count(
    app, client, login_as, world, pending
):
    pending()
    pending(volunteer=world.second)
    login_as(client, world.social_worker)
    home = client.get("/", headers=ZH).text
    assert "待核实时长" in home and '<span class="badge">2</span>' in home
    assert "时长与保险：乐龄社会工作服务社" in home
    volunteer = app.test_client()
    login_as(volunteer, world.volunteer_user)
    assert "我的服务时长" in volunteer.get("/", headers=ZH).text
    with app.test_request_context():
        stranger = db.session.get(User, world.leader_user)
        assert [a.url for a in hours_home_actions(stranger)] == ["/me/hours"]


def _verified(app, world, minutes, kind=HoursKind.VOLUNTEER, volunteer=None, days=1):
    with app.app_context():
        db.session.add_all(HoursEntry(
            volunteer_id=volunteer or world.volunteer, organization_id=world.org,
            service_date=date(2025, 5, 1), minutes=minutes, kind=kind,
            source=HoursSource.MANUAL, state=HoursState.VERIFIED,
        ) for _day in range(days))
        db.session.commit()


def test_the_organization_panel_shows_verified_hours_and_staff_links(app, world):
    _verified(app, world, 600)
    _verified(app, world, 120, kind=HoursKind.PAID)
    with app.test_request_context():
        org = db.session.get(Organization, world.org)
        staff = db.session.get(User, world.social_worker)
        stranger = db.session.get(User, world.other_social_worker)
        panel = verified_hours_panel(staff, org)
        assert (panel.context["totals"].volunteer_hours, panel.context["totals"].paid_hours) == (
            10.0, 2.0)
        assert panel.context["is_staff"]
        assert not verified_hours_panel(stranger, org).context["is_staff"]
        html = render_template(panel.template, org=org, **panel.context)  # as the page does
        assert "10.0" in html and f"/orgs/{org.id}/hours" in html
        outsider = verified_hours_panel(stranger, org)
        assert "/hours" not in render_template(outsider.template, org=org, **outsider.context)


def test_the_profile_shows_the_star_level(app, client, login_as, world):
    _verified(app, world, 600, days=31)  # 310 h
    login_as(client, world.volunteer_user)
    page = client.get("/me/profile", headers=ZH).text
    assert "2 星级志愿者" in page and "已核实志愿服务 310.0 小时" in page
    assert "满 600 小时可升一星" in page
    with app.test_request_context():
        someone = db.session.get(User, world.social_worker)
        profile = db.session.get(VolunteerProfile, world.volunteer)
        assert star_panel(someone, profile) is None  # only on the volunteer's own page


def test_the_export_carries_the_persons_hours_certificates_and_insurance(app, world):
    _verified(app, world, 90)
    _verified(app, world, 45, volunteer=world.second)
    with app.app_context():
        section = hours_export(db.session.get(User, world.volunteer_user))
        assert [e["minutes"] for e in section["hours_entries"]] == [90]
        assert section["hours_entries"][0]["organization"] == "乐龄社会工作服务社"
        assert section["certificates"] == [] and section["insurance_records"] == []
        assert hours_export(db.session.get(User, world.social_worker))["hours_entries"] == []


def test_the_download_of_my_data_carries_the_hours_sections(app, client, login_as, world):
    import json

    _verified(app, world, 150)
    login_as(client, world.volunteer_user)
    data = json.loads(client.get("/me/data.json").get_data(as_text=True))
    assert [(e["minutes"], e["state"], e["kind"]) for e in data["hours_entries"]] == [
        (150, "verified", "volunteer")]
    assert data["certificates"] == [] and data["insurance_records"] == []


def test_english_readers_get_english_hours_pages(app, client, login_as, world, pending):
    pending()
    login_as(client, world.social_worker)
    page = client.get("/hours/queue", headers={"Accept-Language": "en"}).text
    assert "Hours to verify" in page and "Verify" in page and "3.0 hours" in page
