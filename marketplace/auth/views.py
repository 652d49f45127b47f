"""Registration, login, logout and password change."""

from __future__ import annotations

from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.auth import services, throttle
from marketplace.auth.access import public, requires
from marketplace.auth.forms import ChangePasswordForm, LoginForm, RegisterForm
from marketplace.auth.sessions import (
    end_session,
    revoke_other_sessions,
    rotate_session,
    start_session,
)
from marketplace.errors import DomainError, show_error
from marketplace.extensions import db
from marketplace.home.actions import HomeAction
from marketplace.security import safe_next_url

bp = Blueprint("auth", __name__, url_prefix="/auth")

@bp.route("/register", methods=["GET", "POST"])
@public
def register():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        # Counted whatever the outcome: the answer tells whether a number holds an account.
        if not throttle.registration_attempt(form.phone.data).allowed:
            return throttle.too_many_registrations()
        try:
            user = services.register_volunteer(
                form.phone.data,
                form.display_name.data,
                form.password.data,
                locale=session.get("locale"),
            )
        except DomainError as error:
            show_error(error, form)
        else:
            start_session(user)
            db.session.commit()
            flash(_("Welcome! Your account is ready. Tell us a little about yourself."), "success")
            return redirect(url_for("volunteers.edit_profile"))
    return render_template("auth/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    next_url = safe_next_url(request.values.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for("home.index"))
    form = LoginForm(next=next_url)
    error = None
    if form.validate_on_submit():
        attempt = throttle.login_attempt(form.phone.data)
        if not attempt.allowed:  # even the right password waits: a block teaches nothing
            return throttle.too_many_attempts()
        user = services.authenticate(form.phone.data, form.password.data)
        if user is None:
            error = _("The mobile number or the password is wrong.")
        else:
            attempt.succeeded()
            start_session(user)
            db.session.commit()
            return redirect(next_url or url_for("home.index"))
    return render_template("auth/login.html", form=form, error=error)


@bp.post("/logout")
@public  # a stale tab whose session is already revoked may still log out without a detour
def logout():
    end_session()
    db.session.commit()
    flash(_("You are logged out."), "info")
    return redirect(url_for("home.index"))


@bp.route("/password", methods=["GET", "POST"])
@requires()
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        attempt = throttle.password_change_attempt(user.id)
        if not attempt.allowed:
            return throttle.too_many_attempts()
        try:
            services.change_password(user, form.current_password.data, form.new_password.data)
        except DomainError as error:
            if error.field != "current_password":  # the current password was right
                attempt.succeeded()
            show_error(error, form)
        else:
            attempt.succeeded()
            revoke_other_sessions(user)
            rotate_session(user)
            db.session.commit()
            flash(_("Your password is changed. Other devices have been logged out."), "success")
            return redirect(url_for("home.index"))
    return render_template("auth/change_password.html", form=form)


def account_actions(user) -> list[HomeAction]:
    return [
        HomeAction(
            title=_("Change password"),
            description=_("Choose a new password; other devices will be logged out."),
            url=url_for("auth.change_password"),
        ),
        HomeAction(
            title=_("Language"),
            description=_("Show the site in Chinese or English."),
            url=url_for("home.set_language"),
        ),
    ]
