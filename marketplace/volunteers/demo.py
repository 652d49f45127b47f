"""Demo volunteers: one account and real-name profile for each of the district's 19,617
(1,000 at the small scale) volunteers, with the mix of domain §6.

Rows go in with bulk inserts and ID numbers are encrypted in one pass, so the full district
seeds in seconds rather than minutes.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import insert
from stdnum.cn import ric

from marketplace.auth.models import Role, RoleGrant, User
from marketplace.auth.passwords import hash_password
from marketplace.clock import local_today, utcnow
from marketplace.extensions import db
from marketplace.privacy import crypto
from marketplace.privacy.models import ConsentPurpose, ConsentRecord
from marketplace.privacy.services import PRIVACY_NOTICE_VERSION
from marketplace.volunteers.codes import SKILLS, SLOTS, ordered
from marketplace.volunteers.models import DEFAULT_MAX_TEAMS, Gender, VolunteerProfile
from marketplace.volunteers.services import NUMBER_PREFIX

COUNTS = {"small": (1_000, 7), "district": (19_617, 142)}  # volunteers, certified SWs (000)
SHARE_55_PLUS = 0.40  # retired oil workers (000)
SHARE_MINORS = 0.03  # 14–17, with a guardian's consent
# P(speaks language | name's ethnicity), chosen so that the totals come to ug 18 %, kk 5 %,
# mn 1 % with mostly Uyghur, Kazakh and Mongol names among the speakers (domain §6).
LANGUAGE_ODDS = {
    "ug": {"uyghur": 0.92, "kazakh": 0.25, "other": 0.045},
    "kk": {"kazakh": 0.80, "other": 0.011},
    "mn": {"mongol": 0.70, "other": 0.003},
}
ENGLISH_BY_AGE = ((18, 0.20), (55, 0.08), (200, 0.01))  # under 18, 18–54, 55+
SKILL_WEIGHTS = {
    "psych_support": 30, "daily_care": 30, "culture": 18, "meal_delivery": 14, "escort": 12,
    "housekeeping": 12, "repair": 10, "tutoring": 10, "rehab": 6, "nursing": 6,
    "legal_aid": 4, "counseling": 4,
}
JITTER_DEGREES = 0.002  # ~200 m around the grid centre


def seed_volunteers(ctx) -> None:
    rng = ctx.rng
    total, social_workers = COUNTS[ctx.scale]
    password_hash = ctx.shared_password_hash or hash_password(f"demo-{rng.random()}")
    if not ctx.shared_password_hash:
        ctx.shared_password_hash = password_hash
    today = local_today()
    grids = ctx.grids
    grid_weights = [grid.household_count for grid in grids]
    social_worker_positions = set(rng.sample(range(1, total), social_workers))
    phones: set[str] = set()
    id_numbers: set[str] = set()
    region = ctx.district.region_code

    people = []
    for position in range(total):
        male = rng.random() < 0.48
        name, ethnicity = _name(ctx, male)
        # The first volunteer becomes the demo account: an adult who may join care teams.
        age = _age(rng) if position else 45
        birth = _birth_date(rng, today, age)
        id_number = _id_number(rng, region, birth, male, id_numbers)
        registered = utcnow() - timedelta(days=rng.randint(0, 1_000), minutes=rng.randint(0, 1439))
        grid = rng.choices(grids, weights=grid_weights, k=1)[0]
        people.append({
            "name": name, "ethnicity": ethnicity, "age": age, "birth": birth, "male": male,
            "id_number": id_number, "registered": registered, "grid": grid,
            "phone": _phone(rng, phones), "sw": position in social_worker_positions,
        })

    users = list(db.session.scalars(
        insert(User).returning(User, sort_by_parameter_order=True),
        [{"phone": p["phone"], "display_name": p["name"], "password_hash": password_hash,
          "created_at": p["registered"], "password_changed_at": p["registered"]}
         for p in people],
    ))
    db.session.execute(insert(RoleGrant), [
        {"user_id": user.id, "role": Role.VOLUNTEER, "created_at": p["registered"]}
        for user, p in zip(users, people, strict=True)
    ])
    profiles, consents = [], []
    for serial, (user, p) in enumerate(zip(users, people, strict=True), start=1):
        profiles.append(_profile_row(rng, user.id, serial, region, p))
        consents.append({"user_id": user.id, "purpose": ConsentPurpose.PRIVACY_NOTICE,
                         "text_version": PRIVACY_NOTICE_VERSION, "given_at": p["registered"],
                         "recorded_by_id": user.id})
        if p["age"] < 18:
            consents.append({
                "user_id": user.id, "purpose": ConsentPurpose.GUARDIAN,
                "text_version": PRIVACY_NOTICE_VERSION, "given_at": p["registered"],
                "guardian_name": _father(ctx, p), "guardian_relation": "父亲",
                "recorded_by_id": user.id,
            })
    db.session.execute(insert(VolunteerProfile), profiles)
    db.session.execute(insert(ConsentRecord), consents)
    ctx.volunteer_users.extend(users)


def _name(ctx, male: bool) -> tuple[str, str]:
    from marketplace.demo.names import person_name

    return person_name(ctx.rng, "m" if male else "f")


def _father(ctx, person: dict) -> str:
    """The father's name: the child's family name, or for given·father names, the father's
    given name followed by a grandfather's name."""
    while True:
        drawn, ethnicity = _name(ctx, True)
        if ethnicity == person["ethnicity"]:
            break
    child = person["name"]
    if "·" in child:
        return child.split("·")[1] + "·" + drawn.split("·")[1]
    if ethnicity in ("han", "hui"):
        return child[0] + drawn[1:]
    return drawn


