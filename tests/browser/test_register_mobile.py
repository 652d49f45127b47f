"""A volunteer registers on a 360 px phone and lands on the Chinese home page."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_volunteer_registers_on_a_phone_and_sees_the_chinese_home_page(
    live_server, phone_page, check_phone_layout, tmp_path
):
    page = phone_page
    page.goto(live_server + "/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    check_phone_layout(page)

    page.get_by_role("link", name="注册").first.click()
    page.wait_for_url("**/auth/register")
    probe = check_phone_layout(page)
    assert probe["buttons"] >= 1
    page.screenshot(path=str(tmp_path / "register.png"), full_page=True)

    page.get_by_label("手机号码").fill("+86 139 1234 5678")
    page.get_by_label("确认密码").fill("阿依古丽的密码2026")
    page.locator("#password").fill("阿依古丽的密码2026")
    page.locator("#display_name").fill("阿依古丽·买买提")
    page.get_by_role("button", name="注册").click()
    page.wait_for_load_state("networkidle")
    assert "/auth/register" not in page.url, page.locator(".field-error").all_inner_texts()

    # Registration signs the volunteer in; the home page greets them in Chinese.
    page.goto(live_server + "/")
    heading = page.locator("h1").inner_text()
    assert "阿依古丽·买买提" in heading and "您好" in heading
    assert page.get_by_role("button", name="退出登录").is_visible()
    check_phone_layout(page)
    page.screenshot(path=str(tmp_path / "home.png"), full_page=True)

    # Logging out and in again with the normalised number works too.
    page.get_by_role("button", name="退出登录").click()
    page.get_by_role("link", name="登录").first.click()
    page.get_by_label("手机号码").fill("13912345678")
    page.locator("#password").fill("阿依古丽的密码2026")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "您好" in page.locator("h1").inner_text()
    assert (tmp_path / "home.png").stat().st_size > 5_000

    # The language switch in the header turns the same page English, and back.
    with page.expect_navigation():
        page.get_by_role("button", name="English").tap()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Hello" in page.locator("h1").inner_text()
    check_phone_layout(page)
    page.screenshot(path=str(tmp_path / "home-en.png"), full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="中文").tap()
    assert page.locator("html").get_attribute("lang") == "zh-CN"
