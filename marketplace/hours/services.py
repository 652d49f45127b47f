"""The hours ledger's rules: what is recorded as which kind, who decides an entry, what
counts. Services flush; the caller commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, joinedload

from marketplace.auth import scopes
from marketplace.auth.models import RoleGrant
from marketplace.auth.scopes import STAFF_ROLES
from marketplace.clock import local_today, utcnow
from marketplace.errors import DomainError, OutOfScope
from marketplace.extensions import db
from marketplace.hours.models import (
    HoursEntry,
    HoursKind,
    HoursSource,
    HoursState,
    InsuranceRecord,
)
from marketplace.notifications.services import notify
from marketplace.text import forbidden_character, visible_length
from marketplace.volunteers.models import VolunteerProfile

MAX_MINUTES = 24 * 60
DOUBLE_SUBMIT_WINDOW = timedelta(minutes=10)


def entry_kind(*, volunteer_id: int, organization_id: int, project_id: int | None) -> HoursKind:
    """§8.16: work under a low_fee/paid project, or by the organization's own staff, is paid
    work and never counts as volunteer hours."""
    from marketplace.projects.models import FeeType, Project

    if project_id is not None:
        fee = db.session.scalar(select(Project.fee_type).where(Project.id == project_id))
        if fee is not None and fee != FeeType.FREE:
            return HoursKind.PAID
    is_staff = db.session.scalar(
        select(exists().where(
            RoleGrant.user_id == VolunteerProfile.user_id,
            VolunteerProfile.id == volunteer_id,
            RoleGrant.organization_id == organization_id,
            RoleGrant.role.in_(STAFF_ROLES),
        ))
    )
    return HoursKind.PAID if is_staff else HoursKind.VOLUNTEER


def _check_minutes(minutes: int, *, allow_zero: bool = False) -> None:
    """The forms type hours, so the message goes on their ``hours`` field."""
    if not isinstance(minutes, int) or minutes > MAX_MINUTES or minutes < (0 if allow_zero else 1):
        raise DomainError("hours", _("Service time must be between 1 minute and 24 hours."))


def record_pending(*, volunteer_id: int, organization_id: int, service_date: date, minutes: int,
                   source: HoursSource, project_id: int | None = None,
                   sign_up_id: int | None = None, recorded_by_id: int | None = None,
                   team_id: int | None = None) -> HoursEntry:
    """Append a pending entry for the recording organization to verify.

    A sign-up yields one original entry: calling again for the same sign-up returns the first.
    """
    _check_minutes(minutes)
    if sign_up_id is not None:
        existing = _original_for_sign_up(sign_up_id)
        if existing is not None:
            return existing
    entry = HoursEntry(
        volunteer_id=volunteer_id, organization_id=organization_id, project_id=project_id,
        sign_up_id=sign_up_id, team_id=team_id, service_date=service_date, minutes=minutes,
        source=HoursSource(source), state=HoursState.PENDING, recorded_by_id=recorded_by_id,
        kind=entry_kind(volunteer_id=volunteer_id, organization_id=organization_id,
                        project_id=project_id),
    )
    if sign_up_id is None:
        db.session.add(entry)
        db.session.flush()
        return entry
    try:
        with db.session.begin_nested():  # a concurrent check-out may have written it
            db.session.add(entry)
    except IntegrityError:
        existing = _original_for_sign_up(sign_up_id)
        if existing is None:
            raise
        return existing
    return entry


def _original_for_sign_up(sign_up_id: int) -> HoursEntry | None:
    return db.session.scalar(
        select(HoursEntry).where(
            HoursEntry.sign_up_id == sign_up_id, HoursEntry.corrects_id.is_(None)
        )
    )


def has_insurance(volunteer_id: int, on: date) -> bool:
    """Accident insurance on record that covers the day ``on``."""
    return bool(db.session.scalar(
        select(exists().where(
            InsuranceRecord.volunteer_id == volunteer_id,
            InsuranceRecord.valid_from <= on,
            InsuranceRecord.valid_until >= on,
        ))
    ))


def counted_entries():
    """Verified entries that no verified correction supersedes: what every total counts."""
    correction = aliased(HoursEntry)
    superseded = exists().where(
        correction.corrects_id == HoursEntry.id, correction.state == HoursState.VERIFIED
    )
    return (HoursEntry.state == HoursState.VERIFIED) & ~superseded


# --- who decides -------------------------------------------------------------------------


def staff_org_ids(user) -> set[int]:
    """Organizations whose social worker or admin ``user`` is: they record and verify hours."""
    return set(scopes.organization_ids(user, *STAFF_ROLES))


def staff_organization(user, organization_id: int):
    """The organization when ``user`` is its staff; 404 otherwise (nothing out of scope is
    confirmed to exist)."""
    from marketplace.orgs.models import Organization

    organization = db.session.get(Organization, organization_id)
    if organization is None or not scopes.acts_for(user, organization_id, *STAFF_ROLES):
        raise OutOfScope()
    return organization


def entry_for_staff(user, entry_id: int) -> HoursEntry:
    entry = db.session.get(HoursEntry, entry_id)
    if entry is None or not scopes.acts_for(user, entry.organization_id, *STAFF_ROLES):
        raise OutOfScope()
    return entry


def _refuse_own(user, entry: HoursEntry) -> None:
    if entry.volunteer.user_id == user.id:
        raise DomainError(None, _("Your own hours are verified by a colleague, not by you."))


def _decide(user, entry: HoursEntry, state: HoursState, reason: str | None) -> bool:
    """Move a pending entry to ``state`` once: a conditional UPDATE, so a double submit or
    two colleagues at once change it once. False when it was already decided."""
    result = db.session.execute(
        update(HoursEntry)
        .where(HoursEntry.id == entry.id, HoursEntry.state == HoursState.PENDING)
        .values(state=state, verified_by_id=user.id, verified_at=utcnow(), reject_reason=reason)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    db.session.refresh(entry)
    notify(
        entry.volunteer.user_id,
        "hours.verified" if state == HoursState.VERIFIED else "hours.rejected",
        {"organization": entry.organization.name, "minutes": entry.minutes,
         "service_date": entry.service_date.isoformat(), "reason": reason or ""},
        url=url_for("hours.mine"),
        dedupe_key=f"hours:{entry.id}:decided",
    )
    return True


def verify(user, entry_id: int) -> bool:
    """Verify a pending entry; True when this call did it, False when it was decided before."""
    entry = entry_for_staff(user, entry_id)
    _refuse_own(user, entry)
    if entry.corrects_id is not None and entry.state == HoursState.PENDING:
        original = db.session.get(HoursEntry, entry.corrects_id)
        if not _is_counted(original.id):
            raise DomainError(None, _("The entry this corrects was corrected already."))
    return _decide(user, entry, HoursState.VERIFIED, None)


def reject(user, entry_id: int, reason: str) -> bool:
    entry = entry_for_staff(user, entry_id)
    _refuse_own(user, entry)
    reason = _visible(reason, "reason", _("Say why the hours are not verified."))
    return _decide(user, entry, HoursState.REJECTED, reason)


def _visible(value: str | None, field: str, message: str) -> str:
    """The forms check text with ``CleanText``; this keeps the rule for any other caller."""
    text = (value or "").strip()
    if forbidden_character(text, multiline=True) is not None or not visible_length(text):
        raise DomainError(field, message)
    return text


def _is_counted(entry_id: int) -> bool:
    return bool(db.session.scalar(
        select(exists().where(HoursEntry.id == entry_id, counted_entries()))
    ))


def record_correction(user, entry_id: int, minutes: int, note: str) -> HoursEntry:
    """A new pending entry with the corrected minutes; once verified it replaces the old one
    in every total. Only a counted entry without a correction waiting may be corrected."""
    original = entry_for_staff(user, entry_id)
    _check_minutes(minutes, allow_zero=True)
    note = _visible(note, "note", _("Say what is corrected and why."))
    if not _is_counted(original.id):
        raise DomainError(None, _("Only verified hours can be corrected."))
    waiting = db.session.scalar(select(exists().where(
        HoursEntry.corrects_id == original.id, HoursEntry.state == HoursState.PENDING
    )))
    if waiting:
        raise DomainError(None, _("A correction of this entry is already waiting."))
    if minutes == original.minutes:
        raise DomainError("hours", _("The corrected time is the same as the recorded one."))
    correction = HoursEntry(
        volunteer_id=original.volunteer_id, organization_id=original.organization_id,
        project_id=original.project_id, team_id=original.team_id,
        service_date=original.service_date, minutes=minutes, kind=original.kind,
        source=HoursSource.MANUAL, state=HoursState.PENDING, corrects_id=original.id,
        note=note, recorded_by_id=user.id,
    )
    db.session.add(correction)
    db.session.flush()
    return correction


def record_manual(user, *, organization_id: int, volunteer_no: str, service_date: date,
                  minutes: int, project_id: int | None = None) -> HoursEntry:
    """Staff record service the site did not see (a roster on paper, a visit)."""
    from marketplace.projects.models import Project

    staff_organization(user, organization_id)
    volunteer = db.session.scalar(
        select(VolunteerProfile).where(VolunteerProfile.volunteer_no == volunteer_no.strip())
    )
    if volunteer is None:
        raise DomainError("volunteer_no", _("No volunteer has this number."))
    if project_id is not None:
        owner = db.session.scalar(select(Project.organization_id).where(Project.id == project_id))
        if owner != organization_id:
            raise DomainError("project_id", _("Choose one of this organization's projects."))
    if service_date > local_today():
        raise DomainError("service_date", _("Service cannot be recorded before it happens."))
    twin = db.session.scalar(
        select(HoursEntry).where(
            HoursEntry.volunteer_id == volunteer.id,
            HoursEntry.organization_id == organization_id,
            HoursEntry.service_date == service_date, HoursEntry.minutes == minutes,
            HoursEntry.project_id.is_(None) if project_id is None
            else HoursEntry.project_id == project_id,
            HoursEntry.source == HoursSource.MANUAL, HoursEntry.state == HoursState.PENDING,
            HoursEntry.corrects_id.is_(None),
            HoursEntry.created_at >= utcnow() - DOUBLE_SUBMIT_WINDOW,
        ).limit(1)
    )
    if twin is not None:  # the same form sent twice: the first entry stands
        return twin
    return record_pending(
        volunteer_id=volunteer.id, organization_id=organization_id, service_date=service_date,
        minutes=minutes, source=HoursSource.MANUAL, project_id=project_id,
        recorded_by_id=user.id,
    )


def queue_query(user, organization_id: int | None = None):
    """Pending entries of the organizations ``user`` staffs, oldest first."""
    org_ids = staff_org_ids(user)
    if organization_id is not None:
        org_ids &= {organization_id}
    return (
        select(HoursEntry)
        .where(HoursEntry.organization_id.in_(org_ids or {-1}),
               HoursEntry.state == HoursState.PENDING)
        .options(joinedload(HoursEntry.volunteer), joinedload(HoursEntry.project),
                 joinedload(HoursEntry.organization), joinedload(HoursEntry.corrects))
        .order_by(HoursEntry.service_date, HoursEntry.id)
    )


def ledger_query(organization_id: int):
    """Every entry of one organization, newest first (its ledger page)."""
    return (
        select(HoursEntry)
        .where(HoursEntry.organization_id == organization_id)
        .options(joinedload(HoursEntry.volunteer), joinedload(HoursEntry.project))
        .order_by(HoursEntry.service_date.desc(), HoursEntry.id.desc())
    )


def volunteer_entries_query(volunteer_id: int):
    """One volunteer's ledger, newest first (a query, for paging)."""
    return (
        select(HoursEntry)
        .where(HoursEntry.volunteer_id == volunteer_id)
        .options(joinedload(HoursEntry.organization), joinedload(HoursEntry.project))
        .order_by(HoursEntry.service_date.desc(), HoursEntry.id.desc())
    )


