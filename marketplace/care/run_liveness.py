"""Whether a matching run is still alive: the heartbeat a running job writes, the sweep
that fails runs whose worker died or that no worker took, and the jobs interface's
failure hook. Nothing of a failed run is ever applied."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from marketplace import jobs
from marketplace.care.run_models import LIVE_RUN_STATES, MatchingRun, MatchingRunState
from marketplace.clock import utcnow
from marketplace.extensions import db

# A queued run nobody picked up for this long has no worker.
QUEUED_TIMEOUT = timedelta(hours=1)


class RunStopped(Exception):
    """The run's row is no longer this worker's (cancelled, or swept as dead)."""


def fail_run(run_id: int, reason: str) -> None:
    """The jobs interface's failure hook: a run whose job raised or was abandoned by a dead
    worker is failed, unless it already ended (its own handler, a cancel, the sweep)."""
    db.session.execute(
        update(MatchingRun).where(MatchingRun.id == run_id,
                                  MatchingRun.state.in_(LIVE_RUN_STATES))
        .values(state=MatchingRunState.FAILED, finished_at=utcnow(), phase="failed",
                error=reason[:1000])
        .execution_options(synchronize_session=False))
    db.session.commit()


def stale_after() -> timedelta:
    return timedelta(seconds=current_app.config.get("CARE_RUN_STALE_AFTER_S", 30))


def _fail_running(run_id: int, now, reason: str) -> int:
    return db.session.execute(
        update(MatchingRun).where(MatchingRun.id == run_id,
                                  MatchingRun.state == MatchingRunState.RUNNING)
        .values(state=MatchingRunState.FAILED, finished_at=now, phase="failed", error=reason)
        .execution_options(synchronize_session=False)).rowcount


def sweep_dead_runs() -> int:
    """Fail the running runs whose job RQ marked failed (a killed work horse runs no failure
    callback) or whose worker stopped beating, and queued ones no worker took; nothing of
    theirs was applied. Returns how many."""
    now = utcnow()
    dead = 0
    if current_app.config.get("REDIS_URL"):
        running = db.session.execute(select(MatchingRun.id, MatchingRun.job_id).where(
            MatchingRun.state == MatchingRunState.RUNNING)).all()
        for run_id, job_id in running:
            if jobs.has_failed(job_id):
                dead += _fail_running(run_id, now, "worker stopped: the job failed in RQ")
    dead += db.session.execute(
        update(MatchingRun).where(MatchingRun.state == MatchingRunState.RUNNING,
                                  MatchingRun.heartbeat_at < now - stale_after())
        .values(state=MatchingRunState.FAILED, finished_at=now, phase="failed",
                error="worker stopped: no heartbeat")
        .execution_options(synchronize_session=False)).rowcount
    dead += db.session.execute(
        update(MatchingRun).where(MatchingRun.state == MatchingRunState.QUEUED,
                                  MatchingRun.created_at < now - QUEUED_TIMEOUT)
        .values(state=MatchingRunState.FAILED, finished_at=now, phase="failed",
                error="no worker picked the run up")
        .execution_options(synchronize_session=False)).rowcount
    return dead


def mine(run_id: int, token: str):
    """The conditions of every write of a job: the run is still running and still ours."""
    return (MatchingRun.id == run_id, MatchingRun.state == MatchingRunState.RUNNING,
            MatchingRun.worker == token)


class Heartbeat:
    """Writes the latest progress and a heartbeat to the run's row every ``interval_s``
    from its own thread and connection, so the row stays alive while the solver thinks;
    notices when the row is no longer this worker's."""

    def __init__(self, app, run_id: int, token: str, interval_s: float,
                 phase: str = "preparing"):
        self.app, self.run_id, self.token, self.interval_s = app, run_id, token, interval_s
        self.latest: dict = {"phase": phase}
        self.bound: int | None = None
        self.started = time.monotonic()
        self.stopped = False
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f"beat-{run_id}", daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._done.set()
        self._thread.join(5)

    def progress(self, event: dict) -> None:
        if "bound" in event:
            self.bound = event["bound"]
        self.latest = {**self.latest, **event}
        if self.stopped:
            raise RunStopped()

    def phase(self, name: str) -> None:
        self.latest = {**self.latest, "phase": name}
        if self.stopped:
            raise RunStopped()

    def beat(self) -> None:
        latest = self.latest
        values = {"heartbeat_at": utcnow(), "phase": latest.get("phase"),
                  "elapsed_s": round(time.monotonic() - self.started, 1)}
        if latest.get("priority_staffed") is not None:
            values["best_score"] = latest["priority_staffed"]
        if self.bound is not None:
            values["bound"] = self.bound
        with self.app.app_context(), db.engine.begin() as conn:
            if not conn.execute(update(MatchingRun).where(*mine(self.run_id, self.token))
                                .values(**values)).rowcount:
                self.stopped = True

    def _loop(self) -> None:
        while not self._done.wait(self.interval_s):
            try:
                self.beat()
            except Exception:  # a busy database: the next beat tries again
                self.app.logger.warning("heartbeat of run %s missed", self.run_id)
