"""Sign-ups (报名), the FIFO waiting list (候补) and cancellations. Services flush; the caller
commits.

Seats are taken by one conditional ``UPDATE shifts SET seats_taken = seats_taken + 1 WHERE
… seats_taken < seats`` and its row count, never by reading the count first (that overbooks
on SQLite, where ``with_for_update`` does nothing). A seat given back goes to the first
waiting person whose rules still hold, inside the same transaction.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from marketplace.clock import utcnow
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.hours.services import has_insurance
from marketplace.orgs.models import OrgStatus
from marketplace.projects import notices
from marketplace.projects.localtime import local_date, week_bounds
from marketplace.projects.models import (
    LIVE_SIGNUP_STATES,
    ProjectState,
    Shift,
    ShiftState,
    SignUp,
    SignUpState,
)
from marketplace.projects.text import clean_text
from marketplace.volunteers.codes import SKILLS
from marketplace.volunteers.models import VolunteerProfile
from marketplace.volunteers.services import profile_of


def live_sign_up(shift_id: int, volunteer_id: int) -> SignUp | None:
    return db.session.scalar(
        select(SignUp).where(
            SignUp.shift_id == shift_id,
            SignUp.volunteer_id == volunteer_id,
            SignUp.state != SignUpState.CANCELLED,
        )
    )


def sign_ups_of(profile: VolunteerProfile) -> list[SignUp]:
    """The volunteer's own sign-ups, newest first, with the shift, project and community the
    page shows loaded in a fixed number of statements."""
    return list(db.session.scalars(
        select(SignUp).where(SignUp.volunteer_id == profile.id).order_by(SignUp.id.desc())
        .options(selectinload(SignUp.shift).selectinload(Shift.community))))


# --- rules ---------------------------------------------------------------------------


def takes_sign_ups(shift: Shift, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return (
        shift.state == ShiftState.SCHEDULED
        and shift.starts_at > now
        and shift.project.state == ProjectState.PUBLISHED
        and shift.project.organization.status == OrgStatus.APPROVED
    )


def _check_open(shift: Shift) -> None:
    if shift.project.organization.status != OrgStatus.APPROVED:
        raise DomainError(
            "shift", _("This organization is not taking sign-ups at the moment.")
        )
    if not takes_sign_ups(shift):
        raise DomainError("shift", _("This shift is no longer open for sign-up."))


def _overlapping(profile: VolunteerProfile, shift: Shift) -> Shift | None:
    return db.session.scalar(
        select(Shift)
        .join(SignUp, SignUp.shift_id == Shift.id)
        .where(
            SignUp.volunteer_id == profile.id,
            SignUp.state == SignUpState.CONFIRMED,
            Shift.id != shift.id,
            Shift.starts_at < shift.ends_at,
            Shift.ends_at > shift.starts_at,
        )
        .limit(1)
    )


def _minutes_confirmed_in_week(profile: VolunteerProfile, shift: Shift) -> int:
    week_start, week_end = week_bounds(shift.starts_at)
    rows = db.session.execute(
        select(Shift.starts_at, Shift.ends_at)
        .join(SignUp, SignUp.shift_id == Shift.id)
        .where(
            SignUp.volunteer_id == profile.id,
            SignUp.state == SignUpState.CONFIRMED,
            Shift.id != shift.id,
            Shift.starts_at >= week_start,
            Shift.starts_at < week_end,
        )
    ).all()
    return sum(int((end - start).total_seconds() // 60) for start, end in rows)


def check_rules(profile: VolunteerProfile, shift: Shift) -> None:
    """Everything but the seat: raises the first rule ``profile`` breaks for ``shift``."""
    service_day = local_date(shift.starts_at)
    age = profile.age(service_day)
    if shift.min_age and age < shift.min_age:
        raise DomainError(
            "min_age",
            _("This shift needs volunteers aged %(age)s or over.", age=shift.min_age),
        )
    if profile.is_minor and not profile.has_guardian_consent:
        raise DomainError(
            "guardian_consent",
            _("Volunteers under 18 need their guardian's consent on record before signing up."),
        )
    missing = [code for code in shift.skills or () if code not in (profile.skills or ())]
    if missing:
        names = "、".join(str(SKILLS.get(code, code)) for code in missing)
        raise DomainError(
            "skills", _("This shift needs skills your profile does not list: %(skills)s.",
                        skills=names)
        )
    if shift.risky and not has_insurance(profile.id, service_day):
        raise DomainError(
            "insurance",
            _("This activity carries risks: accident insurance must be on record for its date "
              "before you sign up."),
        )
    clash = _overlapping(profile, shift)
    if clash is not None:
        raise DomainError(
            "schedule",
            _("You already have a shift at this time (%(title)s).", title=clash.project.title),
        )
    allowed = round((profile.hours_per_week or 0) * 60)
    already = _minutes_confirmed_in_week(profile, shift)
    if already + shift.minutes > allowed:
        offered, booked = f"{allowed / 60:g}", f"{already / 60:g}"
        raise DomainError(
            "hours_per_week",
            _("This shift would take you past the %(hours)s hours a week your profile offers "
              "(%(booked)s already booked that week).", hours=offered, booked=booked),
        )


def first_problem(user, shift: Shift) -> str | None:
    """Why ``user`` could not sign up for ``shift`` now, shown before they tap; None when
    nothing stands in the way. The sign-up itself checks everything again."""
    profile = profile_of(user)
    if profile is None:
        return None
    try:
        _check_open(shift)
        check_rules(profile, shift)
    except DomainError as exc:
        return exc.message
    return None


# --- seats ---------------------------------------------------------------------------


def _take_seat(shift_id: int) -> bool:
    result = db.session.execute(
        update(Shift)
        .where(
            Shift.id == shift_id,
            Shift.state == ShiftState.SCHEDULED,
            Shift.seats_taken < Shift.seats,
        )
        .values(seats_taken=Shift.seats_taken + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _give_back_seat(shift_id: int) -> None:
    db.session.execute(
        update(Shift)
        .where(Shift.id == shift_id, Shift.seats_taken > 0)
        .values(seats_taken=Shift.seats_taken - 1)
        .execution_options(synchronize_session=False)
    )


def lock_shift(shift_id: int) -> None:
    """Hold the shift's row until commit, so that deciding "full, wait" and giving a seat back
    cannot interleave: a no-op UPDATE locks the row on PostgreSQL, and any write holds
    SQLite's single writer lock already."""
    db.session.execute(
        update(Shift)
        .where(Shift.id == shift_id)
        .values(seats_taken=Shift.seats_taken)
        .execution_options(synchronize_session=False)
    )


