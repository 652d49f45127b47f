"""``flask --app marketplace.app purge-expired``: remove the personal data of households
closed longer than ``CARE_RETENTION_DAYS`` ago; hours, counts and pseudonyms stay. Safe to
run twice: a purged household is not touched again."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from marketplace.care.services.retention import purge_expired
from marketplace.extensions import db


@click.command("purge-expired")
@with_appcontext
def purge_expired_command() -> None:
    """Remove personal data of households closed beyond the retention period."""
    purged = purge_expired()
    db.session.commit()
    days = current_app.config["CARE_RETENTION_DAYS"]
    click.echo(f"purged {purged} household(s) closed more than {days} days ago")


def register(app: Flask) -> None:
    app.cli.add_command(purge_expired_command)
