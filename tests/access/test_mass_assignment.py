"""Mass assignment: every form that creates or edits an object, sent valid and with extra
fields naming what the person may not set (role, organization, verification or state, seats
taken, hours, owner). The whole database is compared before and after: only the columns the
form legitimately writes change, and the new rows carry the values the rules give them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from access_table import SENTINEL_ID_NUMBER, SENTINEL_VOLUNTEER_PHONE
from fixtures.builders import profile_form
from fixtures.care import household_form
from sqlalchemy import select

from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.projects.localtime import to_local

# Bookkeeping every request may write: sessions, the audit trail, notifications, timestamps.
BOOKKEEPING_TABLES = {"user_sessions", "audit_records", "notifications", "notification_outbox"}


def extras(world, **legit) -> dict:
    """The fields nobody may set through a form, pointing at organization B, another user
    and the most privileged values; ``legit`` removes those the form does own."""
    values = {
        "role": "platform_admin", "roles": "platform_admin", "organization_id": world.other_org,
        "verified": "y", "state": "verified", "status": "approved", "seats_taken": "99",
        "hours": "999", "minutes": "99999", "user_id": world.users["platform_admin"],
        "volunteer_id": world.ids["profile_id"], "created_by_id": world.users["platform_admin"],
        "district_id": world.ids["other_district"], "is_active": "n", "closed_at": "2020-01-01",
    }
    for name in legit:
        values.pop(name, None)
    return values


def snapshot() -> dict:
    tables = {}
    for table in db.metadata.sorted_tables:
        if table.name in BOOKKEEPING_TABLES:
            continue
        keys = [column.name for column in table.primary_key.columns]
        rows = db.session.execute(select(table)).mappings().all()
        tables[table.name] = {tuple(row[k] for k in keys): dict(row) for row in rows}
    return tables


@dataclass
class Change:
    changed: set[tuple[str, str]] = field(default_factory=set)
    added: dict[str, list[dict]] = field(default_factory=dict)
    removed: set[str] = field(default_factory=set)


def compare(before: dict, after: dict) -> Change:
    change = Change()
    for name, rows in after.items():
        old = before[name]
        for key, row in rows.items():
            if key not in old:
                change.added.setdefault(name, []).append(row)
                continue
            for column, value in row.items():
                if old[key][column] != value and not column.endswith("_at"):
                    change.changed.add((name, column))
        if old.keys() - rows.keys():
            change.removed.add(name)
    return change


@dataclass
class Case:
    role: str
    url: str
    data: dict
    may_change: set[tuple[str, str]] = field(default_factory=set)
    may_add: set[str] = field(default_factory=set)
    may_remove: set[str] = field(default_factory=set)
    check: object = None  # check(added_rows_by_table, world) for the values of new rows
    api: bool = False  # sent as JSON with the role's personal access token
    status: int = 302


def _shift_form(world, **changes):
    start = to_local(utcnow() + timedelta(days=5)).replace(tzinfo=None, second=0,
                                                              microsecond=0)
    form = {"starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "community_id": str(world.ids["communities"][0]), "address": "友谊路 12 号",
            "seats": "4", "min_age": "0", "skills": ["daily_care"], "languages": ["zh"]}
    return form | changes


def _project_form(world):
    return {"title": "重阳节敬老活动", "domain": "elder_care",
            "community_id": str(world.ids["communities"][0]), "street_id": "",
            "starts_on": "2026-01-01", "ends_on": "", "fee_type": "free",
            "description": "陪伴老人。", "beneficiaries": "独居老人"}


def _contract_form(world, **changes):
    return {"title": "社区助老服务项目", "buyer": f"district:{world.ids['district']}",
            "organization_id": str(world.ids["org_id"]), "domain": "elder_care",
            "budget": "300000", "starts_on": "2026-01-01", "ends_on": "2026-12-31",
            "target_verified_hours": "500", "target_households_served": "50",
            "target_flags": ["empty_nest"]} | changes


def _only(rows, **expected):
    for row in rows:
        assert {k: row[k] for k in expected} == expected, row


PROFILE_COLUMNS = {("volunteer_profiles", c) for c in (
    "real_name", "skills", "languages", "slots", "hours_per_week", "max_km", "max_teams",
    "grid_id", "community_id", "lat", "lon", "location_source", "automated_matching",
    "id_number_encrypted")}  # encryption is randomised: the same number reads back
HOUSEHOLD_COLUMNS = {("households", c) for c in (
    "community_id", "grid_id", "address_encrypted", "lat", "lon", "flags", "needs",
    "languages", "slots", "hours_per_week", "visits_per_week", "priority")} | {
    ("household_persons", c) for c in ("name_encrypted", "phone_encrypted", "relation",
                                       "birth_year")}


def cases(world) -> list[Case]:
    ids = world.ids
    geo = {"communities": ids["communities"], "grids": ids["grids"]}
    household = ids["household_id"]
    return [
        Case("volunteer", "/me/profile/edit",
             profile_form(geo, id_number=SENTINEL_ID_NUMBER, real_name="王大明",
                          **{k: str(v) for k, v in extras(world).items()},
                          volunteer_no="ZY65020399999999"),
             may_change=PROFILE_COLUMNS | {("volunteer_profiles", "birth_date")},  # from the ID
             may_add={"consent_records"}),
        Case("sw_a", f"/care/households/{household}/edit",
             household_form(geo, address="友谊路14号", **extras(world), pseudonym="HH-0001"),
             may_change=HOUSEHOLD_COLUMNS, may_add={"household_persons"},
             may_remove={"household_persons"}),  # the form lists the persons anew
        Case("sw_a", "/care/households/new", household_form(geo, **extras(world)),
             may_add={"households", "household_persons", "consent_records"},
             check=lambda added, w: _only(added["households"],
                                          organization_id=w.ids["org_id"])),
        Case("sw_a", f"/care/households/{household}/requests/new",
             {"team_size": "1", "title": "水管维修", "skills": ["repair"],
              "hours_per_week": "1", "visits_per_week": "1", "priority": "3",
              **extras(world), "household_id": ids["other_household"]},
             may_add={"care_requests"},
             check=lambda added, w: _only(added["care_requests"], household_id=household,
                                          state="open")),
        Case("sw_a", f"/orgs/{ids['org_id']}/projects/new",
             _project_form(world) | extras(world) | {"state": "published"},
             may_add={"projects"},
             check=lambda added, w: _only(added["projects"], organization_id=w.ids["org_id"],
                                          state="draft",
                                          created_by_id=w.users["sw_a"])),
        Case("sw_a", f"/projects/{ids['project_id']}/edit",
             _project_form(world) | extras(world) | {"state": "closed", "title": "新标题"},
             may_change={("projects", "title"), ("projects", "description"),
                         ("projects", "beneficiaries"), ("projects", "ends_on")}),
        Case("sw_a", f"/projects/{ids['project_id']}/shifts/new",
             _shift_form(world) | extras(world) | {"state": "cancelled",
                                                   "project_id": ids["other_project"]},
             may_add={"shifts"},
             check=lambda added, w: _only(added["shifts"], project_id=w.ids["project_id"],
                                          seats_taken=0, state="scheduled")),
        Case("sw_a", f"/shifts/{ids['shift_id']}/edit",
             _shift_form(world, seats="5") | extras(world) | {"seats_taken": "0",
                                                             "state": "cancelled"},
             may_change={("shifts", c) for c in ("seats", "starts_at", "ends_at", "skills",
                                                 "languages", "address", "lat", "lon",
                                                 "community_id", "min_age")}),
        Case("admin_a", f"/orgs/{ids['org_id']}/teams/new",
             {"name": "新队", "kind": "dance", **extras(world)},
             may_add={"volunteer_teams"},
             check=lambda added, w: _only(added["volunteer_teams"],
                                          organization_id=w.ids["org_id"])),
        Case("sw_a", f"/orgs/{ids['org_id']}/hours",
             {"volunteer_no": ids["volunteer_no"], "service_date": "2025-10-10",
              "hours": "2.5", "project_id": "", **extras(world, hours=True)},
             may_add={"hours_entries"},
             check=lambda added, w: _only(added["hours_entries"], minutes=150,
                                          state="pending", organization_id=w.ids["org_id"],
                                          volunteer_id=w.ids["profile_id"])),
        Case("district_official_1", "/contracts/new",
             _contract_form(world) | extras(world, organization_id=True) | {
                 "state": "signed"},
             may_add={"contracts", "kpi_targets", "contract_versions"},
             check=lambda added, w: _only(added["contracts"], state="draft",
                                          organization_id=w.ids["org_id"])),
        Case("district_official_1", f"/contracts/{ids['contract_id']}/edit",
             _contract_form(world, title="改名的项目") | extras(world, organization_id=True)
             | {"state": "closed"},
             # A change refreshes the contract's stored KPI progress, derived from its records.
             may_change={("contracts", c) for c in (
                 "title", "budget", "target_flags", "kpi_progress_pct", "kpi_progress_at")} | {
                 ("kpi_targets", "target")},
             may_add={"kpi_targets", "contract_versions"}),
        Case("anonymous", "/auth/register",
             {"phone": "13800138000", "display_name": "新用户", "password": "correct horse 2",
              "confirm": "correct horse 2", **extras(world)},
             may_add={"users", "role_grants"},
             check=lambda added, w: _only(added.get("role_grants", []), role="volunteer",
                                          organization_id=None)),
        Case("volunteer", f"/shifts/{ids['second_shift_id']}/sign-up",
             {**extras(world), "volunteer_id": ids["other_profile_id"], "state": "attended"},
             may_change={("shifts", "seats_taken")}, may_add={"sign_ups"},
             check=lambda added, w: _only(added["sign_ups"], volunteer_id=w.ids["profile_id"],
                                          state="confirmed")),
        # The API refuses unknown fields outright (422 naming them) and writes nothing.
        Case("volunteer", "/api/v1/me/sign-ups",
             {"shift_id": ids["other_shift_id"], "volunteer_id": ids["other_profile_id"],
              "state": "attended", "seats_taken": 0, "user_id": world.users["platform_admin"]},
             api=True, status=422),
    ]


@pytest.fixture
def mass_world(app, access_world, make_user):
    """The access world with what the cases point at: a second household and project of
    organization B, a second open shift, another volunteer."""
    from fixtures.run_world import add_household, add_volunteer

    from marketplace.projects.models import Project, ProjectState, Shift
    from marketplace.volunteers.models import VolunteerProfile

    world, ids = access_world, access_world.ids
    with app.app_context():
        from marketplace.geo.models import Community, District, Grid

        ids["communities"] = list(db.session.scalars(select(Community.id).order_by(Community.id)))
        ids["grids"] = list(db.session.scalars(select(Grid.id).order_by(Grid.id)))
        districts = list(db.session.scalars(select(District.id).order_by(District.id)))
        ids["district"], ids["other_district"] = districts[0], districts[1]
        ids["volunteer_no"] = db.session.get(VolunteerProfile, ids["profile_id"]).volunteer_no
    world.other_org = _other_org(app, ids)
    ids["other_household"], _request = add_household(app, world.other_org,
                                                     ids["communities"][0], (45.6, 84.87))
    ids["other_profile_id"], _user = add_volunteer(app, make_user, ids["communities"][0],
                                                  (45.6, 84.87))
    with app.app_context():
        project = Project(organization_id=world.other_org, title="社区环保日",
                          domain="elder_care", community_id=ids["communities"][0],
                          starts_on=date(2026, 1, 1), fee_type="free",
                          state=ProjectState.PUBLISHED)
        db.session.add(project)
        db.session.flush()
        ids["other_project"] = project.id
        starts_at = utcnow().replace(microsecond=0) + timedelta(days=4)
        shift = Shift(project_id=ids["project_id"], starts_at=starts_at,
                      ends_at=starts_at + timedelta(hours=2), community_id=ids["communities"][0],
                      address="友谊路 12 号", lat=45.601, lon=84.871, seats=3)
        third = Shift(project_id=ids["project_id"], starts_at=starts_at + timedelta(days=1),
                      ends_at=starts_at + timedelta(days=1, hours=2),
                      community_id=ids["communities"][0], address="友谊路 12 号", lat=45.601,
                      lon=84.871, seats=3)
        db.session.add_all([shift, third])
        db.session.commit()
        ids["second_shift_id"], ids["other_shift_id"] = shift.id, third.id
    return world


def _other_org(app, ids):
    from marketplace.orgs.models import Organization

    with app.app_context():
        return db.session.scalars(select(Organization.id).where(
            Organization.id != ids["org_id"]).order_by(Organization.id)).first()


def test_extra_fields_change_nothing_the_form_does_not_own(app, mass_world):
    failures = []
    for case in cases(mass_world):
        with app.app_context():
            before = snapshot()
        if case.api:
            response = mass_world.api_clients[case.role].post(case.url, json=case.data)
        else:
            response = mass_world.clients[case.role].post(case.url, data=case.data)
        assert response.status_code == case.status, (case.url,
                                                     response.get_data(as_text=True)[:3000])
        with app.app_context():
            change = compare(before, snapshot())
        unexpected = change.changed - case.may_change
        if unexpected:
            failures.append(f"{case.url}: changed {sorted(unexpected)}")
        if set(change.added) - case.may_add:
            failures.append(f"{case.url}: added rows to {sorted(set(change.added) - case.may_add)}")
        if change.removed - case.may_remove:
            failures.append(f"{case.url}: removed rows from "
                            f"{sorted(change.removed - case.may_remove)}")
        if case.check is not None:
            try:
                case.check(change.added, mass_world)
            except (AssertionError, KeyError) as error:
                failures.append(f"{case.url}: {error!r}")
    assert failures == [], "\n".join(failures)
    with app.app_context():
        from marketplace.auth.models import User

        assert db.session.scalar(select(User.phone).where(
            User.id == mass_world.users["volunteer"])) == SENTINEL_VOLUNTEER_PHONE
