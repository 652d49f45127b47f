"""Recruitment targets: an open request nobody nearby can staff shows, on the run page and
the organization's page, the profile to recruit in plain Chinese, and one click starts a
draft recruitment project for exactly that profile."""

from __future__ import annotations

import pytest
from fixtures.run_world import POINTS, add_household
from sqlalchemy import select

from marketplace import jobs
from marketplace.care.run_models import MatchingRun, MatchingRunState
from marketplace.extensions import db
from marketplace.projects.models import Project, ProjectState


@pytest.fixture
def app_config(app_config):
    return {**app_config, "CARE_RUN_HEARTBEAT_S": 0.2}


def test_shortfall_in_chinese_and_a_recruitment_project(app, login_as, run_world, geo):
    add_household(app, run_world.org, geo["communities"][0], POINTS[6], priority=5,
                  skills=("daily_care",), languages=("ug",))
    sw = app.test_client()
    login_as(sw, run_world.social_worker)
    sw.post("/care/runs", data={"scope": f"organization:{run_world.org}", "time_limit_s": 2})
    jobs.wait_for_threads()
    with app.app_context():
        run = db.session.scalar(select(MatchingRun))
        assert run.state == MatchingRunState.SUCCEEDED, run.error
        assert run.shortfall and run.shortfall["proposals"], run.shortfall
        run_id = run.id
    page = sw.get(f"/care/runs/{run_id}").get_data(as_text=True)
    assert "再招募" in page and "维吾尔语" in page and "配齐小组" in page
    assert "会说维吾尔语" in page  # the open request's reason names what is missing
    org_page = sw.get(f"/orgs/{run_world.org}").get_data(as_text=True)
    assert "招募目标" in org_page and "维吾尔语" in org_page

    response = sw.post(f"/care/runs/{run_id}/recruit/0")
    assert response.status_code == 302
    with app.app_context():
        project = db.session.scalar(select(Project))
        assert project.state == ProjectState.DRAFT
        assert project.organization_id == run_world.org
        assert "维吾尔语" in project.description
    assert sw.post(f"/care/runs/{run_id}/recruit/7").status_code == 404
    other = app.test_client()
    login_as(other, run_world.other_social_worker)
    assert other.post(f"/care/runs/{run_id}/recruit/0").status_code == 404
