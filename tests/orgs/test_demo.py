"""Demo organizations and teams: the Karamay proportions, valid codes, members, speed."""

from __future__ import annotations

import random
import time
from collections import Counter
from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import func, insert, select
from stdnum.cn import uscc

from marketplace.auth.models import User
from marketplace.demo.context import DemoContext
from marketplace.demo.geography import seed_geography
from marketplace.extensions import db
from marketplace.orgs import demo
from marketplace.orgs.models import LegalForm, Organization, OrgStatus, OrgTransition
from marketplace.teams import demo as team_demo
from marketplace.teams.models import MembershipState, TeamKind, TeamMembership, VolunteerTeam
from marketplace.volunteers.models import VolunteerProfile


def _volunteers(ctx, count: int) -> None:
    """Stand-in for the volunteers seeder: adults (and a few minors) living in the district."""
    users = [{"phone": f"150{n:08d}", "display_name": "志愿者", "password_hash": "x"}
             for n in range(count)]
    db.session.execute(insert(User), users)
    ids = db.session.scalars(select(User.id).order_by(User.id)).all()
    profiles = [{
        "user_id": user_id, "volunteer_no": f"ZY650203{n:08d}", "real_name": "王小明",
        "id_number_encrypted": "-", "id_number_digest": f"{n:064d}",
        "birth_date": date(2012, 1, 1) if n % 33 == 5 else date(1960 + n % 40, 3, 1),
        "gender": "female", "community_id": ctx.communities[n % len(ctx.communities)].id,
    } for n, user_id in enumerate(ids)]
    db.session.execute(insert(VolunteerProfile), profiles)
    ctx.volunteer_users.extend(SimpleNamespace(id=user_id) for user_id in ids)


def _seed(scale: str, volunteers: int) -> DemoContext:
    ctx = DemoContext(scale=scale, rng=random.Random(650203))
    seed_geography(ctx)
    demo.seed_organizations(ctx)
    _volunteers(ctx, volunteers)
    team_demo.seed_teams(ctx)
    db.session.commit()
    return ctx


def _check(ctx, forms, categories, teams, volunteers):
    counted = Counter(o.legal_form for o in ctx.organizations)
    assert counted == dict(zip((LegalForm.SOCIAL_GROUP, LegalForm.SOCIAL_SERVICE_AGENCY,
                                LegalForm.COMMUNITY_ORG), forms, strict=True))
    community = Counter(o.category.value for o in ctx.organizations
                        if o.legal_form == LegalForm.COMMUNITY_ORG)
    assert (community["rights"], community["service"], community["culture_sports"]) == categories
    first = ctx.organizations[0]
    assert first.status == OrgStatus.APPROVED and first.legal_form != LegalForm.COMMUNITY_ORG
    assert first.name == "克拉玛依区乐龄社会工作服务社"
    statuses = Counter(o.status for o in ctx.organizations)
    assert statuses[OrgStatus.APPROVED] >= 0.8 * len(ctx.organizations)
    assert statuses[OrgStatus.SUBMITTED] >= 3 and statuses[OrgStatus.RETURNED] >= 1
    for org in ctx.organizations:
        if org.legal_form == LegalForm.COMMUNITY_ORG:
            assert org.uscc is None and org.street_id is not None
        else:
            assert uscc.is_valid(org.uscc) and org.uscc[:2] in ("51", "52")
        assert org.communities and org.name_pinyin
    assert len({o.name for o in ctx.organizations}) == len(ctx.organizations)
    assert db.session.scalar(select(func.count(OrgTransition.id))) >= len(ctx.organizations)
    committees = db.session.scalar(select(func.count(Organization.id)).where(
        Organization.legal_form == LegalForm.RESIDENTS_COMMITTEE))
    assert committees == len(ctx.communities)

    kinds = Counter(db.session.scalars(select(VolunteerTeam.kind)))
    assert sum(kinds.values()) == teams
    assert set(kinds) == set(TeamKind)
    active = Counter(db.session.scalars(select(TeamMembership.team_id).where(
        TeamMembership.state == MembershipState.ACTIVE)))
    assert len(active) == teams
    assert 24 <= sum(active.values()) / teams <= 33  # 28 expected; 35 teams vary more
    leaders = db.session.scalar(select(func.count(TeamMembership.id)).where(
        TeamMembership.is_leader))
    assert leaders == teams
    states = Counter(db.session.scalars(select(TeamMembership.state)))
    assert states[MembershipState.APPLIED] and states[MembershipState.INVITED]
    minors = select(VolunteerProfile.id).where(VolunteerProfile.birth_date > date(2009, 1, 1))
    assert not db.session.scalar(select(func.count(TeamMembership.id)).where(
        TeamMembership.volunteer_id.in_(minors)))
    return kinds


def test_small_scale(app_ctx):
    ctx = _seed("small", 1000)
    _check(ctx, (1, 3, 21), (6, 5, 10), 35, 1000)
    # The first volunteer (the demo account) is in a team and has an invitation waiting.
    demo_profile = db.session.scalar(select(VolunteerProfile.id).where(
        VolunteerProfile.user_id == ctx.volunteer_users[0].id))
    states = set(db.session.scalars(select(TeamMembership.state).where(
        TeamMembership.volunteer_id == demo_profile)))
    assert {MembershipState.ACTIVE, MembershipState.INVITED} <= states


@pytest.mark.slow
def test_district_scale_is_quick(app_ctx):
    started = time.perf_counter()
    ctx = _seed("district", 19_617)
    assert time.perf_counter() - started < 45
    kinds = _check(ctx, (27, 56, 414), (116, 106, 192), 703, 19_617)
    assert min(kinds.values()) >= 5
    heavy = sum(kinds[k] for k in team_demo.HEAVY_KINDS)
    assert heavy >= 703 // 2
