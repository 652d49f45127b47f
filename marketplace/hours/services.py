"""The hours ledger's rules: what is recorded as which kind, who decides an entry, what
counts. Services flush; the caller commits."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from marketplace.auth.models import Role, RoleGrant
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.hours.models import (
    HoursEntry,
    HoursKind,
    HoursSource,
    HoursState,
    InsuranceRecord,
)
from marketplace.volunteers.models import VolunteerProfile

MAX_MINUTES = 24 * 60
STAFF_ROLES = (Role.SOCIAL_WORKER, Role.ORG_ADMIN)


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
    if not isinstance(minutes, int) or minutes > MAX_MINUTES or minutes < (0 if allow_zero else 1):
        raise DomainError("minutes", _("Service time must be between 1 minute and 24 hours."))


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
