"""The site's pages of the API: personal access tokens (create, list, revoke), the OpenAPI
document and its reading page."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.api import tokens
from marketplace.api.forms import RevokeForm, TokenForm
from marketplace.api.framework import API_PREFIX, api_of
from marketplace.auth.access import public, requires
from marketplace.errors import DomainError, show_error
from marketplace.extensions import db
from marketplace.home.actions import HomeAction
from marketplace.privacy.caching import NO_STORE

bp = Blueprint("api_pages", __name__)


def _tokens_page(form: TokenForm, created: tokens.NewToken | None = None, status: int = 200):
    rows = [(token, tokens.token_state(token)) for token in tokens.tokens_of(current_user)]
    return render_template(
        "api/tokens.html", form=form, rows=rows, created=created, revoke_form=RevokeForm(),
        docs_url=url_for(".docs"),
    ), status, NO_STORE


@bp.get("/account/tokens")
@requires()
def token_list():
    return _tokens_page(TokenForm())


@bp.post("/account/tokens")
@requires()
def token_create():
    form = TokenForm()
    if form.validate_on_submit():
        try:
            created = tokens.create_token(current_user, form.name.data, form.expires_in_days.data)
        except DomainError as error:
            db.session.rollback()
            show_error(error, form)
        else:
            db.session.commit()
            # Rendered, not redirected: the secret is on this one answer and nowhere else.
            return _tokens_page(TokenForm(formdata=None), created=created)
    return _tokens_page(form, status=422)


@bp.post("/account/tokens/<int:token_id>/revoke")
@requires()
def token_revoke(token_id: int):
    tokens.own_token(current_user, token_id)
    if RevokeForm().validate_on_submit():
        tokens.revoke(current_user, token_id)
        db.session.commit()
        flash(_("The token is revoked: programs using it are refused from now on."), "success")
    return redirect(url_for(".token_list"))


@bp.get(f"{API_PREFIX}/openapi.json")
@public
def openapi_document():
    return jsonify(api_of(current_app).spec.to_dict())


@bp.get(f"{API_PREFIX}/docs")
@public
def docs():
    # Under /api/ errors answer JSON; this page itself is HTML for people.
    return render_template("api/docs.html", spec_url=url_for(".openapi_document"))


def token_home_actions(user) -> list[HomeAction]:
    return [HomeAction(
        title=_("Access tokens"),
        description=_("Let a program of yours use the site's API in your name."),
        url=url_for("api_pages.token_list"),
    )]
