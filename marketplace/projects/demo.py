"""Demo projects, a year of shifts (half held, half to come), sign-ups and attendance.

The district held 20,197 activities in 2013 (domain §6, from 000): a year of shifts at that
rate, 1,000 at the small scale. Past shifts are held with attended volunteers and a few
no-shows; coming ones are partly booked. Volunteers sign up near home. Rows go in with bulk
inserts so the full district seeds in seconds; no notification is sent for demo data.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import insert, select

from marketplace.clock import local_today, utcnow
from marketplace.extensions import db
from marketplace.orgs.models import OrgStatus, ServiceDomain
from marketplace.projects.localtime import to_utc
from marketplace.projects.models import (
    FeeType,
    Project,
    ProjectState,
    Shift,
    ShiftState,
    SignUp,
    SignUpState,
)
from marketplace.volunteers.codes import SKILLS
from marketplace.volunteers.models import VolunteerProfile

SHIFTS_PER_YEAR = {"small": 1_000, "district": 20_197}
PROJECT_TITLES = {
    ServiceDomain.ELDER_CARE: ("空巢老人陪伴", "助老送餐", "重阳敬老", "老年人智能手机课堂"),
    ServiceDomain.PUBLIC_SECURITY: ("夜间治安巡逻", "平安社区宣传"),
    ServiceDomain.CULTURE: ("社区合唱排练", "广场舞展演", "剪纸手工课"),
    ServiceDomain.SCIENCE_POPULARIZATION: ("防诈骗科普", "健康知识讲座"),
    ServiceDomain.EDUCATION: ("四点半课堂", "周末作业辅导"),
    ServiceDomain.RELEASED_PRISONER_SUPPORT: ("帮教谈心", "就业技能帮扶"),
    ServiceDomain.DISABILITY_SUPPORT: ("助残康复陪护", "无障碍出行帮扶"),
    ServiceDomain.CHILD_YOUTH: ("暑期托管", "青少年心理沙龙"),
}
START_HOURS = (9, 10, 15, 16, 19)  # Beijing time
JITTER_DEGREES = 0.004


def _demo_org_id(ctx) -> int | None:
    # The organization the demo social worker works for gets a shift today.
    from marketplace.demo.commands import _approved_organization

    org = _approved_organization(ctx)
    return org.id if org is not None else None


def seed_projects(ctx) -> None:
    rng = ctx.rng
    orgs = [o for o in ctx.organizations if o.status == OrgStatus.APPROVED]
    if not orgs or not ctx.communities:
        return
    today = local_today()
    year_start = today - timedelta(days=182)
    projects = []
    for org in orgs:
        for _ in range(rng.choice((1, 1, 2, 3))):
            domain = rng.choice(list(PROJECT_TITLES))
            served = list(org.communities) or ctx.communities
            projects.append({
                "organization_id": org.id, "title": rng.choice(PROJECT_TITLES[domain]),
                "domain": domain, "community_id": rng.choice(served).id,
                "starts_on": year_start, "ends_on": year_start + timedelta(days=365),
                "fee_type": FeeType.FREE if rng.random() < 0.9 else FeeType.LOW_FEE,
                "description": "", "beneficiaries": "社区居民",
                "state": ProjectState.PUBLISHED, "published_at": utcnow(),
            })
    project_rows = db.session.execute(
        insert(Project).returning(Project.id, Project.organization_id, Project.community_id,
                                  sort_by_parameter_order=True), projects
    ).all()
    communities = {c.id: c for c in ctx.communities}
    shifts = []
    demo_org = _demo_org_id(ctx)
    now = utcnow()
    for _ in range(SHIFTS_PER_YEAR[ctx.scale]):
        project_id, _org, community_id = rng.choice(project_rows)
        day = year_start + timedelta(days=rng.randrange(365))
        shifts.append(_shift_row(rng, project_id, communities[community_id], day, now))
    today_project = next((row for row in project_rows if row[1] == demo_org), None)
    if today_project is not None:
        shifts.append(_shift_row(rng, today_project[0], communities[today_project[2]], today,
                                 now, hour=16 if now.hour < 7 else 20))
    shift_rows = db.session.execute(
        insert(Shift).returning(Shift.id, Shift.starts_at, Shift.ends_at, Shift.seats,
                                Shift.community_id, sort_by_parameter_order=True), shifts
    ).all()
    _seed_sign_ups(ctx, shift_rows, now)


def _shift_row(rng, project_id: int, community, day: date, now: datetime,
               hour: int | None = None) -> dict:
    starts_at = to_utc(datetime.combine(day, time(hour or rng.choice(START_HOURS))))
    ends_at = starts_at + timedelta(hours=rng.choice((1, 2, 2, 2, 3)))
    skills = [rng.choice(list(SKILLS))] if rng.random() < 0.3 else []
    return {
        "project_id": project_id, "starts_at": starts_at, "ends_at": ends_at,
        "community_id": community.id, "address": f"{community.name}党群服务中心",
        "lat": community.lat + rng.uniform(-JITTER_DEGREES, JITTER_DEGREES),
        "lon": community.lon + rng.uniform(-JITTER_DEGREES, JITTER_DEGREES),
        "seats": rng.choice((3, 5, 5, 8, 10)), "seats_taken": 0, "skills": skills,
        "languages": ["ug"] if rng.random() < 0.15 else [],
        "min_age": 18 if rng.random() < 0.1 else 0, "risky": False,
        "state": ShiftState.HELD if ends_at < now else ShiftState.SCHEDULED,
        "note": "", "beneficiary_count": rng.randint(3, 15) if ends_at < now else None,
    }


def _seed_sign_ups(ctx, shift_rows, now: datetime) -> None:
    """Volunteers of the shift's community sign up; held shifts were mostly attended."""
    rng = ctx.rng
    by_community: dict[int, list[int]] = {}
    for profile_id, community_id in db.session.execute(
        select(VolunteerProfile.id, VolunteerProfile.community_id).order_by(VolunteerProfile.id)
    ):
        by_community.setdefault(community_id, []).append(profile_id)
    everyone = [p for ids in by_community.values() for p in ids]
    if not everyone:
        return
    sign_ups, taken = [], []
    for shift_id, starts_at, ends_at, seats, community_id in shift_rows:
        pool = by_community.get(community_id) or everyone
        past = ends_at < now
        wanted = min(len(pool), rng.randint(seats // 2, seats) if past else rng.randint(0, seats))
        people = rng.sample(pool, wanted)
        confirmed = 0
        for profile_id in people:
            if past:
                state = SignUpState.NO_SHOW if rng.random() < 0.05 else SignUpState.ATTENDED
            else:
                state = SignUpState.CONFIRMED
                confirmed += 1
            attended = state == SignUpState.ATTENDED
            sign_ups.append({
                "shift_id": shift_id, "volunteer_id": profile_id, "state": state,
                "created_at": starts_at - timedelta(days=rng.randint(1, 14)),
                "late_cancel": False,
                "checked_in_at": starts_at - timedelta(minutes=rng.randint(0, 15))
                if attended else None,
                "checked_out_at": ends_at + timedelta(minutes=rng.randint(0, 10))
                if attended else None,
            })
        taken.append({"id": shift_id, "seats_taken": confirmed})
    if sign_ups:
        db.session.execute(insert(SignUp), sign_ups)
    booked = [row for row in taken if row["seats_taken"]]
    if booked:
        db.session.execute(
            Shift.__table__.update().where(Shift.id == db.bindparam("shift_id"))
            .values(seats_taken=db.bindparam("taken")),
            [{"shift_id": r["id"], "taken": r["seats_taken"]} for r in booked],
        )
