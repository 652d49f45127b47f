"""The registry on a phone: an organization admin registers, an official approves, the
organization appears in the public directory, and a volunteer completes a profile by tapping
the half-day slot toggles. Every page keeps the phone layout rules."""

from __future__ import annotations

import random

import pytest
from fixtures.builders import log_in_on_page
from sqlalchemy import select

from marketplace.auth.models import Role
from marketplace.demo.context import DemoContext
from marketplace.demo.geography import seed_geography
from marketplace.extensions import db
from marketplace.orgs.models import Organization, OrgStatus
from marketplace.orgs.uscc import with_check_character
from marketplace.volunteers.models import VolunteerProfile

pytestmark = pytest.mark.browser

ORG_NAME = "克拉玛依区乐龄社会工作服务社"
# A 民办非企业单位 registered by the district's civil affairs bureau: 52 + region code.
USCC = with_check_character("52650203MJ7815342")
OFFICIAL_PHONE = "13700000009"
OFFICIAL_PASSWORD = "区民政局审核2026"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def resident_id(first17: str) -> str:
    """A GB 11643 number: 17 digits and the ISO 7064 MOD 11-2 check character."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


@pytest.fixture
def district(app):
    with app.app_context():
        ctx = DemoContext(scale="small", rng=random.Random(3))
        seed_geography(ctx)
        db.session.commit()
        return {
            "district_id": ctx.district.id,
            "community": ctx.communities[0].name,
            "community_id": ctx.communities[0].id,
        }


def register(page, base: str, phone: str, name: str, password: str) -> None:
    page.goto(base + "/auth/register")
    page.locator("#phone").fill(phone)
    page.locator("#display_name").fill(name)
    page.locator("#password").fill(password)
    page.locator("#confirm").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "/auth/register" not in page.url, page.locator(".field-error").all_inner_texts()


def log_out(page) -> None:
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_load_state("networkidle")


def test_organization_is_registered_approved_listed_and_a_volunteer_completes_a_profile(
    app, live_server, phone_page, check_phone_layout, make_user, district, tmp_path
):
    page = phone_page
    base = live_server

    # 1. A resident registers and files an organization; they become its admin.
    register(page, base, "13600000001", "王建国", "乐龄服务社2026")
    page.goto(base + "/orgs/new")
    check_phone_layout(page)
    page.locator("#name").fill(ORG_NAME)
    page.locator("#legal_form").select_option("social_service_agency")
    page.locator("#category").select_option("service")
    page.locator("#uscc").fill(USCC.lower())  # the page upper-cases as typed
    page.locator("label.choice", has_text=district["community"]).tap()
    page.locator("#contact_name").fill("王建国")
    page.locator("#contact_phone").fill("13600000001")
    page.locator("label.choice:has(input[name=domains][value=elder_care])").tap()
    page.locator("#profile").fill("为社区高龄、空巢老人提供上门探访和生活照料。")
    page.screenshot(path=str(tmp_path / "org-form.png"), full_page=True)
    page.locator("main form.org-form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == ORG_NAME
    check_phone_layout(page)
    page.locator("form[action$='/submit'] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    with app.app_context():
        org = db.session.scalar(select(Organization).where(Organization.name == ORG_NAME))
        assert org.status == OrgStatus.SUBMITTED
        assert org.uscc == USCC
        org_id = org.id
    log_out(page)

    # Not public while it waits for the decision.
    page.goto(base + "/orgs")
    assert ORG_NAME not in page.locator("main").inner_text()

    # 2. The district's official finds it in the review queue and approves it.
    make_user(
        phone=OFFICIAL_PHONE,
        password=OFFICIAL_PASSWORD,
        roles=[(Role.OFFICIAL, {"district_id": district["district_id"]})],
        display_name="李卫东",
    )
    log_in_on_page(page, base, OFFICIAL_PHONE, OFFICIAL_PASSWORD)
    page.goto(base + "/orgs/review")
    check_phone_layout(page)
    page.get_by_role("link", name=ORG_NAME).click()
    page.wait_for_url(f"**/orgs/{org_id}")
    page.locator("button[name=action][value=approve]").tap()
    page.wait_for_load_state("networkidle")
    with app.app_context():
        assert db.session.get(Organization, org_id).status == OrgStatus.APPROVED
    log_out(page)

    # 3. Anyone now finds it in the directory and opens its page.
    page.goto(base + "/orgs")
    check_phone_layout(page)
    page.get_by_role("link", name=ORG_NAME).first.click()
    page.wait_for_url(f"**/orgs/{org_id}")
    assert ORG_NAME in page.locator("h1").inner_text()
    check_phone_layout(page)
    page.screenshot(path=str(tmp_path / "org-detail.png"), full_page=True)

    # 4. A volunteer registers and completes the real-name profile on the phone.
    register(page, base, "13600000002", "阿依古丽", "我的志愿密码2026")
    page.goto(base + "/me/profile/edit")
    check_phone_layout(page)
    page.locator("#real_name").fill("阿依古丽·买买提")
    page.locator("#id_number").fill(resident_id("65020319900307242"))
    page.locator("#community_id").select_option(str(district["community_id"]))
    for slot in ("mon_am", "wed_pm", "sat_am"):
        toggle = page.locator(f"label.choice:has(input[name=slots][value={slot}])")
        toggle.tap()
        assert toggle.locator("input").is_checked()
    page.locator("label.choice:has(input[name=slots][value=sun_pm])").tap()
    page.locator("label.choice:has(input[name=slots][value=sun_pm])").tap()  # and off again
    page.locator("label.choice:has(input[name=languages][value=ug])").tap()
    page.locator("label.choice:has(input[name=skills][value=psych_support])").tap()
    privacy = page.locator("#privacy_consent")
    if privacy.count():
        privacy.check()
    page.screenshot(path=str(tmp_path / "profile-form.png"), full_page=True)
    page.locator("main form.profile-form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/me/profile"), page.locator(".field-error").all_inner_texts()
    check_phone_layout(page)
    page.screenshot(path=str(tmp_path / "profile.png"), full_page=True)

    with app.app_context():
        profile = db.session.scalar(
            select(VolunteerProfile).where(VolunteerProfile.real_name == "阿依古丽·买买提")
        )
        assert profile.slots == ["mon_am", "wed_pm", "sat_am"]
        assert "ug" in profile.languages and profile.community_id == district["community_id"]
