"""A small district for matching runs, written directly through the models: two approved
organizations with a social worker each, officials, eleven volunteers (one a minor, one who
switched automated matching off) and households with 311 and single requests."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date

import pytest

from marketplace.auth.models import Role
from marketplace.extensions import db

_serial = itertools.count(1)

# Near 百花社区 (45.601, 84.871): every point within about 1 km.
POINTS = [(45.601 + 0.001 * (i % 4), 84.871 + 0.001 * (i // 4)) for i in range(12)]


@dataclass
class RunWorld:
    org: int
    other_org: int
    social_worker: int
    other_social_worker: int
    org_admin: int
    district_official: int
    street_official: int
    other_street_official: int
    volunteers: dict[int, int] = field(default_factory=dict)  # profile id -> user id
    minor: int = 0
    opted_out: int = 0
    households: list[int] = field(default_factory=list)
    requests: list[int] = field(default_factory=list)
    other_request: int = 0


def add_volunteer(app, make_user, community_id, point, *, skills=("daily_care", "psych_support"),
                  languages=("zh",), birth_date=date(1980, 5, 1), automated=True,
                  social_worker=False, hours=6.0):
    from marketplace.privacy import crypto
    from marketplace.volunteers.models import Gender, VolunteerProfile

    n = next(_serial)
    user_id = make_user(roles=[Role.VOLUNTEER], display_name=f"志愿者{n}")
    with app.app_context():
        id_number = f"650203{birth_date:%Y%m%d}{n:03d}X"
        profile = VolunteerProfile(
            user_id=user_id, volunteer_no=f"ZY650203{90000000 + n:08d}",
            real_name=f"李{n}明", id_number_encrypted=crypto.encrypt(id_number),
            id_number_digest=crypto.digest(id_number), birth_date=birth_date,
            gender=Gender.MALE, community_id=community_id, lat=point[0], lon=point[1],
            skills=list(skills), languages=list(languages), slots=[], hours_per_week=hours,
            max_km=3.0, max_teams=2, social_worker=social_worker,
            automated_matching=automated)
        db.session.add(profile)
        db.session.commit()
        return profile.id, user_id


def add_household(app, org_id, community_id, point, *, team_size=3, priority=3,
                  skills=("daily_care",), languages=()):
    from marketplace.care.models import CareRequest, Household

    n = next(_serial)
    with app.app_context():
        household = Household(organization_id=org_id, community_id=community_id,
                              lat=point[0], lon=point[1], flags=["empty_nest"],
                              priority=priority, needs=list(skills),
                              languages=list(languages), pseudonym=f"HH-T{n:04d}")
        db.session.add(household)
        db.session.flush()
        request = CareRequest(household_id=household.id, team_size=team_size,
                              skills=list(skills), languages=list(languages),
                              hours_per_week=1.0, visits_per_week=1, priority=priority)
        db.session.add(request)
        db.session.commit()
        return household.id, request.id


@pytest.fixture
def run_world(app, geo, make_user, make_org, make_official, make_staff) -> RunWorld:
    org_admin = make_user()
    org = make_org(admin_id=org_admin, status="approved", name="乐龄社工服务社")
    other_org = make_org(status="approved", name="阳光社工服务社")
    world = RunWorld(
        org=org, other_org=other_org, social_worker=make_staff(org),
        other_social_worker=make_staff(other_org), org_admin=org_admin,
        district_official=make_official("district"),
        street_official=make_official("street_a"),
        other_street_official=make_official("street_b"))
    community = geo["communities"][0]
    for i in range(9):
        profile_id, user_id = add_volunteer(app, make_user, community, POINTS[i])
        world.volunteers[profile_id] = user_id
    world.minor, _u = add_volunteer(app, make_user, community, POINTS[9],
                                    birth_date=date(date.today().year - 15, 1, 1))
    world.opted_out, _u = add_volunteer(app, make_user, community, POINTS[10], automated=False)
    for i in range(2):
        household_id, request_id = add_household(app, org, community, POINTS[i + 1])
        world.households.append(household_id)
        world.requests.append(request_id)
    household_id, request_id = add_household(app, org, community, POINTS[4], team_size=1,
                                             priority=2, skills=("psych_support",))
    world.households.append(household_id)
    world.requests.append(request_id)
    _h, world.other_request = add_household(app, other_org, community, POINTS[5], priority=1)
    return world


def user(app, user_id):
    from marketplace.auth.models import User

    return db.session.get(User, user_id)
