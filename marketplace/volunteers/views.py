from __future__ import annotations

import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from marketplace.auth.access import requires
from marketplace.auth.models import Role
from marketplace.contributions import contributed
from marketplace.errors import DomainError, show_error
from marketplace.extensions import db
from marketplace.home.actions import HomeAction
from marketplace.privacy.caching import NO_STORE
from marketplace.privacy.forms import RevealForm
from marketplace.privacy.services import PRIVACY_NOTICE_VERSION, consents_of, has_consent
from marketplace.volunteers import export, services
from marketplace.volunteers.codes import LANGUAGES, SKILLS, SLOTS, slot_label
from marketplace.volunteers.forms import ProfileForm
from marketplace.volunteers.revealable import OBJECT_TYPE

bp = Blueprint("volunteers", __name__)



def _labels() -> dict:
    return {"skill_labels": SKILLS, "language_labels": LANGUAGES, "slot_label": slot_label,
            "all_slots": SLOTS}


@bp.get("/me/profile")
@requires()
def profile():
    own = services.profile_of(current_user)
    if own is None:
        return redirect(url_for(".edit_profile"))
    panels = [(panel.title, Markup(render_template(panel.template, **panel.context)))
              for provider in contributed("profile_panels")
              if (panel := provider(current_user, own)) is not None]
    body = render_template(
        "volunteers/profile.html", profile=own, consents=consents_of(current_user.id),
        panels=panels, **_labels()
    )
    return body, 200, NO_STORE


@bp.route("/me/profile/edit", methods=["GET", "POST"])
@requires()
def edit_profile():
    own = services.profile_of(current_user)
    grids = services.grid_choices()
    form = ProfileForm(services.community_choices(), grids)
    if request.method == "GET" and own is not None:
        form.fill_from(own)
    status = 200
    if form.is_submitted():
        form_ok = form.validate()
        try:
            services.save_profile(current_user, form.to_input(), check_only=not form_ok)
        except DomainError as error:
            db.session.rollback()
            show_error(error, form)  # one message a field: the form's own comes first
        else:
            if form_ok:
                db.session.commit()
                flash(_("Your profile is saved."), "success")
                return redirect(url_for(".profile"))
    if form.errors:
        status = 400
    guardian_errors = any(
        form[name].errors for name in ("guardian_consent", "guardian_name", "guardian_relation")
    )
    needs_guardian = (
        own is None or guardian_errors or (own.is_minor and not own.has_guardian_consent)
    )
    body = render_template(
        "volunteers/edit.html",
        form=form,
        map_grids=grids,
        profile=own,
        needs_privacy_consent=not has_consent(
            current_user.id, "privacy_notice", PRIVACY_NOTICE_VERSION
        ),
        needs_guardian=needs_guardian,
        notice_version=PRIVACY_NOTICE_VERSION,
    )
    return body, status, NO_STORE


@bp.get("/me/data.json")
@requires()
def export_data():
    payload = export.export_data(current_user)
    headers = dict(NO_STORE)
    headers["Content-Disposition"] = 'attachment; filename="gongzhi-my-data.json"'
    return Response(
        json.dumps(payload, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers=headers,
    )


@bp.get("/volunteers/<int:profile_id>")
@requires(Role.SOCIAL_WORKER, Role.ORG_ADMIN)
def detail(profile_id: int):
    shown = services.visible_profile(current_user, profile_id)
    if shown is None:
        abort(404)
    if shown.user_id == current_user.id:
        return redirect(url_for(".profile"))
    form = RevealForm(formdata=None, kind="phone", object=shown.id, object_type=OBJECT_TYPE)
    body = render_template("volunteers/detail.html", profile=shown, form=form, **_labels())
    return body, 200, NO_STORE


def volunteer_home_actions(user) -> list[HomeAction]:
    if not user.has_role(Role.VOLUNTEER):
        return []
    roles = (Role.VOLUNTEER,)
    if services.profile_of(user) is None:
        return [
            HomeAction(
                _("Complete your real-name profile"),
                _("Skills, languages, free time and home area: needed before you can be "
                  "matched or sign up."),
                url_for("volunteers.edit_profile"),
                roles=roles,
            )
        ]
    return [
        HomeAction(_("My volunteer profile"), _("See your profile and volunteer number."),
                   url_for("volunteers.profile"), roles=roles),
        HomeAction(_("Edit my profile"), _("Update skills, free time and how far you travel."),
                   url_for("volunteers.edit_profile"), roles=roles),
        HomeAction(_("Download my data"), _("Everything held about you, as a JSON file."),
                   url_for("volunteers.export_data"), roles=roles),
    ]
