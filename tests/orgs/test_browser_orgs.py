"""A phone-sized walk: an organization admin registers, an official approves, the organization
appears in the public directory. CSRF protection is on, as in production."""

from __future__ import annotations

import re

import pytest
from fixtures.builders import log_in_on_page, valid_code

from marketplace.auth.models import Role

pytestmark = pytest.mark.browser

# Read a page only once the click has reached it: content() does not wait for navigation.
DETAIL_PAGE = re.compile(r"/orgs/\d+$")

@pytest.fixture
def app_config(app_config):
    return {**app_config, "WTF_CSRF_ENABLED": True}


def _phone_page(browser, base_url):
    context = browser.new_context(viewport={"width": 360, "height": 740},
                                  locale="zh-CN", base_url=base_url)
    return context.new_page()


def _no_horizontal_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_register_approve_and_find_in_directory(live_server, browser, make_user, geo):
    make_user(phone="13900000001")
    make_user(phone="13900000002", roles=[(Role.OFFICIAL, {"district_id": geo["district"]})])

    admin = _phone_page(browser, live_server)
    log_in_on_page(admin, "", "13900000001")
    admin.goto("/orgs/new")
    _no_horizontal_scroll(admin)
    admin.fill("#name", "克拉玛依区乐龄社会工作服务社")
    admin.select_option("#legal_form", "social_service_agency")
    admin.select_option("#category", "service")
    admin.fill("#uscc", valid_code("social_service_agency").lower())
    assert admin.input_value("#uscc") == admin.input_value("#uscc").upper()
    admin.select_option("#district_id", str(geo["district"]))
    admin.get_by_label("百花社区").check()
    admin.fill("#contact_name", "张丽")
    admin.fill("#contact_phone", "13912345678")
    admin.get_by_label("养老").check()
    admin.fill("#profile", "为辖区老人提供探访和照料服务。")
    admin.get_by_role("button", name="保存").click()
    admin.get_by_text("已保存为草稿").wait_for()
    _no_horizontal_scroll(admin)
    admin.get_by_role("button", name="提交审核").click()
    admin.get_by_text("已提交，主管部门将进行审核").wait_for()

    official = _phone_page(browser, live_server)
    log_in_on_page(official, "", "13900000002")
    official.goto("/orgs/review")
    official.get_by_role("link", name="克拉玛依区乐龄社会工作服务社").click()
    official.wait_for_url(DETAIL_PAGE)
    assert "139****5678" in official.content()
    official.get_by_role("button", name="通过").click()
    official.get_by_text("审核决定已记录").wait_for()

    visitor = _phone_page(browser, live_server)
    visitor.goto("/orgs?q=llshgz")
    _no_horizontal_scroll(visitor)
    visitor.get_by_role("link", name="克拉玛依区乐龄社会工作服务社").click()
    visitor.wait_for_url(DETAIL_PAGE)
    text = visitor.content()
    assert "已登记" in text and "139****5678" in text and "13912345678" not in text
    _no_horizontal_scroll(visitor)
