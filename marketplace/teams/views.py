"""Volunteer team pages: the team with its members, joining, invitations and decisions."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.auth.access import public, requires
from marketplace.auth.models import Role
from marketplace.errors import attempt, flash_form_errors
from marketplace.orgs import services as org_services
from marketplace.orgs.forms import ConfirmForm
from marketplace.teams import labels, services
from marketplace.teams.forms import InviteForm, ReasonForm, TeamForm
from marketplace.teams.models import MembershipState
from marketplace.volunteers.services import profile_of

bp = Blueprint("teams", __name__)


@bp.context_processor
def team_labels():
    return {"team_labels": labels, "States": MembershipState}


def _done_message(action: str) -> str:
    return {
        "approve": _("Member approved."),
        "reject": _("Application rejected."),
        "accept": _("You joined the team."),
        "decline": _("Invitation declined."),
        "leave": _("You left the team."),
        "remove": _("Member removed."),
    }[action]


@bp.route("/orgs/<int:org_id>/teams/new", methods=["GET", "POST"])
@requires(Role.ORG_ADMIN)
def create(org_id: int):
    org = org_services.get_for_admin(current_user, org_id)
    form = TeamForm()
    if form.validate_on_submit():
        team = attempt(lambda: services.create_team(
            current_user, org, form.name.data, form.kind.data, form.description.data or "",
        ), _("Team created."), form).value
        if team is not None:
            return redirect(url_for("teams.detail", team_id=team.id))
    return render_template("teams/form.html", form=form, org=org)


@bp.get("/teams/<int:team_id>")
@public
def detail(team_id: int):
    team = services.visible_team(current_user, team_id)
    return render_template(
        "teams/detail.html",
        page=services.team_page(current_user, team),
        confirm_form=ConfirmForm(),
        reason_form=ReasonForm(),
        invite_form=InviteForm(),
    )


@bp.post("/teams/<int:team_id>/apply")
@requires()
def apply(team_id: int):
    team = services.visible_team(current_user, team_id)
    if ConfirmForm().validate_on_submit():
        attempt(lambda: services.apply(current_user, team),
                _("Application sent: the team leader will answer."))
    return redirect(url_for("teams.detail", team_id=team.id))


@bp.post("/teams/<int:team_id>/invite")
@requires()
def invite(team_id: int):
    team = services.visible_team(current_user, team_id)
    services.manager_role(current_user, team)  # 404 before anything else for others
    form = InviteForm()
    if form.validate_on_submit():
        attempt(lambda: services.invite(current_user, team, form.volunteer_id.data),
                _("Invitation sent."))
    else:
        flash(_("Enter the volunteer's number."), "error")
    return redirect(url_for("teams.detail", team_id=team.id))


@bp.post("/teams/<int:team_id>/members/<int:membership_id>/<any("
         "approve, reject, accept, decline, leave, remove):action>")
@requires()
def member_action(team_id: int, membership_id: int, action: str):
    team = services.visible_team(current_user, team_id)
    form = ReasonForm()
    if form.validate_on_submit():
        attempt(lambda: services.decide(current_user, team, membership_id, action,
                                        form.reason.data),
                _done_message(action))
    else:
        flash_form_errors(form)
    if action in ("accept", "decline", "leave"):
        return redirect(url_for("teams.mine"))
    return redirect(url_for("teams.detail", team_id=team.id))


@bp.post("/teams/<int:team_id>/members/<int:membership_id>/leader/<any(on, off):flag>")
@requires(Role.ORG_ADMIN)
def set_leader(team_id: int, membership_id: int, flag: str):
    team = services.visible_team(current_user, team_id)
    if ConfirmForm().validate_on_submit():
        attempt(lambda: services.set_leader(current_user, team, membership_id, flag == "on"),
                _("Team leader updated."))
    return redirect(url_for("teams.detail", team_id=team.id))


@bp.get("/teams/mine")
@requires()
def mine():
    return render_template(
        "teams/mine.html",
        memberships=services.my_memberships(current_user),
        has_profile=profile_of(current_user) is not None,
        confirm_form=ConfirmForm(),
    )
