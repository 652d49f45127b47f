"""Living teams (服务小组): forming one when every member accepted, members leaving, the
team page per role, the visit schedule, the visit log (each entry a pending hours entry) and
回访 follow-ups."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError

from marketplace.audit.services import record
from marketplace.auth.models import Role
from marketplace.care.models import (
    CareRequest,
    CareRequestState,
    CareTeam,
    CareTeamMember,
    Household,
    VisitLog,
)
from marketplace.care.services import households as household_services
from marketplace.care.services.requests import move
from marketplace.clock import local_today, utcnow
from marketplace.errors import DomainError, OutOfScope
from marketplace.extensions import db
from marketplace.hours.models import HoursSource
from marketplace.hours.services import record_pending
from marketplace.notifications.calendar import recurring_dates
from marketplace.projects.localtime import local_date
from marketplace.projects.models import FollowUp, FollowUpAnswer, FollowUpChannel
from marketplace.text import visible_length
from marketplace.volunteers.codes import DAYS, SLOTS
from marketplace.volunteers.models import VolunteerProfile
from marketplace.volunteers.services import profile_of

OBJECT_TYPE = "care_team"
MINUTES_RANGE = (10, 480)
PERSONS_RANGE = (0, 10)
NOTE_MAX_LENGTH = 1000
LOG_DAYS_BACK = 30  # a visit older than this is entered by the social worker as manual hours
SCHEDULE_WEEKS = 4
FOLLOW_UP_PERSON_MAX = 100


# --- forming and leaving (used by the review of matching runs) ----------------------------


def form_team(care_request: CareRequest, volunteer_ids: list[int], *, actor) -> CareTeam:
    """Make (or complete) the living team of ``care_request`` from volunteers who all
    accepted. Members who serve already stay; the request becomes staffed."""
    ids = list(dict.fromkeys(volunteer_ids))
    if len(ids) != care_request.team_size:
        raise DomainError(None, _("A team needs exactly %(count)d members.",
                                  count=care_request.team_size))
    if care_request.state not in (CareRequestState.OPEN, CareRequestState.PROPOSED):
        raise DomainError(None, _("This request is not waiting for a team."))
    found = set(db.session.scalars(
        select(VolunteerProfile.id).where(VolunteerProfile.id.in_(ids))
    ))
    if found != set(ids):
        raise DomainError(None, _("A proposed member no longer has a volunteer profile."))
    team = care_request.living_team
    if team is None:
        team = CareTeam(care_request_id=care_request.id)
        db.session.add(team)
        db.session.flush()
    serving = {member.volunteer_id: member for member in team.current_members}
    for member in team.current_members:
        if member.volunteer_id not in ids:  # the accepted team replaces whoever is not in it
            member.left_at = utcnow()
            member.leave_reason = "replaced"
    for volunteer_id in ids:
        if volunteer_id not in serving:
            team.members.append(CareTeamMember(volunteer_id=volunteer_id))
    db.session.flush()
    move(care_request, CareRequestState.STAFFED, actor=actor)
    record(actor, "care_team.form", OBJECT_TYPE, team.id,
           places=household_services.places_of(care_request.household))
    return team


def member_leaves(member: CareTeamMember, *, actor, reason: str | None = None) -> None:
    """A member leaves (themself, or taken off by the social worker): one seat reopens and
    the others stay as the next run's ``current_team`` (§8.7)."""
    if member.left_at is not None:
        raise DomainError(None, _("This member has already left the team."))
    member.left_at = utcnow()
    member.leave_reason = " ".join((reason or "").split()) or None
    care_request = member.care_team.care_request
    db.session.flush()
    if care_request.state == CareRequestState.STAFFED:
        move(care_request, CareRequestState.OPEN, actor=actor, reason="member_left")
    record(actor, "care_team.leave", OBJECT_TYPE, member.care_team_id,
           places=household_services.places_of(care_request.household))


def living_team_members(care_request: CareRequest) -> list[int]:
    """Volunteer ids serving ``care_request`` now."""
    team = care_request.living_team
    return sorted(member.volunteer_id for member in team.current_members) if team else []


# --- the team page ---------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleDay:
    slot: str
    dates: list[date]


@dataclass
class TeamPage:
    """What one viewer sees of a team and may do there."""

    team: CareTeam
    household: Household
    as_social_worker: bool
    as_member: CareTeamMember | None
    members: list[CareTeamMember]
    full_names: bool  # the household's persons by name (team and its social workers)
    show_phones: bool  # members see the phones plainly once they accepted (§8.27)
    shared_slots: list[str]
    schedule: list[ScheduleDay]
    visits: list[VisitLog]
    last_visit: date | None
    can_log_visit: bool
    can_leave: bool
    can_remove_members: bool
    can_follow_up: bool
    follow_ups: list[FollowUp]


