"""With Redis, the worker runs `notify due` on a schedule: one chain of jobs, however often it
is scheduled, each run sending what is due and queueing the next."""

from __future__ import annotations

import uuid

import pytest

from marketplace.extensions import db
from marketplace.notifications import jobs
from marketplace.notifications.models import OutboxMessage, OutboxState
from marketplace.notifications.services import notify

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def queue(monkeypatch):
    redis = pytest.importorskip("redis")
    from rq import Queue

    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis unreachable at 127.0.0.1:6379")
    monkeypatch.setattr(jobs, "QUEUE", f"test-notify-{uuid.uuid4().hex[:8]}")
    queue = Queue(jobs.QUEUE, connection=connection)
    yield queue
    from rq.registry import ScheduledJobRegistry

    for job_id in [*ScheduledJobRegistry(queue=queue).get_job_ids(), *queue.get_job_ids()]:
        job = queue.fetch_job(job_id)
        if job is not None:
            job.delete()
    queue.delete(delete_jobs=True)


def test_scheduling_twice_makes_one_chain(queue):
    first = jobs.schedule(REDIS_URL, 300)
    second = jobs.schedule(REDIS_URL, 300)
    assert first.id == second.id and first.id.startswith(jobs.JOB_PREFIX)


def test_a_run_sends_what_is_due_and_queues_the_next(app, queue, make_user, monkeypatch):
    user_id = make_user()
    with app.app_context():
        notify(user_id, "signup.confirmed", {"title": "敬老活动"})
        db.session.commit()
    app.config["REDIS_URL"] = REDIS_URL
    monkeypatch.setattr("marketplace.app.create_app", lambda: app)
    assert jobs.send_due_job() == 1
    with app.app_context():
        assert db.session.scalars(db.select(OutboxMessage.state)).all() == [OutboxState.SENT]
    from rq.registry import ScheduledJobRegistry

    waiting = ScheduledJobRegistry(queue=queue).get_job_ids()
    assert len(waiting) == 1 and waiting[0].startswith(jobs.JOB_PREFIX)
