"""Background work, through one interface.

``enqueue("package.module:function", *args, job_id=...)`` runs the function on RQ when
``REDIS_URL`` is set (a worker: ``rq worker gongzhi --url $REDIS_URL``; the queue's name is
``JOBS_QUEUE``), in a thread of this
process otherwise. The function is the unit of work: it runs in an application context of its
own, commits its own status row, and the page polls that row, never the worker. The caller
commits the row *before* enqueueing, so the job always finds it.

``cancel(job_id)`` takes a queued job off the queue and stops a running RQ job; a thread cannot
be stopped from outside, so jobs also read their row and stop when it says cancelled.

``on_failure="package.module:function"`` is called as ``function(*args, reason)`` when the job
raises (RQ's failure callback, also for a job abandoned by a dead worker; in the thread, after
the job itself gave up), so its row is failed even when the job could not record that itself.
A work horse killed outright runs no callback: ``has_failed(job_id)`` asks RQ whether it marked
the job failed, for the sweeps that look after rows of dead workers.

When Redis does not answer, ``available()`` is False and ``enqueue`` raises ``JobsUnavailable``
(a ``DomainError`` the page shows): the rest of the site keeps working without it.
"""

from __future__ import annotations

import threading
from importlib import import_module

from flask import Flask, current_app, has_app_context
from flask_babel import gettext as _

from marketplace.errors import DomainError, show_error
from marketplace.extensions import db

QUEUE = "gongzhi"
# RQ kills a job that runs longer than this; solves carry their own, shorter, time limit.
JOB_TIMEOUT_S = 3 * 3600

# A Redis that is down must not hold a page for long: loopback refuses at once, a lost host
# would otherwise wait for TCP's own timeout.
REDIS_TIMEOUT_S = 2

_threads: dict[str, threading.Thread] = {}


class JobsUnavailable(DomainError):
    """The job queue (Redis) does not answer, so no run can be started now."""

    def __init__(self) -> None:
        super().__init__(None, _("Runs are unavailable right now: the job queue does not "
                                 "answer. The rest of the site works; please try again in a "
                                 "few minutes."))


def _resolve(func_path: str):
    module, _, name = func_path.partition(":")
    if not module or not name:
        raise ValueError(f"a job is named 'package.module:function', got {func_path!r}")
    return getattr(import_module(module), name)


def _queue(redis_url: str):
    from redis import Redis
    from rq import Queue

    return Queue(current_app.config.get("JOBS_QUEUE") or QUEUE,
                 connection=Redis.from_url(redis_url, socket_connect_timeout=REDIS_TIMEOUT_S,
                                           socket_timeout=REDIS_TIMEOUT_S))


def available() -> bool:
    """Whether a job can be queued now (always, without Redis: a thread runs it)."""
    redis_url = current_app.config.get("REDIS_URL")
    if not redis_url:
        return True
    from redis.exceptions import RedisError

    try:
        return bool(_queue(redis_url).connection.ping())
    except RedisError:
        return False


def run_job(func_path: str, *args) -> object:
    """What the RQ worker calls: the function inside an app built from the environment."""
    func = _resolve(func_path)
    if has_app_context():
        return func(*args)
    from marketplace.app import create_app
    from marketplace.extensions import db

    with create_app().app_context():
        try:
            return func(*args)
        finally:
            db.session.remove()


def _reason(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:1000]


def report_failure(job, connection, exc_type, exc_value, traceback) -> None:
    """RQ's failure callback: the job's ``on_failure`` with the job's own arguments."""
    hook = (job.meta or {}).get("on_failure")
    if hook:
        run_job(hook, *job.args[1:], _reason(exc_value))


def _in_thread(app: Flask, func_path: str, args: tuple, job_id: str,
               on_failure: str | None) -> None:
    from marketplace.extensions import db

    try:
        with app.app_context():
            try:
                _resolve(func_path)(*args)
            except Exception as error:
                app.logger.exception("background job %s failed", job_id)
                db.session.rollback()
                if on_failure:
                    _resolve(on_failure)(*args, _reason(error))
            finally:
                db.session.remove()
    finally:
        _threads.pop(job_id, None)


def launched(start) -> bool:
    """Call ``start``, which queues the job of a row the view has committed. When the queue
    went down since, ``start`` marked the row failed: that is committed, so nobody waits for
    it, the user is told why, and the answer is False."""
    try:
        start()
    except JobsUnavailable as error:
        db.session.commit()
        show_error(error)
        return False
    return True


def unavailable_message() -> str | None:
    """What a page that starts runs says instead of its form while the queue is down."""
    return None if available() else JobsUnavailable().message


def enqueue(func_path: str, *args, job_id: str, on_failure: str | None = None) -> None:
    """Run ``func_path(*args)`` in the background; returns at once."""
    _resolve(func_path)  # a typo fails here, in the request, not later in a worker
    if on_failure:
        _resolve(on_failure)
    redis_url = current_app.config.get("REDIS_URL")
    if redis_url:
        from redis.exceptions import RedisError
        from rq import Callback

        try:
            _queue(redis_url).enqueue(
                run_job, func_path, *args, job_id=job_id, job_timeout=JOB_TIMEOUT_S,
                result_ttl=3600, failure_ttl=7 * 86400, meta={"on_failure": on_failure},
                on_failure=Callback(report_failure) if on_failure else None,
            )
        except RedisError as error:
            current_app.logger.warning("job queue unreachable: %s", type(error).__name__)
            raise JobsUnavailable() from error
        return
    app = current_app._get_current_object()
    thread = threading.Thread(target=_in_thread,
                              args=(app, func_path, args, job_id, on_failure),
                              name=f"job-{job_id}", daemon=True)
    _threads[job_id] = thread
    thread.start()


def cancel(job_id: str) -> None:
    """Withdraw a queued job, stop a running RQ job; unknown or finished jobs are ignored."""
    redis_url = current_app.config.get("REDIS_URL")
    if not redis_url:
        return  # the thread reads its row and stops there
    from redis.exceptions import RedisError
    from rq.command import send_stop_job_command
    from rq.exceptions import InvalidJobOperation, NoSuchJobError
    from rq.job import Job, JobStatus

    queue = _queue(redis_url)
    try:
        job = Job.fetch(job_id, connection=queue.connection)
    except NoSuchJobError:
        return
    except RedisError:
        return  # nothing can run while Redis is down; the row already says cancelled
    status = job.get_status(refresh=True)
    try:
        if status == JobStatus.STARTED:
            send_stop_job_command(queue.connection, job_id)
        elif status in (JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED):
            job.cancel()
    except (InvalidJobOperation, NoSuchJobError):
        pass  # it finished in between


def has_failed(job_id: str) -> bool:
    """RQ marked the job failed (it raised, or its work horse died). A thread's failure runs
    its ``on_failure`` itself, and an unreachable Redis answers False: the caller's heartbeat
    check still holds."""
    redis_url = current_app.config.get("REDIS_URL")
    if not redis_url:
        return False
    from redis.exceptions import RedisError
    from rq.exceptions import NoSuchJobError
    from rq.job import Job, JobStatus

    try:
        job = Job.fetch(job_id, connection=_queue(redis_url).connection)
        return job.get_status(refresh=False) == JobStatus.FAILED
    except (NoSuchJobError, RedisError):
        return False


def wait_for_threads(timeout_s: float = 30.0) -> None:
    """Join the in-process jobs still running (tests, and the CLI before it exits)."""
    for thread in list(_threads.values()):
        thread.join(timeout_s)
