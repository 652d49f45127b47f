"""志愿服务记录证明: issued free on the volunteer's request (条例 art. 38, 民政部令第67号) by the
organization that recorded the service, checked publicly by serial and check code (§8.26,
§8.33). Services flush; the caller commits."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from marketplace.clock import local_today
from marketplace.errors import DomainError, OutOfScope
from marketplace.extensions import db
from marketplace.hours.models import Certificate, HoursEntry, HoursKind
from marketplace.hours.services import counted_entries
from marketplace.privacy.masking import mask_name
from marketplace.volunteers.models import VolunteerProfile

# No 0/O, 1/I: the code is read off paper and typed on a phone.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


def serial_of(organization_id: int, year: int, sequence: int) -> str:
    """Issuer, year and sequence: ``000012-2026-000034``."""
    return f"{organization_id:06d}-{year}-{sequence:06d}"


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _profile(user) -> VolunteerProfile:
    profile = db.session.scalar(select(VolunteerProfile).where(VolunteerProfile.user_id == user.id))
    if profile is None:
        raise DomainError(None, _("Complete your volunteer profile first."))
    return profile


def issuer_choices(user) -> list[tuple[int, str]]:
    """Organizations that verified volunteer hours for ``user``: who can issue them one."""
    from marketplace.orgs.models import Organization

    profile = db.session.scalar(select(VolunteerProfile).where(VolunteerProfile.user_id == user.id))
    if profile is None:
        return []
    rows = db.session.execute(
        select(Organization.id, Organization.name)
        .join(HoursEntry, HoursEntry.organization_id == Organization.id)
        .where(HoursEntry.volunteer_id == profile.id, HoursEntry.kind == HoursKind.VOLUNTEER,
               counted_entries())
        .group_by(Organization.id, Organization.name)
        .order_by(Organization.name)
    ).all()
    return [(row.id, row.name) for row in rows]


def _lines(volunteer_id: int, organization_id: int, period_from: date, period_to: date):
    from marketplace.projects.models import Project

    rows = db.session.execute(
        select(Project.title, func.sum(HoursEntry.minutes))
        .select_from(HoursEntry)
        .outerjoin(Project, Project.id == HoursEntry.project_id)
        .where(HoursEntry.volunteer_id == volunteer_id,
               HoursEntry.organization_id == organization_id,
               HoursEntry.kind == HoursKind.VOLUNTEER,
               HoursEntry.service_date.between(period_from, period_to),
               counted_entries())
        .group_by(Project.title)
        .order_by(Project.title)
    ).all()
    return [{"title": title or "", "minutes": int(minutes)} for title, minutes in rows]


def issue(user, organization_id: int, period_from: date, period_to: date) -> Certificate:
    """A certificate of the verified volunteer hours ``organization_id`` recorded for the
    user in the period. Asking again for the same one returns it instead of a copy."""
    profile = _profile(user)
    if organization_id not in {org_id for org_id, _name in issuer_choices(user)}:
        raise DomainError("organization_id",
                          _("Choose an organization that verified hours of yours."))
    if period_to < period_from:
        raise DomainError("period_to", _("The end of the period is before its start."))
    today = local_today()
    if period_to > today:
        raise DomainError("period_to", _("The period cannot end after today."))
    lines = _lines(profile.id, organization_id, period_from, period_to)
    total = sum(line["minutes"] for line in lines)
    if total == 0:
        raise DomainError("period_from",
                          _("This organization verified no volunteer hours of yours in that "
                            "period."))
    same = db.session.scalar(
        select(Certificate).where(
            Certificate.volunteer_id == profile.id,
            Certificate.organization_id == organization_id,
            Certificate.period_from == period_from, Certificate.period_to == period_to,
            Certificate.total_minutes == total,
        )
    )
    if same is not None:
        return same
    for _attempt in range(5):
        sequence = 1 + (db.session.scalar(
            select(func.max(Certificate.sequence)).where(
                Certificate.organization_id == organization_id, Certificate.year == today.year
            )
        ) or 0)
        certificate = Certificate(
            volunteer_id=profile.id, organization_id=organization_id, year=today.year,
            sequence=sequence, serial=serial_of(organization_id, today.year, sequence),
            check_code=_new_code(), period_from=period_from, period_to=period_to,
            total_minutes=total, lines=lines, requested_by_id=user.id,
        )
        try:
            with db.session.begin_nested():  # another request may take the number first
                db.session.add(certificate)
        except IntegrityError:
            continue
        return certificate
    raise DomainError(None, _("Many certificates are being issued right now: try again."))


def certificates_of(user) -> list[Certificate]:
    return list(db.session.scalars(
        select(Certificate)
        .join(VolunteerProfile, VolunteerProfile.id == Certificate.volunteer_id)
        .where(VolunteerProfile.user_id == user.id)
        .options(joinedload(Certificate.organization))
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
    ))


def own_certificate(user, certificate_id: int) -> Certificate:
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or certificate.volunteer.user_id != user.id:
        raise OutOfScope()
    return certificate


@dataclass(frozen=True)
class PublicCheck:
    """All the public page shows (§8.26): nothing else about the volunteer."""

    masked_name: str
    period_from: date
    period_to: date
    total_hours: float
    issuer: str
    serial: str


def normalise(value: str | None) -> str:
    return "".join((value or "").split()).upper()


def check(serial: str | None, code: str | None) -> PublicCheck | None:
    """The certificate when serial and code both match; None for a forged or altered one
    (the same answer either way, so a serial alone reveals nothing)."""
    serial, code = normalise(serial), normalise(code)
    if not serial or not code or len(serial) > 32:
        return None
    certificate = db.session.scalar(
        select(Certificate).where(Certificate.serial == serial)
        .options(joinedload(Certificate.volunteer), joinedload(Certificate.organization))
    )
    expected = certificate.check_code if certificate is not None else _new_code()
    if not hmac.compare_digest(expected.encode(), code.encode()) or certificate is None:
        return None
    return PublicCheck(
        masked_name=mask_name(certificate.volunteer.real_name),
        period_from=certificate.period_from, period_to=certificate.period_to,
        total_hours=round(certificate.total_minutes / 60, 1),
        issuer=certificate.organization.name, serial=certificate.serial,
    )
