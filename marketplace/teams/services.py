"""Volunteer teams and their memberships (domain §4 Membership): who may do and see what.
Services flush; the caller commits."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from marketplace.audit.services import record
from marketplace.auth.models import Role
from marketplace.clock import utcnow
from marketplace.errors import DomainError, OutOfScope
from marketplace.extensions import db
from marketplace.orgs.models import Organization, OrgStatus
from marketplace.orgs.services import is_org_admin, is_org_staff
from marketplace.privacy.masking import mask_name
from marketplace.teams.models import (
    LIVE_MEMBERSHIP_STATES,
    STAFF_VISIBLE_STATES,
    MembershipState,
    TeamMembership,
    VolunteerTeam,
)
from marketplace.text import visible_length
from marketplace.volunteers.models import VolunteerProfile
from marketplace.volunteers.services import profile_of


def get_team(team_id: int) -> VolunteerTeam:
    team = db.session.get(VolunteerTeam, team_id)
    if team is None:
        raise OutOfScope
    return team


def visible_team(user, team_id: int) -> VolunteerTeam:
    team = get_team(team_id)
    if team.organization.status != OrgStatus.APPROVED and not is_org_staff(user, team.organization):
        raise OutOfScope
    return team


def live_membership(team: VolunteerTeam, profile: VolunteerProfile | None):
    if profile is None:
        return None
    return db.session.scalar(
        select(TeamMembership).where(
            TeamMembership.team_id == team.id,
            TeamMembership.volunteer_id == profile.id,
            TeamMembership.state.in_(LIVE_MEMBERSHIP_STATES),
        )
    )


def _leads(membership: TeamMembership | None) -> bool:
    return bool(membership and membership.state == MembershipState.ACTIVE and membership.is_leader)


def is_leader(user, team: VolunteerTeam) -> bool:
    return _leads(live_membership(team, profile_of(user)))


def manager_role(user, team: VolunteerTeam) -> Role | str:
    if is_org_admin(user, team.organization):
        return Role.ORG_ADMIN
    if is_leader(user, team):
        return "team_leader"
    raise OutOfScope


def create_team(user, org: Organization, name: str, kind: str, description: str = ""):
    if not is_org_admin(user, org):
        raise OutOfScope
    if org.status != OrgStatus.APPROVED:
        raise DomainError(None, _("Only an approved organization can form teams."))
    team = VolunteerTeam(organization=org, name=name.strip(), kind=kind,
                         description=description.strip())
    db.session.add(team)
    db.session.flush()
    record(user, "team.create", "volunteer_team", team.id, actor_role=Role.ORG_ADMIN.value,
           places=org.places)
    return team


def _may_join(profile: VolunteerProfile) -> None:
    if not profile.may_take_part:
        raise DomainError(
            None, _("A volunteer under 18 needs a guardian's consent before joining a team.")
        )


def _new_membership(team, profile, state: MembershipState, actor) -> TeamMembership:
    if team.organization.status != OrgStatus.APPROVED:
        raise DomainError(None, _("This team's organization is not taking members now."))
    if live_membership(team, profile) is not None:
        raise DomainError(None, _("There is already an application, invitation or membership."))
    membership = TeamMembership(team=team, volunteer_id=profile.id, state=state,
                                decided_by_id=actor.id)
    db.session.add(membership)
    try:
        # A concurrent second request meets the partial unique index instead of duplicating;
        # the caller rolls back on the DomainError, as on any other.
        db.session.flush()
    except IntegrityError:
        raise DomainError(
            None, _("There is already an application, invitation or membership.")
        ) from None
    return membership


def apply(user, team: VolunteerTeam) -> TeamMembership:
    profile = profile_of(user)
    if profile is None:
        raise DomainError(None, _("Complete your volunteer profile before joining a team."))
    _may_join(profile)
    membership = _new_membership(team, profile, MembershipState.APPLIED, user)
    record(user, "team.apply", "team_membership", membership.id,
           actor_role=Role.VOLUNTEER.value, places=team.organization.places)
    return membership


def invite(user, team: VolunteerTeam, volunteer_no: str) -> TeamMembership:
    role = manager_role(user, team)
    profile = db.session.scalar(
        select(VolunteerProfile).where(VolunteerProfile.volunteer_no == volunteer_no.strip())
    )
    if profile is None:
        raise DomainError("volunteer_id", _("No volunteer has this number."))
    membership = _new_membership(team, profile, MembershipState.INVITED, user)
    record(user, "team.invite", "team_membership", membership.id, actor_role=str(role),
           places=team.organization.places)
    return membership


def _membership_in(team: VolunteerTeam, membership_id: int) -> TeamMembership:
    membership = db.session.get(TeamMembership, membership_id)
    if membership is None or membership.team_id != team.id:
        raise OutOfScope
    return membership


# (action, source state) -> (target state, who: "manager" or "volunteer", reason required)
MEMBERSHIP_ACTIONS = {
    "approve": (MembershipState.APPLIED, MembershipState.ACTIVE, "manager", False),
    "reject": (MembershipState.APPLIED, MembershipState.REJECTED, "manager", False),
    "accept": (MembershipState.INVITED, MembershipState.ACTIVE, "volunteer", False),
    "decline": (MembershipState.INVITED, MembershipState.DECLINED, "volunteer", False),
    "leave": (MembershipState.ACTIVE, MembershipState.LEFT, "volunteer", False),
    "remove": (MembershipState.ACTIVE, MembershipState.REMOVED, "manager", True),
}


def decide(user, team: VolunteerTeam, membership_id: int, action: str,
           reason: str | None = None) -> TeamMembership:
    """Move one membership; leaders and org admins decide applications and removals, the
    volunteer answers invitations and leaves."""
    if action not in MEMBERSHIP_ACTIONS:
        raise DomainError(None, _("Unknown action."))
    source, target, who, reason_required = MEMBERSHIP_ACTIONS[action]
    membership = _membership_in(team, membership_id)
    if who == "volunteer":
        profile = profile_of(user)
        if profile is None or membership.volunteer_id != profile.id:
            raise OutOfScope
        role = Role.VOLUNTEER.value
    else:
        role = str(manager_role(user, team))
    if membership.state != source:
        raise DomainError(None, _("That step is not possible for this membership now."))
    reason = (reason or "").strip() or None
    if reason_required and not visible_length(reason):
        raise DomainError("reason", _("Give a reason for removing the member."))
    if target == MembershipState.ACTIVE:
        # Suspended and deregistered organizations take no new members (domain §4).
        if team.organization.status != OrgStatus.APPROVED:
            raise DomainError(None, _("This team's organization is not taking members now."))
        _may_join(membership.volunteer)
    values = {"state": target, "reason": reason, "decided_by_id": user.id,
              "updated_at": utcnow()}
    if target != MembershipState.ACTIVE:
        values["is_leader"] = False
    # Conditional update, so a double click or two managers at once move it only once.
    moved = db.session.execute(
        update(TeamMembership)
        .where(TeamMembership.id == membership.id, TeamMembership.state == source)
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if moved != 1:
        raise DomainError(None, _("That step is not possible for this membership now."))
    db.session.refresh(membership)
    record(user, f"team.{action}", "team_membership", membership.id, reason=reason,
           actor_role=role, places=team.organization.places)
    return membership


def set_leader(user, team: VolunteerTeam, membership_id: int, leader: bool) -> TeamMembership:
    """Only the organization's admins name or drop leaders (a flag on the membership, §8.3)."""
    if not is_org_admin(user, team.organization):
        raise OutOfScope
    membership = _membership_in(team, membership_id)
    if membership.state != MembershipState.ACTIVE:
        raise DomainError(None, _("Only an active member can lead the team."))
    membership.is_leader = leader
    db.session.flush()
    record(user, "team.leader" if leader else "team.unleader", "team_membership",
           membership.id, actor_role=Role.ORG_ADMIN.value, places=team.organization.places)
    return membership


