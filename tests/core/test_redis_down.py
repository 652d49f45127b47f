"""With Redis unreachable the site keeps serving pages and logins, and the pages that start
runs say runs are unavailable instead of failing or queueing a run nobody will take."""

from __future__ import annotations

import socket

import pytest
from sqlalchemy import func, select

from marketplace import jobs
from marketplace.care.run_models import MatchingRun, MatchingRunState
from marketplace.extensions import db
from marketplace.tracking.models import WhatIfScenario

EN = {"Accept-Language": "en"}
UNAVAILABLE_EN = "Runs are unavailable right now"
UNAVAILABLE_ZH = "匹配运行暂不可用"


def closed_port() -> int:
    """A loopback port nothing listens on: Redis there refuses every connection."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def app(make_app):
    return make_app(REDIS_URL=f"redis://127.0.0.1:{closed_port()}/0")


def run_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(MatchingRun.id)))


def test_pages_and_login_still_work(app, client, make_user, run_world):
    assert client.get("/", headers=EN).status_code == 200
    assert client.get("/shifts", headers=EN).status_code == 200
    make_user(phone="13800138011")
    response = client.post("/auth/login", data={"phone": "13800138011",
                                                "password": "correct horse 1"}, headers=EN)
    assert response.status_code == 302
    assert client.get("/auth/password", headers=EN).status_code == 200  # logged in


def test_the_runs_page_says_runs_are_unavailable_in_both_languages(
        app, client, login_as, run_world):
    login_as(client, run_world.social_worker)
    english = client.get("/care/runs", headers=EN).get_data(as_text=True)
    assert UNAVAILABLE_EN in english
    assert "Start matching" not in english
    assert UNAVAILABLE_ZH in client.get("/care/runs").get_data(as_text=True)


def test_starting_a_run_queues_nothing_and_says_why(app, client, login_as, run_world):
    login_as(client, run_world.social_worker)
    response = client.post("/care/runs", data={"scope": f"organization:{run_world.org}",
                                               "time_limit_s": 5}, headers=EN)
    assert response.status_code == 302
    assert UNAVAILABLE_EN in client.get("/care/runs", headers=EN).get_data(as_text=True)
    assert run_count(app) == 0


def test_a_queue_lost_after_the_check_leaves_the_run_failed_not_queued(
        app, client, login_as, run_world, monkeypatch):
    monkeypatch.setattr(jobs, "available", lambda: True)  # Redis fell over in between
    login_as(client, run_world.social_worker)
    response = client.post("/care/runs", data={"scope": f"organization:{run_world.org}",
                                               "time_limit_s": 5}, headers=EN)
    assert response.headers["Location"] == "/care/runs"
    assert UNAVAILABLE_EN in client.get("/care/runs", headers=EN).get_data(as_text=True)
    with app.app_context():
        run = db.session.scalar(select(MatchingRun))
        assert run.state == MatchingRunState.FAILED
    monkeypatch.undo()
    # Once Redis is back a new run may start: the failed one does not block the scope.
    monkeypatch.setattr(jobs, "available", lambda: True)
    monkeypatch.setattr(jobs, "enqueue", lambda *args, job_id, on_failure=None: None)
    client.post("/care/runs", data={"scope": f"organization:{run_world.org}",
                                    "time_limit_s": 5}, headers=EN)
    assert run_count(app) == 2


def test_what_if_says_runs_are_unavailable_and_records_no_question(
        app, client, login_as, run_world, geo):
    login_as(client, run_world.district_official)
    page = client.get("/tracking/what-if", headers=EN).get_data(as_text=True)
    assert UNAVAILABLE_EN in page
    assert "Compute" not in page
    response = client.post("/tracking/what-if", data={"kind": "volunteers", "amount": 2},
                           headers=EN)
    assert response.status_code == 200
    assert UNAVAILABLE_EN in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(WhatIfScenario.id))) == 0


def test_a_queue_lost_after_the_what_if_check_leaves_the_question_failed(
        app, client, login_as, run_world, monkeypatch):
    from marketplace.tracking.models import ScenarioState

    monkeypatch.setattr(jobs, "available", lambda: True)  # Redis fell over in between
    login_as(client, run_world.district_official)
    response = client.post("/tracking/what-if", data={"kind": "volunteers", "amount": 2},
                           headers=EN)
    assert response.status_code == 200  # the form again, not the question's page
    assert UNAVAILABLE_EN in response.get_data(as_text=True)
    with app.app_context():
        question = db.session.scalar(select(WhatIfScenario))
        assert question.state == ScenarioState.FAILED