def _member_of(user, team: CareTeam) -> CareTeamMember | None:
    profile = profile_of(user)
    if profile is None:
        return None
    return next((m for m in team.current_members if m.volunteer_id == profile.id), None)


def get_team(user, team_id: int) -> TeamPage:
    team = db.session.get(CareTeam, team_id)
    if team is None:
        raise OutOfScope()
    household = team.care_request.household
    as_social_worker = household_services.may_see(user, household)
    as_member = _member_of(user, team) if team.ended_at is None else None
    if not (as_social_worker or as_member):
        raise OutOfScope()
    members = team.current_members
    shared = shared_slots(team)
    visits = db.session.scalars(
        select(VisitLog).where(VisitLog.care_team_id == team.id)
        .order_by(VisitLog.visited_on.desc(), VisitLog.id.desc()).limit(50)
    ).all()
    live = team.ended_at is None and household.is_active
    return TeamPage(
        team=team, household=household, as_social_worker=as_social_worker,
        as_member=as_member, members=members, full_names=True,
        show_phones=as_member is not None, shared_slots=shared,
        schedule=visit_schedule(shared, local_today()) if live else [],
        visits=list(visits), last_visit=last_visit_day(team),
        can_log_visit=live, can_leave=live and as_member is not None,
        can_remove_members=live and as_social_worker, can_follow_up=as_social_worker,
        follow_ups=follow_ups_of(household) if as_social_worker else [],
    )


def teams_of_volunteer(user) -> list[CareTeam]:
    profile = profile_of(user)
    if profile is None:
        return []
    return list(db.session.scalars(
        select(CareTeam).join(CareTeamMember).where(
            CareTeamMember.volunteer_id == profile.id, CareTeamMember.left_at.is_(None),
            CareTeam.ended_at.is_(None),
        ).order_by(CareTeam.id)
    ))


def shared_slots(team: CareTeam) -> list[str]:
    """The half-days the request and every current member share (the request's, if nobody
    shares one)."""
    wanted = set(team.care_request.slots or SLOTS)
    common = set(wanted)
    for member in team.current_members:
        common &= set(member.volunteer.slots or ())
    chosen = common or wanted
    return [code for code in SLOTS if code in chosen]


def visit_schedule(slots: list[str], today: date, weeks: int = SCHEDULE_WEEKS):
    """The coming dates of each shared half-day, 法定节假日 skipped (§8.32)."""
    weekday = {code: index for index, code in enumerate(DAYS)}
    until = today + timedelta(weeks=weeks)
    days = []
    for slot in slots:
        day_code = slot.split("_")[0]
        first = today + timedelta(days=(weekday[day_code] - today.weekday()) % 7)
        days.append(ScheduleDay(slot=slot, dates=recurring_dates(first, until, weekly=True)))
    return days


def last_visit_day(team: CareTeam) -> date | None:
    return db.session.scalar(
        select(func.max(VisitLog.visited_on)).where(VisitLog.care_team_id == team.id)
    )


# --- visits ----------------------------------------------------------------------------


@dataclass
class VisitInput:
    visited_on: date | None
    minutes: int | None
    contact: bool = True
    persons_reached: int | None = 1
    note: str = ""
    volunteer_id: int | None = None  # the member, when the social worker logs for them