def entries_of_volunteer(volunteer_id: int) -> list[HoursEntry]:
    return list(db.session.scalars(volunteer_entries_query(volunteer_id)))


def counted_ids(entry_ids: list[int]) -> set[int]:
    """Which of ``entry_ids`` count in totals (verified and not superseded), in one query."""
    if not entry_ids:
        return set()
    return set(db.session.scalars(
        select(HoursEntry.id).where(HoursEntry.id.in_(entry_ids), counted_entries())
    ))


def pending_count(user) -> int:
    org_ids = staff_org_ids(user)
    if not org_ids:
        return 0
    return db.session.scalar(
        select(func.count()).select_from(HoursEntry).where(
            HoursEntry.organization_id.in_(org_ids), HoursEntry.state == HoursState.PENDING
        )
    )


# --- what counts -------------------------------------------------------------------------

# 星级: 1–5 stars from these verified volunteer hours (domain §1.2, §8.29).
STAR_THRESHOLDS_HOURS = (100, 300, 600, 1000, 1500)


def star_level(minutes: int) -> int:
    hours = minutes / 60
    return sum(1 for threshold in STAR_THRESHOLDS_HOURS if hours >= threshold)


def next_star_hours(minutes: int) -> int | None:
    """Hours of the next star, or None at five stars."""
    level = star_level(minutes)
    return STAR_THRESHOLDS_HOURS[level] if level < len(STAR_THRESHOLDS_HOURS) else None


