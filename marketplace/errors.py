"""The one domain error, how a view shows it, the one way a view runs a step, and the site's
error pages.

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

from flask import Flask, current_app, flash, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, InternalServerError, NotFound

from marketplace.api.field_messages import in_reader_language
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


def flash_form_errors(form) -> None:
    """Flash every field error of ``form``, for forms posted from a page that redirects back."""
    for messages in form.errors.values():
        for message in messages:
            flash(message, "error")


class Attempt:
    """What ``attempt`` did: true when the step succeeded and was committed; ``value`` is what
    the step returned (the object it created, say)."""

    __slots__ = ("ok", "value")

    def __init__(self, ok: bool, value: object = None):
        self.ok = ok
        self.value = value

    def __bool__(self) -> bool:
        return self.ok


def attempt(step: Callable[[], object], done: str | None, form=None) -> Attempt:
    """Run one service step as the request's unit of work: commit and flash ``done`` (when
    given) if it succeeds; roll back and show the error when the user broke a rule."""
    try:
        value = step()
    except DomainError as error:
        db.session.rollback()
        show_error(error, form)
        return Attempt(False)
    db.session.commit()
    if done:
        flash(done, "success")
    return Attempt(True, value)


# --- error pages -------------------------------------------------------------------------

def _error_texts() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Bad request"),
              _("The request could not be understood. Go back and try again.")),
        403: (_("Not allowed"), _("You may not open this page.")),
        404: (_("Page not found"),
              _("There is no page at this address, or it is not open to you.")),
        405: (_("Not possible this way"), _("This page cannot be used like this.")),
        422: (_("Not accepted"),
              _("Some of what was sent cannot be accepted: see the messages by field.")),
        413: (_("Too large"), _("What you sent is too large. Send less at a time.")),
        429: (_("Too many requests"),
              _("Too many requests in a short time. Please wait a minute and try again.")),
        500: (_("Something went wrong"),
              _("An error on our side stopped this page. Please try again later.")),
    }


def _is_api() -> bool:
    return request.path.startswith("/api/")


def _wants_json() -> bool:
    if _is_api():
        return True
    accepted = request.accept_mimetypes
    return accepted.best_match(["text/html", "application/json"]) == "application/json" and (
        accepted["application/json"] > accepted["text/html"]
    )


def error_response(error: HTTPException):
    """The site's page (or, for a JSON client, a JSON body) for an HTTP error, in the user's
    language, keeping the error's own headers (``Allow`` on 405, ``Retry-After`` on 429)."""
    if error.response is not None:  # a page made for this case (a throttle's own 429)
        return error.response
    status = error.code or 500
    title, message = _error_texts().get(status, (error.name, error.description or ""))
    if _is_api():
        # A message of the error's own (a 401's) says more than the generic one.
        own = error.description if status == 401 and error.description else message
        body = jsonify(code=status, message=own, errors=_field_errors(error))
    elif _wants_json():
        body = jsonify(error={"status": status, "title": title, "message": message})
    else:
        body = render_template("errors/error.html", status=status, title=title, message=message)
    response = current_app.make_response((body, status))
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def _field_errors(error: HTTPException) -> dict[str, list[str]]:
    """The field messages marshmallow found (webargs files them by location: json, query,
    path), flattened to ``{field: [messages]}``; nested fields are joined by dots, and
    marshmallow's own English messages are said in the reader's language."""
    found = (getattr(error, "data", None) or {}).get("messages") or {}
    flat: dict[str, list[str]] = {}

    def walk(prefix: str, value) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        elif isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
            flat.setdefault(prefix or "_request", []).extend(map(in_reader_language, value))
        else:
            flat.setdefault(prefix or "_request", []).append(str(value))

    for location_errors in found.values():
        walk("", location_errors)
    return flat


def api_domain_error(error: DomainError):
    """A rule the API client broke: 422 with each message on its field (``_request`` for the
    whole request); nothing of the request is kept."""
    db.session.rollback()
    errors: dict[str, list[str]] = {}
    for field, message in error.errors:
        errors.setdefault(field or "_request", []).append(message)
    return jsonify(code=422, message=error.message, errors=errors), 422


def _server_error(error: HTTPException):
    # The failed request's transaction is unusable; the page itself may need the database.
    db.session.rollback()
    return error_response(error if isinstance(error, HTTPException) else InternalServerError())


def register_error_pages(app: Flask) -> None:
    app.register_error_handler(HTTPException, error_response)
    app.register_error_handler(InternalServerError, _server_error)