def log_visit(actor, page: TeamPage, data: VisitInput) -> VisitLog:
    """A member logs their own visit (a social worker may log one for a member); the minutes
    become a pending hours entry of the household's organization, source visit."""
    if not page.can_log_visit:
        raise DomainError(None, _("This team no longer serves the household."))
    if page.as_member is not None:
        volunteer_id = page.as_member.volunteer_id
    else:
        volunteer_id = data.volunteer_id
        if volunteer_id not in {m.volunteer_id for m in page.members}:
            raise DomainError("volunteer_id", _("Choose the member who made the visit."))
    problems: list[DomainError] = []
    today = local_today()
    if data.visited_on is None:
        problems.append(DomainError("visited_on", _("Enter the day of the visit.")))
    elif data.visited_on > today:
        problems.append(DomainError("visited_on", _("A visit cannot be in the future.")))
    elif data.visited_on < today - timedelta(days=LOG_DAYS_BACK):
        problems.append(DomainError("visited_on", _(
            "Visits older than %(days)d days are entered by the social worker as hours.",
            days=LOG_DAYS_BACK,
        )))
    elif data.visited_on < local_date(page.team.formed_at):
        problems.append(DomainError("visited_on", _("The team was formed after this day.")))
    low, high = MINUTES_RANGE
    if data.minutes is None or not low <= data.minutes <= high:
        problems.append(DomainError("minutes", _(
            "Enter the minutes of the visit, from %(min)d to %(max)d.", min=low, max=high
        )))
    low, high = PERSONS_RANGE
    if data.persons_reached is None or not low <= data.persons_reached <= high:
        problems.append(DomainError("persons_reached", _(
            "Enter a number from %(min)s to %(max)s.", min=low, max=high
        )))
    if len(data.note or "") > NOTE_MAX_LENGTH:
        problems.append(DomainError("note", _("At most %(count)d characters.",
                                              count=NOTE_MAX_LENGTH)))
    if problems:
        raise DomainError.several(problems)
    if db.session.scalar(select(exists().where(
        VisitLog.care_team_id == page.team.id, VisitLog.volunteer_id == volunteer_id,
        VisitLog.visited_on == data.visited_on,
    ))):
        raise DomainError("visited_on", _("This visit is already in the log."))
    entry = record_pending(
        volunteer_id=volunteer_id, organization_id=page.household.organization_id,
        service_date=data.visited_on, minutes=data.minutes, source=HoursSource.VISIT,
        recorded_by_id=actor.id,
    )
    visit = VisitLog(
        care_team_id=page.team.id, volunteer_id=volunteer_id, visited_on=data.visited_on,
        minutes=data.minutes, contact=bool(data.contact),
        persons_reached=data.persons_reached if data.contact else 0,
        note=(data.note or "").strip(), hours_entry_id=entry.id, recorded_by_id=actor.id,
    )
    try:
        with db.session.begin_nested():  # a double submit racing this one
            db.session.add(visit)
    except IntegrityError:
        raise DomainError("visited_on", _("This visit is already in the log.")) from None
    return visit


def remove_member(actor, page: TeamPage, member_id: int, reason: str) -> None:
    if not page.can_remove_members:
        raise OutOfScope()
    member = next((m for m in page.members if m.id == member_id), None)
    if member is None:
        raise OutOfScope()
    if visible_length(reason) < 4:
        raise DomainError("reason", _("Say why, in at least 4 characters."))
    member_leaves(member, actor=actor, reason=reason)


# --- 回访 --------------------------------------------------------------------------------


@dataclass
class FollowUpInput:
    asked_person: str
    channel: str
    answer: str
    note: str = ""


def follow_ups_of(household: Household) -> list[FollowUp]:
    return list(db.session.scalars(
        select(FollowUp).where(FollowUp.household_id == household.id)
        .order_by(FollowUp.asked_at.desc(), FollowUp.id.desc()).limit(20)
    ))


def record_follow_up(actor, household: Household, data: FollowUpInput) -> FollowUp:
    """A satisfaction follow-up of a household by its social worker; independent when the
    asker serves on none of its living teams (回访满意率, §5)."""
    problems: list[DomainError] = []
    asked = " ".join((data.asked_person or "").split())
    if visible_length(asked) == 0:
        problems.append(DomainError("asked_person", _("Say who was asked, e.g. 老人本人.")))
    elif len(asked) > FOLLOW_UP_PERSON_MAX:
        problems.append(DomainError("asked_person", _("At most %(count)d characters.",
                                                      count=FOLLOW_UP_PERSON_MAX)))
    if data.channel not in set(FollowUpChannel):
        problems.append(DomainError("channel", _("Choose how the follow-up was made.")))
    if data.answer not in set(FollowUpAnswer):
        problems.append(DomainError("answer", _("Choose the answer.")))
    if len(data.note or "") > NOTE_MAX_LENGTH:
        problems.append(DomainError("note", _("At most %(count)d characters.",
                                              count=NOTE_MAX_LENGTH)))
    if problems:
        raise DomainError.several(problems)
    profile = profile_of(actor)
    on_team = profile is not None and any(
        member.volunteer_id == profile.id
        for request in household.care_requests for team in request.teams
        for member in team.members
    )
    follow_up = FollowUp(
        organization_id=household.organization_id, household_id=household.id,
        asked_person=asked, asked_by_id=actor.id, channel=FollowUpChannel(data.channel),
        answer=FollowUpAnswer(data.answer), independent=not on_team,
        note=(data.note or "").strip(),
    )
    db.session.add(follow_up)
    db.session.flush()
    record(actor, "household.follow_up", "household", household.id,
           actor_role=Role.SOCIAL_WORKER.value,
           places=household_services.places_of(household))
    return follow_up
