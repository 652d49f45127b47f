"""Households, hours, certificates, matching runs and contracts through the API: each
answers only within the user's scope (404 outside it), masks personal data, and keeps the
domain's rules (verify once, no self-verification, runs only where the user may start them)."""

from __future__ import annotations

from sqlalchemy import select

from marketplace.extensions import db

FULL_PHONE = "13987654321"


def _add_person(app, household_id: int) -> None:
    from marketplace.care.models import HouseholdPerson

    with app.app_context():
        db.session.add(HouseholdPerson(household_id=household_id, name="张建国",
                                       birth_year=1940, phone=FULL_PHONE, relation="本人"))
        db.session.commit()


def test_households_are_their_organizations_and_masked(app, api_world, api_client):
    _add_person(app, api_world.households[0])
    own = api_client(api_world.social_worker)
    listing = own.get("/api/v1/households")
    assert listing.status_code == 200
    assert {row["id"] for row in listing.json["items"]} == set(api_world.households)
    detail = own.get(f"/api/v1/households/{api_world.households[0]}").json
    person = detail["persons"][0]
    assert person["name"] != "张建国" and person["name"].startswith("张")
    assert person["phone"] != FULL_PHONE and person["phone"].endswith(FULL_PHONE[-4:])
    assert FULL_PHONE not in listing.get_data(as_text=True)

    other = api_client(api_world.other_social_worker)
    assert other.get(f"/api/v1/households/{api_world.households[0]}").status_code == 404
    assert other.get(f"/api/v1/care-requests/{api_world.requests[0]}").status_code == 404
    assert api_client(api_world.org_admin).get("/api/v1/households").status_code == 404
    official = api_client(api_world.district_official)
    assert official.get(f"/api/v1/households/{api_world.households[0]}").status_code == 404
    counts = official.get("/api/v1/households/area-counts").json
    assert counts and all(row["households"] == "<5" for row in counts)
    assert api_client(api_world.other_street_official).get(
        "/api/v1/households/area-counts").json == []


def test_staff_verify_hours_once_and_the_volunteer_sees_the_total(app, api_world, api_client):
    from marketplace.hours.models import HoursEntry

    with app.app_context():
        entry_id = db.session.scalar(select(HoursEntry.id))
    stranger = api_client(api_world.other_social_worker)
    assert stranger.post(f"/api/v1/hours/{entry_id}/verify", json={}).status_code == 404
    staff = api_client(api_world.social_worker)
    assert [row["id"] for row in staff.get("/api/v1/hours/pending").json["items"]] == [entry_id]
    first = staff.post(f"/api/v1/hours/{entry_id}/verify", json={})
    assert first.status_code == 200
    assert first.json["changed"] is True and first.json["entry"]["state"] == "verified"
    again = staff.post(f"/api/v1/hours/{entry_id}/verify", json={})
    assert again.json["changed"] is False
    volunteer = api_client(next(iter(api_world.volunteers.values())))
    ledger = volunteer.get("/api/v1/me/hours").json
    assert ledger["volunteer_hours"] == 2.0
    assert [row["state"] for row in ledger["items"]] == ["verified"]
    # Rejecting needs a readable reason; an invisible one is refused on its field.
    blank = staff.post(f"/api/v1/hours/{entry_id}/reject", json={"reason": "\u200b"})
    assert blank.status_code == 422 and "reason" in blank.json["errors"]


def test_certificate_check_is_public_and_the_same_404_for_any_wrong_pair(app, api_client):
    anonymous = api_client(None)
    for query in ("serial=000001-2026-000001&code=ABCDEF", "serial=x&code=y"):
        answer = anonymous.get(f"/api/v1/certificates/verify?{query}")
        assert answer.status_code == 404
        assert answer.json["code"] == 404
    missing = anonymous.get("/api/v1/certificates/verify")
    assert missing.status_code == 422
    assert set(missing.json["errors"]) == {"serial", "code"}


def test_runs_start_only_in_scope_and_offer_waits_for_a_finished_run(
    app, api_world, api_client, no_solving
):
    staff = api_client(api_world.social_worker)
    started = staff.post("/api/v1/matching-runs",
                         json={"scope_kind": "organization", "scope_id": api_world.org})
    assert started.status_code == 202
    assert started.json["state"] == "queued" and len(no_solving) == 1
    twice = staff.post("/api/v1/matching-runs",
                       json={"scope_kind": "organization", "scope_id": api_world.org})
    assert twice.status_code == 422 and twice.json["errors"]["_request"]  # one run per scope
    run_id = started.json["id"]
    assert staff.get(f"/api/v1/matching-runs/{run_id}/progress").json["finished"] is False
    offer = staff.post(f"/api/v1/matching-runs/{run_id}/offer", json={})
    assert offer.status_code == 422 and offer.json["errors"]["_request"]

    assert api_client(api_world.other_social_worker).post(
        "/api/v1/matching-runs", json={"scope_kind": "organization", "scope_id": api_world.org}
    ).status_code == 404
    assert api_client(api_world.other_social_worker).get(
        f"/api/v1/matching-runs/{run_id}").status_code == 404
    assert api_client(api_world.district_official).get(
        f"/api/v1/matching-runs/{run_id}").status_code == 404
    assert len(no_solving) == 1


def test_contracts_answer_their_buyers_contractor_and_the_public(app, api_world, api_client):
    official = api_client(api_world.district_official)
    mine = official.get("/api/v1/contracts").json["items"]
    assert len(mine) == 1
    contract_id = mine[0]["id"]
    kpis = official.get(f"/api/v1/contracts/{contract_id}/kpis").json
    assert {row["kpi"] for row in kpis} == {"verified_hours", "households_served"}
    assert api_client(api_world.org_admin).get(
        f"/api/v1/contracts/{contract_id}").status_code == 200
    assert api_client(api_world.other_social_worker).get(
        f"/api/v1/contracts/{contract_id}").status_code == 404
    public = api_client(None).get("/api/v1/contracts/public").json
    assert [row["id"] for row in public["items"]] == [contract_id]


def test_team_names_are_shortened_for_outsiders(app, api_world, api_client):
    from marketplace.teams.models import VolunteerTeam

    with app.app_context():
        team_id = db.session.scalar(select(VolunteerTeam.id))
    outsider = api_client(None).get(f"/api/v1/teams/{team_id}").json
    staff = api_client(api_world.social_worker).get(f"/api/v1/teams/{team_id}").json
    assert outsider["full_names"] is False and staff["full_names"] is True
    assert all(row["name"] != staff_row["name"]
               for row, staff_row in zip(outsider["members"], staff["members"], strict=True))
