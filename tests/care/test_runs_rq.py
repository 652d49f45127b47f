"""The RQ path of the jobs interface, against the local Redis with a real `rq worker --burst`
process: starting a run only queues it; the worker solves it and commits its row; a run
cancelled while queued never runs. Skipped only when Redis is unreachable and not under CI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from marketplace.care.run_models import MatchingRun, MatchingRunState
from marketplace.extensions import db
from marketplace.matching import check_result, parse_problem

REDIS_URL = os.environ.get("GONGZHI_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def redis_url():
    from redis import Redis
    from redis.exceptions import RedisError

    try:
        Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except RedisError as error:
        if os.environ.get("CI"):
            pytest.fail(f"Redis unreachable at {REDIS_URL} in CI: {error}")
        pytest.skip(f"Redis unreachable: {error}")
    return REDIS_URL


@pytest.fixture
def rq_app(make_app, app_config, redis_url):
    queue = f"gongzhi-test-{uuid.uuid4().hex[:8]}"
    app = make_app(REDIS_URL=redis_url, JOBS_QUEUE=queue, CARE_RUN_HEARTBEAT_S=0.2)
    yield app
    from redis import Redis

    connection = Redis.from_url(redis_url)
    for key in connection.scan_iter(f"rq:*{queue}*"):
        connection.delete(key)


def burst_worker(app, app_config) -> subprocess.CompletedProcess:
    env = {**os.environ,
           "GONGZHI_SQLALCHEMY_DATABASE_URI": app_config["SQLALCHEMY_DATABASE_URI"],
           "GONGZHI_PERSONAL_DATA_KEY": app_config["PERSONAL_DATA_KEY"],
           "GONGZHI_SECRET_KEY": app_config["SECRET_KEY"],
           "GONGZHI_CARE_RUN_HEARTBEAT_S": "0.2",
           "REDIS_URL": app.config["REDIS_URL"]}
    env.pop("DATABASE_URL", None)
    rq = Path(sys.executable).with_name("rq")
    return subprocess.run([str(rq), "worker", "--burst", "--url", app.config["REDIS_URL"],
                           app.config["JOBS_QUEUE"]], env=env, capture_output=True, text=True,
                          timeout=120, cwd=Path(__file__).resolve().parents[2])


def start(app, login_as, world) -> int:
    client = app.test_client()
    login_as(client, world.social_worker)
    response = client.post("/care/runs", data={"scope": f"organization:{world.org}",
                                               "time_limit_s": 2})
    assert response.status_code == 302
    with app.app_context():
        return db.session.scalar(select(MatchingRun.id).order_by(MatchingRun.id.desc()))


def test_a_run_goes_through_rq_and_a_real_worker(rq_app, app_config, login_as, run_world):
    run_id = start(rq_app, login_as, run_world)
    with rq_app.app_context():
        assert db.session.get(MatchingRun, run_id).state == MatchingRunState.QUEUED
    done = burst_worker(rq_app, app_config)
    assert done.returncode == 0, done.stderr[-2000:]
    with rq_app.app_context():
        run = db.session.get(MatchingRun, run_id)
        assert run.state == MatchingRunState.SUCCEEDED, (run.error, done.stderr[-2000:])
        assert run.worker and str(os.getpid()) not in run.worker.split(":")[1]
        assert check_result(parse_problem(run.problem), run.result) == []
        assert len(run.proposals) == 3


def test_cancelled_while_queued_never_runs(rq_app, app_config, login_as, run_world):
    run_id = start(rq_app, login_as, run_world)
    client = rq_app.test_client()
    login_as(client, run_world.social_worker)
    assert client.post(f"/care/runs/{run_id}/cancel").status_code == 302
    done = burst_worker(rq_app, app_config)
    assert done.returncode == 0, done.stderr[-2000:]
    with rq_app.app_context():
        run = db.session.get(MatchingRun, run_id)
        assert run.state == MatchingRunState.CANCELLED and run.started_at is None
        assert run.proposals == [] and json.dumps(run.problem) == "{}"
