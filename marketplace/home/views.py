"""The home page (an introduction, or what the signed-in user can do now) and the language
switch."""

from __future__ import annotations

from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask_login import current_user

from marketplace.auth.access import public
from marketplace.extensions import db
from marketplace.home.actions import home_sections, role_label
from marketplace.i18n import SUPPORTED
from marketplace.security import safe_next_url

bp = Blueprint("home", __name__)

LANGUAGE_NAMES = {"zh": "中文", "en": "English"}


@bp.get("/")
@public
def index():
    if not current_user.is_authenticated:
        return render_template("home/intro.html")
    return render_template(
        "home/index.html", sections=home_sections(current_user), role_label=role_label
    )


@bp.get("/favicon.ico")
@public
def favicon():
    """Browsers and crawlers ask for this address whatever the page links to."""
    return send_from_directory(
        Path(current_app.static_folder) / "icons", "favicon.ico",
        mimetype="image/vnd.microsoft.icon", max_age=7 * 24 * 3600,
    )


@bp.route("/language", methods=["GET", "POST"])
@public
def set_language():
    """GET shows the choice; POST (form field ``locale``, optional ``next``) stores it in the
    session, and on the account when signed in so it follows the user to other devices."""
    next_url = safe_next_url(request.values.get("next"))
    if request.method == "GET":
        return render_template(
            "home/language.html", languages=LANGUAGE_NAMES, next_url=next_url
        )
    locale = request.form.get("locale", "")
    if locale not in SUPPORTED:
        abort(400)
    session["locale"] = locale
    if current_user.is_authenticated:
        current_user.locale = locale
        db.session.commit()
    return redirect(next_url or url_for("home.index"))
