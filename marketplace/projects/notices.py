"""What sign-ups tell volunteers, through the notification centre: one place for the kinds,
their parameters, the links and the reminder keys."""

from __future__ import annotations

from flask import url_for

from marketplace.notifications.calendar import reminder_times
from marketplace.notifications.services import cancel_due, notify
from marketplace.projects.models import SignUp


def _params(entry: SignUp) -> dict:
    shift = entry.shift
    place = " ".join(part for part in (shift.community.name, shift.address) if part)
    return {
        "title": shift.project.title,
        "starts_at": shift.starts_at.isoformat(),
        "place": place,
        "organization": shift.project.organization.name,
    }


def _user_id(entry: SignUp) -> int:
    return entry.volunteer.user_id


def _url(entry: SignUp) -> str:
    return url_for("projects.shift_detail", shift_id=entry.shift_id)


def reminder_key(entry: SignUp) -> str:
    return f"shift.reminder:{entry.id}:"


def schedule_reminders(entry: SignUp) -> None:
    """The evening before, and before a long holiday (§8.32); keyed, so never twice."""
    for due in reminder_times(entry.shift.starts_at):
        notify(_user_id(entry), "shift.reminder", _params(entry), url=_url(entry), due_at=due,
               dedupe_key=f"{reminder_key(entry)}{due:%Y%m%dT%H%M}")


def withdraw_reminders(entry: SignUp) -> None:
    cancel_due(reminder_key(entry))


def confirmed(entry: SignUp) -> None:
    notify(_user_id(entry), "signup.confirmed", _params(entry), url=_url(entry),
           dedupe_key=f"signup.confirmed:{entry.id}")
    schedule_reminders(entry)


def waitlisted(entry: SignUp) -> None:
    notify(_user_id(entry), "signup.waitlisted", _params(entry), url=_url(entry),
           dedupe_key=f"signup.waitlisted:{entry.id}")


def promoted(entry: SignUp) -> None:
    notify(_user_id(entry), "signup.promoted", _params(entry), url=_url(entry),
           dedupe_key=f"signup.promoted:{entry.id}")
    schedule_reminders(entry)


def cancelled_by_organizer(entry: SignUp) -> None:
    notify(_user_id(entry), "signup.cancelled_by_organizer",
           _params(entry) | {"reason": entry.cancel_reason or ""}, url=_url(entry),
           dedupe_key=f"signup.cancelled_by_organizer:{entry.id}")


def shift_cancelled(entry: SignUp, reason: str | None) -> None:
    notify(_user_id(entry), "shift.cancelled", _params(entry) | {"reason": reason or ""},
           url=_url(entry), dedupe_key=f"shift.cancelled:{entry.id}")


def project_closed(entry: SignUp) -> None:
    notify(_user_id(entry), "project.closed", _params(entry), url=_url(entry),
           dedupe_key=f"project.closed:{entry.id}")
