"""Households: registration by the organization's social workers, scope, priority, bad
input, health notes under their own consent, closing and the purge."""

from __future__ import annotations

import re
from datetime import timedelta

from fixtures.care import SENTINEL_NOTE, SENTINEL_PHONE, household_form

from marketplace.extensions import db

BIG_ID = "9" * 20


def _household(app, household_id):
    from marketplace.care.models import Household

    return db.session.get(Household, household_id)


def test_a_social_worker_registers_a_household_with_priority_from_its_flags(
    app, care, make_household, as_user
):
    household_id = make_household()
    with app.app_context():
        household = _household(app, household_id)
        # 孤寡 2 + 高龄 2 + 空巢 0 → 1 + 4 = 5
        assert household.priority == 5 and household.effective_priority == 5
        assert household.persons[0].name == "李桂兰"
        assert household.address == "友谊路12号3栋2单元"
        assert "友谊路" not in household.address_encrypted  # encrypted at rest
        grid = household.grid
        assert (household.lat, household.lon) == (grid.lat, grid.lon)
    page = as_user(care["social_worker"]).get(f"/care/households/{household_id}").text
    assert "李桂兰" in page and "友谊路12号" in page
    assert SENTINEL_PHONE not in page and "135****7766" in page


def test_priority_override_needs_a_reason_and_bad_input_names_the_field(app, care, as_user):
    client = as_user(care["social_worker"])
    response = client.post("/care/households/new", data=household_form(
        care["geo"], priority_override="2", person_phone_0="1359988", hours_per_week="99",
        grid_id=care["geo"]["grids"][2],
    ))
    assert response.status_code == 400
    body = response.text
    assert "请说明" in body or "Say why the priority" in body
    assert "11" in body  # the phone message names the 11 digits
    assert "网格" in body
    # Nothing typed is lost: the address is still in the form.
    assert "友谊路12号3栋2单元" in body
    with app.app_context():
        from marketplace.care.models import Household

        assert db.session.scalar(db.select(db.func.count(Household.id))) == 0


def test_invisible_and_control_text_in_required_fields_is_refused(app, care, as_user):
    client = as_user(care["social_worker"])
    for bad in ("\u200b\u200b", "王\u202e五", "李\x00四"):
        response = client.post("/care/households/new", data=household_form(
            care["geo"], person_name_0=bad, address=bad,
        ))
        assert response.status_code == 400, bad
    with app.app_context():
        from marketplace.care.models import Household

        assert db.session.scalar(db.select(db.func.count(Household.id))) == 0


def test_only_the_households_own_social_workers_reach_it(app, care, make_household, as_user):
    household_id = make_household()
    for who in ("other_social_worker", "official", "org_admin"):
        client = as_user(care[who])
        for path in (f"/care/households/{household_id}",
                     f"/care/households/{household_id}/edit",
                     f"/care/households/{household_id}/health",
                     f"/care/households/{household_id}/requests/new"):
            assert client.get(path).status_code in (403, 404), (who, path)
        response = client.post(f"/care/households/{household_id}/close",
                               data={"reason": "搬走了啊"})
        assert response.status_code in (403, 404)
    colleague = as_user(care["colleague"])
    assert colleague.get(f"/care/households/{household_id}").status_code == 200
    # Another org's social worker gets 404 (not 403): the household does not exist for them.
    assert as_user(care["other_social_worker"]).get(
        f"/care/households/{household_id}").status_code == 404
    assert colleague.get(f"/care/households/{BIG_ID}").status_code == 404
    listing = as_user(care["other_social_worker"]).get("/care/households").text
    assert "李桂兰" not in listing


