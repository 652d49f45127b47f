"""What the home page offers each role from the registry."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from marketplace.auth.models import Role
from marketplace.home.actions import HomeAction
from marketplace.orgs import labels, services
from marketplace.orgs.models import OrgStatus


def _next_step(status: OrgStatus) -> str:
    return {
        OrgStatus.DRAFT: _("Complete the registration and submit it."),
        OrgStatus.SUBMITTED: _("Waiting for the official's decision."),
        OrgStatus.RETURNED: _("Returned: read the reasons, correct and submit again."),
        OrgStatus.APPROVED: _("Listed in the directory: form teams and publish projects."),
        OrgStatus.SUSPENDED: _("Suspended: read the reason; no new sign-ups meanwhile."),
        OrgStatus.DEREGISTERED: _("Deregistered."),
    }[status]


def orgs_home_actions(user) -> list[HomeAction]:
    actions: list[HomeAction] = []
    if user.has_role(Role.ORG_ADMIN):
        for org in services.organizations_of(user):
            if not services.is_org_admin(user, org):
                continue
            actions.append(
                HomeAction(
                    title=f"{org.name} · {labels.STATUS[org.status]}",
                    description=_next_step(org.status),
                    url=url_for("orgs.detail", org_id=org.id),
                    roles=(Role.ORG_ADMIN,),
                )
            )
    if user.has_role(Role.OFFICIAL):
        waiting = services.pending_count(user)
        actions.append(
            HomeAction(
                title=_("Organizations awaiting your decision"),
                description=_("Registrations and filings submitted in your area."),
                url=url_for("orgs.review_queue"),
                badge=waiting or None,
                roles=(Role.OFFICIAL,),
            )
        )
    actions.append(
        HomeAction(
            title=_("Register an organization"),
            description=_("Register or file a social organization; you become its administrator."),
            url=url_for("orgs.create"),
            roles=(Role.ORG_ADMIN, Role.VOLUNTEER),
        )
    )
    return actions
