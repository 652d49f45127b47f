"""Attendance (签到签退): by scanning the code the shift's leader shows, or by the leader's
roster; no-shows; check-out writes a pending hours entry. Services flush; the caller commits.

The code is a signed token naming the shift and the current minute (§8.31): it changes every
60 s, the minute before it is still accepted (a scan at the turn of the minute), anything older
or for another shift is refused with a message. It is valid from 30 minutes before the start
until the end.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from marketplace.clock import utcnow
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.hours.models import HoursSource
from marketplace.hours.services import record_pending
from marketplace.projects.localtime import local_date
from marketplace.projects.models import Shift, ShiftState, SignUp, SignUpState
from marketplace.volunteers.services import profile_of

ROTATION_SECONDS = 60
OPENS_BEFORE = timedelta(minutes=30)
# The roster may record attendance for a few days after the shift, for leaders who keep a
# paper list on the day.
ROSTER_GRACE = timedelta(days=7)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="shift-check-in")


def _minute(now_epoch: float | None = None) -> int:
    return int((time.time() if now_epoch is None else now_epoch) // ROTATION_SECONDS)


def code_window(shift: Shift) -> tuple[datetime, datetime]:
    return shift.starts_at - OPENS_BEFORE, shift.ends_at


def code_is_open(shift: Shift, now: datetime | None = None) -> bool:
    opens, closes = code_window(shift)
    return shift.state != ShiftState.CANCELLED and opens <= (now or utcnow()) <= closes


def check_in_token(shift: Shift, now_epoch: float | None = None) -> str:
    return _serializer().dumps({"s": shift.id, "m": _minute(now_epoch)})


def seconds_to_rotation(now_epoch: float | None = None) -> int:
    now_epoch = time.time() if now_epoch is None else now_epoch
    return ROTATION_SECONDS - int(now_epoch % ROTATION_SECONDS)


def _verify(shift: Shift, token: str, now_epoch: float | None) -> None:
    try:
        payload = _serializer().loads(token or "")
    except BadSignature:
        raise DomainError("token", _("This code is not valid. Scan the leader's screen again.")) \
            from None
    if not isinstance(payload, dict) or payload.get("s") != shift.id:
        raise DomainError("token", _("This code belongs to another shift."))
    minute = payload.get("m")
    if not isinstance(minute, int) or not 0 <= _minute(now_epoch) - minute <= 1:
        raise DomainError(
            "token", _("This code has expired: it changes every minute. Scan it again.")
        )


def _minutes_served(shift: Shift, checked_in: datetime, checked_out: datetime) -> int:
    """Time on site within the shift: travel before and after never counts (民政部令第67号)."""
    start = max(checked_in, shift.starts_at)
    end = min(checked_out, shift.ends_at)
    return max(0, int((end - start).total_seconds() // 60))


def _write_hours(entry: SignUp, minutes: int, source, recorded_by_id: int | None) -> None:
    shift = entry.shift
    record_pending(
        volunteer_id=entry.volunteer_id,
        organization_id=shift.project.organization_id,
        service_date=local_date(shift.starts_at),
        minutes=minutes,
        source=source,
        project_id=shift.project_id,
        sign_up_id=entry.id,
        recorded_by_id=recorded_by_id,
    )


def _mark_held(shift: Shift) -> None:
    if shift.state == ShiftState.SCHEDULED:
        shift.state = ShiftState.HELD


def _check_in(entry: SignUp, at: datetime, by_id: int | None) -> None:
    entry.state = SignUpState.ATTENDED
    entry.checked_in_at = at
    entry.attendance_by_id = by_id
    _mark_held(entry.shift)


def _check_out(entry: SignUp, at: datetime, by_id: int | None, source) -> int:
    minutes = _minutes_served(entry.shift, entry.checked_in_at, at)
    if minutes < 1:
        raise DomainError(
            "token", _("No service time yet: check out once the shift has started.")
        )
    entry.checked_out_at = at
    _write_hours(entry, minutes, source, by_id)
    return minutes


def scan(user, shift: Shift, token: str, now_epoch: float | None = None) -> str:
    """The volunteer scanned the leader's code: check in, or check out once checked in.
    Returns "checked_in" or "checked_out"."""
    now = utcnow() if now_epoch is None else datetime.fromtimestamp(now_epoch, UTC).replace(
        tzinfo=None)
    if not code_is_open(shift, now):
        raise DomainError("token", _("Check-in opens 30 minutes before the shift and closes at "
                                     "its end."))
    _verify(shift, token, now_epoch)
    profile = profile_of(user)
    entry = None
    if profile is not None:
        entry = db.session.scalar(
            db.select(SignUp).where(
                SignUp.shift_id == shift.id,
                SignUp.volunteer_id == profile.id,
                SignUp.state.in_((SignUpState.CONFIRMED, SignUpState.ATTENDED)),
            )
        )
    if entry is None:
        raise DomainError("token", _("You have no confirmed place on this shift."))
    if entry.state == SignUpState.CONFIRMED:
        _check_in(entry, now, None)
        db.session.flush()
        return "checked_in"
    if entry.checked_out_at is not None:
        raise DomainError("token", _("You have already checked in and out of this shift."))
    _check_out(entry, now, None, HoursSource.CHECKIN)
    db.session.flush()
    return "checked_out"


def roster(shift: Shift) -> list[SignUp]:
    """Everyone with a place or waiting for one, in sign-up order, with their profiles (the
    page names each one) read in one statement."""
    return list(db.session.scalars(
        select(SignUp).where(SignUp.shift_id == shift.id, SignUp.state != SignUpState.CANCELLED)
        .order_by(SignUp.id).options(selectinload(SignUp.volunteer))))


ROSTER_ACTIONS = ("check_in", "check_out", "attended", "no_show")


def roster_actions(entry: SignUp, now: datetime | None = None) -> list[str]:
    """What the leader may record for ``entry`` now."""
    now = now or utcnow()
    shift = entry.shift
    if shift.state == ShiftState.CANCELLED or now > shift.ends_at + ROSTER_GRACE:
        return []
    actions = []
    if entry.state == SignUpState.CONFIRMED:
        if code_is_open(shift, now):
            actions.append("check_in")
        if now >= shift.starts_at:
            actions.append("no_show")
        if now >= shift.ends_at:
            actions.append("attended")
    elif entry.state == SignUpState.ATTENDED and entry.checked_out_at is None:
        actions.append("check_out")
    return actions


def record(user, entry: SignUp, action: str) -> None:
    """A roster entry by the leader or the organization's staff (scope checked by the view)."""
    now = utcnow()
    if action not in roster_actions(entry, now):
        raise DomainError("action", _("This cannot be recorded for this person now."))
    shift = entry.shift
    if action == "check_in":
        _check_in(entry, now, user.id)
    elif action == "check_out":
        _check_out(entry, min(now, shift.ends_at), user.id, HoursSource.ROSTER)
    elif action == "attended":  # the whole shift, recorded after it from the leader's list
        _check_in(entry, shift.starts_at, user.id)
        _check_out(entry, shift.ends_at, user.id, HoursSource.ROSTER)
    else:
        entry.state = SignUpState.NO_SHOW
        entry.attendance_by_id = user.id
    db.session.flush()


def record_beneficiaries(shift: Shift, count: int | None) -> None:
    """§8.14: a held shift records how many people it served."""
    if shift.state != ShiftState.HELD:
        raise DomainError("beneficiary_count", _("Record this once the shift has been held."))
    if count is None or not 0 <= count <= 100_000:
        raise DomainError("beneficiary_count", _("Give a number from 0 to 100000."))
    shift.beneficiary_count = count
    db.session.flush()
