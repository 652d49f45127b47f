"""The one adapter between the database and ``marketplace.matching``.

``build_problem(scope)`` turns rows into the problem JSON of matching-format.md (plus a
snapshot of version stamps, to tell later whether a proposal went stale);
``proposals_from_result`` turns the engine's teams back into proposals. Nothing else in the
site builds engine input or reads engine output, and the engine never sees a row.

What goes in (domain §8.8, §8.9, §8.17, §8.23):
- volunteers of the scope's district with a home point, adults only, automated matching on;
  their weekly hours less the confirmed shift sign-ups of the coming seven days;
- open care requests of the scope's active households, and staffed ones with their living
  team as ``current_team`` so the relationships that work are kept and their load counts;
- an open request's ``current_team``: members still serving it, and those who accepted the
  last offer for it before another member declined or it expired;
- ``exclude``: the volunteers who declined the household before.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from marketplace.care.models import (
    CareRequest,
    CareRequestState,
    CareTeam,
    CareTeamMember,
    Household,
    HouseholdState,
)
from marketplace.care.run_models import (
    DeclinedPair,
    MemberState,
    ProposalMember,
    ProposalState,
    ScopeKind,
    TeamProposal,
)
from marketplace.clock import local_today, utcnow
from marketplace.extensions import db
from marketplace.geo.models import Community, Street
from marketplace.matching.problem import LANGUAGES, SKILLS, SLOTS
from marketplace.volunteers.models import VolunteerProfile

ADULT_AGE = 18
MAX_KM = 100.0  # the engine's limit on max_km
MAX_TEAMS = 20
COMMITTED_WINDOW = timedelta(days=7)
DEFAULT_TIME_LIMIT_S = 30


@dataclass(frozen=True)
class Scope:
    kind: ScopeKind
    id: int


def volunteer_key(profile_id: int) -> str:
    return f"v{profile_id}"


def request_key(request_id: int) -> str:
    return f"r{request_id}"


def key_id(key: str) -> int:
    return int(key[1:])


def problem_hash(problem: dict) -> str:
    canonical = json.dumps(problem, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def district_of(scope: Scope) -> int | None:
    """The district whose volunteers a run in ``scope`` may propose."""
    if scope.kind == ScopeKind.DISTRICT:
        return scope.id
    if scope.kind == ScopeKind.STREET:
        return db.session.scalar(select(Street.district_id).where(Street.id == scope.id))
    if scope.kind == ScopeKind.REQUEST:
        community_id = db.session.scalar(
            select(Household.community_id).join(CareRequest).where(CareRequest.id == scope.id))
    else:
        from marketplace.orgs.models import Organization

        return db.session.scalar(select(Organization.district_id)
                                 .where(Organization.id == scope.id))
    if community_id is None:
        return None
    return db.session.scalar(select(Street.district_id).join(Community)
                             .where(Community.id == community_id))


def _scope_requests(scope: Scope) -> list[CareRequest]:
    query = (select(CareRequest).join(Household)
             .where(Household.state == HouseholdState.ACTIVE,
                    CareRequest.state.in_((CareRequestState.OPEN, CareRequestState.STAFFED))))
    if scope.kind == ScopeKind.REQUEST:
        query = query.where(CareRequest.id == scope.id)
    elif scope.kind == ScopeKind.ORGANIZATION:
        query = query.where(Household.organization_id == scope.id)
    else:
        query = query.join(Community, Community.id == Household.community_id)
        if scope.kind == ScopeKind.STREET:
            query = query.where(Community.street_id == scope.id)
        else:
            query = query.join(Street).where(Street.district_id == scope.id)
    return list(db.session.scalars(query.order_by(CareRequest.id)))


def _adult_cutoff(today: date) -> date:
    try:
        return today.replace(year=today.year - ADULT_AGE)
    except ValueError:  # 29 February
        return today.replace(year=today.year - ADULT_AGE, day=28)


def committed_shift_hours(volunteer_ids, now=None) -> dict[int, float]:
    """Hours of confirmed shift sign-ups starting in the coming seven days (§8.17)."""
    from marketplace.projects.models import Shift, ShiftState, SignUp, SignUpState

    now = now or utcnow()
    rows = db.session.execute(
        select(SignUp.volunteer_id, Shift.starts_at, Shift.ends_at).join(Shift)
        .where(SignUp.state == SignUpState.CONFIRMED, Shift.state == ShiftState.SCHEDULED,
               Shift.starts_at >= now, Shift.starts_at < now + COMMITTED_WINDOW,
               SignUp.volunteer_id.in_(list(volunteer_ids))))
    hours: dict[int, float] = defaultdict(float)
    for volunteer_id, starts_at, ends_at in rows:
        hours[volunteer_id] += (ends_at - starts_at).total_seconds() / 3600
    return hours


def _volunteers(district_id: int | None) -> list[VolunteerProfile]:
    if district_id is None:
        return []
    query = (select(VolunteerProfile).join(Community, Community.id == VolunteerProfile.community_id)
             .join(Street).where(Street.district_id == district_id,
                                 VolunteerProfile.automated_matching.is_(True),
                                 VolunteerProfile.birth_date <= _adult_cutoff(local_today()),
                                 VolunteerProfile.lat.is_not(None),
                                 VolunteerProfile.lon.is_not(None),
                                 VolunteerProfile.max_km > 0)
             .order_by(VolunteerProfile.id))
    return list(db.session.scalars(query))


def volunteer_record(profile: VolunteerProfile, committed_h: float) -> dict | None:
    hours = round(profile.hours_per_week - committed_h, 3)
    if hours <= 0:
        return None  # the coming week is already full
    record = {
        "id": volunteer_key(profile.id), "lat": profile.lat, "lon": profile.lon,
        "hours_per_week": min(hours, 168), "max_km": min(profile.max_km, MAX_KM),
        "skills": sorted(set(profile.skills or ()) & SKILLS),
        "languages": sorted(set(profile.languages or ()) & LANGUAGES),
        "social_worker": bool(profile.social_worker),
        "max_teams": max(0, min(profile.max_teams, MAX_TEAMS)),
    }
    slots = sorted(set(profile.slots or ()) & SLOTS)
    if slots:
        record["slots"] = slots
    return record


def _point(household: Household) -> tuple[float, float]:
    if household.lat is not None and household.lon is not None:
        return household.lat, household.lon
    place = household.grid or household.community
    return place.lat, place.lon


def living_members(request_ids) -> dict[int, list[int]]:
    rows = db.session.execute(
        select(CareTeam.care_request_id, CareTeamMember.volunteer_id).join(CareTeamMember)
        .where(CareTeam.care_request_id.in_(list(request_ids)), CareTeam.ended_at.is_(None),
               CareTeamMember.left_at.is_(None)).order_by(CareTeamMember.id))
    members: dict[int, list[int]] = defaultdict(list)
    for request_id, volunteer_id in rows:
        members[request_id].append(volunteer_id)
    return members


def _accepted_before(request_ids) -> dict[int, list[int]]:
    """Who accepted the latest offer of a request that then failed (declined or expired):
    the next run's current team (§8.9)."""
    latest = {}
    for proposal in db.session.scalars(
            select(TeamProposal).where(TeamProposal.care_request_id.in_(list(request_ids)),
                                       TeamProposal.offered_at.is_not(None))
            .order_by(TeamProposal.offered_at, TeamProposal.id)):
        latest[proposal.care_request_id] = proposal
    accepted = {}
    for request_id, proposal in latest.items():
        if proposal.state in (ProposalState.DECLINED, ProposalState.EXPIRED):
            accepted[request_id] = [m.volunteer_id for m in proposal.members
                                    if m.state == MemberState.ACCEPTED]
    return accepted


