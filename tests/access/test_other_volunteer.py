"""The volunteer's own objects (offers, sign-ups, certificates, notifications, the calendar
token's rotation, an API sign-up) are not found by another volunteer: every object row the
table opens to the volunteer but not to staff is probed as a second volunteer."""

from __future__ import annotations

from access_table import probe_order, read_expectations, row_key

# What any volunteer may act on: signing up for a shift, the check-in page its code is
# scanned into, applying to a (public) team through the API.
OPEN_TO_VOLUNTEERS = {"POST /shifts/<int:shift_id>/sign-up", "GET /shifts/<int:shift_id>/scan",
                      "POST /shifts/<int:shift_id>/scan", "POST /api/v1/teams/<int:team_id>/apply"}


def volunteers_own_rows(table) -> set[str]:
    return {key for key, cells in table.items()
            if "<int:" in key and cells["volunteer"] not in ("404", "401")
            and cells["sw_a"] == "404" and cells["anonymous"] != "200"} - OPEN_TO_VOLUNTEERS


def test_another_volunteer_finds_none_of_the_volunteers_objects(app, geo, access_world,
                                                                make_user, login_as):
    from fixtures.run_world import add_volunteer

    from marketplace.api import tokens
    from marketplace.auth.models import User
    from marketplace.extensions import db

    _profile, other = add_volunteer(app, make_user, geo["communities"][0], (45.6, 84.87))
    client = app.test_client()
    login_as(client, other)
    with app.app_context():
        token = tokens.create_token(db.session.get(User, other), "脚本", 30).plaintext
        db.session.commit()
    api = app.test_client()
    api.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    access_world.clients["other_volunteer"] = client
    access_world.api_clients["other_volunteer"] = api

    table = read_expectations()
    own = volunteers_own_rows(table)
    assert len(own) == 9  # offers, sign-ups, certificates, a notification, a token, the API
    answers = {}
    for method, rule in probe_order(app):
        if row_key(method, rule) in own:
            answers[row_key(method, rule)] = access_world.probe(method, rule,
                                                                "other_volunteer").status_code
    assert set(answers) == own
    assert {key for key, status in answers.items() if status != 404} == set()
