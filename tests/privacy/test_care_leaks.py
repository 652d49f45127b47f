"""Household sentinels (a health note, a phone, an address, a guardian's name) never reach a
log line, and reach only the people §8.27 names: the household's social workers through
audited reveals, its team's members the phone and address, nobody the health note but the
social workers."""

from __future__ import annotations

import logging

from fixtures.care import household_form

from marketplace.clock import local_today
from marketplace.extensions import db
from marketplace.requestlog import JsonFormatter

NOTE = "糖尿病足溃疡需每日换药"
PHONE = "13677001122"
ADDRESS = "准噶尔路八十八号四栋一单元"
GUARDIAN = "买买提·艾力"
SENTINELS = (NOTE, PHONE, ADDRESS, GUARDIAN)


def _log_texts(records) -> list[str]:
    json_format, plain = JsonFormatter(), logging.Formatter()
    texts = []
    for record in records:
        texts += [json_format.format(record), plain.format(record), repr(record.args),
                  repr(getattr(record, "fields", None))]
    return texts


def test_household_values_stay_with_the_people_who_need_them(
    app, care, as_user, make_volunteers, make_user, caplog
):
    from marketplace.auth.models import User
    from marketplace.care.models import Household
    from marketplace.care.services import living, requests

    app.config["SQLALCHEMY_ECHO"] = False
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    worker = as_user(care["social_worker"])
    form = household_form(care["geo"], person_phone_0=PHONE, address=ADDRESS)
    # Error paths first: a refused registration echoes only to its author.
    assert worker.post("/care/households/new", data={**form, "hours_per_week": "99"}
                       ).status_code == 400
    assert worker.post("/care/households/new", data=form).status_code == 302
    with app.app_context():
        household_id = db.session.scalars(db.select(Household.id)).one()
    refused_note = worker.post(f"/care/households/{household_id}/health", data={
        "text": NOTE, "given_by": "guardian", "guardian_name": GUARDIAN})
    assert refused_note.status_code == 400
    assert worker.post(f"/care/households/{household_id}/health", data={
        "text": NOTE, "given_by": "guardian", "guardian_name": GUARDIAN,
        "guardian_relation": "儿子", "consent": "y"}).status_code == 302
    volunteers = make_volunteers(3)
    with app.test_request_context():
        actor = db.session.get(User, care["social_worker"])
        household = db.session.get(Household, household_id)
        care_request = requests.create_request(
            actor, household, requests.RequestInput.from_household(household))
        team = living.form_team(care_request, [p for _u, p in volunteers], actor=actor)
        db.session.commit()
        team_id = team.id

    pages = f"/care/households/{household_id}"
    staff_masked = [worker.get(pages), worker.get(f"{pages}/edit"), worker.get(f"{pages}/health"),
                    worker.get(f"/care/teams/{team_id}"), worker.get("/care/households"),
                    worker.get("/care/map.json"), worker.get("/"),
                    worker.post("/privacy/reveal", data={"kind": "health_note",
                                                         "object": household_id,
                                                         "purpose": "去"})]
    note_reveal = worker.post("/privacy/reveal", data={
        "kind": "health_note", "object": household_id, "purpose": "上门前确认护理要点"})
    phone_reveal = worker.post("/privacy/reveal", data={
        "kind": "household_phones", "object": household_id, "purpose": "联系家属安排探访"})

    member = as_user(volunteers[0][0])
    member_pages = [member.get(f"/care/teams/{team_id}"), member.get("/care/teams"),
                    member.get("/me/data.json"), member.get(pages),
                    member.post("/privacy/reveal", data={"kind": "health_note",
                                                         "object": household_id,
                                                         "purpose": "上门前确认护理要点"}),
                    member.post(f"/care/teams/{team_id}/visits", data={
                        "visited_on": local_today().isoformat(), "minutes": "60",
                        "contact": "y", "persons_reached": "1", "note": ""})]
    outsiders = []
    for who in (care["other_social_worker"], care["official"], care["org_admin"],
                make_user(roles=[])):
        client = as_user(who)
        outsiders += [client.get(pages), client.get(f"/care/teams/{team_id}"),
                      client.get("/care/map.json"), client.get("/care/households"),
                      client.get(f"/orgs/{care['org']}"), client.get("/"),
                      client.post("/privacy/reveal", data={"kind": "health_note",
                                                           "object": household_id,
                                                           "purpose": "上门前确认护理要点"}),
                      client.post("/privacy/reveal", data={"kind": "household_phones",
                                                           "object": household_id,
                                                           "purpose": "上门前确认护理要点"})]

    # The social workers: the address in full, the phone masked, the note only revealed.
    assert ADDRESS in staff_masked[0].text and "136****1122" in staff_masked[0].text
    for response in staff_masked:
        body = response.get_data(as_text=True)
        assert NOTE not in body and PHONE not in body and GUARDIAN not in body, \
            response.request.path
    assert NOTE in note_reveal.text and PHONE not in note_reveal.text
    assert PHONE in phone_reveal.text and NOTE not in phone_reveal.text
    # A member: what a visit needs (address, phone), never the note.
    assert ADDRESS in member_pages[0].text and PHONE in member_pages[0].text
    for response in member_pages:
        assert NOTE not in response.get_data(as_text=True), response.request.path
        assert GUARDIAN not in response.get_data(as_text=True)
    assert member_pages[3].status_code in (403, 404) and member_pages[4].status_code in (403,
                                                                                         404)
    # Everyone else: nothing.
    for response in outsiders:
        body = response.get_data(as_text=True)
        for value in SENTINELS:
            assert value not in body, (response.request.path, value)

    assert any(record.name.startswith("sqlalchemy.engine") for record in caplog.records)
    for text in [*_log_texts(caplog.records), caplog.text]:
        for value in SENTINELS:
            assert value not in text, value
    with app.app_context():
        from marketplace.care.models import CareTeam, HealthNote, HouseholdPerson
        from marketplace.privacy.models import ConsentRecord

        objects = [db.session.get(Household, household_id),
                   *db.session.scalars(db.select(HouseholdPerson)),
                   *db.session.scalars(db.select(HealthNote)),
                   *db.session.scalars(db.select(ConsentRecord)),
                   db.session.get(CareTeam, team_id)]
        for obj in objects:
            for value in SENTINELS:
                assert value not in repr(obj)
