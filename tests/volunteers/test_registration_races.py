"""Two registrations at the same moment: the checks before the insert can both pass, so the
database's unique constraints decide, and the person still gets a clear answer."""

from __future__ import annotations

import threading

import pytest
from fixtures.builders import make_id_number, profile_form

from marketplace.auth.models import Role
from marketplace.extensions import db
from marketplace.volunteers import services
from marketplace.volunteers.models import VolunteerProfile


def test_same_id_number_slipping_past_the_check_gets_the_field_error(
    app, client, make_user, login_as, geo, volunteer, monkeypatch
):
    number = make_id_number("19770707", 70)
    volunteer(id_number=number)
    real_owner = services._digest_owner
    calls = []

    def missed_by_the_check(digest):
        calls.append(digest)
        return None if len(calls) == 1 else real_owner(digest)

    monkeypatch.setattr(services, "_digest_owner", missed_by_the_check)
    other = make_user(roles=[Role.VOLUNTEER])
    login_as(client, other)
    response = client.post(
        "/me/profile/edit", data=profile_form(geo, id_number=number),
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 400
    assert "already registered" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(VolunteerProfile)) == 1


def test_a_volunteer_number_taken_meanwhile_is_drawn_again(
    app, client, make_user, login_as, geo, volunteer, monkeypatch
):
    volunteer(id_number=make_id_number("19770707", 71))
    real_next = services.next_volunteer_no
    draws = []

    def stale_first(region_code):
        draws.append(region_code)
        return "ZY65020300000001" if len(draws) == 1 else real_next(region_code)

    monkeypatch.setattr(services, "next_volunteer_no", stale_first)
    user_id = make_user(roles=[Role.VOLUNTEER])
    login_as(client, user_id)
    response = client.post(
        "/me/profile/edit", data=profile_form(geo, id_number=make_id_number("19770707", 72))
    )
    assert response.status_code == 302
    assert len(draws) == 2
    with app.app_context():
        numbers = db.session.scalars(
            db.select(VolunteerProfile.volunteer_no).order_by(VolunteerProfile.id)
        ).all()
        assert numbers == ["ZY65020300000001", "ZY65020300000002"]


def test_concurrent_registrations_get_distinct_numbers(app, make_user, login_as, geo, db_engine):
    if db_engine == "sqlite":
        pytest.skip("SQLite runs one writer at a time: registrations cannot interleave")
    users = [make_user(roles=[Role.VOLUNTEER]) for _ in range(4)]
    barrier = threading.Barrier(len(users))
    statuses = []

    def register(index, user_id):
        client = app.test_client()
        login_as(client, user_id)
        form = profile_form(geo, id_number=make_id_number("19850505", 200 + index))
        barrier.wait()
        statuses.append(client.post("/me/profile/edit", data=form).status_code)

    threads = [threading.Thread(target=register, args=pair) for pair in enumerate(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert statuses == [302] * len(users)
    with app.app_context():
        numbers = db.session.scalars(db.select(VolunteerProfile.volunteer_no)).all()
        assert sorted(numbers) == [f"ZY650203{n:08d}" for n in range(1, len(users) + 1)]
