"""Every demo account logs in on a phone; its home page and every page its home links to keep
the phone rules (no sideways scroll, 16 px text, 44 px tap targets) and stay Chinese."""

from __future__ import annotations

import json
import re

import pytest
from fixtures.builders import log_in_on_page

pytestmark = pytest.mark.browser

# Latin words that may appear on a Chinese page: the brand, the language switch, codes.
ALLOWED_LATIN = {"Gongzhi", "English", "ZY", "MJ", "JSON", "XLSX"}
LATIN_WORD = re.compile(r"\b[A-Za-z]{4,}\b")


@pytest.fixture
def accounts(app, runner):
    result = runner.invoke(args=["seed-demo", "--scale", "small"])
    assert result.exit_code == 0, result.output
    with open(app.config["DEMO_ACCOUNTS_FILE"], encoding="utf-8") as handle:
        return json.load(handle)


def english_leftovers(page) -> set[str]:
    text = page.locator("main").inner_text()
    return {word for word in LATIN_WORD.findall(text) if word not in ALLOWED_LATIN}


def test_each_role_home_and_its_actions_fit_a_phone_in_chinese(
    live_server, phone_page, check_phone_layout, accounts, tmp_path
):
    page = phone_page
    for account in accounts:
        log_in_on_page(page, live_server, account["phone"], account["password"])
        assert page.url == live_server + "/", account["role"]
        check_phone_layout(page)
        assert not english_leftovers(page), (account["role"], english_leftovers(page))
        links = page.locator(".home-actions a").evaluate_all("els => els.map(e => e.href)")
        assert links, f"{account['role']} has nothing to do"
        for number, link in enumerate(dict.fromkeys(links)):
            if not link.startswith(live_server) or link.endswith(".json"):
                continue  # downloads are not pages
            response = page.goto(link)
            assert response.status == 200, (account["role"], link, response.status)
            check_phone_layout(page)
            leftovers = english_leftovers(page)
            assert not leftovers, (account["role"], link, leftovers)
            page.screenshot(path=str(tmp_path / f"{account['phone']}-{number}.png"),
                            full_page=True)
        page.goto(live_server + "/")
        with page.expect_navigation():
            page.get_by_role("button", name="退出登录").click()


def test_public_pages_fit_a_phone_in_chinese(
    app, live_server, phone_page, check_phone_layout, accounts
):
    from sqlalchemy import select

    from marketplace.extensions import db
    from marketplace.orgs.models import Organization, OrgStatus

    with app.app_context():
        org_id = db.session.scalar(
            select(Organization.id).where(Organization.status == OrgStatus.APPROVED).limit(1)
        )
    page = phone_page
    for path in ("/", "/auth/login", "/auth/register", "/orgs", "/orgs?page=2",
                 f"/orgs/{org_id}", "/privacy", "/language"):
        response = page.goto(live_server + path)
        assert response.status == 200, path
        check_phone_layout(page)
        # The directory's search hint shows pinyin examples on purpose.
        leftovers = english_leftovers(page) - {"lelingshe", "llsh"}
        assert not leftovers, (path, leftovers)


def test_english_pages_fit_a_phone_too(live_server, open_phone, check_phone_layout, accounts):
    """English labels run longer than Chinese ones; the layout must still hold."""
    page = open_phone(locale="en-GB")
    for path in ("/", "/auth/login", "/auth/register", "/orgs", "/privacy"):
        page.goto(live_server + path)
        assert page.locator("html").get_attribute("lang") == "en", path
        check_phone_layout(page)
    volunteer = next(a for a in accounts if a["role"] == "volunteer")
    log_in_on_page(page, live_server, volunteer["phone"], volunteer["password"])
    for path in ("/", "/me/profile", "/me/profile/edit", "/teams/mine"):
        page.goto(live_server + path)
        check_phone_layout(page)
