"""Demo volunteer teams in the proportions of the Karamay figures (domain §6): 703 teams in 27
kinds averaging 28 members at district scale, 35 at small scale. Community teams belong to the
community's residents' committee (§8.5)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import insert, select

from marketplace.clock import local_today
from marketplace.extensions import db
from marketplace.orgs.demo import DISTRICT_PREFIX
from marketplace.orgs.models import LegalForm, Organization, OrgCategory, OrgStatus
from marketplace.teams.models import MembershipState, TeamKind, TeamMembership, VolunteerTeam
from marketplace.volunteers.models import VolunteerProfile

TEAMS = {"small": 35, "district": 703}
# Team names end in these words; culture kinds are run by community organizations, everyday
# neighbourhood kinds by the residents' committees, professional kinds by agencies.
TEAM_WORDS = {
    TeamKind.MEDICAL: "医疗卫生志愿服务队", TeamKind.PSYCH_COUNSELING: "心理辅导队",
    TeamKind.PAPER_CUTTING: "剪纸队", TeamKind.CALLIGRAPHY_PAINTING: "书画队",
    TeamKind.SCIENCE: "科普宣传队", TeamKind.YOUTH: "青少年教育队",
    TeamKind.OFFENDER_SUPPORT: "帮教小组", TeamKind.FREE_CLINIC: "义诊队",
    TeamKind.TUTORING: "义教队", TeamKind.LEGAL_AID: "法律援助队", TeamKind.PATROL: "治安巡逻队",
    TeamKind.POVERTY_RELIEF: "扶贫济困队", TeamKind.GREENING: "绿化维护队",
    TeamKind.CHOIR: "合唱队", TeamKind.OPERA: "戏曲队", TeamKind.DANCE: "舞蹈队",
    TeamKind.MARTIAL_ARTS: "武术队", TeamKind.ELDER_CARE: "为老服务队",
    TeamKind.ENVIRONMENT: "环保志愿队", TeamKind.MEDIATION: "调解队",
    TeamKind.POLICY_OUTREACH: "政策宣传队", TeamKind.DAILY_SERVICES: "理发裁缝服务队",
    TeamKind.REPAIR: "水电维修队", TeamKind.PARTY_MEMBER: "党员志愿服务队",
    TeamKind.DISABILITY_SUPPORT: "助残服务队", TeamKind.CHARITY: "爱心超市志愿队",
    TeamKind.NEIGHBOUR_AID: "邻里互助队",
}
# Elder care, patrol, party-member and culture kinds hold half the teams (§6).
HEAVY_KINDS = (TeamKind.ELDER_CARE, TeamKind.PATROL, TeamKind.PARTY_MEMBER, TeamKind.CHOIR,
               TeamKind.DANCE, TeamKind.CALLIGRAPHY_PAINTING, TeamKind.PAPER_CUTTING,
               TeamKind.OPERA)
CULTURE_KINDS = frozenset({TeamKind.CHOIR, TeamKind.DANCE, TeamKind.CALLIGRAPHY_PAINTING,
                           TeamKind.PAPER_CUTTING, TeamKind.OPERA, TeamKind.MARTIAL_ARTS})
COMMITTEE_KINDS = frozenset({TeamKind.PATROL, TeamKind.PARTY_MEMBER, TeamKind.NEIGHBOUR_AID,
                             TeamKind.POLICY_OUTREACH, TeamKind.GREENING, TeamKind.ENVIRONMENT,
                             TeamKind.MEDIATION, TeamKind.DAILY_SERVICES, TeamKind.REPAIR,
                             TeamKind.CHARITY, TeamKind.POVERTY_RELIEF})
# Uniform, 31 on average: 28 active (19,617 ÷ 703) plus one applied, one invited, one left.
MEMBERS_PER_TEAM = (15, 47)


def _kind_plan(total: int, rng) -> list[TeamKind]:
    """Half the teams in the heavy kinds, the rest spread so every kind has teams (at least
    5 each at district scale, 1 at small scale)."""
    light = [k for k in TeamKind if k not in HEAVY_KINDS]
    heavy = min(total // 2, total - len(light))
    kinds = [HEAVY_KINDS[i % len(HEAVY_KINDS)] for i in range(heavy)]
    kinds += [light[i % len(light)] for i in range(total - heavy)]
    rng.shuffle(kinds)
    return kinds


def seed_teams(ctx) -> None:
    rng = ctx.rng
    approved = [o for o in ctx.organizations if o.status == OrgStatus.APPROVED]
    committees = list(db.session.scalars(
        select(Organization).where(Organization.legal_form == LegalForm.RESIDENTS_COMMITTEE,
                                   Organization.district_id == ctx.district.id)
        .order_by(Organization.id)))
    culture_orgs = [o for o in approved if o.category == OrgCategory.CULTURE_SPORTS
                    and o.legal_form == LegalForm.COMMUNITY_ORG]
    professional = [o for o in approved if o.legal_form != LegalForm.COMMUNITY_ORG]
    service_orgs = [o for o in approved if o.legal_form == LegalForm.COMMUNITY_ORG
                    and o.category != OrgCategory.CULTURE_SPORTS]
    teams = []
    used_names: set[str] = set()
    for index, kind in enumerate(_kind_plan(TEAMS[ctx.scale], rng)):
        if index < 3:
            owner = approved[0]  # the demo org admin's organization runs a few teams
        elif kind in COMMITTEE_KINDS or not (culture_orgs and professional and service_orgs):
            owner = rng.choice(committees)
        elif kind in CULTURE_KINDS:
            owner = rng.choice(culture_orgs)
        else:
            owner = rng.choice(professional if rng.random() < 0.5 else service_orgs)
        base = owner.name.removeprefix(DISTRICT_PREFIX).removesuffix("居民委员会")
        name = f"{base}{TEAM_WORDS[kind]}"
        number = 2
        while name in used_names:
            name = f"{base}{TEAM_WORDS[kind]}（{number}）"
            number += 1
        used_names.add(name)
        teams.append(VolunteerTeam(organization=owner, kind=kind, name=name,
                                   description=f"{name}定期开展志愿服务活动，欢迎居民报名加入。"))
    db.session.add_all(teams)
    db.session.flush()
    _seed_memberships(ctx, teams)


def _adult_profiles(ctx) -> tuple[dict[int, list[int]], list[int], int | None]:
    """Adult profile ids by home community, all of them, and the demo volunteer's profile."""
    user_ids = {user.id for user in ctx.volunteer_users}
    today = local_today()
    cutoff = date(today.year - 18, today.month, min(today.day, 28))
    by_community: dict[int, list[int]] = {}
    everyone = []
    rows = db.session.execute(
        select(VolunteerProfile.id, VolunteerProfile.user_id, VolunteerProfile.community_id,
               VolunteerProfile.birth_date).order_by(VolunteerProfile.id))
    demo_profile = None
    first_user = ctx.volunteer_users[0].id if ctx.volunteer_users else None
    for profile_id, user_id, community_id, birth_date in rows:
        if user_id not in user_ids or birth_date > cutoff:
            continue  # minors join teams only with a guardian's consent: left to them
        everyone.append(profile_id)
        by_community.setdefault(community_id, []).append(profile_id)
        if user_id == first_user:
            demo_profile = profile_id
    return by_community, everyone, demo_profile


