"""Tracking fixtures: an approved contractor, the buying officials and a contract factory."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from marketplace.auth.models import Role
from marketplace.extensions import db

START = date(2026, 1, 1)
END = date(2026, 12, 31)


@pytest.fixture
def world(make_user, make_official, make_org, make_staff):
    org_admin = make_user(display_name="组织管理员")
    org_id = make_org(admin_id=org_admin, status="approved", name="乐龄社会工作服务社")
    return {
        "org": org_id,
        "org_admin": org_admin,
        "social_worker": make_staff(org_id),
        "official": make_official("district", display_name="民政局干部"),
        "street_official": make_official("street_a"),
        "other_street_official": make_official("street_b"),
        "other_district_official": make_official("other_district"),
        "stranger": make_user(roles=[Role.VOLUNTEER]),
    }


@pytest.fixture
def make_contract(app, world, geo):
    """Factory: a contract bought by the district (or ``street``) with targets and one
    milestone, in ``state`` reached through the services."""
    from marketplace.auth.models import User
    from marketplace.tracking import contracts

    def factory(state="draft", street=None, targets=None, flags=(), budget="200000",
                starts_on=START, ends_on=END):
        with app.app_context():
            official = db.session.get(User, world["official"])
            buyer = f"street:{geo[street]}" if street else f"district:{geo['district']}"
            contract = contracts.create_contract(official, contracts.ContractData(
                title="空巢老人关爱服务", buyer=buyer, organization_id=world["org"],
                domain="elder_care", budget=budget, starts_on=starts_on, ends_on=ends_on,
                targets=targets or {"verified_hours": 100, "households_served": 10},
                target_flags=list(flags),
            ))
            contracts.add_milestone(official, contract, title="年中评估",
                                   due_on=starts_on + timedelta(days=180),
                                   tranche_amount=Decimal(budget) / 2, required_share=50)
            if state != "draft":
                contracts.sign(official, contract)
            if state in ("in_progress", "evaluated"):
                contracts.start(official, contract, max(starts_on, date(2026, 6, 1)))
            db.session.commit()
            return contract.id

    return factory


@pytest.fixture
def records(app, world, geo, make_user, make_profile):
    """Helpers writing the records KPIs count: a linked project's held shift with verified
    hours, a household's living team and a visit, a follow-up."""
    from marketplace.care.models import CareRequest, CareTeam, CareTeamMember, Household, VisitLog
    from marketplace.hours.models import HoursEntry, HoursKind, HoursSource, HoursState
    from marketplace.projects.models import (
        FollowUp,
        FollowUpAnswer,
        FollowUpChannel,
        Project,
        Shift,
        ShiftState,
    )

    volunteer_user = make_user(roles=[Role.VOLUNTEER])
    profile_id = make_profile(volunteer_user)

    class Records:
        volunteer_id = profile_id

        def project(self, contract_id, held=True):
            with app.app_context():
                project = Project(organization_id=world["org"], title="助老服务",
                                  domain="elder_care", community_id=geo["communities"][0],
                                  starts_on=START, contract_id=contract_id)
                db.session.add(project)
                db.session.flush()
                shift = Shift(project_id=project.id, starts_at=datetime(2026, 3, 2, 2),
                              ends_at=datetime(2026, 3, 2, 4), community_id=geo["communities"][0],
                              lat=45.6, lon=84.87, seats=5,
                              state=ShiftState.HELD if held else ShiftState.SCHEDULED)
                db.session.add(shift)
                db.session.commit()
                return project.id, shift.id

        def hours(self, project_id=None, minutes=120, state=HoursState.VERIFIED, day=None):
            with app.app_context():
                entry = HoursEntry(volunteer_id=profile_id, organization_id=world["org"],
                                   project_id=project_id, service_date=day or date(2026, 3, 2),
                                   minutes=minutes, kind=HoursKind.VOLUNTEER,
                                   source=HoursSource.MANUAL, state=state)
                db.session.add(entry)
                db.session.commit()
                return entry.id

        def verify(self, entry_id):
            with app.app_context():
                db.session.get(HoursEntry, entry_id).state = HoursState.VERIFIED
                db.session.commit()

        def household(self, contract_id, flags=("empty_nest",), pseudonym=None):
            with app.app_context():
                household = Household(organization_id=world["org"],
                                      community_id=geo["communities"][0],
                                      grid_id=geo["grids"][0], flags=list(flags),
                                      pseudonym=pseudonym or f"H{next(_serial):06d}")
                db.session.add(household)
                db.session.flush()
                request = CareRequest(household_id=household.id, team_size=1,
                                      contract_id=contract_id, state="staffed")
                db.session.add(request)
                db.session.flush()
                team = CareTeam(care_request_id=request.id)
                db.session.add(team)
                db.session.flush()
                db.session.add(CareTeamMember(care_team_id=team.id, volunteer_id=profile_id))
                db.session.commit()
                return household.id, team.id

        def visit(self, team_id, day, verified=True, contact=True):
            entry_id = self.hours(minutes=60, day=day,
                                  state=HoursState.VERIFIED if verified else HoursState.PENDING)
            with app.app_context():
                visit = VisitLog(care_team_id=team_id, volunteer_id=profile_id, visited_on=day,
                                 minutes=60, contact=contact, hours_entry_id=entry_id)
                db.session.add(visit)
                db.session.commit()
                return visit.id, entry_id

        def follow_up(self, *, shift_id=None, household_id=None, answer="satisfied",
                      independent=False, at=datetime(2026, 3, 3, 2)):
            with app.app_context():
                db.session.add(FollowUp(
                    organization_id=world["org"], shift_id=shift_id, household_id=household_id,
                    asked_person="受助老人", asked_by_id=world["social_worker"], asked_at=at,
                    channel=FollowUpChannel.PHONE, answer=FollowUpAnswer(answer),
                    independent=independent,
                ))
                db.session.commit()

    return Records()


_serial = iter(range(1, 1_000_000))
