"""What care adds to pages other domains own: home cards (with the supervision flags), the
organization page's care overview, and the volunteer's teams and visits in the export."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.auth import scopes
from marketplace.auth.models import Role
from marketplace.care import labels
from marketplace.care.models import CareTeam, CareTeamMember, VisitLog
from marketplace.care.services import household_lists, households, living, supervision
from marketplace.clock import utc_iso
from marketplace.contributions import OrgPanel
from marketplace.extensions import db
from marketplace.home.actions import HomeAction
from marketplace.volunteers.services import profile_of


def care_home_actions(user) -> list[HomeAction]:
    actions: list[HomeAction] = []
    if user.has_role(Role.SOCIAL_WORKER):
        quiet = supervision.quiet_teams(households.social_worker_org_ids(user),
                                        supervision.SOCIAL_WORKER_DAYS)
        actions.append(HomeAction(
            title=_("Households"),
            description=(_("%(count)d teams without a visit for 14 days or more.",
                           count=len(quiet)) if quiet
                         else _("Households you serve, their requests and teams.")),
            url=url_for("care.households"), badge=len(quiet) or None,
            roles=(Role.SOCIAL_WORKER,),
        ))
        actions.append(HomeAction(
            title=_("Care map"), description=_("Households and teams on the map."),
            url=url_for("care.map_page"), roles=(Role.SOCIAL_WORKER,),
        ))
    if user.has_role(Role.OFFICIAL):
        actions.append(HomeAction(
            title=_("Care in your area"),
            description=_("Households and care requests per street, as counts."),
            url=url_for("care.area"), roles=(Role.OFFICIAL,),
        ))
    if user.has_role(Role.VOLUNTEER) and living.teams_of_volunteer(user):
        actions.append(HomeAction(
            title=_("My care teams"),
            description=_("The households you visit, the schedule and the visit log."),
            url=url_for("care.my_teams"), roles=(Role.VOLUNTEER,),
        ))
    return actions


def care_overview_panel(viewer, org) -> OrgPanel | None:
    """The organization's care in numbers, for its own staff; the teams quiet for 30 days
    for its admins (domain §4)."""
    if not scopes.acts_for(viewer, org.id):
        return None
    is_admin = scopes.acts_for(viewer, org.id, Role.ORG_ADMIN)
    return OrgPanel(
        title=_("Care overview"),
        template="care/_org_panel.html",
        context={
            "counts": household_lists.counts_by_state({org.id}),
            "quiet": (supervision.quiet_teams({org.id}, supervision.ORG_ADMIN_DAYS)
                      if is_admin else []),
            "is_admin": is_admin,
            "state_labels": labels.REQUEST_STATE,
            "rematch": supervision.rematch_available(),
        },
    )


def care_export(user) -> dict[str, object]:
    """The volunteer's own care teams and visits (no household's personal data)."""
    profile = profile_of(user)
    if profile is None:
        return {}
    memberships = db.session.scalars(
        select(CareTeamMember).where(CareTeamMember.volunteer_id == profile.id)
        .order_by(CareTeamMember.id)
    ).all()
    visits = db.session.scalars(
        select(VisitLog).where(VisitLog.volunteer_id == profile.id).order_by(VisitLog.id)
    ).all()
    if not memberships and not visits:
        return {}
    return {"care_teams": [
        {"team": m.care_team_id, "household": db.session.get(
            CareTeam, m.care_team_id).care_request.household.pseudonym,
         "joined_at": utc_iso(m.joined_at), "left_at": utc_iso(m.left_at)}
        for m in memberships
    ], "visits": [
        {"team": v.care_team_id, "visited_on": v.visited_on.isoformat(), "minutes": v.minutes,
         "contact": v.contact, "note": v.note}
        for v in visits
    ]}
