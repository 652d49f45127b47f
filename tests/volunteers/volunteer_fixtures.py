"""Fixtures and helpers for volunteer and privacy tests: a small geography, registered
volunteers, teams. Both test folders load them through their conftest."""

from __future__ import annotations

import pytest
from stdnum.cn import ric

from marketplace.auth.models import Role
from marketplace.extensions import db


def make_id_number(birth: str, sequence: int, region: str = "650203") -> str:
    """A valid synthetic resident ID number: region + YYYYMMDD + 3-digit sequence + check."""
    body = f"{region}{birth}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")


@pytest.fixture
def geo(app):
    """One district (650203) with a street, two communities and grids; returns their ids."""
    from marketplace.geo.models import Community, District, Grid, Street

    with app.app_context():
        district = District(name="克拉玛依区", region_code="650203", lat=45.6, lon=84.87)
        street = Street(district=district, name="胜利路街道", lat=45.6, lon=84.87)
        first = Community(street=street, name="昆仑路社区", lat=45.601, lon=84.871)
        second = Community(street=street, name="油建南社区", lat=45.59, lon=84.86)
        grids = [
            Grid(community=first, name="一网格", household_count=180, lat=45.602, lon=84.872),
            Grid(community=first, name="二网格", household_count=160, lat=45.603, lon=84.873),
            Grid(community=second, name="一网格", household_count=200, lat=45.591, lon=84.861),
        ]
        db.session.add_all([district, street, first, second, *grids])
        db.session.commit()
        return {
            "district": district.id,
            "communities": [first.id, second.id],
            "grids": [grid.id for grid in grids],
        }


def profile_form(geo, **changes) -> dict:
    """A complete, valid profile form submission; ``changes`` override fields."""
    data = {
        "real_name": "王小明",
        "id_number": make_id_number("19800101", 12),
        "community_id": str(geo["communities"][0]),
        "grid_id": str(geo["grids"][0]),
        "location_source": "centre",
        "lat": "",
        "lon": "",
        "skills": ["psych_support", "daily_care"],
        "languages": ["zh", "ug"],
        "slots": ["mon_am", "wed_pm"],
        "hours_per_week": "6",
        "max_km": "3",
        "max_teams": "2",
        "automated_matching": "y",
        "sw_certificate_no": "",
        "privacy_consent": "y",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def volunteer(app, make_user, login_as, geo):
    """Factory: a volunteer user with a saved profile; returns (user_id, profile_id)."""
    from marketplace.volunteers.models import VolunteerProfile

    def factory(phone=None, **changes):
        user_id = make_user(phone=phone, roles=[Role.VOLUNTEER])
        client = app.test_client()
        login_as(client, user_id)
        response = client.post("/me/profile/edit", data=profile_form(geo, **changes))
        assert response.status_code == 302, response.get_data(as_text=True)
        with app.app_context():
            profile = db.session.execute(
                db.select(VolunteerProfile).filter_by(user_id=user_id)
            ).scalar_one()
            return user_id, profile.id

    return factory


@pytest.fixture
def team_of(app):
    """Factory: put a profile in a team of a new approved organization; returns the org id."""
    from marketplace.orgs.models import (
        LegalForm,
        MembershipState,
        Organization,
        OrgStatus,
        TeamKind,
        TeamMembership,
        VolunteerTeam,
    )

    def factory(profile_id, district_id, state=MembershipState.ACTIVE, organization_id=None):
        with app.app_context():
            if organization_id is None:
                org = Organization(
                    name="乐龄社会工作服务社", legal_form=LegalForm.SOCIAL_SERVICE_AGENCY,
                    status=OrgStatus.APPROVED, district_id=district_id,
                )
                db.session.add(org)
                db.session.flush()
                organization_id = org.id
            team = VolunteerTeam(
                organization_id=organization_id, kind=TeamKind.ELDER_CARE, name="为老服务队"
            )
            db.session.add(team)
            db.session.flush()
            db.session.add(TeamMembership(team_id=team.id, volunteer_id=profile_id, state=state))
            db.session.commit()
            return organization_id

    return factory
