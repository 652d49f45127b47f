"""API fixtures: the projects world (organizations, staff, volunteers with profiles, projects
and shifts) and clients that present a personal access token."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from projects.conftest import (  # noqa: F401  (fixtures shared with the projects tests)
    make_project,
    make_shift,
    make_volunteer,
    seat_counts,
    world,
)

from marketplace.auth.models import Role
from marketplace.clock import utcnow
from marketplace.extensions import db


@pytest.fixture
def make_token(app):
    """``make_token(user_id, days=30)``: a new token's plaintext for that user."""
    from marketplace.api import tokens
    from marketplace.auth.models import User

    def factory(user_id: int, days: int = 30, name: str = "脚本") -> str:
        with app.app_context():
            created = tokens.create_token(db.session.get(User, user_id), name, days)
            db.session.commit()
            return created.plaintext

    return factory


@pytest.fixture
def api_client(app, make_token):
    """``api_client(user_id)``: a test client sending a fresh token of that user (no cookie
    session), asking for Chinese; ``api_client(None)`` sends none."""

    def factory(user_id: int | None, language: str = "zh-CN"):
        client = app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
        if user_id is not None:
            client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {make_token(user_id)}"
        return client

    return factory


def _seed_the_rest(app, run_world, geo, make_team) -> None:
    """Beside the run world's households and requests: a published project with a shift,
    a sign-up, an hours entry, a team, a signed contract and a finished run."""
    from marketplace.auth.models import User
    from marketplace.extensions import db
    from marketplace.hours.models import HoursEntry, HoursKind, HoursSource, HoursState
    from marketplace.orgs.models import ServiceDomain
    from marketplace.projects.models import Project, ProjectState, Shift, SignUp, SignUpState
    from marketplace.tracking import contracts as tracking

    profile_id = next(iter(run_world.volunteers))
    make_team(geo["district"], run_world.org, member=profile_id)
    with app.app_context():
        project = Project(organization_id=run_world.org, title="敬老院陪伴",
                          domain=ServiceDomain.ELDER_CARE, starts_on=date(2026, 1, 1),
                          state=ProjectState.PUBLISHED)
        db.session.add(project)
        db.session.flush()
        starts = utcnow().replace(microsecond=0) + timedelta(days=3)
        shift = Shift(project_id=project.id, starts_at=starts, ends_at=starts + timedelta(hours=2),
                      community_id=geo["communities"][0], lat=45.601, lon=84.871, seats=2,
                      seats_taken=1)
        db.session.add(shift)
        db.session.flush()
        db.session.add(SignUp(shift_id=shift.id, volunteer_id=profile_id,
                              state=SignUpState.CONFIRMED))
        db.session.add(HoursEntry(volunteer_id=profile_id, organization_id=run_world.org,
                                  project_id=project.id, service_date=date(2026, 3, 1),
                                  minutes=120, kind=HoursKind.VOLUNTEER,
                                  source=HoursSource.MANUAL, state=HoursState.PENDING))
        official = db.session.get(User, run_world.district_official)
        contract = tracking.create_contract(official, tracking.ContractData(
            title="空巢老人关爱服务", buyer=f"district:{geo['district']}",
            organization_id=run_world.org, domain="elder_care", budget="200000",
            starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31),
            targets={"verified_hours": 100, "households_served": 10}, target_flags=[]))
        tracking.add_milestone(official, contract, title="年中评估", due_on=date(2026, 6, 30),
                               tranche_amount=Decimal(100000), required_share=50)
        tracking.sign(official, contract)
        db.session.commit()


@pytest.fixture
def no_solving(monkeypatch):
    """Runs are queued, not solved: the solver has its own tests, and a thread solving in
    the background would outlive the test's database."""
    from marketplace import jobs

    queued = []
    monkeypatch.setattr(jobs, "enqueue", lambda *args, **kwargs: queued.append(args))
    return queued


@pytest.fixture
def api_world(app, run_world, geo, make_team):
    """The run world (two organizations, officials, volunteers, households with care
    requests) with a project, shift, sign-up, pending hours entry, team and signed contract;
    returns the run world."""
    _seed_the_rest(app, run_world, geo, make_team)
    return run_world


@pytest.fixture
def role_tokens(api_world, make_user, make_token):
    """A token for each role over the API world, and None for anonymous."""
    run_world = api_world
    return {
        "volunteer": make_token(next(iter(run_world.volunteers.values()))),
        "social_worker": make_token(run_world.social_worker),
        "org_admin": make_token(run_world.org_admin),
        "official": make_token(run_world.district_official),
        "platform_admin": make_token(make_user(roles=[Role.PLATFORM_ADMIN])),
        "anonymous": None,
    }
