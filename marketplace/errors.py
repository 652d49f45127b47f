"""The one domain error, how a view shows it, and the one way a view runs a step.

A service that refuses what the user asked raises ``DomainError(field, message)``: ``field``
names the form field the message belongs to (``None`` for the whole request) and ``message`` is
already translated. A service that checks a whole form at once raises
``DomainError.several([...])`` so the person sees every problem in one go. A view catches it
once and calls ``show_error``, which puts each message on its field of the WTForms form, or
flashes it when the form has no such field.

Something missing or out of the user's scope raises ``OutOfScope``: both answer 404, so nothing
out of scope is even confirmed to exist.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask import flash
from werkzeug.exceptions import NotFound

from marketplace.extensions import db


class DomainError(Exception):
    """A rule the user broke, with the form field it belongs to and a translated message."""

    def __init__(self, field: str | None, message: str):
        super().__init__(message)
        self.field = field
        self.message = message
        self.errors: list[tuple[str | None, str]] = [(field, message)]

    @classmethod
    def several(cls, errors: Iterable[DomainError]) -> DomainError:
        """One error carrying every problem found, first one first, one message a field."""
        by_field: dict[str | None, str] = {}
        for error in errors:
            for field, message in error.errors:
                by_field.setdefault(field, message)
        if not by_field:
            raise ValueError("DomainError.several needs at least one error")
        first = cls(*next(iter(by_field.items())))
        first.errors = list(by_field.items())
        return first


class OutOfScope(NotFound):
    """Missing or out of the user's scope: both answer 404."""


def show_error(error: DomainError, form=None) -> None:
    """Show each message of ``error`` on ``form``'s field when it has one (a field the form
    already marked keeps its own message), otherwise as an error flash."""
    for field, message in error.errors:
        target = getattr(form, field, None) if form is not None and field else None
        if target is not None and hasattr(target, "errors"):
            if not target.errors:
                target.errors = [message]
        else:
            flash(message, "error")


def attempt(step: Callable[[], object], done: str, form=None) -> bool:
    """Run one service step as the request's unit of work: commit and flash ``done`` when it
    succeeds; roll back and show the error when the user broke a rule."""
    try:
        step()
    except DomainError as error:
        db.session.rollback()
        show_error(error, form)
        return False
    db.session.commit()
    flash(done, "success")
    return True
