"""``flask seed-demo``: the small district loads with its figures and working role accounts."""

from __future__ import annotations

import json
import math

import pytest
from sqlalchemy import func, select, text

from marketplace.auth.models import Role, RoleGrant, User
from marketplace.extensions import db
from marketplace.geo.models import Community, District, Grid, Street

EVERY_ROLE = {role.value for role in Role}


@pytest.fixture
def seeded(app, runner):
    result = runner.invoke(args=["seed-demo", "--scale", "small"])
    assert result.exit_code == 0, result.output
    return result


def _accounts(app) -> list[dict]:
    with open(app.config["DEMO_ACCOUNTS_FILE"], encoding="utf-8") as handle:
        return json.load(handle)


def _distance_m(a, b) -> float:
    dlat = (a.lat - b.lat) * 111_320
    dlon = (a.lon - b.lon) * 111_320 * math.cos(math.radians(a.lat))
    return math.hypot(dlat, dlon)


def test_small_district_has_one_street_three_communities_and_25_grids(app, seeded):
    with app.app_context():
        district = db.session.scalar(select(District))
        assert (district.name, district.region_code) == ("克拉玛依区", "650203")
        assert abs(district.lat - 45.60) < 0.05 and abs(district.lon - 84.87) < 0.05
        assert db.session.scalar(select(func.count()).select_from(Street)) == 1
        communities = db.session.scalars(select(Community)).all()
        assert len(communities) == 3
        grids = db.session.scalars(select(Grid)).all()
        assert len(grids) == 25
        assert all(150 <= grid.household_count <= 300 for grid in grids)
        assert len({(grid.community_id, grid.name) for grid in grids}) == 25
        for community in communities:
            assert community.name.endswith("社区")
            assert community.households == sum(g.household_count for g in community.grids)
            assert 2.3 < community.residents / community.households < 2.9
            assert 0 < community.residents_over_60 < community.residents
            # Grid centres lie around their community, not somewhere else in the district.
            assert all(_distance_m(grid, community) < 600 for grid in community.grids)
        total_over_60 = sum(c.residents_over_60 for c in communities)
        assert 1_100 <= total_over_60 <= 1_700  # domain §6: 1,380 at the small scale
    assert "25 grids" in seeded.output


def test_the_accounts_file_lists_every_role_and_each_account_logs_in(app, client, seeded):
    accounts = _accounts(app)
    roles = {account["role"] for account in accounts}
    assert roles == EVERY_ROLE
    assert all(set(account) == {"role", "phone", "password"} for account in accounts)
    for account in accounts:
        assert account["phone"] in seeded.output and account["password"] in seeded.output
        response = client.post(
            "/auth/login", data={"phone": account["phone"], "password": account["password"]}
        )
        assert response.status_code == 302, account["role"]
        home = client.get("/")
        assert home.status_code == 200
        client.post("/auth/logout")
        with app.app_context():
            user = db.session.scalar(select(User).where(User.phone == account["phone"]))
            assert account["role"] in {grant.role.value for grant in user.grants}


def test_the_demo_volunteer_has_a_profile_and_the_staff_an_approved_organization(app, seeded):
    from marketplace.orgs.models import LegalForm, Organization, OrgStatus
    from marketplace.volunteers.models import VolunteerProfile

    phones = {account["role"]: account["phone"] for account in _accounts(app)}
    with app.app_context():
        volunteer = db.session.scalar(select(User).where(User.phone == phones["volunteer"]))
        profile = db.session.scalar(
            select(VolunteerProfile).where(VolunteerProfile.user_id == volunteer.id)
        )
        assert profile is not None and profile.real_name
        admin = db.session.scalar(select(User).where(User.phone == phones["org_admin"]))
        org = db.session.get(Organization, admin.grants[0].organization_id)
        assert org.status == OrgStatus.APPROVED
        assert org.legal_form != LegalForm.RESIDENTS_COMMITTEE


def test_officials_are_scoped_to_the_district_and_to_one_of_its_streets(app, seeded):
    with app.app_context():
        grants = db.session.scalars(
            select(RoleGrant).where(RoleGrant.role == Role.OFFICIAL)
        ).all()
        district = db.session.scalar(select(District))
        street = db.session.scalar(select(Street))
        assert sorted([(g.district_id, g.street_id) for g in grants], key=str) == sorted(
            [(district.id, None), (None, street.id)], key=str
        )


def test_if_empty_leaves_a_seeded_database_alone(app, runner, seeded):
    again = runner.invoke(args=["seed-demo", "--scale", "small", "--if-empty"])
    assert again.exit_code == 0
    assert "nothing seeded" in again.output
    refused = runner.invoke(args=["seed-demo", "--scale", "small"])
    assert refused.exit_code != 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(District)) == 1
        assert db.session.scalar(select(func.count()).select_from(Grid)) == 25


def test_two_runs_build_the_same_district(app, runner):
    def snapshot():
        with app.app_context():
            rows = db.session.execute(
                select(Community.name, Grid.name, Grid.household_count, Grid.lat, Grid.lon)
                .join(Grid.community)
                .order_by(Community.name, Grid.name)
            ).all()
            names = db.session.scalars(select(User.display_name).order_by(User.phone)).all()
            return rows, names

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    first = snapshot()
    with app.app_context():
        db.drop_all()
        db.create_all()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert snapshot() == first


def test_without_tables_the_command_says_to_migrate_first(app, runner):
    with app.app_context():
        db.drop_all()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "db upgrade" in result.output


@pytest.mark.fresh_schema
def test_the_planner_has_figures_for_the_seeded_tables(app, seeded, db_engine):
    """Fresh tables without statistics look nearly empty to the planner, which then picks
    plans that take seconds at district scale."""
    with app.app_context():
        if db_engine == "postgresql":
            rows = db.session.scalar(text(
                "SELECT reltuples FROM pg_class WHERE relname = 'shifts'"))
        else:
            rows = db.session.scalar(text(
                "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'shifts'"))
        assert rows > 0