def _seed_memberships(ctx, teams) -> None:
    rng = ctx.rng
    by_community, everyone, demo_profile = _adult_profiles(ctx)
    if not everyone:
        return
    rows = []
    for team in teams:
        size = min(len(everyone), rng.randint(*MEMBERS_PER_TEAM))
        local = [p for c in team.organization.communities for p in by_community.get(c.id, [])]
        members: list[int] = []
        if local:
            members = rng.sample(local, k=min(len(local), size * 3 // 4))
        chosen = set(members)
        while len(members) < size:
            candidate = rng.choice(everyone)
            if candidate not in chosen:
                chosen.add(candidate)
                members.append(candidate)
        # Most are active; the last few are still waiting on an answer or have moved on.
        for position, profile_id in enumerate(members):
            state = MembershipState.ACTIVE
            if position >= size - 3:
                state = (MembershipState.APPLIED, MembershipState.INVITED,
                         MembershipState.LEFT)[position - (size - 3)]
            rows.append({"team_id": team.id, "volunteer_id": profile_id, "state": state,
                         "is_leader": position == 0})
    if demo_profile is not None:
        _include_demo_volunteer(rows, teams, demo_profile)
    db.session.execute(insert(TeamMembership), rows)


def _include_demo_volunteer(rows, teams, profile_id) -> None:
    """The demo volunteer account is a member of the first team and invited to the second."""
    wanted = {teams[0].id: MembershipState.ACTIVE, teams[1].id: MembershipState.INVITED}
    for row in rows:
        if row["volunteer_id"] == profile_id and row["team_id"] in wanted:
            row["state"] = wanted.pop(row["team_id"])
            row["is_leader"] = row["is_leader"] and row["state"] == MembershipState.ACTIVE
    rows += [{"team_id": team_id, "volunteer_id": profile_id, "state": state,
              "is_leader": False} for team_id, state in wanted.items()]
