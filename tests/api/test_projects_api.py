"""Projects, shifts and sign-ups through the API: the projects domain's rules hold (no
overbooking, a waiting list, a double submit answers the first sign-up), drafts and other
people's sign-ups answer 404, and refused input names its field."""

from __future__ import annotations

from marketplace.privacy.masking import mask_phone


def test_sign_up_fills_seats_then_waitlists_and_cancel_promotes(
    app, world, make_volunteer, make_shift, api_client, seat_counts
):
    shift_id = make_shift(seats=1)
    first, second = (api_client(make_volunteer()[0]) for _ in range(2))

    taken = first.post("/api/v1/me/sign-ups", json={"shift_id": shift_id})
    assert taken.status_code == 201
    assert taken.json["state"] == "confirmed"
    again = first.post("/api/v1/me/sign-ups", json={"shift_id": shift_id})
    assert again.json["id"] == taken.json["id"]  # a double submit is the same sign-up
    waiting = second.post("/api/v1/me/sign-ups", json={"shift_id": shift_id})
    assert waiting.json["state"] == "waitlisted"
    assert waiting.json["waitlist_position"] == 1
    assert seat_counts(shift_id) == {"confirmed": 1, "waitlisted": 1, "seats_taken": 1}

    cancelled = first.post(f"/api/v1/me/sign-ups/{taken.json['id']}/cancel", json={})
    assert cancelled.status_code == 200
    assert cancelled.json["state"] == "cancelled"
    assert seat_counts(shift_id) == {"cancelled": 1, "confirmed": 1, "seats_taken": 1}
    mine = second.get("/api/v1/me/sign-ups").json
    assert [entry["state"] for entry in mine["items"]] == ["confirmed"]


def test_another_volunteers_sign_up_and_a_draft_shift_answer_404(
    app, world, make_volunteer, make_shift, make_project, api_client
):
    owner, stranger = api_client(make_volunteer()[0]), api_client(make_volunteer()[0])
    entry = owner.post("/api/v1/me/sign-ups", json={"shift_id": make_shift()}).json
    answer = stranger.post(f"/api/v1/me/sign-ups/{entry['id']}/cancel", json={})
    assert answer.status_code == 404
    assert answer.json["code"] == 404
    draft_shift = make_shift(project_id=make_project(state="draft"))
    assert stranger.get(f"/api/v1/shifts/{draft_shift}").status_code == 404
    assert stranger.post("/api/v1/me/sign-ups", json={"shift_id": draft_shift}).status_code == 404
    assert api_client(world["social_worker"]).get(
        f"/api/v1/shifts/{draft_shift}").status_code == 200
    assert stranger.get(f"/api/v1/shifts/{'9' * 20}").status_code == 404


def test_refused_input_names_the_field(app, world, make_volunteer, make_shift, api_client):
    client = api_client(make_volunteer()[0])
    shift_id = make_shift()
    unknown = client.post("/api/v1/me/sign-ups",
                          json={"shift_id": shift_id, "state": "confirmed"})
    assert unknown.status_code == 422
    assert set(unknown.json["errors"]) == {"state"}
    huge = client.post("/api/v1/me/sign-ups", json={"shift_id": int("9" * 20)})
    assert huge.status_code == 422 and "shift_id" in huge.json["errors"]
    assert client.get("/api/v1/shifts?per_page=101").json["errors"].keys() == {"per_page"}


def test_a_rule_the_volunteer_broke_is_a_field_error_in_their_language(
    app, world, make_volunteer, make_shift, api_client, seat_counts
):
    from datetime import date

    minor = api_client(make_volunteer(birth_date=date(2015, 1, 1))[0], language="en")
    shift_id = make_shift(min_age=18)
    answer = minor.post("/api/v1/me/sign-ups", json={"shift_id": shift_id})
    assert answer.status_code == 422
    assert answer.json["errors"] and answer.json["message"].isascii()
    assert seat_counts(shift_id) == {"seats_taken": 0}


def test_organizations_mask_the_phone_for_outsiders_only(app, world, api_client):
    from marketplace.extensions import db
    from marketplace.orgs.models import Organization

    with app.app_context():
        db.session.get(Organization, world["org"]).contact_phone = "13912345678"
        db.session.commit()
    outsider = api_client(None).get(f"/api/v1/organizations/{world['org']}").json
    staff = api_client(world["social_worker"]).get(f"/api/v1/organizations/{world['org']}").json
    assert outsider["contact_phone"] == mask_phone("13912345678") != "13912345678"
    assert staff["contact_phone"] == "13912345678"
    listing = api_client(None).get("/api/v1/organizations?per_page=1")
    assert listing.json["per_page"] == 1 and listing.json["total"] == 2
    assert api_client(None).get(
        f"/api/v1/organizations/{world['suspended_org']}").status_code == 404
