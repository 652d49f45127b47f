"""Demo hours: a year of service for the district's volunteers, with star levels spread as in
a real district (most volunteers under 100 h, a few five-star), some hours still waiting for
verification, a few rejected, paid work apart, and insurance records.

Every attended, checked-out demo sign-up becomes its check-in entry (paid work under low-fee
and paid projects). On top of those, each volunteer's year is filled up to a drawn total with
roster, visit and staff-recorded entries at the organizations of their teams (or one near
home), linked to those organizations' free projects. Rows go in with bulk inserts so the
full district seeds in seconds.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import insert, select

from marketplace.clock import local_today, utcnow
from marketplace.extensions import db
from marketplace.hours.models import (
    HoursEntry,
    HoursKind,
    HoursSource,
    HoursState,
    InsuranceRecord,
)

# (share of volunteers, lowest hours, highest hours) for no hours and stars 0–5.
TIERS = (
    (0.30, 0, 0),
    (0.555, 2, 99),
    (0.09, 100, 299),
    (0.032, 300, 599),
    (0.013, 600, 999),
    (0.006, 1000, 1499),
    (0.004, 1560, 1800),  # above 1,500 h once recent hours still wait
)
DEMO_VOLUNTEER_HOURS = 128  # one star, with room to the next; enough for a certificate
PENDING_DAYS = 14  # entries of the last two weeks mostly still wait for a decision
INSURED_SHARE = 0.35
REJECT_REASONS = ("当天未签到，请联系队长补录", "时长包含路途时间，请更正后重报", "与活动记录不符")
INSURERS = ("中国人寿保险", "中国平安保险", "中国太平洋保险")


MAX_SESSIONS = 300  # six days a week at most: the most active also serve longer days


def _sessions(rng, hours: float) -> list[int]:
    """Split a volunteer's year into sessions of 1–8 h, in half hours."""
    total = int(hours * 60)
    if total < 30:
        return []
    count = max(1, min(MAX_SESSIONS, round(total / 150)))
    mean = total / count
    return [min(480, max(30, round(rng.uniform(0.75, 1.25) * mean / 30) * 30))
            for _ in range(count)]


def _tier_hours(rng) -> float:
    roll, cumulative = rng.random(), 0.0
    for share, low, high in TIERS:
        cumulative += share
        if roll < cumulative:
            return 0 if high == 0 else rng.triangular(low, high, low + (high - low) * 0.2)
    return 0


def seed_hours(ctx) -> None:
    from marketplace.demo.commands import _approved_organization
    from marketplace.orgs.models import OrgStatus
    from marketplace.teams.models import TeamMembership, VolunteerTeam
    from marketplace.volunteers.models import VolunteerProfile

    rng = ctx.rng
    approved = [o.id for o in ctx.organizations if o.status == OrgStatus.APPROVED]
    if not approved:
        return
    demo_org = _approved_organization(ctx)
    user_ids = {user.id for user in ctx.volunteer_users}
    first_user = ctx.volunteer_users[0].id if ctx.volunteer_users else None
    profiles = [
        (profile_id, user_id) for profile_id, user_id in db.session.execute(
            select(VolunteerProfile.id, VolunteerProfile.user_id).order_by(VolunteerProfile.id))
        if user_id in user_ids
    ]
    teams_of: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for volunteer_id, team_id, org_id in db.session.execute(
        select(TeamMembership.volunteer_id, VolunteerTeam.id, VolunteerTeam.organization_id)
        .join(VolunteerTeam, VolunteerTeam.id == TeamMembership.team_id)
        .where(TeamMembership.state == "active")
        .order_by(TeamMembership.id)  # rows come in the planner's order otherwise
    ):
        teams_of[volunteer_id].append((team_id, org_id))
    free_projects = _free_projects()

    today = local_today()
    entries = _from_sign_ups(rng, today)
    served = defaultdict(int)
    for entry in entries:
        if entry["kind"] == HoursKind.VOLUNTEER:
            served[entry["volunteer_id"]] += entry["minutes"]
    insurance = []
    for profile_id, user_id in profiles:
        is_demo = user_id == first_user
        hours = DEMO_VOLUNTEER_HOURS if is_demo else _tier_hours(rng)
        if hours == 0 and not served[profile_id]:
            continue
        places = teams_of.get(profile_id) or [(None, rng.choice(approved))]
        if is_demo and demo_org is not None:
            places = [(None, demo_org.id)]
        for minutes in _sessions(rng, hours - served[profile_id] / 60):
            team_id, org_id = rng.choice(places)
            day = today - timedelta(days=rng.randint(1, 365))
            entries.append(_entry(rng, profile_id, org_id, team_id, day, minutes, today,
                                  free_projects.get(org_id)))
        if is_demo or rng.random() < INSURED_SHARE:
            insurance.append(_insurance(rng, profile_id, places[0][1], today))
    if demo_org is not None:
        entries.extend(_waiting_for_the_demo_social_worker(rng, profiles, demo_org.id, today,
                                                           free_projects.get(demo_org.id)))
    # Core inserts of plain rows: the full district's half a million entries in seconds.
    if entries:
        db.session.execute(insert(HoursEntry.__table__), entries)
    if insurance:
        db.session.execute(insert(InsuranceRecord.__table__), insurance)


