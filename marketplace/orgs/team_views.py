"""Volunteer team pages: the team with its members, joining, invitations and decisions."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.auth.access import public, requires
from marketplace.auth.models import Role
from marketplace.errors import flash_form_errors
from marketplace.extensions import db
from marketplace.orgs import services, team_services
from marketplace.orgs.forms import ConfirmForm, InviteForm, ReasonForm, TeamForm
from marketplace.orgs.models import STAFF_VISIBLE_STATES, MembershipState
from marketplace.orgs.views import bp
from marketplace.privacy.masking import mask_name


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
def team_create(org_id: int):
    org = services.get_for_admin(current_user, org_id)
    form = TeamForm()
    if form.validate_on_submit():
        try:
            team = team_services.create_team(
                current_user, org, form.name.data, form.kind.data, form.description.data or ""
            )
        except services.OrgError as exc:
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(_("Team created."), "success")
            return redirect(url_for("orgs.team_detail", team_id=team.id))
    return render_template("orgs/team_form.html", form=form, org=org)


@bp.get("/teams/<int:team_id>")
@public
def team_detail(team_id: int):
    team = team_services.visible_team(current_user, team_id)
    manages = team_services.manages(current_user, team)
    full_names = team_services.sees_full_names(current_user, team)
    members = team_services.roster(team, include_pending=manages)
    profile = team_services.profile_of(current_user)
    return render_template(
        "orgs/team_detail.html",
        team=team,
        members=members,
        # An invited volunteer has not joined yet: the inviter sees the name masked.
        member_name=lambda m: m.volunteer.real_name if (
            full_names and m.state in STAFF_VISIBLE_STATES
        ) else mask_name(m.volunteer.real_name),
        manages=manages,
        is_admin=services.is_org_admin(current_user, team.organization),
        mine=team_services.live_membership(team, profile),
        has_profile=profile is not None,
        States=MembershipState,
        confirm_form=ConfirmForm(),
        reason_form=ReasonForm(),
        invite_form=InviteForm(),
    )


@bp.post("/teams/<int:team_id>/apply")
@requires()
def team_apply(team_id: int):
    team = team_services.visible_team(current_user, team_id)
    if ConfirmForm().validate_on_submit():
        _run(lambda: team_services.apply(current_user, team),
             _("Application sent: the team leader will answer."))
    return redirect(url_for("orgs.team_detail", team_id=team.id))


@bp.post("/teams/<int:team_id>/invite")
@requires()
def team_invite(team_id: int):
    team = team_services.visible_team(current_user, team_id)
    team_services.manager_role(current_user, team)  # 404 before anything else for others
    form = InviteForm()
    if form.validate_on_submit():
        _run(lambda: team_services.invite(current_user, team, form.volunteer_id.data),
             _("Invitation sent."))
    else:
        flash(_("Enter the volunteer's number."), "error")
    return redirect(url_for("orgs.team_detail", team_id=team.id))


@bp.post("/teams/<int:team_id>/members/<int:membership_id>/<any("
         "approve, reject, accept, decline, leave, remove):action>")
@requires()
def team_member_action(team_id: int, membership_id: int, action: str):
    team = team_services.visible_team(current_user, team_id)
    form = ReasonForm()
    if form.validate_on_submit():
        _run(lambda: team_services.decide(current_user, team, membership_id, action,
                                          form.reason.data),
             _done_message(action))
    else:
        flash_form_errors(form)
    if action in ("accept", "decline", "leave"):
        return redirect(url_for("orgs.my_teams"))
    return redirect(url_for("orgs.team_detail", team_id=team.id))


@bp.post("/teams/<int:team_id>/members/<int:membership_id>/leader/<any(on, off):flag>")
@requires(Role.ORG_ADMIN)
def team_set_leader(team_id: int, membership_id: int, flag: str):
    team = team_services.visible_team(current_user, team_id)
    if ConfirmForm().validate_on_submit():
        _run(lambda: team_services.set_leader(current_user, team, membership_id, flag == "on"),
             _("Team leader updated."))
    return redirect(url_for("orgs.team_detail", team_id=team.id))


@bp.get("/teams/mine")
@requires()
def my_teams():
    return render_template(
        "orgs/my_teams.html",
        memberships=team_services.my_memberships(current_user),
        has_profile=team_services.profile_of(current_user) is not None,
        States=MembershipState,
        confirm_form=ConfirmForm(),
    )


def _run(step, done: str) -> None:
    try:
        step()
    except services.OrgError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(done, "success")
