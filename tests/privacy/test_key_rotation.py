"""`flask rotate-personal-data-key`: after rotating, ID numbers, addresses and health notes read
back the same with the new key only, a second registration with the same ID number is still
refused, a rerun changes nothing, and a wrong old key changes nothing at all."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet, InvalidToken
from fixtures.builders import make_id_number, profile_form
from sqlalchemy import select

from marketplace.auth.models import Role
from marketplace.care.models import Household
from marketplace.extensions import db
from marketplace.volunteers.models import VolunteerProfile

NEW_KEY = Fernet.generate_key().decode()
ID_NUMBER = make_id_number("19800101", 12)


def rotate(app, old_key: str | None, *args: str):
    env = {"GONGZHI_OLD_PERSONAL_DATA_KEY": old_key} if old_key is not None else {}
    return app.test_cli_runner().invoke(args=["rotate-personal-data-key", *args], env=env)


def stored(app):
    with app.app_context():
        profile = db.session.scalar(select(VolunteerProfile))
        household = db.session.get(Household, app.household_id)
        return (profile.id_number_encrypted, profile.id_number_digest,
                household.address_encrypted)


def readable(app):
    with app.app_context():
        profile = db.session.scalar(select(VolunteerProfile))
        return profile.id_number, db.session.get(Household, app.household_id).address


@pytest.fixture
def seeded(app, make_volunteer, make_household):
    make_volunteer(id_number=ID_NUMBER)
    app.household_id = make_household(address="友谊路12号3栋2单元")
    return app


def test_rotation_keeps_every_value_and_the_duplicate_check(seeded, make_user, login_as, geo):
    app = seeded
    old_key = app.config["PERSONAL_DATA_KEY"]
    old_tokens = stored(app)
    app.config["PERSONAL_DATA_KEY"] = NEW_KEY
    result = rotate(app, old_key)
    assert result.exit_code == 0, result.output
    assert "volunteer_profiles.id_number_encrypted: 1 re-encrypted" in result.output
    assert readable(app) == (ID_NUMBER, "友谊路12号3栋2单元")
    new_tokens = stored(app)
    assert all(new != old for new, old in zip(new_tokens, old_tokens, strict=True))
    with pytest.raises(InvalidToken):  # a dump read with the old key reveals nothing
        Fernet(old_key.encode()).decrypt(new_tokens[0].encode())

    client = app.test_client()
    login_as(client, make_user(roles=[Role.VOLUNTEER]))
    response = client.post("/me/profile/edit", data=profile_form(geo, id_number=ID_NUMBER),
                           headers={"Accept-Language": "en"})
    assert "already registered" in response.get_data(as_text=True)

    again = rotate(app, old_key)
    assert again.exit_code == 0 and "1 re-encrypted" not in again.output
    assert stored(app) == new_tokens


def test_a_wrong_old_key_changes_nothing(seeded):
    app = seeded
    before = stored(app)
    app.config["PERSONAL_DATA_KEY"] = NEW_KEY
    result = rotate(app, Fernet.generate_key().decode())
    assert result.exit_code != 0 and "nothing changed" in result.output
    assert stored(app) == before


def test_it_refuses_without_an_old_key_or_with_the_same_key(seeded):
    app = seeded
    assert "GONGZHI_OLD_PERSONAL_DATA_KEY" in rotate(app, None).output
    same = rotate(app, app.config["PERSONAL_DATA_KEY"])
    assert same.exit_code != 0 and "same" in same.output