@dataclass(frozen=True)
class Totals:
    volunteer_minutes: int
    paid_minutes: int

    @property
    def volunteer_hours(self) -> float:
        return round(self.volunteer_minutes / 60, 1)

    @property
    def paid_hours(self) -> float:
        return round(self.paid_minutes / 60, 1)


def totals(*, volunteer_id: int | None = None, organization_id: int | None = None,
           team_id: int | None = None, project_id: int | None = None,
           period: tuple[date, date] | None = None) -> Totals:
    """Verified, not superseded minutes, volunteer and paid apart (domain §5)."""
    query = (
        select(HoursEntry.kind, func.coalesce(func.sum(HoursEntry.minutes), 0))
        .where(counted_entries())
        .group_by(HoursEntry.kind)
    )
    for column, value in ((HoursEntry.volunteer_id, volunteer_id),
                          (HoursEntry.organization_id, organization_id),
                          (HoursEntry.team_id, team_id), (HoursEntry.project_id, project_id)):
        if value is not None:
            query = query.where(column == value)
    if period is not None:
        query = query.where(HoursEntry.service_date.between(*period))
    by_kind = dict(db.session.execute(query).all())
    return Totals(int(by_kind.get(HoursKind.VOLUNTEER, 0)), int(by_kind.get(HoursKind.PAID, 0)))


def volunteer_minutes_by(column, ids) -> dict[int, int]:
    """Verified volunteer minutes per value of ``column`` (e.g. HoursEntry.project_id) for
    ``ids``, in one query."""
    if not ids:
        return {}
    rows = db.session.execute(
        select(column, func.sum(HoursEntry.minutes))
        .where(counted_entries(), HoursEntry.kind == HoursKind.VOLUNTEER, column.in_(ids))
        .group_by(column)
    ).all()
    return {key: int(minutes) for key, minutes in rows}