def request_record(request: CareRequest, current: list[int], excluded: set[int]) -> dict:
    household = request.household
    lat, lon = _point(household)
    record = {
        "id": request_key(request.id), "lat": lat, "lon": lon,
        "team_size": request.team_size, "hours_per_week": request.hours_per_week,
        "visits_per_week": request.visits_per_week,
        "skills": sorted(set(request.skills or ()) & SKILLS),
        "languages": sorted(set(request.languages or ()) & LANGUAGES),
        "needs_social_worker": bool(request.needs_social_worker),
        "priority": max(1, min(5, request.priority or household.effective_priority)),
    }
    slots = sorted(set(request.slots or ()) & SLOTS)
    if slots:
        record["slots"] = slots
    if request.max_km:
        record["max_km"] = min(request.max_km, MAX_KM)
    if current:
        record["current_team"] = [volunteer_key(v) for v in current]
    exclude = sorted(excluded - set(current))
    if exclude:
        record["exclude"] = [volunteer_key(v) for v in exclude]
    return record


def _stamp(moment) -> str:
    return moment.isoformat() if moment else ""


def build_problem(scope: Scope, *, time_limit_s: float = DEFAULT_TIME_LIMIT_S,
                  seed: int = 0) -> tuple[dict, dict]:
    """The problem JSON for ``scope`` and its snapshot (engine id → version stamp)."""
    requests = _scope_requests(scope)
    profiles = _volunteers(district_of(scope))
    committed = committed_shift_hours([p.id for p in profiles]) if profiles else {}
    volunteers = []
    snapshot: dict[str, str] = {}
    for profile in profiles:
        record = volunteer_record(profile, committed.get(profile.id, 0.0))
        if record is not None:
            volunteers.append(record)
            snapshot[record["id"]] = _stamp(profile.updated_at)
    present = {key_id(v["id"]) for v in volunteers}
    request_ids = [r.id for r in requests]
    living = living_members(request_ids)
    accepted = _accepted_before(request_ids)
    declined: dict[int, set[int]] = defaultdict(set)
    for household_id, volunteer_id in db.session.execute(
            select(DeclinedPair.household_id, DeclinedPair.volunteer_id)
            .where(DeclinedPair.household_id.in_({r.household_id for r in requests}))):
        declined[household_id].add(volunteer_id)
    records = []
    for request in requests:
        current = [v for v in living.get(request.id, []) if v in present]
        if request.state == CareRequestState.OPEN:
            current += [v for v in accepted.get(request.id, []) if v in present
                        and v not in current and v not in declined[request.household_id]]
        current = current[:request.team_size]
        excluded = {v for v in declined[request.household_id] if v in present}
        records.append(request_record(request, current, excluded))
        snapshot[request_key(request.id)] = (
            f"{_stamp(request.household.updated_at)}|{_stamp(request.updated_at)}")
    problem = {"version": 1, "volunteers": volunteers, "requests": records,
               "options": {"time_limit_s": time_limit_s, "seed": seed}}
    return problem, snapshot


