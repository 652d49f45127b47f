"""What teams add to pages other domains own: the home card, the organization page's panel,
the directory's count."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from marketplace.auth.models import Role
from marketplace.contributions import OrgPanel
from marketplace.home.actions import HomeAction
from marketplace.orgs.models import OrgStatus
from marketplace.orgs.services import is_org_admin
from marketplace.teams import labels, services
from marketplace.teams.models import MembershipState


def teams_home_actions(user) -> list[HomeAction]:
    if not user.has_role(Role.VOLUNTEER):
        return []
    invited = sum(1 for m in services.my_memberships(user) if m.state == MembershipState.INVITED)
    return [
        HomeAction(
            title=_("My teams"),
            description=_("Teams you belong to, applications and invitations."),
            url=url_for("teams.mine"),
            badge=invited or None,
            roles=(Role.VOLUNTEER,),
        )
    ]


def teams_panel(viewer, org) -> OrgPanel:
    """The organization's teams with their member counts; its admins may form one."""
    teams = services.teams_of(org)
    return OrgPanel(
        title=_("Volunteer teams"),
        template="teams/_org_panel.html",
        context={
            "teams": teams,
            "member_counts": services.member_counts([team.id for team in teams]),
            "may_form_team": org.status == OrgStatus.APPROVED and is_org_admin(viewer, org),
            "kind_labels": labels.TEAM_KIND,
        },
    )


def team_count_facts(org_ids: list[int]) -> dict[int, str]:
    counts = services.team_counts(org_ids)
    return {org_id: _("%(count)s teams", count=counts.get(org_id, 0)) for org_id in org_ids}
