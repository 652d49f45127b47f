"""The one domain error and how a view shows it.

A service that refuses what the user asked raises ``DomainError(field, message)``: ``field``
names the form field the message belongs to (``None`` for the whole request) and ``message`` is
already translated. A view catches it once and calls ``show_error``, which puts the message on
that field of the WTForms form, or flashes it when the form has no such field.
"""

from __future__ import annotations

from flask import flash


class DomainError(Exception):
    """A rule the user broke, with the form field it belongs to and a translated message."""

    def __init__(self, field: str | None, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def show_error(error: DomainError, form=None) -> None:
    """Show ``error`` on ``form``'s field when it has one, otherwise as an error flash."""
    target = getattr(form, error.field, None) if form is not None and error.field else None
    if target is not None and hasattr(target, "errors"):
        target.errors = [*target.errors, error.message]
    else:
        flash(error.message, "error")


def flash_form_errors(form) -> None:
    """Flash every field error of ``form``, for forms posted from a page that redirects back."""
    for messages in form.errors.values():
        for message in messages:
            flash(message, "error")