def test_editing_changes_the_record_and_keeps_the_pseudonym(app, care, make_household, as_user):
    household_id = make_household()
    with app.app_context():
        pseudonym = _household(app, household_id).pseudonym
    client = as_user(care["social_worker"])
    response = client.post(f"/care/households/{household_id}/edit", data=household_form(
        care["geo"], flags=["dibao"], priority_override="4", priority_reason="独居且行动不便",
        lat="45.6025", lon="84.8725",
    ))
    assert response.status_code == 302
    with app.app_context():
        household = _household(app, household_id)
        assert household.priority == 2 and household.effective_priority == 4
        assert household.priority_reason == "独居且行动不便"
        assert (household.lat, household.lon) == (45.6025, 84.8725)
        assert household.pseudonym == pseudonym
    edit_page = client.get(f"/care/households/{household_id}/edit").text
    assert SENTINEL_PHONE not in edit_page and "135****7766" in edit_page
    kept = client.post(f"/care/households/{household_id}/edit",
                       data=household_form(care["geo"], person_phone_0=""))
    assert kept.status_code == 302
    with app.app_context():
        assert _household(app, household_id).persons[0].phone == SENTINEL_PHONE
    far = client.post(f"/care/households/{household_id}/edit",
                      data=household_form(care["geo"], lat="44.0", lon="84.8725"))
    assert far.status_code == 400 and "10 公里" in far.text


def test_health_notes_need_consent_are_encrypted_and_revealed_with_audit(
    app, care, make_household, as_user
):
    from marketplace.audit.models import AuditRecord
    from marketplace.care.models import HealthNote
    from marketplace.privacy.models import ConsentPurpose, ConsentRecord

    household_id = make_household()
    client = as_user(care["social_worker"])
    refused = client.post(f"/care/households/{household_id}/health",
                          data={"text": SENTINEL_NOTE, "given_by": "guardian"})
    assert refused.status_code == 400
    assert "同意" in refused.text or "consent" in refused.text
    assert SENTINEL_NOTE in refused.text  # what was typed stays in the form
    saved = client.post(f"/care/households/{household_id}/health", data={
        "text": SENTINEL_NOTE, "given_by": "guardian", "guardian_name": "李明",
        "guardian_relation": "儿子", "consent": "y",
    })
    assert saved.status_code == 302
    with app.app_context():
        note = db.session.scalars(db.select(HealthNote)).one()
        assert SENTINEL_NOTE not in note.text_encrypted and note.text == SENTINEL_NOTE
        consent = db.session.get(ConsentRecord, note.consent_id)
        assert consent.purpose == ConsentPurpose.HEALTH_DATA and consent.user_id is None
        assert consent.guardian_name == "李明" and consent.text_version
    page = client.get(f"/care/households/{household_id}").text
    assert SENTINEL_NOTE not in page
    assert SENTINEL_NOTE not in client.get(f"/care/households/{household_id}/health").text
    revealed = client.post("/privacy/reveal", data={
        "kind": "health_note", "object": household_id, "purpose": "安排上门探访注意事项",
    })
    assert revealed.status_code == 200 and SENTINEL_NOTE in revealed.text
    with app.app_context():
        audit = db.session.scalars(
            db.select(AuditRecord).where(AuditRecord.action == "reveal.health_note")
        ).one()
        assert audit.actor_id == care["social_worker"] and audit.organization_id == care["org"]
    for who in ("other_social_worker", "org_admin"):
        other = as_user(care[who]).post("/privacy/reveal", data={
            "kind": "health_note", "object": household_id, "purpose": "安排上门探访注意事项",
        })
        assert other.status_code == 404 and SENTINEL_NOTE not in other.text
    # Withdrawn consent deletes the notes and the consent.
    assert client.post(f"/care/households/{household_id}/health/withdraw").status_code == 302
    with app.app_context():
        assert db.session.scalars(db.select(HealthNote)).first() is None
        assert db.session.scalars(db.select(ConsentRecord).where(
            ConsentRecord.purpose == ConsentPurpose.HEALTH_DATA)).first() is None


