"""Insurance records an organization keeps for the volunteers who serve with it."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import exists, or_, select

from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.hours.models import HoursEntry, InsuranceRecord
from marketplace.hours.services import staff_organization
from marketplace.text import forbidden_character, visible_length
from marketplace.volunteers.models import VolunteerProfile


def serves_with(volunteer_id: int, organization_id: int) -> bool:
    """A member of one of its teams, signed up for one of its shifts, or with hours it
    recorded: an organization records insurance only for its own volunteers."""
    from marketplace.projects.models import Project, Shift, SignUp
    from marketplace.teams.models import LIVE_MEMBERSHIP_STATES, TeamMembership, VolunteerTeam

    member = exists().where(
        TeamMembership.volunteer_id == volunteer_id,
        TeamMembership.state.in_(LIVE_MEMBERSHIP_STATES),
        TeamMembership.team_id == VolunteerTeam.id,
        VolunteerTeam.organization_id == organization_id,
    )
    signed_up = exists().where(
        SignUp.volunteer_id == volunteer_id, SignUp.shift_id == Shift.id,
        Shift.project_id == Project.id, Project.organization_id == organization_id,
    )
    recorded = exists().where(
        HoursEntry.volunteer_id == volunteer_id, HoursEntry.organization_id == organization_id
    )
    return bool(db.session.scalar(select(or_(member, signed_up, recorded))))


def record(user, organization_id: int, volunteer_no: str, insurer: str, policy_no: str,
           valid_from: date, valid_until: date) -> InsuranceRecord:
    staff_organization(user, organization_id)
    volunteer = db.session.scalar(
        select(VolunteerProfile).where(VolunteerProfile.volunteer_no == volunteer_no.strip())
    )
    if volunteer is None or not serves_with(volunteer.id, organization_id):
        raise DomainError("volunteer_no",
                          _("No volunteer with this number serves with your organization."))
    if valid_until < valid_from:
        raise DomainError("valid_until", _("The policy ends before it starts."))
    for field, value in (("insurer", insurer), ("policy_no", policy_no)):
        if forbidden_character(value or "") is not None or not visible_length(value):
            raise DomainError(field, _("Fill this in with visible characters."))
    same = db.session.scalar(
        select(InsuranceRecord).where(
            InsuranceRecord.volunteer_id == volunteer.id,
            InsuranceRecord.policy_no == policy_no.strip(),
            InsuranceRecord.valid_from == valid_from, InsuranceRecord.valid_until == valid_until,
        ).limit(1)
    )
    if same is not None:  # recorded already (a double submit): keep the one record
        return same
    insurance = InsuranceRecord(
        volunteer_id=volunteer.id, insurer=insurer.strip(), policy_no=policy_no.strip(),
        valid_from=valid_from, valid_until=valid_until, organization_id=organization_id,
        recorded_by_id=user.id,
    )
    db.session.add(insurance)
    db.session.flush()
    return insurance


def recorded_by(organization_id: int, limit: int = 200) -> list[tuple[InsuranceRecord, str, str]]:
    """The organization's records, newest first, with the volunteer's number and name."""
    rows = db.session.execute(
        select(InsuranceRecord, VolunteerProfile.volunteer_no, VolunteerProfile.real_name)
        .join(VolunteerProfile, VolunteerProfile.id == InsuranceRecord.volunteer_id)
        .where(InsuranceRecord.organization_id == organization_id)
        .order_by(InsuranceRecord.id.desc())
        .limit(limit)
    ).all()
    return [tuple(row) for row in rows]
