"""What the projects domain relies on: pending entries of the right kind, one per sign-up,
and insurance on record."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from marketplace.auth.models import RoleGrant
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.hours.models import HoursEntry, HoursKind, HoursSource, HoursState, InsuranceRecord
from marketplace.hours.services import has_insurance, record_pending


def test_free_project_work_is_volunteer_hours_and_low_fee_work_is_paid(app, world, pending):
    free, paid = pending(project="free"), pending(project="paid")
    with app.app_context():
        assert db.session.get(HoursEntry, free).kind == HoursKind.VOLUNTEER
        assert db.session.get(HoursEntry, free).state == HoursState.PENDING
        assert db.session.get(HoursEntry, paid).kind == HoursKind.PAID


def test_the_organizations_own_staff_record_paid_work(app, world, pending):
    with app.app_context():
        db.session.add(RoleGrant(user_id=world.second_user, role="social_worker",
                                 organization_id=world.org))
        db.session.commit()
    entry = pending(volunteer=world.second, project="free")
    with app.app_context():
        assert db.session.get(HoursEntry, entry).kind == HoursKind.PAID


def test_one_sign_up_yields_one_entry_however_often_check_out_is_sent(app, world):
    with app.app_context():
        ids = {
            record_pending(volunteer_id=world.volunteer, organization_id=world.org,
                           service_date=date(2025, 10, 9), minutes=180,
                           source=HoursSource.CHECKIN, project_id=world.free_project,
                           sign_up_id=world.sign_up).id
            for _ in range(3)
        }
        db.session.commit()
        assert len(ids) == 1
        assert db.session.scalar(select(func.count()).select_from(HoursEntry)) == 1


@pytest.mark.parametrize("minutes", [0, -5, 1441])
def test_impossible_service_time_is_refused_on_the_hours_field(app, world, minutes):
    with app.test_request_context(), pytest.raises(DomainError) as refused:
        record_pending(volunteer_id=world.volunteer, organization_id=world.org,
                       service_date=date(2025, 10, 9), minutes=minutes,
                       source=HoursSource.MANUAL)
    assert refused.value.field == "hours"


def test_insurance_covers_its_own_days_only(app, world):
    with app.app_context():
        assert not has_insurance(world.volunteer, date(2025, 10, 9))
        db.session.add(InsuranceRecord(volunteer_id=world.volunteer, insurer="中国人寿",
                                       policy_no="P2025-001", valid_from=date(2025, 1, 1),
                                       valid_until=date(2025, 12, 31)))
        db.session.commit()
        assert has_insurance(world.volunteer, date(2025, 10, 9))
        assert has_insurance(world.volunteer, date(2025, 12, 31))
        assert not has_insurance(world.volunteer, date(2026, 1, 1))
        assert not has_insurance(world.second, date(2025, 10, 9))
