"""The RQ job that sends due notifications on a schedule.

Start a worker with its scheduler (``rq worker --with-scheduler --url $REDIS_URL``) and queue
the job once (``flask --app marketplace.app notify schedule``). Each run sends what is due and
queues the next run ``NOTIFY_INTERVAL_SECONDS`` later; scheduling while a run is already
waiting returns that one, so there is only ever one chain. Without Redis, run
``flask notify due`` from cron instead: both are safe to overlap.
"""

from __future__ import annotations

from datetime import timedelta

from marketplace.clock import utcnow

JOB_PREFIX = "gongzhi-notify-due-"
QUEUE = "default"


def send_due_job() -> int:
    """What the worker calls: one `notify due` run in its own app, then the next is queued."""
    from rq import get_current_job

    from marketplace.app import create_app
    from marketplace.notifications.delivery import deliver_due

    app = create_app()
    with app.app_context():
        report = deliver_due()
        if app.config.get("REDIS_URL"):
            current = get_current_job()
            schedule(app.config["REDIS_URL"], app.config["NOTIFY_INTERVAL_SECONDS"],
                     running_id=current.id if current else None)
    return report.sent


def schedule(redis_url: str, delay_seconds: int = 0, running_id: str | None = None):
    from redis import Redis
    from rq import Queue
    from rq.registry import ScheduledJobRegistry

    queue = Queue(QUEUE, connection=Redis.from_url(redis_url))
    waiting = [*ScheduledJobRegistry(queue=queue).get_job_ids(), *queue.get_job_ids()]
    for job_id in waiting:
        if job_id.startswith(JOB_PREFIX) and job_id != running_id:
            return queue.fetch_job(job_id)
    job_id = f"{JOB_PREFIX}{utcnow():%Y%m%dT%H%M%S%f}"
    return queue.enqueue_in(timedelta(seconds=delay_seconds), send_due_job, job_id=job_id)
