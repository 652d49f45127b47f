"""Projects (项目) and their shifts: create, edit, publish, close, cancel. Services flush; the
caller commits. Scope is checked by the ``access`` getters the views call first."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.clock import utcnow
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.geo.models import Community, Street
from marketplace.orgs.models import Organization, OrgStatus, ServiceDomain
from marketplace.projects import notices, signups
from marketplace.projects.access import is_staff_of, staff_org_ids
from marketplace.projects.localtime import local_date, to_utc
from marketplace.projects.models import (
    FeeType,
    Project,
    ProjectState,
    Shift,
    ShiftState,
    SignUpState,
)
from marketplace.projects.text import clean_text
from marketplace.volunteers.codes import LANGUAGES, SKILLS
from marketplace.volunteers.models import VolunteerProfile

MAX_SEATS = 500
MAX_SHIFT_HOURS = 12
EDITABLE_PROJECT_STATES = (ProjectState.DRAFT, ProjectState.PUBLISHED)


@dataclass
class ProjectData:
    title: str
    domain: str
    starts_on: date | None
    ends_on: date | None = None
    community_id: int | None = None
    street_id: int | None = None
    fee_type: str = FeeType.FREE.value
    description: str = ""
    beneficiaries: str = ""


@dataclass
class ShiftData:
    """Times in Beijing time, as the form gives them."""

    starts_at: datetime | None
    ends_at: datetime | None
    community_id: int | None
    seats: int | None
    address: str = ""
    lat: float | None = None
    lon: float | None = None
    skills: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    min_age: int = 0
    risky: bool = False
    leader_volunteer_no: str = ""
    note: str = ""


# --- projects ------------------------------------------------------------------------


def _require_approved(org: Organization) -> None:
    if org.status != OrgStatus.APPROVED:
        raise DomainError(
            None, _("Only an approved organization publishes projects and shifts.")
        )


def _project_values(data: ProjectData) -> dict:
    title = clean_text("title", data.title, max_length=100, required=True)
    try:
        domain = ServiceDomain(data.domain)
    except ValueError:
        raise DomainError("domain", _("Choose a service domain.")) from None
    try:
        fee_type = FeeType(data.fee_type)
    except ValueError:
        raise DomainError("fee_type", _("Choose whether the service is free.")) from None
    if data.starts_on is None:
        raise DomainError("starts_on", _("Give the first day of the project."))
    if data.ends_on is not None and data.ends_on < data.starts_on:
        raise DomainError("ends_on", _("The project cannot end before it starts."))
    community_id = data.community_id or None
    street_id = data.street_id or None
    if community_id is not None and db.session.get(Community, community_id) is None:
        raise DomainError("community_id", _("Choose a community from the list."))
    if street_id is not None and db.session.get(Street, street_id) is None:
        raise DomainError("street_id", _("Choose a street from the list."))
    if community_id is None and street_id is None:
        raise DomainError("community_id", _("Say which community or street the project serves."))
    if community_id is not None:
        street_id = None  # the street follows from the community; never stored twice
    return {
        "title": title,
        "domain": domain,
        "fee_type": fee_type,
        "starts_on": data.starts_on,
        "ends_on": data.ends_on,
        "community_id": community_id,
        "street_id": street_id,
        "description": clean_text("description", data.description, max_length=4000,
                                  multiline=True),
        "beneficiaries": clean_text("beneficiaries", data.beneficiaries, max_length=500,
                                    multiline=True),
    }


def create_project(user, org: Organization, data: ProjectData) -> Project:
    if not is_staff_of(user, org.id):
        raise DomainError(None, _("Only the organization's staff create its projects."))
    _require_approved(org)
    project = Project(organization_id=org.id, created_by_id=user.id,
                      state=ProjectState.DRAFT, **_project_values(data))
    db.session.add(project)
    db.session.flush()
    return project


def update_project(project: Project, data: ProjectData) -> Project:
    if project.state not in EDITABLE_PROJECT_STATES:
        raise DomainError(None, _("A closed project can no longer be changed."))
    for name, value in _project_values(data).items():
        setattr(project, name, value)
    db.session.flush()
    return project


def publish(project: Project) -> None:
    _require_approved(project.organization)
    if project.state != ProjectState.DRAFT:
        raise DomainError(None, _("Only a draft can be published."))
    project.state = ProjectState.PUBLISHED
    project.published_at = utcnow()
    db.session.flush()


def close(user, project: Project) -> int:
    """Close the project; its future shifts are cancelled and whoever signed up is told.
    Returns how many shifts were cancelled."""
    if project.state != ProjectState.PUBLISHED:
        raise DomainError(None, _("Only a published project can be closed."))
    now = utcnow()
    project.state = ProjectState.CLOSED
    project.closed_at = now
    future = [s for s in project.shifts if s.state == ShiftState.SCHEDULED and s.starts_at > now]
    for shift in future:
        _cancel(user, shift, _("The project was closed."), project_closed=True)
    db.session.flush()
    return len(future)


def projects_of(user) -> list[Project]:
    org_ids = staff_org_ids(user)
    if not org_ids:
        return []
    return list(db.session.scalars(
        select(Project).where(Project.organization_id.in_(org_ids))
        .order_by(Project.state, Project.starts_on.desc(), Project.id.desc())
    ))


def may_create_project(user, org: Organization) -> bool:
    return is_staff_of(user, org.id) and org.status == OrgStatus.APPROVED


def shifts_shown(user, project: Project) -> list[Shift]:
    """Staff see every shift of their project; everyone else the coming scheduled ones."""
    if is_staff_of(user, project.organization_id):
        return list(project.shifts)
    now = utcnow()
    return [s for s in project.shifts if s.state == ShiftState.SCHEDULED and s.starts_at > now]


def allowed_shift_actions(user, shift: Shift) -> set[str]:
    """What the organization's staff may do with a shift now: change it before it happens;
    record the people served and follow-ups once it was held."""
    if not is_staff_of(user, shift.project.organization_id):
        return set()
    if shift.state == ShiftState.SCHEDULED and shift.starts_at > utcnow():
        return {"edit"}
    if shift.state == ShiftState.HELD:
        return {"follow_ups", "record_beneficiaries"}
    return set()


def allowed_project_actions(user, project: Project) -> list[str]:
    if not is_staff_of(user, project.organization_id):
        return []
    approved = project.organization.status == OrgStatus.APPROVED
    actions = []
    if project.state in EDITABLE_PROJECT_STATES:
        actions.append("edit")
    if project.state == ProjectState.DRAFT and approved:
        actions.append("publish")
    if project.state == ProjectState.PUBLISHED:
        actions.append("close")
    if project.state in EDITABLE_PROJECT_STATES and approved:
        actions.append("add_shift")
    return actions


# --- shifts --------------------------------------------------------------------------


def _leader_user_id(volunteer_no: str) -> int | None:
    number = clean_text("leader_volunteer_no", volunteer_no, max_length=16).upper()
    if not number:
        return None
    profile = db.session.scalar(
        select(VolunteerProfile).where(VolunteerProfile.volunteer_no == number)
    )
    if profile is None:
        raise DomainError("leader_volunteer_no", _("No volunteer has this number."))
    return profile.user_id


def _shift_values(project: Project, data: ShiftData) -> dict:
    if data.starts_at is None:
        raise DomainError("starts_at", _("Give the start time."))
    if data.ends_at is None or data.ends_at <= data.starts_at:
        raise DomainError("ends_at", _("The shift must end after it starts."))
    starts_at, ends_at = to_utc(data.starts_at), to_utc(data.ends_at)
    if ends_at - starts_at > timedelta(hours=MAX_SHIFT_HOURS):
        raise DomainError(
            "ends_at", _("A shift lasts at most %(hours)s hours.", hours=MAX_SHIFT_HOURS)
        )
    if starts_at <= utcnow():
        raise DomainError("starts_at", _("The shift must start in the future."))
    day = local_date(starts_at)
    if day < project.starts_on or (project.ends_on is not None and day > project.ends_on):
        raise DomainError("starts_at", _("The shift must fall within the project's dates."))
    community = db.session.get(Community, data.community_id) if data.community_id else None
    if community is None:
        raise DomainError("community_id", _("Choose a community from the list."))
    if data.seats is None or not 1 <= data.seats <= MAX_SEATS:
        raise DomainError(
            "seats", _("Between 1 and %(most)s seats.", most=MAX_SEATS)
        )
    if not 0 <= (data.min_age or 0) <= 100:
        raise DomainError("min_age", _("Give an age between 0 and 100."))
    unknown = [c for c in data.skills if c not in SKILLS]
    if unknown:
        raise DomainError("skills", _("Choose skills from the list."))
    if [c for c in data.languages if c not in LANGUAGES]:
        raise DomainError("languages", _("Choose languages from the list."))
    lat = data.lat if data.lat is not None else community.lat
    lon = data.lon if data.lon is not None else community.lon
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise DomainError("lat", _("The point is outside the map."))
    return {
        "starts_at": starts_at,
        "ends_at": ends_at,
        "community_id": community.id,
        "address": clean_text("address", data.address, max_length=200),
        "lat": lat,
        "lon": lon,
        "seats": data.seats,
        "skills": [c for c in SKILLS if c in data.skills],
        "languages": [c for c in LANGUAGES if c in data.languages],
        "min_age": data.min_age or 0,
        "risky": bool(data.risky),
        "leader_id": _leader_user_id(data.leader_volunteer_no),
        "note": clean_text("note", data.note, max_length=2000, multiline=True),
    }


def create_shift(project: Project, data: ShiftData) -> Shift:
    _require_approved(project.organization)
    if project.state not in EDITABLE_PROJECT_STATES:
        raise DomainError(None, _("A closed project takes no new shifts."))
    shift = Shift(project_id=project.id, seats_taken=0, state=ShiftState.SCHEDULED,
                  **_shift_values(project, data))
    db.session.add(shift)
    db.session.flush()
    return shift


def update_shift(user, shift: Shift, data: ShiftData) -> Shift:
    """Change a scheduled shift. Seats cannot drop below those taken; added seats go to the
    waiting list in order; confirmed people's reminders follow a new time."""
    if shift.state != ShiftState.SCHEDULED or shift.starts_at <= utcnow():
        raise DomainError(None, _("Only a shift that has not started can be changed."))
    values = _shift_values(shift.project, data)
    signups.lock_shift(shift.id)
    db.session.refresh(shift, attribute_names=["seats_taken"])
    if values["seats"] < shift.seats_taken:
        raise DomainError(
            "seats",
            _("%(taken)s people are confirmed: keep at least that many seats.",
              taken=shift.seats_taken),
        )
    moved = values["starts_at"] != shift.starts_at
    for name, value in values.items():
        setattr(shift, name, value)
    db.session.flush()
    if moved:
        for entry in shift.sign_ups:
            if entry.state == SignUpState.CONFIRMED:
                notices.withdraw_reminders(entry)
                notices.schedule_reminders(entry)
    signups.fill_free_seats(shift)
    return shift


def _cancel(user, shift: Shift, reason: str, *, project_closed: bool = False) -> None:
    shift.state = ShiftState.CANCELLED
    shift.cancelled_at = utcnow()
    shift.cancel_reason = reason
    signups.cancel_all(user, shift, reason, project_closed=project_closed)


def cancel_shift(user, shift: Shift, reason: str) -> None:
    reason = clean_text("reason", reason, max_length=500, required=True)
    if shift.state != ShiftState.SCHEDULED:
        raise DomainError(None, _("Only a scheduled shift can be cancelled."))
    _cancel(user, shift, reason)
    db.session.flush()