def lock_volunteer(profile_id: int) -> None:
    """Hold the volunteer's row until commit, so that two sign-ups by one person sent at
    once (two phones) check the schedule and the weekly hours one after the other."""
    db.session.execute(
        update(VolunteerProfile)
        .where(VolunteerProfile.id == profile_id)
        .values(hours_per_week=VolunteerProfile.hours_per_week)
        .execution_options(synchronize_session=False)
    )


def _refresh_seats(shift: Shift) -> None:
    db.session.refresh(shift, attribute_names=["seats_taken"])


# --- signing up ----------------------------------------------------------------------


def sign_up(user, shift: Shift) -> SignUp:
    """Sign the user up for ``shift``: confirmed while seats last, waitlisted after.

    A second tap returns the sign-up the first made. Two taps that race past that check meet
    the unique index on live sign-ups; the view rolls back and shows the first one.
    """
    profile = profile_of(user)
    if profile is None:
        raise DomainError("profile", _("Complete your volunteer profile before signing up."))
    existing = live_sign_up(shift.id, profile.id)
    if existing is not None:
        return existing
    _check_open(shift)
    lock_volunteer(profile.id)
    check_rules(profile, shift)

    entry = SignUp(shift_id=shift.id, volunteer_id=profile.id, state=SignUpState.WAITLISTED)
    db.session.add(entry)
    db.session.flush()  # a duplicate fails here, before any seat is taken
    confirmed = _take_seat(shift.id)
    if not confirmed:
        lock_shift(shift.id)
        confirmed = _take_seat(shift.id)  # a seat given back while we waited for the lock
    if confirmed:
        entry.state = SignUpState.CONFIRMED
        db.session.flush()
        notices.confirmed(entry)
    else:
        notices.waitlisted(entry)
    _refresh_seats(shift)
    return entry


def waitlist_position(entry: SignUp) -> int | None:
    if entry.state != SignUpState.WAITLISTED:
        return None
    ahead = db.session.scalar(
        select(func.count(SignUp.id)).where(
            SignUp.shift_id == entry.shift_id,
            SignUp.state == SignUpState.WAITLISTED,
            SignUp.id < entry.id,
        )
    )
    return ahead + 1


# --- cancelling and promotion --------------------------------------------------------


