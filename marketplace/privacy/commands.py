"""``flask --app marketplace.app rotate-personal-data-key``: re-encrypt every stored ID
number, address and health note under the configured ``GONGZHI_PERSONAL_DATA_KEY``, reading
them with the old key from ``GONGZHI_OLD_PERSONAL_DATA_KEY`` (an environment variable, so the
key never appears in a process list or shell history). One transaction: it all changes or
nothing does. docs/deploy.md gives the whole procedure."""

from __future__ import annotations

import os

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from marketplace.extensions import db
from marketplace.privacy import crypto, rotation

OLD_KEY_VARIABLE = "GONGZHI_OLD_PERSONAL_DATA_KEY"


@click.command("rotate-personal-data-key")
@click.option("--old-key-from-secret-key", is_flag=True,
              help="The data was encrypted with no PERSONAL_DATA_KEY set (the key derived "
                   "from SECRET_KEY).")
@with_appcontext
def rotate_personal_data_key_command(old_key_from_secret_key: bool) -> None:
    """Re-encrypt personal data from the old key to the configured one."""
    new_key = current_app.config.get("PERSONAL_DATA_KEY") or ""
    if not new_key:
        raise click.ClickException("set GONGZHI_PERSONAL_DATA_KEY to the new key")
    old_key = "" if old_key_from_secret_key else os.environ.get(OLD_KEY_VARIABLE, "")
    if not old_key and not old_key_from_secret_key:
        raise click.ClickException(f"set {OLD_KEY_VARIABLE} to the key in use until now, "
                                   "or pass --old-key-from-secret-key")
    if old_key == new_key:
        raise click.ClickException("the old and the new key are the same")
    secret = str(current_app.config["SECRET_KEY"])
    try:
        old, new = crypto.keys_for(old_key, secret), crypto.keys_for(new_key, secret)
    except ValueError as error:
        raise click.ClickException(f"not a Fernet key: {error}") from None
    try:
        rewritten = rotation.rotate(old, new)
    except rotation.UnreadableValue as error:
        db.session.rollback()
        raise click.ClickException(f"nothing changed: neither key opens {error}") from None
    db.session.commit()
    for label, count in rewritten.items():
        click.echo(f"{label}: {count} re-encrypted")


def register(app: Flask) -> None:
    app.cli.add_command(rotate_personal_data_key_command)
