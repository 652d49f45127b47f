"""An official's walk on a 360 px phone, in Chinese: records a contract and signs it, opens
the district dashboard with its charts drawn, asks what 3 more Uyghur-speaking volunteers
would change and sees it beside today's coverage, and exports the answer and the district
summary as XLSX."""

from __future__ import annotations

import io

import pytest
from fixtures.builders import log_in_on_page
from openpyxl import load_workbook

from marketplace import jobs
from marketplace.clock import local_today

pytestmark = pytest.mark.browser

PHONE = "13700000001"
CHARTS = 6


@pytest.fixture
def district(make_official, make_org, make_user, make_language_shortfall):
    """An approved organization, the district's official, one Mandarin-speaking volunteer
    and four open care requests needing Uyghur in 胜利路街道."""
    org_id = make_org(admin_id=make_user(), status="approved", name="乐龄社会工作服务社")
    make_official("district", phone=PHONE, display_name="民政局干部")
    make_language_shortfall(org_id)
    return {"org": org_id}


def _submit(page, form_selector: str) -> None:
    page.locator(f"{form_selector} button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def _charts_drawn(page) -> None:
    page.wait_for_function(
        "n => document.querySelectorAll('[data-chart][data-rendered=\"1\"]').length === n",
        arg=page.locator("[data-chart]").count())
    drawn = page.evaluate("""() => [...document.querySelectorAll('[data-chart]')].map(
        node => node.querySelectorAll('svg path, svg text').length)""")
    assert drawn and all(count > 0 for count in drawn), drawn


def _download(page, link_name: str):
    with page.expect_download() as download:
        page.get_by_role("link", name=link_name).click()
    with open(download.value.path(), "rb") as handle:
        return load_workbook(io.BytesIO(handle.read()))


def test_official_signs_a_contract_reads_the_dashboard_asks_what_if_and_exports(
        app, live_server, phone_page, shot, geo, district):
    page, base = phone_page, live_server
    log_in_on_page(page, base, PHONE)

    # 1. A contract, as a draft, then a milestone, then signed.
    year = local_today().year
    page.goto(base + "/contracts/new")
    page.locator("#title").fill("空巢老人关爱服务")
    page.locator("#buyer").select_option(f"district:{geo['district']}")
    page.locator("#organization_id").select_option(str(district["org"]))
    page.locator("#domain").select_option("elder_care")
    page.locator("#budget").fill("200000")
    page.locator("#starts_on").fill(f"{year}-01-01")
    page.locator("#ends_on").fill(f"{year}-12-31")
    page.locator("#target_verified_hours").fill("500")
    page.locator("#target_households_served").fill("20")
    shot("contract-form")
    _submit(page, "main form")
    assert "合同已存为草稿" in page.locator(".flashes").inner_text()
    page.locator("summary", has_text="添加节点").click()
    page.locator("form[action$='/milestones'] #title").fill("年中评估")
    page.locator("form[action$='/milestones'] #due_on").fill(f"{year}-06-30")
    page.locator("form[action$='/milestones'] #tranche_amount").fill("80000")
    _submit(page, "form[action$='/milestones']")
    assert "节点已添加" in page.locator(".flashes").inner_text()
    _submit(page, "form[action$='/sign']")
    assert "合同已签订" in page.locator(".flashes").inner_text()
    assert "已签订" in page.locator("main").inner_text()
    shot("contract-signed")

    # 2. The dashboard: every chart drawn, each beside its table; the contract is there.
    page.goto(base + "/tracking/dashboard")
    assert page.locator("[data-chart]").count() == CHARTS
    _charts_drawn(page)
    assert page.locator(".chart-pair table").count() == CHARTS
    assert "空巢老人关爱服务" in page.locator("main").inner_text()
    shot("dashboard")

    # 3. What if 胜利路街道 had 3 more volunteers speaking Uyghur? Computed in the background.
    page.get_by_role("link", name="覆盖推演").first.click()
    page.wait_for_load_state("networkidle")
    page.locator("#street_id").select_option(str(geo["street_a"]))
    page.locator("#kind").select_option("volunteers")
    page.locator("#amount").fill("3")
    page.locator("#language").select_option("ug")
    _submit(page, "main form")
    jobs.wait_for_threads(120)
    page.reload()
    page.wait_for_load_state("networkidle")
    assert "已完成" in page.locator("#scenario-state").inner_text()
    row = page.locator("tr", has_text="有服务小组的家庭").first.locator("td")
    today, changed = int(row.nth(0).inner_text()), int(row.nth(1).inner_text())
    assert (today, changed) == (0, 4)
    assert "各街道招募目标" in page.locator("main").inner_text()
    _charts_drawn(page)
    shot("what-if")

    # 4. Exports, opened as a spreadsheet program would.
    book = _download(page, "导出 XLSX")
    assert book.sheetnames == ["覆盖情况", "招募目标"]
    assert [c.value for c in book["覆盖情况"][1]] == ["指标", "现状", "假设情况"]
    page.goto(base + "/tracking/dashboard")
    book = _download(page, "导出辖区汇总（XLSX）")
    sheet = book.active
    assert [c.value for c in sheet[1]] == [
        "街道", "社会组织", "志愿者", "已核实志愿服务时长（小时）", "开展活动数", "购买服务合同"]
    assert {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)} == {
        "胜利路街道", "昆仑路街道"}