def roster(team: VolunteerTeam, include_pending: bool) -> list[TeamMembership]:
    states = LIVE_MEMBERSHIP_STATES if include_pending else (MembershipState.ACTIVE,)
    return list(
        db.session.scalars(
            select(TeamMembership)
            .where(TeamMembership.team_id == team.id, TeamMembership.state.in_(states))
            .options(selectinload(TeamMembership.volunteer))
            .order_by(TeamMembership.is_leader.desc(), TeamMembership.id)
        )
    )


def member_counts(team_ids: list[int]) -> dict[int, int]:
    if not team_ids:
        return {}
    rows = db.session.execute(
        select(TeamMembership.team_id, func.count(TeamMembership.id))
        .where(TeamMembership.team_id.in_(team_ids),
               TeamMembership.state == MembershipState.ACTIVE)
        .group_by(TeamMembership.team_id)
    )
    return dict(rows.all())


def my_memberships(user) -> list[TeamMembership]:
    profile = profile_of(user)
    if profile is None:
        return []
    return list(
        db.session.scalars(
            select(TeamMembership)
            .where(TeamMembership.volunteer_id == profile.id)
            .options(selectinload(TeamMembership.team).selectinload(VolunteerTeam.organization))
            .order_by(TeamMembership.updated_at.desc(), TeamMembership.id.desc())
        )
    )


