"""The RQ path of the jobs interface, against the local Redis with a real `rq worker --burst`
process: starting a run only queues it; the worker solves it and commits its row; a run
cancelled while queued never runs; a job that crashes, or whose work horse is killed, leaves
its run failed with nothing applied, at once rather than after the heartbeat goes stale.
Skipped only when Redis is unreachable and not under CI."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from marketplace.care.models import CareRequest, CareRequestState
from marketplace.care.run_models import MatchingRun, MatchingRunState, TeamProposal
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
    # A heartbeat that never goes stale in these tests: a dead job is known from RQ itself.
    app = make_app(REDIS_URL=redis_url, JOBS_QUEUE=queue, CARE_RUN_HEARTBEAT_S=0.2,
                   CARE_RUN_STALE_AFTER_S=3600)
    yield app
    from redis import Redis

    connection = Redis.from_url(redis_url)
    for key in connection.scan_iter(f"rq:*{queue}*"):
        connection.delete(key)


ROOT = Path(__file__).resolve().parents[2]

# A real RQ worker (forking a work horse per job) whose solve never ends.
ENDLESS_WORKER = """
import sys, time
import marketplace.matching
def endless(problem, options=None, progress=None):
    while True:
        progress({"phase": "lns", "elapsed_s": 1.0, "priority_staffed": 1})
        time.sleep(0.1)
marketplace.matching.solve = endless
from redis import Redis
from rq import Queue, Worker
connection = Redis.from_url(sys.argv[1])
Worker([Queue(sys.argv[2], connection=connection)], connection=connection).work(burst=True)
"""

# A real RQ worker whose job crashes before it could record anything of its own.
CRASHING_WORKER = """
import sys
import marketplace.care.runs
def crash(run_id):
    raise RuntimeError("the engine could not be loaded")
marketplace.care.runs.execute_run = crash
from redis import Redis
from rq import Queue, Worker
connection = Redis.from_url(sys.argv[1])
Worker([Queue(sys.argv[2], connection=connection)], connection=connection).work(burst=True)
"""


def worker_env(app, app_config) -> dict:
    env = {**os.environ,
           "GONGZHI_SQLALCHEMY_DATABASE_URI": app_config["SQLALCHEMY_DATABASE_URI"],
           "GONGZHI_PERSONAL_DATA_KEY": app_config["PERSONAL_DATA_KEY"],
           "GONGZHI_SECRET_KEY": app_config["SECRET_KEY"],
           "GONGZHI_CARE_RUN_HEARTBEAT_S": "0.2",
           "GONGZHI_CARE_RUN_SHORTFALL": "false",
           "REDIS_URL": app.config["REDIS_URL"]}
    env.pop("DATABASE_URL", None)
    return env


def burst_worker(app, app_config) -> subprocess.CompletedProcess:
    rq = Path(sys.executable).with_name("rq")
    return subprocess.run([str(rq), "worker", "--burst", "--url", app.config["REDIS_URL"],
                           app.config["JOBS_QUEUE"]], env=worker_env(app, app_config),
                          capture_output=True, text=True, timeout=120, cwd=ROOT)


def script_worker(app, app_config, script: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", script, app.config["REDIS_URL"],
                             app.config["JOBS_QUEUE"]], env=worker_env(app, app_config),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)


def row(app, run_id) -> MatchingRun:
    with app.app_context():
        run = db.session.get(MatchingRun, run_id)
        db.session.expunge(run)
        return run


def nothing_applied(app, world) -> bool:
    with app.app_context():
        proposals = db.session.scalar(select(func.count(TeamProposal.id)))
        states = {db.session.get(CareRequest, r).state for r in world.requests}
        return proposals == 0 and states == {CareRequestState.OPEN}


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


def test_a_killed_work_horse_fails_the_run_at_once(rq_app, app_config, login_as, run_world):
    run_id = start(rq_app, login_as, run_world)
    worker = script_worker(rq_app, app_config, ENDLESS_WORKER)
    try:
        deadline = time.monotonic() + 60
        while row(rq_app, run_id).phase != "lns":
            assert time.monotonic() < deadline and worker.poll() is None, \
                worker.stderr.read().decode()[-2000:] if worker.poll() is not None else "slow"
            time.sleep(0.1)
        horse = int(row(rq_app, run_id).worker.split(":")[1])
        assert horse not in (os.getpid(), worker.pid)  # the forked work horse itself
        os.kill(horse, signal.SIGKILL)
        worker.wait(60)  # RQ marks the job failed, then the burst worker stops
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    client = rq_app.test_client()
    login_as(client, run_world.social_worker)
    status = client.get(f"/care/runs/{run_id}/status").get_json()
    assert status["state"] == "failed" and status["finished"], status
    assert "RQ" in status["error"]
    assert nothing_applied(rq_app, run_world)
    assert "/apply" not in client.get(f"/care/runs/{run_id}").get_data(as_text=True)


def test_a_job_that_crashes_under_rq_fails_its_run(rq_app, app_config, login_as, run_world):
    run_id = start(rq_app, login_as, run_world)
    worker = script_worker(rq_app, app_config, CRASHING_WORKER)
    assert worker.wait(120) == 0, worker.stderr.read().decode()[-2000:]
    run = row(rq_app, run_id)
    assert run.state == MatchingRunState.FAILED and run.finished_at is not None
    assert "the engine could not be loaded" in run.error
    assert nothing_applied(rq_app, run_world)
