"""What each kind of notification says, rendered in the reader's language when it is shown
or sent: the database keeps the kind code and its parameters only.

Parameters a caller may pass (all optional, JSON values):

``title``         shift or project title
``starts_at``     the shift's start, ISO 8601 in UTC ("2026-10-09T01:00:00"); shown in
                  北京时间 (domain §8.30)
``place``         where (community, address)
``organization``  the organization's name
``minutes``       service minutes (hours entries)
``service_date``  ISO date of the service
``reason``        why (organizer's cancellation, rejected hours)
``expires_at``    when an offer lapses, ISO 8601 in UTC
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from babel.dates import format_datetime
from flask_babel import get_locale
from flask_babel import gettext as _

from marketplace.clock import BEIJING

KINDS = (
    "signup.confirmed",
    "signup.waitlisted",
    "signup.promoted",
    "signup.cancelled_by_organizer",
    "shift.reminder",
    "shift.cancelled",
    "project.closed",
    "hours.verified",
    "hours.rejected",
    "care.offered",
)


class _Params(dict):
    """Missing parameters read as empty, so an older row never breaks the page."""

    def __missing__(self, key: str) -> str:
        return ""


def _template(kind: str) -> str:
    # Literal gettext calls, one per kind, so the catalog extractor finds every sentence.
    if kind == "signup.confirmed":
        return _("You are signed up for %(title)s, %(when)s.")
    if kind == "signup.waitlisted":
        return _("%(title)s (%(when)s) is full: you are on the waiting list and will be told "
                 "if a seat frees up.")
    if kind == "signup.promoted":
        return _("A seat freed up: you are now confirmed for %(title)s, %(when)s.")
    if kind == "signup.cancelled_by_organizer":
        return _("The organizer cancelled your sign-up for %(title)s, %(when)s. %(reason)s")
    if kind == "shift.reminder":
        return _("Reminder: %(title)s starts %(when)s, %(place)s.")
    if kind == "shift.cancelled":
        return _("%(title)s on %(when)s is cancelled. %(reason)s")
    if kind == "project.closed":
        return _("The project %(title)s has closed; its coming shifts are cancelled.")
    if kind == "hours.verified":
        return _("%(organization)s verified %(hours)s hours of your service on %(date)s.")
    if kind == "hours.rejected":
        return _("%(organization)s did not verify your hours of %(date)s. Reason: %(reason)s")
    if kind == "care.offered":
        return _("You are offered a place in a care team for a household in %(place)s. "
                 "Please accept or decline by %(until)s.")
    return _("You have a new notification.")


def _when(value) -> str:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    shown = format_datetime(
        moment, "yyyy-MM-dd HH:mm", tzinfo=BEIJING, locale=str(get_locale() or "zh")
    )
    return _("%(time)s Beijing time", time=shown)


def _day(value) -> str:
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        return ""


def _hours(minutes) -> str:
    try:
        return f"{int(minutes) / 60:g}"
    except (TypeError, ValueError):
        return ""


def render(kind: str, params: dict | None) -> str:
    """The sentence for ``kind`` in the current locale."""
    values = _Params({key: str(value) for key, value in (params or {}).items()})
    if "starts_at" in values:
        values["when"] = _when(values["starts_at"])
    if "service_date" in values:
        values["date"] = _day(values["service_date"])
    if "expires_at" in values:
        values["until"] = _when(values["expires_at"])
    if "minutes" in values:
        values["hours"] = _hours(values["minutes"])
    return (_template(kind) % values).strip()
