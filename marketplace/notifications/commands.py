"""``flask --app marketplace.app notify due``: send what is due (safe to run twice).
``flask --app marketplace.app notify schedule``: with REDIS_URL, put the repeating job on the
RQ queue for a worker started as ``rq worker --with-scheduler`` (see ``jobs``)."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from marketplace.notifications.delivery import deliver_due

notify_cli = AppGroup("notify", help="Notifications: send what is due.")


@notify_cli.command("due")
def due_command() -> None:
    """Send every outbox message that is due, through the configured sender."""
    report = deliver_due()
    click.echo(f"sent {report.sent}, retry later {report.retried}, failed {report.failed}, "
               f"taken by another run {report.skipped}")
    if report.stuck:
        click.echo(f"{report.stuck} message(s) were claimed by a run that stopped mid-send; "
                   "check them in the notification_outbox table", err=True)


@notify_cli.command("schedule")
def schedule_command() -> None:
    """Queue the repeating `notify due` job on Redis (needs REDIS_URL)."""
    from marketplace.notifications.jobs import schedule

    if not current_app.config.get("REDIS_URL"):
        raise click.ClickException("REDIS_URL is not set: run `flask notify due` from cron")
    job = schedule(current_app.config["REDIS_URL"])
    click.echo(f"queued {job.id}; it runs again every "
               f"{current_app.config['NOTIFY_INTERVAL_SECONDS']} s")


def register(app: Flask) -> None:
    app.cli.add_command(notify_cli)
