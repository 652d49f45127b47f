"""What-if coverage: synthetic volunteers or hours on the live problem; coverage never falls
and rises where a shortfall exists; the scenario is kept and changes no other data."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from marketplace import jobs
from marketplace.audit.models import AuditRecord
from marketplace.auth.models import User
from marketplace.extensions import db
from marketplace.tracking import whatif
from marketplace.tracking.models import ScenarioState, WhatIfScenario


@pytest.fixture
def shortfall_area(world, make_language_shortfall):
    """Four open requests needing Uyghur in street A and one volunteer speaking Mandarin."""
    make_language_shortfall(world["org"])


def _ask(app, world, geo, **question):
    with app.test_request_context():
        official = db.session.get(User, world["official"])
        scenario = whatif.ask(official, street_id=geo["street_a"], **question)
        db.session.commit()
        scenario_id = scenario.id
    with app.app_context():
        whatif.run_scenario(scenario_id)
    with app.app_context():
        return db.session.get(WhatIfScenario, scenario_id)


def test_volunteers_speaking_ug_raise_coverage_where_it_falls_short(app, world, geo,
                                                                    shortfall_area):
    from marketplace.care.models import CareRequest

    scenario = _ask(app, world, geo, kind="volunteers", amount=3, language="ug")
    assert scenario.state == ScenarioState.SUCCEEDED, scenario.error
    assert scenario.before["staffed"] == 0
    assert scenario.after["staffed"] == 4  # three volunteers, each on up to two teams
    assert scenario.recruitment and scenario.recruitment[0]["street"] == "胜利路街道"
    with app.app_context():  # the live data did not change
        assert db.session.scalar(select(func.count(CareRequest.id)).where(
            CareRequest.state == "open")) == 4


@pytest.mark.parametrize("question", [
    {"kind": "volunteers", "amount": 2},  # Mandarin only: cannot help, must not hurt
    {"kind": "hours", "amount": 1},
])
def test_adding_never_lowers_coverage(app, world, geo, shortfall_area, question):
    scenario = _ask(app, world, geo, **question)
    assert scenario.state == ScenarioState.SUCCEEDED, scenario.error
    assert scenario.after["staffed"] >= scenario.before["staffed"]
    assert scenario.after["priority_staffed"] >= scenario.before["priority_staffed"]


def test_the_page_runs_a_question_in_the_background_and_keeps_it(app, client, login_as, world,
                                                                 geo, shortfall_area):
    login_as(client, world["official"])
    response = client.post("/tracking/what-if", data={
        "kind": "volunteers", "amount": "2", "language": "ug", "street_id": str(geo["street_a"])})
    assert response.status_code == 302
    jobs.wait_for_threads(60)
    page = client.get(response.headers["Location"], headers={"Accept-Language": "zh-CN"})
    assert page.status_code == 200
    with app.app_context():
        scenario = db.session.scalar(select(WhatIfScenario))
        assert scenario.state == ScenarioState.SUCCEEDED and scenario.after["staffed"] > 0
    # In Chinese: the question, its state, a chart beside each table, the recruitment targets.
    html = page.get_data(as_text=True)
    assert "更多志愿者 +2 · 维吾尔语" in html and "已完成" in html
    assert 'data-chart="whatif"' in html and 'data-chart="recruitment"' in html
    assert "各街道招募目标" in html and "胜利路街道" in html
    data = client.get(response.headers["Location"] + "/data.json").get_json()
    staffed = next(row for row in data["coverage"] if row["figure"] == "有服务小组的家庭")
    assert (staffed["today"], staffed["changed"]) == (0, scenario.after["staffed"])
    assert data["recruitment"][0]["street"] == "胜利路街道"
    # The export: both tables, Chinese headers, audited once.
    with app.app_context():
        audits = db.session.scalar(select(func.count(AuditRecord.id)).where(
            AuditRecord.action == "export.whatif"))
    export = client.get(response.headers["Location"] + ".xlsx",
                        headers={"Accept-Language": "zh-CN"})
    assert export.status_code == 200
    book = load_workbook(io.BytesIO(export.data))
    assert book.sheetnames == ["覆盖情况", "招募目标"]
    assert [c.value for c in book["覆盖情况"][1]] == ["指标", "现状", "假设情况"]
    assert [c.value for c in book["招募目标"][1]][:2] == ["街道", "需招募志愿者"]
    with app.app_context():
        assert db.session.scalar(select(func.count(AuditRecord.id)).where(
            AuditRecord.action == "export.whatif")) == audits + 1
    other = app.test_client()
    login_as(other, world["other_district_official"])
    assert other.get(response.headers["Location"]).status_code == 404
    assert other.get(response.headers["Location"] + ".xlsx").status_code == 404
    assert other.get(response.headers["Location"] + "/data.json").status_code == 404
    assert client.post("/tracking/what-if", data={"kind": "volunteers", "amount": "0"}
                       ).status_code == 200


def test_a_double_submit_asks_the_question_once(app, client, login_as, world, geo,
                                                 shortfall_area, monkeypatch):
    monkeypatch.setattr(jobs, "enqueue", lambda *args, job_id, **options: None)  # stays queued
    login_as(client, world["official"])
    question = {"kind": "volunteers", "amount": "2", "language": "ug",
                "street_id": str(geo["street_a"])}
    assert client.post("/tracking/what-if", data=question).status_code == 302
    again = client.post("/tracking/what-if", data=question, headers={"Accept-Language": "zh-CN"})
    assert again.status_code == 200
    assert "这个问题正在计算" in again.get_data(as_text=True)
    other = client.post("/tracking/what-if", data={**question, "amount": "3"})
    assert other.status_code == 302  # a different question is asked
    with app.app_context():
        assert db.session.scalar(select(func.count(WhatIfScenario.id))) == 2


@pytest.mark.parametrize("hostile", [
    {"kind": "\u200b"},
    {"amount": "\u200b2"},
    {"amount": "9" * 20},
    {"language": "\x00ug"},
    {"street_id": "9" * 20},
    {"kind": "households", "contract_id": "9" * 20},
])
def test_invisible_text_and_oversized_numbers_are_refused_and_nothing_is_asked(
        app, client, login_as, world, hostile):
    login_as(client, world["official"])
    answer = client.post("/tracking/what-if", data={"kind": "volunteers", "amount": "2", **hostile})
    assert answer.status_code == 200  # the form again, with its message
    with app.app_context():
        assert db.session.scalar(select(func.count(WhatIfScenario.id))) == 0
