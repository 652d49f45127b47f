"""The profile page on a phone: "use my location" fills the home point, the grid list shows
only the chosen community's grids, and the half-day toggles work by tapping."""

from __future__ import annotations

import pytest
from fixtures.builders import log_in_on_page, make_id_number
from playwright.sync_api import expect

from marketplace.auth.models import Role
from marketplace.extensions import db
from marketplace.volunteers.models import VolunteerProfile

HERE = {"latitude": 45.6043, "longitude": 84.8751}


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport={"width": 360, "height": 640}, locale="zh-CN", has_touch=True,
        is_mobile=True, geolocation=HERE, permissions=["geolocation"],
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.mark.browser
def test_phone_fills_the_home_point_and_taps_slots(app, live_server, phone, make_user, geo):
    make_user(phone="13700000007", roles=[Role.VOLUNTEER])
    page = phone
    log_in_on_page(page, live_server, "13700000007")

    page.goto(live_server + "/me/profile/edit")
    page.locator("#real_name").fill("努尔兰・哈布都拉")  # katakana middle dot from an IME
    page.locator("#id_number").fill(make_id_number("19881111", 35))
    page.locator("#community_id").select_option(str(geo["communities"][1]))
    shown = page.locator("#grid_id option:not([hidden])").evaluate_all(
        "options => options.map(o => o.value)"
    )
    assert shown == ["", str(geo["grids"][2])]  # "not sure" and the second community's grid

    page.locator(".js-locate").tap()
    expect(page.locator(".js-lat")).not_to_have_value("")
    assert page.locator("input[name=location_source][value=point]").is_checked()
    for slot in ("tue_pm", "sat_am"):
        page.locator(f"label.choice:has(input[name=slots][value={slot}])").tap()
    page.locator("#privacy_consent").check()
    page.locator("main form.profile-form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/me/profile"), page.locator(".field-error").all_inner_texts()
    assert "努尔兰·哈布都拉" in page.locator("main").inner_text()

    with app.app_context():
        profile = db.session.execute(db.select(VolunteerProfile)).scalar_one()
        assert profile.real_name == "努尔兰·哈布都拉"
        assert (round(profile.lat, 4), round(profile.lon, 4)) == (45.6043, 84.8751)
        assert profile.slots == ["tue_pm", "sat_am"]
        assert profile.community_id == geo["communities"][1] and profile.grid_id is None
