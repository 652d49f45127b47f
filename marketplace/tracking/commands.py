"""``flask tracking refresh-summary``: rebuild the dashboards' hours summary (nightly from
cron; the dashboards stay exact in between, see ``tracking.summary``)."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext

from marketplace.extensions import db
from marketplace.tracking import summary


@click.group("tracking")
def tracking() -> None:
    """Government-purchased services."""


@tracking.command("refresh-summary")
@with_appcontext
def refresh_summary() -> None:
    """Rebuild the monthly hours summary the dashboards read."""
    rows = summary.refresh()
    db.session.commit()
    click.echo(f"hours summary: {rows} rows")


def register(app: Flask) -> None:
    app.cli.add_command(tracking)
