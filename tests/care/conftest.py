"""Care fixtures: two approved organizations on the shared geography, each with a social
worker, an org admin and an official; a household form; factories for households, requests
and living teams that go through the services."""

from __future__ import annotations

import pytest

from marketplace.auth.models import Role
from marketplace.extensions import db

SENTINEL_PHONE = "13599887766"
SENTINEL_NOTE = "高血压三级，每日服用氨氯地平"


def household_form(geo, **changes) -> dict:
    data = {
        "person_name_0": "李桂兰", "person_relation_0": "本人", "person_birth_year_0": "1938",
        "person_phone_0": SENTINEL_PHONE,
        "community_id": geo["communities"][0], "grid_id": geo["grids"][0],
        "address": "友谊路12号3栋2单元", "lat": "", "lon": "",
        "flags": ["empty_nest", "solitary", "advanced_age"],
        "needs": ["psych_support", "daily_care"], "languages": ["zh"],
        "slots": ["tue_am", "sat_pm"], "hours_per_week": "2", "visits_per_week": "1",
        "priority_override": "", "priority_reason": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def care(app, geo, make_org, make_staff, make_user):
    ids = {"geo": geo}
    ids["org"] = make_org(status="approved")
    ids["other_org"] = make_org(name="幸福社区志愿者协会", legal_form="social_group",
                                status="approved")
    ids["social_worker"] = make_staff(ids["org"])
    ids["colleague"] = make_staff(ids["org"])
    ids["org_admin"] = make_staff(ids["org"], Role.ORG_ADMIN)
    ids["other_social_worker"] = make_staff(ids["other_org"])
    ids["official"] = make_user(roles=[(Role.OFFICIAL, {"district_id": geo["district"]})])
    return ids


@pytest.fixture
def as_user(app, login_as):
    def factory(user_id):
        client = app.test_client()
        login_as(client, user_id)
        return client
    return factory


@pytest.fixture
def make_household(app, care, as_user):
    """Factory: a household registered through the form by the org's social worker."""
    from marketplace.care.models import Household

    def factory(**changes) -> int:
        client = as_user(care["social_worker"])
        response = client.post("/care/households/new", data=household_form(care["geo"], **changes))
        assert response.status_code == 302, response.get_data(as_text=True)
        with app.app_context():
            return db.session.scalars(db.select(Household.id).order_by(Household.id.desc())).first()

    return factory


@pytest.fixture
def make_volunteers(app, make_user, make_profile):
    """Factory: ``n`` adult volunteers with profiles; returns [(user_id, profile_id)]."""
    from marketplace.volunteers.models import VolunteerProfile

    def factory(n=3, slots=("tue_am", "sat_pm")):
        made = []
        for index in range(n):
            user_id = make_user(roles=[Role.VOLUNTEER])
            profile_id = make_profile(user_id, real_name=f"志愿者{index}号")
            with app.app_context():
                db.session.get(VolunteerProfile, profile_id).slots = list(slots)
                db.session.commit()
            made.append((user_id, profile_id))
        return made

    return factory


@pytest.fixture
def make_living_team(app, care, make_household, make_volunteers):
    """Factory: a household with a 311 request and a living team of three volunteers (as the
    review does it: form_team once all accepted); returns ids."""
    from marketplace.auth.models import User
    from marketplace.care.models import Household
    from marketplace.care.services import living, requests

    def factory(**household_changes):
        household_id = make_household(**household_changes)
        volunteers = make_volunteers(3)
        with app.app_context():
            actor = db.session.get(User, care["social_worker"])
            household = db.session.get(Household, household_id)
            care_request = requests.create_request(
                actor, household, requests.RequestInput.from_household(household)
            )
            team = living.form_team(care_request, [p for _u, p in volunteers], actor=actor)
            db.session.commit()
            return {"household": household_id, "request": care_request.id, "team": team.id,
                    "volunteers": volunteers}

    return factory


# The matching runs' small district (tests/care/run_world.py).
from run_world import run_world  # noqa: E402, F401
