"""The care loop on a 360 px phone, in Chinese: a social worker registers a household with
recorded consent to its health notes and opens its 311 request, runs matching through the
jobs interface and watches the progress bar move, offers the proposed team; a volunteer
accepts and logs a visit; the social worker verifies the visit's hours."""

from __future__ import annotations

import re

import pytest
from fixtures.builders import log_in_on_page
from sqlalchemy import select

from marketplace.clock import local_today
from marketplace.extensions import db

pytestmark = pytest.mark.browser

HEALTH_NOTE = "糖尿病，需低糖饮食"
BAR_STATE = """() => {
  const bar = document.getElementById("run-bar");
  const phase = document.getElementById("run-phase");
  return bar && phase ? `${bar.value}|${phase.textContent}` : null;
}"""


@pytest.fixture
def app_config(app_config):
    # A short heartbeat so the bar has progress to show during a small run.
    return {**app_config, "CARE_RUN_HEARTBEAT_S": 0.2}


def phone_of(app, user_id) -> str:
    from marketplace.auth.models import User

    with app.app_context():
        return db.session.get(User, user_id).phone


def flashes(page) -> str:
    return page.locator(".flashes").inner_text()


def register_household(page, base, geo) -> int:
    page.goto(base + "/care/households/new")
    assert "登记服务对象" in page.locator("h1").inner_text()
    page.locator("#person_name_0").fill("张秀英")
    page.locator("#person_relation_0").fill("本人")
    page.locator("#person_birth_year_0").fill("1940")
    page.locator("#community_id").select_option(str(geo["communities"][0]))
    page.locator("#grid_id").select_option(str(geo["grids"][0]))
    page.locator("#address").fill("友谊路8号1栋3单元")
    for name, value in (("flags", "empty_nest"), ("flags", "advanced_age"),
                        ("needs", "daily_care"), ("languages", "zh")):
        page.locator(f"input[name={name}][value={value}]").check()
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state("networkidle")
    assert "服务对象已登记" in flashes(page)
    return int(re.search(r"/care/households/(\d+)", page.url).group(1))


def test_a_household_is_matched_served_and_its_visit_hours_verified(
        app, live_server, open_phone, phone_page, shot, check_phone_layout, run_world, geo,
        login_as):
    from marketplace.care.models import CareRequest, Household, VisitLog
    from marketplace.care.run_models import TeamProposal
    from marketplace.hours.models import HoursEntry, HoursState

    page, base = phone_page, live_server
    log_in_on_page(page, base, phone_of(app, run_world.social_worker))

    # 1. The social worker registers the household, its health notes with consent, and its
    #    311 request.
    household_id = register_household(page, base, geo)
    check_phone_layout(page)
    page.goto(f"{base}/care/households/{household_id}/health")
    check_phone_layout(page)
    assert "健康信息" in page.locator("h1").inner_text()
    page.locator("#text").fill(HEALTH_NOTE)
    page.locator("#consent").check()
    page.get_by_role("button", name="保存健康信息").click()
    page.wait_for_load_state("networkidle")
    assert "健康信息已加密保存，同意已记录" in flashes(page)
    assert HEALTH_NOTE not in page.locator("main").inner_text()  # masked until revealed
    page.get_by_role("link", name="登记服务需求").click()
    page.wait_for_load_state("networkidle")
    check_phone_layout(page)
    page.get_by_role("button", name="登记需求").click()
    page.wait_for_load_state("networkidle")
    assert "服务需求已登记" in flashes(page)
    with app.app_context():
        pseudonym = db.session.get(Household, household_id).pseudonym
        request_id = db.session.scalar(select(CareRequest.id).where(
            CareRequest.household_id == household_id))

    # 2. She runs matching for her organization's households and watches the bar move.
    page.goto(base + "/care/runs")
    check_phone_layout(page)
    page.locator("#scope").select_option(f"organization:{run_world.org}")
    page.locator("#time_limit_s").fill("5")
    page.get_by_role("button", name="开始匹配").click()
    page.wait_for_url(re.compile(r"/care/runs/\d+$"))
    check_phone_layout(page)
    shown = page.evaluate(BAR_STATE)
    assert shown is not None
    # The mark is lost on a reload: the change must come from the page's own polling.
    page.evaluate("window.walkMark = true")
    page.wait_for_function(
        f"(shown) => window.walkMark === true && ({BAR_STATE})() !== shown", arg=shown,
        timeout=30_000)

    # 3. When it has finished the page shows the proposals; she offers the household's team.
    team = page.locator("li.proposal", has_text=pseudonym)
    team.get_by_role("button", name="发出该小组邀请").click(timeout=120_000)
    page.wait_for_load_state("networkidle")
    assert "小组邀请已发出" in flashes(page)
    check_phone_layout(page)
    shot("team-offered")
    with app.app_context():
        proposal = db.session.scalar(select(TeamProposal).where(
            TeamProposal.care_request_id == request_id))
        members = [(m.id, m.volunteer_id) for m in proposal.members]
    assert len(members) == 3

    # 4. The two other members accept; the last one accepts on her phone and logs a visit.
    (walker_member, walker_profile), *others = members
    for member_id, profile_id in others:
        client = app.test_client()
        login_as(client, run_world.volunteers[profile_id])
        assert client.post(f"/care/offers/{member_id}/accept").status_code == 302
    volunteer = open_phone()
    log_in_on_page(volunteer, base, phone_of(app, run_world.volunteers[walker_profile]))
    volunteer.goto(base + "/care/offers")
    check_phone_layout(volunteer)
    assert HEALTH_NOTE not in volunteer.locator("main").inner_text()
    volunteer.locator(f"form[action$='/care/offers/{walker_member}/accept'] button").click()
    volunteer.wait_for_load_state("networkidle")
    assert "您已接受邀请" in flashes(volunteer)
    volunteer.goto(base + "/care/teams")
    volunteer.locator("main a[href*='/care/teams/']").first.click()
    volunteer.wait_for_load_state("networkidle")
    check_phone_layout(volunteer)
    assert "服务小组" in volunteer.locator("h1").inner_text()
    team_page = volunteer.locator("main").inner_text()
    assert "张秀英" in team_page and HEALTH_NOTE not in team_page  # what a visit needs
    volunteer.locator("#visited_on").fill(local_today().isoformat())
    volunteer.locator("#minutes").fill("90")
    volunteer.get_by_role("button", name="记录走访").click()
    volunteer.wait_for_load_state("networkidle")
    assert "走访已记录" in flashes(volunteer)
    with app.app_context():
        visit = db.session.scalar(select(VisitLog))
        entry = db.session.get(HoursEntry, visit.hours_entry_id)
        assert entry.state == HoursState.PENDING and entry.minutes == 90

    # 5. The social worker verifies the visit's hours from her queue.
    page.goto(base + "/hours/queue")
    check_phone_layout(page)
    row = page.locator("li.entry", has_text="1.5")
    row.get_by_role("button", name="核实").click()
    page.wait_for_load_state("networkidle")
    assert "时长已核实" in flashes(page)
    shot("visit-hours-verified")
    with app.app_context():
        assert db.session.get(HoursEntry, entry.id).state == HoursState.VERIFIED