# --- what a page shows ------------------------------------------------------------------


@dataclass(frozen=True)
class MemberRow:
    """One member as the viewer may see them, with the steps the viewer may take on them."""

    membership_id: int
    name: str  # full or shortened, as the viewer may see it
    is_leader: bool
    state: MembershipState
    actions: tuple[str, ...]  # of "approve", "reject", "remove", "leader_on", "leader_off"


@dataclass(frozen=True)
class TeamPage:
    team: VolunteerTeam
    members: list[MemberRow]
    full_names: bool
    may_invite: bool
    mine: TeamMembership | None  # the viewer's live membership
    may_apply: bool
    has_profile: bool


def _member_actions(membership: TeamMembership, manager: bool, admin: bool) -> tuple[str, ...]:
    if not manager:
        return ()
    if membership.state == MembershipState.APPLIED:
        return ("approve", "reject")
    if membership.state != MembershipState.ACTIVE:
        return ()
    leader_step = ("leader_off" if membership.is_leader else "leader_on",) if admin else ()
    return (*leader_step, "remove")


def _member_name(membership: TeamMembership, full_names: bool) -> str:
    # An invited volunteer has not joined yet: even the inviter sees the name shortened.
    if full_names and membership.state in STAFF_VISIBLE_STATES:
        return membership.volunteer.real_name
    return mask_name(membership.volunteer.real_name)


def team_page(user, team: VolunteerTeam) -> TeamPage:
    """The team page for ``user``: members named as the user may see them, and what the user
    may do, decided here once."""
    profile = profile_of(user)
    mine = live_membership(team, profile)
    admin = is_org_admin(user, team.organization)
    leader = _leads(mine)
    manager = admin or leader
    full_names = leader or is_org_staff(user, team.organization)
    members = [
        MemberRow(
            membership_id=m.id,
            name=_member_name(m, full_names),
            is_leader=m.is_leader,
            state=m.state,
            actions=_member_actions(m, manager, admin),
        )
        for m in roster(team, include_pending=manager)
    ]
    return TeamPage(
        team=team, members=members, full_names=full_names, may_invite=manager, mine=mine,
        may_apply=profile is not None and mine is None, has_profile=profile is not None,
    )


def team_counts(org_ids: list[int]) -> dict[int, int]:
    """Teams per organization, in one query."""
    if not org_ids:
        return {}
    rows = db.session.execute(
        select(VolunteerTeam.organization_id, func.count(VolunteerTeam.id))
        .where(VolunteerTeam.organization_id.in_(org_ids))
        .group_by(VolunteerTeam.organization_id)
    )
    return dict(rows.all())


def teams_of(org: Organization) -> list[VolunteerTeam]:
    return list(
        db.session.scalars(
            select(VolunteerTeam)
            .where(VolunteerTeam.organization_id == org.id)
            .order_by(VolunteerTeam.id)
        )
    )
