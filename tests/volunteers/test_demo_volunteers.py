from __future__ import annotations

import random
from collections import Counter

from stdnum.cn import ric

from marketplace.auth.models import Role, RoleGrant, User
from marketplace.clock import local_today
from marketplace.demo.context import DemoContext
from marketplace.demo.geography import seed_geography
from marketplace.extensions import db
from marketplace.matching.geo import haversine_km
from marketplace.privacy.models import ConsentRecord
from marketplace.volunteers.demo import seed_volunteers
from marketplace.volunteers.identity import parse_resident_id
from marketplace.volunteers.models import VolunteerProfile


def test_small_demo_volunteers_follow_the_district_mix(app_ctx):
    ctx = DemoContext(scale="small", rng=random.Random(7), shared_password_hash="x")
    seed_geography(ctx)
    seed_volunteers(ctx)
    db.session.commit()

    assert len(ctx.volunteer_users) == 1_000
    assert all(isinstance(user, User) and user.id for user in ctx.volunteer_users)
    profiles = db.session.execute(db.select(VolunteerProfile)).scalars().all()
    assert len(profiles) == 1_000
    assert db.session.scalar(
        db.select(db.func.count()).select_from(RoleGrant).where(RoleGrant.role == Role.VOLUNTEER)
    ) == 1_000
    phones = [user.phone for user in ctx.volunteer_users]
    assert len(set(phones)) == 1_000 and all(p[:2] in ("13", "15", "18") for p in phones)
    assert sum(profile.social_worker for profile in profiles) == 7
    assert all(p.sw_certificate_no for p in profiles if p.social_worker)

    numbers = [profile.id_number for profile in profiles]
    assert len(set(numbers)) == 1_000
    today = local_today()
    for number in numbers:
        # GB 11643 check character (the county list of stdnum dates 650203 from 1982 on,
        # older residents keep the code of their card).
        assert parse_resident_id(number, today).number == number
        assert number.startswith("650203") and ric.calc_check_digit(number) == number[-1]
    for profile in profiles[:200]:
        assert profile.birth_date.strftime("%Y%m%d") == profile.id_number[6:14]
        assert profile.gender == ("male" if int(profile.id_number[16]) % 2 else "female")
        assert profile.volunteer_no.startswith("ZY650203") and len(profile.volunteer_no) == 16
        assert profile.id_number[6:14] not in profile.volunteer_no
        grid = profile.grid
        assert grid.community_id == profile.community_id
        assert haversine_km(grid.lat, grid.lon, profile.lat, profile.lon) < 0.5
        assert 2 <= profile.hours_per_week <= 10 and 1 <= profile.max_km <= 5

    ages = [profile.age(today) for profile in profiles]
    assert 0.33 < sum(age >= 55 for age in ages) / 1_000 < 0.47
    minors = [p for p in profiles if p.is_minor]
    assert 10 <= len(minors) <= 55 and all(14 <= p.age(today) <= 17 for p in minors)
    assert all(p.has_guardian_consent for p in minors)
    assert db.session.scalar(
        db.select(db.func.count()).select_from(ConsentRecord)
        .where(ConsentRecord.purpose == "privacy_notice")
    ) == 1_000

    spoken = Counter(code for profile in profiles for code in profile.languages)
    assert spoken["zh"] == 1_000
    assert 130 <= spoken["ug"] <= 230 and 25 <= spoken["kk"] <= 80 and spoken["mn"] <= 30
    assert 45 <= spoken["en"] <= 120
    uyghur_speakers = [p for p in profiles if "ug" in p.languages]
    assert sum("·" in p.real_name for p in uyghur_speakers) > len(uyghur_speakers) / 2