def test_closing_keeps_history_and_purge_removes_personal_data_once(
    app, care, make_living_team, as_user, runner
):
    from marketplace.care.models import CareRequestState, HealthNote, HouseholdPerson

    made = make_living_team()
    household_id = made["household"]
    client = as_user(care["social_worker"])
    client.post(f"/care/households/{household_id}/health", data={
        "text": SENTINEL_NOTE, "given_by": "person", "consent": "y"})
    changes = (f"/care/households/{household_id}/edit", "/requests/new",
               f"/care/households/{household_id}/close", "/health/withdraw", "/health\"")
    page = client.get(f"/care/households/{household_id}").text
    assert all(action in page for action in changes)
    assert client.post(f"/care/households/{household_id}/close",
                       data={"reason": "\u200b"}).status_code == 302
    with app.app_context():
        assert _household(app, household_id).is_active  # no visible reason: not closed
    assert client.post(f"/care/households/{household_id}/close",
                       data={"reason": "老人已搬去子女家"}).status_code == 302
    with app.app_context():
        household = _household(app, household_id)
        assert not household.is_active
        assert household.care_requests[0].state == CareRequestState.CLOSED
        assert household.care_requests[0].teams[0].ended_at is not None
        pseudonym = household.pseudonym
    page = client.get(f"/care/households/{household_id}").text
    assert not any(action in page for action in changes)  # its record no longer changes
    with app.app_context():
        household = _household(app, household_id)
        household.closed_at -= timedelta(days=app.config["CARE_RETENTION_DAYS"] + 1)
        db.session.commit()
    first = runner.invoke(args=["purge-expired"])
    assert "purged 1" in first.output
    second = runner.invoke(args=["purge-expired"])
    assert "purged 0" in second.output
    with app.app_context():
        household = _household(app, household_id)
        assert household.purged_at is not None and household.pseudonym == pseudonym
        assert household.address_encrypted is None and household.lat is None
        assert db.session.scalars(db.select(HouseholdPerson)).first() is None
        assert db.session.scalars(db.select(HealthNote)).first() is None
        assert len(household.care_requests) == 1  # the history stays
    page = client.get(f"/care/households/{household_id}").text
    assert "李桂兰" not in page and pseudonym in page


def test_a_double_submit_of_the_registration_makes_two_records_only_if_sent_twice(
    app, care, as_user
):
    # The form carries no idempotency key; each POST is a registration. What must not happen
    # is a 500 or a half-saved record: both succeed whole.
    client = as_user(care["social_worker"])
    for _ in range(2):
        assert client.post("/care/households/new",
                           data=household_form(care["geo"])).status_code == 302
    with app.app_context():
        from marketplace.care.models import Household, HouseholdPerson

        assert db.session.scalar(db.select(db.func.count(HouseholdPerson.id))) == 2
        pseudonyms = db.session.scalars(db.select(Household.pseudonym)).all()
        assert len(set(pseudonyms)) == 2 and all(re.match(r"HH-[0-9A-F]{8}$", p)
                                                 for p in pseudonyms)


def test_the_list_filters_by_request_state_grid_and_flag(app, care, make_household, as_user):
    from marketplace.auth.models import User
    from marketplace.care.models import Household
    from marketplace.care.services import requests

    first = make_household(person_name_0="甲老人", flags=["dibao"])
    make_household(person_name_0="乙老人", flags=["disabled"], grid_id=care["geo"]["grids"][1])
    with app.app_context():
        household = _household(app, first)
        requests.create_request(db.session.get(User, care["social_worker"]), household,
                                requests.RequestInput.from_household(household))
        db.session.commit()
    client = as_user(care["social_worker"])
    both = client.get("/care/households").text
    assert "甲老人" in both and "乙老人" in both
    opened = client.get("/care/households?state=open").text
    assert "甲老人" in opened and "乙老人" not in opened
    by_flag = client.get("/care/households?flag=disabled").text
    assert "乙老人" in by_flag and "甲老人" not in by_flag
    by_grid = client.get(f"/care/households?grid={care['geo']['grids'][1]}").text
    assert "乙老人" in by_grid and "甲老人" not in by_grid
    assert client.get(f"/care/households?grid={BIG_ID}&state=x\x00").status_code == 200
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Household.id))) == 2


def test_officials_see_counts_per_street_only(app, care, make_household, as_user, make_user):
    from marketplace.auth.models import Role

    for _ in range(6):
        make_household()
    make_household(community_id=care["geo"]["communities"][2], grid_id="")
    page = as_user(care["official"]).get("/care/area")
    assert page.status_code == 200
    body = page.text
    assert "胜利路街道" in body and "<td>6</td>" in body
    assert "昆仑路街道" in body and "&lt;5" in body  # one household: not singled out
    assert "李桂兰" not in body and "友谊路" not in body
    other = make_user(roles=[(Role.OFFICIAL, {"district_id": care["geo"]["other_district"]})])
    assert "胜利路街道" not in as_user(other).get("/care/area").text
    assert as_user(care["social_worker"]).get("/care/area").status_code in (403, 404)