def _free_projects() -> dict[int, list[int]]:
    """Free project ids by organization, if the projects seeder made any."""
    from marketplace.projects.models import FeeType, Project

    free = defaultdict(list)
    for project_id, org_id in db.session.execute(
        select(Project.id, Project.organization_id).where(Project.fee_type == FeeType.FREE)
        .order_by(Project.id)
    ):
        free[org_id].append(project_id)
    return free


def _from_sign_ups(rng, today: date) -> list[dict]:
    """The check-in entry of every attended, checked-out demo sign-up: time on site within
    the shift, as check-out writes it."""
    from marketplace.projects.attendance import _minutes_served as minutes_served
    from marketplace.projects.localtime import local_date
    from marketplace.projects.models import FeeType, Project, Shift, SignUp, SignUpState

    rows = db.session.execute(
        select(SignUp.id, SignUp.volunteer_id, SignUp.checked_in_at, SignUp.checked_out_at,
               Shift.starts_at, Shift.ends_at, Project.id, Project.organization_id,
               Project.fee_type)
        .join(Shift, Shift.id == SignUp.shift_id)
        .join(Project, Project.id == Shift.project_id)
        .where(SignUp.state == SignUpState.ATTENDED, SignUp.checked_out_at.is_not(None))
        .order_by(SignUp.id)
    ).all()
    entries = []
    for (sign_up_id, volunteer_id, checked_in, checked_out, starts_at, ends_at, project_id,
         org_id, fee) in rows:
        # The check-out rule itself, on an unsaved shift holding the two times.
        minutes = minutes_served(Shift(starts_at=starts_at, ends_at=ends_at), checked_in,
                                 checked_out)
        if minutes < 1:
            continue
        # Work under low-fee and paid projects is paid work (§8.16), as record_pending decides.
        kind = HoursKind.VOLUNTEER if fee == FeeType.FREE else HoursKind.PAID
        entry = _entry(rng, volunteer_id, org_id, None, local_date(starts_at), minutes, today,
                       [project_id], kind=kind)
        entry.update(sign_up_id=sign_up_id, source=HoursSource.CHECKIN)
        entries.append(entry)
    return entries


def _entry(rng, volunteer_id, org_id, team_id, day: date, minutes: int, today: date,
           projects, kind=HoursKind.VOLUNTEER) -> dict:
    recent = (today - day).days <= PENDING_DAYS
    state = HoursState.PENDING if recent and rng.random() < 0.7 else HoursState.VERIFIED
    reason = None
    if state == HoursState.VERIFIED and rng.random() < 0.01:
        state, reason = HoursState.REJECTED, rng.choice(REJECT_REASONS)
    decided = state != HoursState.PENDING
    return {
        "volunteer_id": volunteer_id, "organization_id": org_id, "team_id": team_id,
        "project_id": rng.choice(projects) if projects else None, "sign_up_id": None,
        "service_date": day, "minutes": minutes, "kind": kind,
        "source": rng.choice((HoursSource.ROSTER, HoursSource.VISIT, HoursSource.MANUAL)),
        "state": state, "reject_reason": reason, "corrects_id": None, "note": "",
        "verified_at": utcnow() - timedelta(days=max(0, (today - day).days - 3))
        if decided else None,
        "verified_by_id": None, "recorded_by_id": None, "created_at": utcnow(),
    }


def _waiting_for_the_demo_social_worker(rng, profiles, org_id, today, projects) -> list[dict]:
    """A few fresh entries in the demo organization's queue, so its social worker has work."""
    chosen = rng.sample(profiles[1:], k=min(8, max(0, len(profiles) - 1)))
    rows = []
    for profile_id, _user_id in chosen:
        row = _entry(rng, profile_id, org_id, None, today - timedelta(days=rng.randint(1, 5)),
                     rng.choice((90, 120, 180)), today, projects)
        row.update(state=HoursState.PENDING, verified_at=None, reject_reason=None)
        rows.append(row)
    return rows


def _insurance(rng, volunteer_id: int, org_id: int, today: date) -> dict:
    start = date(today.year, 1, 1)
    return {
        "volunteer_id": volunteer_id, "insurer": rng.choice(INSURERS),
        "policy_no": f"YW{today.year}{rng.randint(0, 99_999_999):08d}",
        "valid_from": start, "valid_until": date(today.year, 12, 31),
        "organization_id": org_id, "recorded_by_id": None, "created_at": utcnow(),
    }
