"""The small demo: 150 empty-nest households with 311 requests, about 40 % served by living
teams whose visits carry verified hours, open single tasks, and the demo volunteer on a team
of the demo organization."""

from __future__ import annotations

from sqlalchemy import func, select

from marketplace.extensions import db


def test_the_small_demo_has_households_requests_and_living_teams(app):
    from marketplace.auth.models import User
    from marketplace.care.models import (
        CareRequest,
        CareRequestState,
        CareTeam,
        CareTeamMember,
        Household,
        VisitLog,
    )
    from marketplace.care.services.households import social_worker_org_ids
    from marketplace.demo.commands import seed
    from marketplace.hours.models import HoursEntry, HoursSource, HoursState
    from marketplace.volunteers.models import VolunteerProfile

    with app.app_context():
        ctx, ran, _places = seed("small")
        db.session.commit()
        assert "marketplace.care.demo.seed_households" in ran
        households = db.session.scalars(select(Household)).all()
        assert len(households) == 150
        assert all("empty_nest" in h.flags and h.persons for h in households)
        teams_311 = db.session.scalars(
            select(CareRequest).where(CareRequest.team_size == 3)).all()
        staffed = [r for r in teams_311 if r.state == CareRequestState.STAFFED]
        assert len(teams_311) == 150 and 50 <= len(staffed) <= 62  # about 40 %
        singles = db.session.scalar(select(func.count()).where(CareRequest.team_size == 1))
        assert singles == 50
        assert db.session.scalar(select(func.count(CareTeam.id))) == len(staffed)
        per_team = db.session.execute(
            select(CareTeamMember.care_team_id, func.count()).group_by(CareTeamMember.care_team_id)
        ).all()
        assert {count for _team, count in per_team} == {3}
        visits = db.session.scalars(select(VisitLog)).all()
        assert len(visits) > 4 * len(staffed)
        entry = db.session.get(HoursEntry, visits[0].hours_entry_id)
        assert entry.source == HoursSource.VISIT and entry.state == HoursState.VERIFIED
        assert entry.minutes == visits[0].minutes
        # The demo volunteer serves a household of the organization the demo staff work for.
        demo_profile = db.session.scalar(select(VolunteerProfile).where(
            VolunteerProfile.user_id == ctx.volunteer_users[0].id))
        member = db.session.scalar(select(CareTeamMember).where(
            CareTeamMember.volunteer_id == demo_profile.id))
        worker = db.session.scalar(select(User).where(User.phone == "19900000002"))
        household_org = member.care_team.care_request.household.organization_id
        assert household_org in social_worker_org_ids(worker)
