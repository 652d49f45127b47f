"""Demo households and care requests in the proportions of domain §6: about 3,000 empty-nest
households needing a 311 team at district scale (150 in ``small``), about 40 % already served
by living teams with a visit history whose hours are verified, and some open single tasks."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from sqlalchemy import insert, select

from marketplace.care.models import (
    CareRequest,
    CareRequestState,
    CareTeam,
    CareTeamMember,
    Household,
    HouseholdFlag,
    HouseholdPerson,
    VisitLog,
    priority_from_flags,
)
from marketplace.clock import local_today, utcnow
from marketplace.extensions import db
from marketplace.hours.models import HoursEntry, HoursKind, HoursSource, HoursState
from marketplace.privacy import crypto
from marketplace.volunteers.codes import SLOTS
from marketplace.volunteers.models import VolunteerProfile

HOUSEHOLDS = {"district": 3000, "small": 150}
SINGLE_TASKS = {"district": 1000, "small": 50}
SERVED_SHARE = 0.40
QUIET_SHARE = 0.05  # served teams whose visits stopped: the supervision flags have examples
NEEDS_SOCIAL_WORKER_SHARE = 0.10
DEMO_ORG_SHARE = 0.2
VISIT_WEEKS = 8
FURTHER_FLAGS = (HouseholdFlag.ADVANCED_AGE, HouseholdFlag.SOLITARY,
                 HouseholdFlag.SEMI_INCAPACITATED, HouseholdFlag.INCAPACITATED,
                 HouseholdFlag.DIBAO, HouseholdFlag.DISABLED)
NEEDS = ("psych_support", "daily_care", "housekeeping", "meal_delivery", "escort", "nursing")
SINGLE = (("水电维修", "repair"), ("陪同就医", "escort"), ("法律咨询", "legal_aid"),
          ("家政保洁", "housekeeping"))
STREETS = ("友谊路", "准噶尔路", "迎宾路", "胜利路", "昆仑路", "塔河路", "油建南路")


def _household_language(rng) -> list[str]:
    draw = rng.random()
    if draw < 0.15:
        return ["ug", "zh"] if rng.random() < 0.5 else ["ug"]
    if draw < 0.19:
        return ["kk"]
    return ["zh"]


def seed_households(ctx) -> None:
    from marketplace.demo.commands import _approved_organization
    from marketplace.demo.names import person_name
    from marketplace.orgs.models import OrgStatus

    rng = ctx.rng
    approved = [o for o in ctx.organizations
                if o.status == OrgStatus.APPROVED and o.legal_form != "residents_committee"]
    if not approved or not ctx.grids:
        return
    demo_org = _approved_organization(ctx)
    count = HOUSEHOLDS.get(ctx.scale, HOUSEHOLDS["small"])
    year = local_today().year
    households = []
    for index in range(count):
        grid = rng.choice(ctx.grids)
        org = demo_org if rng.random() < DEMO_ORG_SHARE else rng.choice(approved)
        flags = [HouseholdFlag.EMPTY_NEST.value] + [
            flag.value for flag in rng.sample(FURTHER_FLAGS, k=rng.choice((0, 1, 1, 2)))
        ]
        if HouseholdFlag.INCAPACITATED.value in flags:
            flags = [f for f in flags if f != HouseholdFlag.SEMI_INCAPACITATED.value]
        slots = sorted(rng.sample(SLOTS, k=rng.randint(3, 6)), key=SLOTS.index)
        household = Household(
            organization_id=org.id, community_id=grid.community_id, grid_id=grid.id,
            lat=grid.lat + rng.uniform(-0.002, 0.002), lon=grid.lon + rng.uniform(-0.003, 0.003),
            address_encrypted=crypto.encrypt(
                f"{rng.choice(STREETS)}{rng.randint(1, 199)}号{rng.randint(1, 12)}栋"
                f"{rng.randint(1, 4)}单元{rng.randint(1, 6)}0{rng.randint(1, 4)}"
            ),
            flags=flags, priority=priority_from_flags(flags),
            needs=sorted(rng.sample(NEEDS, k=rng.randint(1, 2)), key=NEEDS.index),
            languages=_household_language(rng), slots=slots,
            hours_per_week=rng.choice((1.0, 2.0, 2.0, 3.0)), visits_per_week=1,
            pseudonym=f"HH-{index + 1:06d}",
        )
        for person_index in range(1 if rng.random() < 0.4 else 2):
            name, _ethnicity = person_name(rng)
            household.persons.append(HouseholdPerson(
                name=name, birth_year=year - rng.randint(66, 92),
                phone=f"139{rng.randint(0, 99999999):08d}" if person_index == 0 else None,
                relation="本人" if person_index == 0 else "配偶",
            ))
        households.append(household)
    db.session.add_all(households)
    db.session.flush()
    _requests_and_teams(ctx, households, demo_org)


def _requests_and_teams(ctx, households, demo_org) -> None:
    rng = ctx.rng
    now = utcnow()
    today = local_today()
    requests = []
    for household in households:
        requests.append(CareRequest(
            household_id=household.id, team_size=3, skills=list(household.needs),
            languages=list(household.languages),
            needs_social_worker=rng.random() < NEEDS_SOCIAL_WORKER_SHARE,
            slots=list(household.slots), hours_per_week=household.hours_per_week,
            visits_per_week=1, priority=household.priority,
        ))
    for _ in range(SINGLE_TASKS.get(ctx.scale, SINGLE_TASKS["small"])):
        household = rng.choice(households)
        title, skill = rng.choice(SINGLE)
        requests.append(CareRequest(
            household_id=household.id, team_size=1, title=title, skills=[skill],
            slots=list(household.slots), hours_per_week=1.0, visits_per_week=1,
            priority=household.priority,
        ))
    db.session.add_all(requests)
    db.session.flush()

    # Adults who take part in automated matching, by community, each on at most 2 teams.
    demo_user = ctx.volunteer_users[0].id if ctx.volunteer_users else None
    by_community = defaultdict(list)
    demo_profile = None
    adult_before = today.replace(year=today.year - 18)
    for profile_id, user_id, community_id in db.session.execute(
        select(VolunteerProfile.id, VolunteerProfile.user_id, VolunteerProfile.community_id)
        .where(VolunteerProfile.automated_matching.is_(True),
               VolunteerProfile.birth_date <= adult_before)
        .order_by(VolunteerProfile.id)
    ):
        by_community[community_id].append(profile_id)
        if user_id == demo_user:
            demo_profile = profile_id
    everyone = [p for profiles in by_community.values() for p in profiles]
    if len(everyone) < 3:
        return
    load = defaultdict(int)
    households_by_id = {h.id: h for h in households}
    served = [r for r in requests if r.team_size == 3]
    rng.shuffle(served)
    served = served[:int(len(served) * SERVED_SHARE)]
    if demo_profile is not None and demo_org is not None:
        # The demo volunteer serves one of the demo organization's households.
        served.sort(key=lambda r: households_by_id[r.household_id].organization_id != demo_org.id)
    teams, members = [], []
    for position, care_request in enumerate(served):
        household = households_by_id[care_request.household_id]
        pool = [p for p in by_community.get(household.community_id, []) if load[p] < 2]
        if len(pool) < 3:
            pool = [p for p in rng.sample(everyone, k=min(60, len(everyone))) if load[p] < 2]
        if len(pool) < 3:
            continue
        chosen = rng.sample(pool, k=3)
        if position == 0 and demo_profile is not None and demo_profile not in chosen:
            chosen[0] = demo_profile
        formed = now - timedelta(days=rng.randint(VISIT_WEEKS * 7 + 7, 400))
        team = CareTeam(care_request_id=care_request.id, formed_at=formed)
        teams.append((team, chosen, care_request))
        for volunteer_id in chosen:
            load[volunteer_id] += 1
        care_request.state = CareRequestState.STAFFED
    db.session.add_all([team for team, _c, _r in teams])
    db.session.flush()
    for team, chosen, _request in teams:
        members.extend({"care_team_id": team.id, "volunteer_id": v, "joined_at": team.formed_at}
                       for v in chosen)
    db.session.execute(insert(CareTeamMember.__table__), members)
    _visit_history(ctx, teams, households_by_id, today, now)


def _visit_history(ctx, teams, households_by_id, today, now) -> None:
    """Weekly visits over the last weeks, by one member each, with verified hours; a few
    teams stopped visiting (the supervision flags show them)."""
    rng = ctx.rng
    rows = []
    for position, (team, chosen, care_request) in enumerate(teams):
        quiet = position > 0 and rng.random() < QUIET_SHARE
        last_week = rng.randint(3, 6) if quiet else 0
        organization_id = households_by_id[care_request.household_id].organization_id
        for week in range(VISIT_WEEKS, last_week, -1):
            if rng.random() < 0.15:
                continue  # a missed week
            day = today - timedelta(days=7 * week - rng.randint(0, 6))
            volunteer_id = rng.choice(chosen)
            rows.append((team.id, volunteer_id, day, rng.choice((45, 60, 60, 90, 120)),
                         organization_id))
    if not rows:
        return
    entry_ids = _insert_entries(rows, now)
    db.session.execute(insert(VisitLog.__table__), [
        {"care_team_id": team_id, "volunteer_id": volunteer_id, "visited_on": day,
         "minutes": minutes, "contact": True, "persons_reached": 1, "note": "",
         "hours_entry_id": entry_id, "created_at": now}
        for (team_id, volunteer_id, day, minutes, _org), entry_id in zip(rows, entry_ids,
                                                                         strict=True)
    ])


def _insert_entries(rows, now) -> list[int]:
    """The verified hours entries of the visits, in order; their ids link the visit logs."""
    result = db.session.execute(
        insert(HoursEntry.__table__).returning(HoursEntry.__table__.c.id,
                                               sort_by_parameter_order=True),
        [{"volunteer_id": volunteer_id, "organization_id": organization_id, "service_date": day,
          "minutes": minutes, "kind": HoursKind.VOLUNTEER.value,
          "source": HoursSource.VISIT.value, "state": HoursState.VERIFIED.value,
          "verified_at": now, "note": "", "created_at": now}
         for _team, volunteer_id, day, minutes, organization_id in rows],
    )
    return [row[0] for row in result]
