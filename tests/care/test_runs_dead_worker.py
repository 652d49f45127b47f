"""A killed worker leaves its run failed with nothing applied; a worker that comes back after
being swept, or whose run was cancelled, writes nothing; a worker still reading a large
snapshot is not taken for dead."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import func, select

import marketplace.matching
from marketplace import jobs
from marketplace.care import adapter
from marketplace.care.models import CareRequest, CareRequestState
from marketplace.care.run_models import MatchingRun, MatchingRunState, TeamProposal
from marketplace.care.runs import execute_run
from marketplace.extensions import db

# The worker: a real process running the job, whose solve never ends until it is killed.
WORKER = """
import json, os, sys, time
import marketplace.matching
def endless(problem, options=None, progress=None):
    while True:
        if progress:
            progress({"phase": "lns", "elapsed_s": 1.0, "priority_staffed": 3})
        time.sleep(0.1)
marketplace.matching.solve = endless
from marketplace.app import create_app
from marketplace.care.runs import execute_run
app = create_app(json.loads(os.environ["GONGZHI_TEST_CONFIG"]))
with app.app_context():
    execute_run(int(sys.argv[1]))
"""


@pytest.fixture
def app_config(app_config):
    return {**app_config, "CARE_RUN_HEARTBEAT_S": 0.2, "CARE_RUN_STALE_AFTER_S": 1,
            "CARE_RUN_SHORTFALL": False}


def execute_in_thread(app, run_id: int) -> threading.Thread:
    """The job, started in a thread of this process as the in-process runner runs it."""

    def work():
        with app.app_context():
            execute_run(run_id)
            db.session.remove()

    thread = threading.Thread(target=work)
    thread.start()
    return thread


def wait_until(predicate, seconds=30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def queue_run(app, client, world, monkeypatch) -> int:
    monkeypatch.setattr(jobs, "enqueue", lambda *args, job_id, **options: None)
    response = client.post("/care/runs", data={"scope": f"organization:{world.org}",
                                               "time_limit_s": 60})
    assert response.status_code == 302
    with app.app_context():
        return db.session.scalar(select(MatchingRun.id))


def state_of(app, run_id):
    with app.app_context():
        run = db.session.get(MatchingRun, run_id)
        return run.state, run.phase


def nothing_applied(app, world) -> bool:
    with app.app_context():
        proposals = db.session.scalar(select(func.count(TeamProposal.id)))
        states = {db.session.get(CareRequest, r).state for r in world.requests}
        return proposals == 0 and states == {CareRequestState.OPEN}


def test_a_killed_worker_leaves_the_run_failed_with_nothing_applied(
        app, app_config, run_world, login_as, monkeypatch):
    client = app.test_client()
    login_as(client, run_world.social_worker)
    run_id = queue_run(app, client, run_world, monkeypatch)
    env = {**os.environ, "GONGZHI_TEST_CONFIG": json.dumps(app_config)}
    worker = subprocess.Popen([sys.executable, "-c", WORKER, str(run_id)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        assert wait_until(lambda: state_of(app, run_id) == (MatchingRunState.RUNNING, "lns")), \
            worker.stderr.read1().decode() if worker.poll() is not None else "not running"
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
    time.sleep(1.5)  # past the stale-heartbeat threshold of 1 s
    status = client.get(f"/care/runs/{run_id}/status").get_json()
    assert status["state"] == "failed" and status["finished"]
    assert "heartbeat" in status["error"]
    assert nothing_applied(app, run_world)
    page = client.get(f"/care/runs/{run_id}").get_data(as_text=True)
    assert "/apply" not in page


def test_a_swept_worker_that_comes_back_writes_nothing(app, run_world, login_as, monkeypatch):
    client = app.test_client()
    login_as(client, run_world.social_worker)
    run_id = queue_run(app, client, run_world, monkeypatch)
    real_solve = marketplace.matching.solve
    swept = threading.Event()

    def stalled(problem, options=None, progress=None):
        swept.wait(30)  # no progress, as a worker frozen by the machine
        return real_solve(problem, options)

    monkeypatch.setattr(marketplace.matching, "solve", stalled)
    monkeypatch.setitem(app.config, "CARE_RUN_HEARTBEAT_S", 60)  # it never beats
    thread = execute_in_thread(app, run_id)
    assert wait_until(lambda: state_of(app, run_id)[0] == MatchingRunState.RUNNING)
    time.sleep(1.5)
    assert client.get(f"/care/runs/{run_id}/status").get_json()["state"] == "failed"
    swept.set()
    thread.join(30)
    assert state_of(app, run_id)[0] == MatchingRunState.FAILED
    assert nothing_applied(app, run_world)


def test_cancel_stops_the_run_and_offers_nothing(app, run_world, login_as, monkeypatch):
    client = app.test_client()
    login_as(client, run_world.social_worker)
    run_id = queue_run(app, client, run_world, monkeypatch)

    def endless(problem, options=None, progress=None):
        while True:
            progress({"phase": "lns", "elapsed_s": 1.0, "priority_staffed": 1})
            time.sleep(0.05)

    monkeypatch.setattr(marketplace.matching, "solve", endless)
    thread = execute_in_thread(app, run_id)
    assert wait_until(lambda: state_of(app, run_id) == (MatchingRunState.RUNNING, "lns"))
    other = app.test_client()
    login_as(other, run_world.other_social_worker)
    assert other.post(f"/care/runs/{run_id}/cancel").status_code == 404
    assert client.post(f"/care/runs/{run_id}/cancel").status_code == 302
    client.post(f"/care/runs/{run_id}/cancel")  # double submit: still one change
    thread.join(30)
    assert not thread.is_alive()
    assert state_of(app, run_id)[0] == MatchingRunState.CANCELLED
    assert nothing_applied(app, run_world)


def test_a_slow_snapshot_is_not_taken_for_a_dead_worker(app, run_world, login_as, monkeypatch):
    client = app.test_client()
    login_as(client, run_world.social_worker)
    run_id = queue_run(app, client, run_world, monkeypatch)
    real_build = adapter.build_problem

    def slow_build(*args, **kwargs):
        time.sleep(2.5)  # a district's rows on a busy machine: past the 1 s threshold
        return real_build(*args, **kwargs)

    monkeypatch.setattr(adapter, "build_problem", slow_build)
    monkeypatch.setitem(app.config, "CARE_RUN_HEARTBEAT_S", 0.2)
    thread = execute_in_thread(app, run_id)
    assert wait_until(lambda: state_of(app, run_id)[0] == MatchingRunState.RUNNING)
    time.sleep(1.5)
    status = client.get(f"/care/runs/{run_id}/status").get_json()
    assert status["state"] == "running" and status["phase"] == "snapshot", status
    thread.join(60)
    assert state_of(app, run_id)[0] == MatchingRunState.SUCCEEDED


def test_a_job_that_crashes_in_the_thread_fails_its_run(app, run_world, login_as, monkeypatch):
    from marketplace.care import runs

    def crash(run_id):
        raise RuntimeError("the engine could not be loaded")

    monkeypatch.setattr(runs, "execute_run", crash)  # before it could record anything itself
    client = app.test_client()
    login_as(client, run_world.social_worker)
    response = client.post("/care/runs", data={"scope": f"organization:{run_world.org}",
                                               "time_limit_s": 2})
    assert response.status_code == 302
    jobs.wait_for_threads()
    with app.app_context():
        run_id = db.session.scalar(select(MatchingRun.id))
    status = client.get(f"/care/runs/{run_id}/status").get_json()
    assert status["state"] == "failed" and "the engine could not be loaded" in status["error"]
    assert nothing_applied(app, run_world)