def _age(rng) -> int:
    draw = rng.random()
    if draw < SHARE_MINORS:
        return rng.randint(14, 17)
    if draw < SHARE_MINORS + SHARE_55_PLUS:
        return min(82, 55 + int(rng.expovariate(1 / 8)))
    return rng.randint(18, 54)


def _birth_date(rng, today: date, age: int) -> date:
    latest = date(today.year - age, today.month, min(today.day, 28))
    return latest - timedelta(days=rng.randint(1, 360))


def _id_number(rng, region: str, birth: date, male: bool, taken: set[str]) -> str:
    """A valid synthetic number: region, birth date, sequence (odd for men), check character."""
    while True:
        sequence = rng.randrange(0, 500) * 2 + (1 if male else 0)
        body = f"{region}{birth:%Y%m%d}{sequence:03d}"
        number = body + ric.calc_check_digit(body + "0")
        if number not in taken:
            taken.add(number)
            return number


def _phone(rng, taken: set[str]) -> str:
    while True:
        phone = f"1{rng.choice('358')}{rng.randrange(10**9):09d}"
        if phone not in taken:
            taken.add(phone)
            return phone


def _languages(rng, ethnicity: str, age: int) -> list[str]:
    spoken = ["zh"]
    for code, odds in LANGUAGE_ODDS.items():
        if rng.random() < odds.get(ethnicity, odds["other"]):
            spoken.append(code)
    english = next(share for limit, share in ENGLISH_BY_AGE if age < limit)
    if rng.random() < english:
        spoken.append("en")
    return spoken


def _skills(rng, social_worker: bool) -> list[str]:
    codes = list(SKILL_WEIGHTS)
    chosen = set(rng.choices(codes, weights=list(SKILL_WEIGHTS.values()), k=rng.randint(1, 4)))
    if social_worker:
        chosen.update(("psych_support", "counseling"))
    return ordered(chosen, SKILLS)


def _slots(rng, age: int) -> list[str]:
    """Retirees are free on weekdays, others mostly at weekends, students on Saturdays."""
    if age < 18:
        pool, count = ["sat_am", "sat_pm", "sun_am"], rng.randint(1, 2)
    elif age >= 55:
        pool, count = [s for s in SLOTS if not s.startswith("sun")], rng.randint(3, 8)
    else:
        pool = ["sat_am", "sat_pm", "sun_am", "sun_pm", "fri_pm", "wed_pm"]
        count = rng.randint(1, 4)
    return ordered(rng.sample(pool, k=min(count, len(pool))), SLOTS)


def _profile_row(rng, user_id: int, serial: int, region: str, p: dict) -> dict:
    grid = p["grid"]
    return {
        "user_id": user_id,
        "volunteer_no": f"{NUMBER_PREFIX}{region}{serial:08d}",
        "real_name": p["name"],
        "id_number_encrypted": crypto.encrypt(p["id_number"]),
        "id_number_digest": crypto.digest(p["id_number"]),
        "birth_date": p["birth"],
        "gender": Gender.MALE if p["male"] else Gender.FEMALE,
        "skills": _skills(rng, p["sw"]),
        "languages": _languages(rng, p["ethnicity"], p["age"]),
        "slots": _slots(rng, p["age"]),
        "social_worker": p["sw"],
        "sw_certificate_no": f"ZG{2008 + serial % 15}{serial:06d}" if p["sw"] else None,
        "community_id": grid.community_id,
        "grid_id": grid.id,
        "lat": round(grid.lat + rng.uniform(-JITTER_DEGREES, JITTER_DEGREES), 6),
        "lon": round(grid.lon + rng.uniform(-JITTER_DEGREES, JITTER_DEGREES), 6),
        "hours_per_week": rng.choice((2, 2.5, 3, 4, 4, 5, 6, 8, 10)),
        "max_km": rng.choice((1, 1.5, 2, 2, 3, 3, 4, 5)),
        "max_teams": 3 if p["sw"] else DEFAULT_MAX_TEAMS,
        "automated_matching": True,
        "created_at": p["registered"],
        "updated_at": p["registered"],
    }