def current_stamps(keys) -> dict[str, str]:
    """The version stamps of ``keys`` now, as ``build_problem`` wrote them."""
    volunteer_ids = [key_id(k) for k in keys if k.startswith("v")]
    request_ids = [key_id(k) for k in keys if k.startswith("r")]
    stamps = {}
    for profile in db.session.scalars(
            select(VolunteerProfile).where(VolunteerProfile.id.in_(volunteer_ids))):
        if profile.automated_matching:
            stamps[volunteer_key(profile.id)] = _stamp(profile.updated_at)
    for request in db.session.scalars(select(CareRequest).where(CareRequest.id.in_(request_ids))):
        if request.household.state == HouseholdState.ACTIVE:
            stamps[request_key(request.id)] = (
                f"{_stamp(request.household.updated_at)}|{_stamp(request.updated_at)}")
    return stamps


def proposals_from_result(run, result: dict) -> list[TeamProposal]:
    """Pending proposals for the run's open requests that the result staffs. A staffed
    request whose living team the result keeps needs none; one the result would rearrange
    keeps its living team (a team that works is not broken up by a proposal)."""
    problem_requests = {r["id"]: r for r in run.problem["requests"]}
    made = []
    for team in result.get("teams", []):
        request = db.session.get(CareRequest, key_id(team["request"]))
        if request is None or request.state != CareRequestState.OPEN:
            continue
        kept = set(problem_requests.get(team["request"], {}).get("current_team", []))
        proposal = TeamProposal(run=run, care_request_id=request.id,
                                household_id=request.household_id,
                                organization_id=request.household.organization_id)
        explanations = team.get("explanations", {})
        for member in team["members"]:
            proposal.members.append(ProposalMember(
                volunteer_id=key_id(member), kept=member in kept,
                state=MemberState.ACCEPTED if member in kept else MemberState.PENDING,
                explanation=explanations.get(member, {})))
        db.session.add(proposal)
        made.append(proposal)
    return made
