"""schemathesis against the API's own OpenAPI document, once for each role's token and for no
token, inside pytest on the WSGI app: no answer is a server error, every answer's status and
body are the ones the document declares.

Examples per operation are bounded (``FUZZ_EXAMPLES``, overridable by the environment) so
that the run stays within a few minutes on both engines.
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from decimal import Decimal

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from marketplace.auth.models import Role
from marketplace.clock import utcnow

FUZZ_EXAMPLES = int(os.environ.get("GONGZHI_FUZZ_EXAMPLES", "6"))
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]


@pytest.fixture
def app_config(app_config):
    # The fuzz sends hundreds of requests a minute on one token; the limit has its own test.
    return {**app_config, "API_RATE_LIMIT": "100000/minute"}


def _seed_the_rest(app, run_world, geo, make_team) -> None:
    """Beside the run world's households and requests: a published project with a shift,
    a sign-up, an hours entry, a team, a signed contract and a finished run."""
    from marketplace.auth.models import User
    from marketplace.extensions import db
    from marketplace.hours.models import HoursEntry, HoursKind, HoursSource, HoursState
    from marketplace.orgs.models import ServiceDomain
    from marketplace.projects.models import Project, ProjectState, Shift, SignUp, SignUpState
    from marketplace.tracking import services as tracking

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
def role_tokens(app, run_world, geo, make_user, make_team, make_token, monkeypatch):
    """A token for each role over a world with every kind of object the API shows."""
    from marketplace import jobs

    # Runs are queued, not solved: the solver has its own tests, and a thread solving in
    # the background would outlive the test's database.
    monkeypatch.setattr(jobs, "enqueue", lambda *args, **kwargs: None)
    _seed_the_rest(app, run_world, geo, make_team)
    return {
        "volunteer": make_token(next(iter(run_world.volunteers.values()))),
        "social_worker": make_token(run_world.social_worker),
        "org_admin": make_token(run_world.org_admin),
        "official": make_token(run_world.district_official),
        "platform_admin": make_token(make_user(roles=[Role.PLATFORM_ADMIN])),
        "anonymous": None,
    }


def _operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


def test_no_role_gets_a_server_error_or_an_undocumented_answer(app, role_tokens):
    operations = _operations(app)
    assert len(operations) >= 30
    cases = {"count": 0}

    def fuzz(operation, mode, headers) -> None:
        @settings(max_examples=FUZZ_EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(generation_mode=mode))
        def run(case):
            cases["count"] += 1
            case.call_and_validate(headers=headers, checks=CHECKS)

        run()

    for role, token in role_tokens.items():
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        for operation in operations:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                try:
                    fuzz(operation, mode, headers)
                except Unsatisfiable:
                    # An operation without parameters or body has no invalid input.
                    assert mode == GenerationMode.NEGATIVE, operation.label
                except Exception as error:
                    raise AssertionError(f"{role} {operation.label} {mode}: {error}") from error
    print(f"schemathesis cases: {cases['count']}")
    assert cases["count"] >= len(operations) * len(role_tokens)