def cancel_deadline(shift: Shift) -> datetime:
    hours = current_app.config["SIGNUP_CANCEL_DEADLINE_HOURS"]
    return shift.starts_at - timedelta(hours=hours)


def may_cancel(entry: SignUp, now: datetime | None = None) -> bool:
    return entry.is_live and entry.shift.starts_at > (now or utcnow())


def cancel(user, entry: SignUp, *, reason: str | None = None, by_organizer: bool = False) -> bool:
    """Cancel a confirmed or waiting sign-up; returns whether it was late (§8.24).

    A volunteer cancels until the shift starts (after the deadline it is recorded as late,
    never as a no-show); the organizer at any time before it is held.
    """
    now = utcnow()
    shift = entry.shift
    if not by_organizer and not may_cancel(entry, now):
        raise DomainError(
            "sign_up", _("This shift has started: tell its leader instead of cancelling.")
        )
    late = not by_organizer and now > cancel_deadline(shift)
    lock_shift(shift.id)
    # Read the state under the lock: a promotion may have confirmed a waiting entry meanwhile.
    db.session.refresh(entry)
    if not entry.is_live:  # cancelled meanwhile (a second tap): nothing more to do
        return entry.late_cancel
    was_confirmed = entry.state == SignUpState.CONFIRMED
    result = db.session.execute(
        update(SignUp)
        .where(SignUp.id == entry.id, SignUp.state == entry.state)
        .values(state=SignUpState.CANCELLED, cancelled_at=now, late_cancel=late,
                cancelled_by_id=user.id, cancel_reason=reason or None)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(entry)
    if result.rowcount != 1:
        return entry.late_cancel
    notices.withdraw_reminders(entry)
    if by_organizer:
        notices.cancelled_by_organizer(entry)
    if was_confirmed:
        promoted = promote_next(shift)
        if promoted is None:
            _give_back_seat(shift.id)
    _refresh_seats(shift)
    return late


def cancel_by_organizer(user, entry: SignUp, reason: str) -> None:
    """The organizer withdraws a place before the shift, with a reason (domain §4)."""
    reason = clean_text("reason", reason, max_length=500, required=True)
    if not may_cancel(entry):
        raise DomainError("reason", _("Only a place on a shift still to come can be withdrawn."))
    cancel(user, entry, reason=reason, by_organizer=True)


def promote_next(shift: Shift) -> SignUp | None:
    """Move the seat just given back to the first waiting person whose rules still hold.

    The caller holds the shift's lock and the seat stays counted as taken; returns the
    promoted sign-up, or None when nobody can take it.
    """
    if not takes_sign_ups(shift):
        return None
    waiting = db.session.scalars(
        select(SignUp)
        .where(SignUp.shift_id == shift.id, SignUp.state == SignUpState.WAITLISTED)
        .order_by(SignUp.id)
    ).all()
    for candidate in waiting:
        try:
            check_rules(candidate.volunteer, shift)
        except DomainError:
            continue
        moved = db.session.execute(
            update(SignUp)
            .where(SignUp.id == candidate.id, SignUp.state == SignUpState.WAITLISTED)
            .values(state=SignUpState.CONFIRMED, promoted_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if moved.rowcount == 1:
            db.session.refresh(candidate)
            notices.promoted(candidate)
            return candidate
    return None


def fill_free_seats(shift: Shift) -> int:
    """Seats added to a shift go to the waiting list in order; the caller holds the lock.
    Returns how many were promoted."""
    promoted = 0
    while _take_seat(shift.id):
        if promote_next(shift) is None:
            _give_back_seat(shift.id)
            break
        promoted += 1
    _refresh_seats(shift)
    return promoted


def cancel_all(user, shift: Shift, reason: str | None, *, project_closed: bool = False) -> int:
    """The shift was cancelled (or its project closed): every live sign-up is cancelled and
    its volunteer told."""
    now = utcnow()
    entries = db.session.scalars(
        select(SignUp).where(SignUp.shift_id == shift.id, SignUp.state.in_(LIVE_SIGNUP_STATES))
    ).all()
    for entry in entries:
        entry.state = SignUpState.CANCELLED
        entry.cancelled_at = now
        entry.cancelled_by_id = user.id
        entry.cancel_reason = reason
        notices.withdraw_reminders(entry)
        if project_closed:
            notices.project_closed(entry)
        else:
            notices.shift_cancelled(entry, reason)
    shift.seats_taken = 0
    db.session.flush()
    return len(entries)

