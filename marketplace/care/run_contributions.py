"""What matching runs add to pages other domains own: home cards (runs for staff and
officials, offers waiting for a volunteer) and the organization page's recruitment targets."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.auth import scopes
from marketplace.auth.models import Role
from marketplace.care import recruitment, review
from marketplace.care.run_models import MatchingRun, MatchingRunState, ScopeKind
from marketplace.contributions import OrgPanel
from marketplace.extensions import db
from marketplace.home.actions import HomeAction


def run_home_actions(user) -> list[HomeAction]:
    actions: list[HomeAction] = []
    for role in (Role.SOCIAL_WORKER, Role.OFFICIAL):
        if user.has_role(role):
            actions.append(HomeAction(
                title=_("Matching runs"),
                description=_("A run proposes care teams; nobody joins a team before "
                              "accepting."),
                url=url_for("care_runs.index"), roles=(role,)))
    if user.has_role(Role.VOLUNTEER):
        waiting = len(review.my_offers(user))
        if waiting:
            actions.append(HomeAction(
                title=_("Care team offers"),
                description=_("You join a team only if you accept. If you decline, you are "
                              "not proposed for that household again."),
                url=url_for("care_runs.offers"), badge=waiting, roles=(Role.VOLUNTEER,)))
    return actions


def recruitment_panel(viewer, org) -> OrgPanel | None:
    """The latest finished run of the organization's households, as recruitment targets
    (§8.34), for its own staff."""
    if not scopes.acts_for(viewer, org.id):
        return None
    run = db.session.scalar(
        select(MatchingRun).where(
            MatchingRun.organization_id == org.id,
            MatchingRun.scope_kind == ScopeKind.ORGANIZATION,
            MatchingRun.state.in_((MatchingRunState.SUCCEEDED, MatchingRunState.APPLIED)))
        .order_by(MatchingRun.id.desc()).limit(1))
    if run is None:
        return None
    targets = recruitment.targets(run)
    if not targets:
        return None
    return OrgPanel(title=_("Recruitment targets"), template="care/runs/_targets_panel.html",
                    context={"run": run, "targets": targets})
