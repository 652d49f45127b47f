"""The access tokens page on a phone, and the API documentation page drawing the vendored
Swagger UI under the site's CSP."""

from __future__ import annotations

import re

import pytest
from fixtures.builders import log_in_on_page

from marketplace.auth.models import Role

pytestmark = pytest.mark.browser


def test_a_token_is_made_and_revoked_on_a_phone(
    live_server, phone_page, check_phone_layout, make_user, tmp_path
):
    make_user(phone="13900000077", roles=[Role.VOLUNTEER])
    page = phone_page
    log_in_on_page(page, live_server, "13900000077")
    page.locator("a[href='/account/tokens']").first.click()
    check_phone_layout(page)
    page.locator("#name").fill("我的日程同步")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    secret = page.locator(".token-secret").inner_text()
    assert re.fullmatch(r"gz_[0-9a-f]{12}_\S+", secret)
    check_phone_layout(page)  # the long token wraps instead of widening the page
    page.screenshot(path=str(tmp_path / "tokens.png"), full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="撤销").click()
    assert "已撤销" in page.locator("main").inner_text()
    assert secret not in page.content()


def test_the_docs_page_draws_the_api_without_console_errors(live_server, phone_page):
    errors = []
    page = phone_page
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" else None)
    page.goto(live_server + "/api/v1/docs")
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() >= 30
    assert errors == []
