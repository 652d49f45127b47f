"""HTML forms for accounts. Rules on phones and passwords live in the services; these forms
only make sure something was typed."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from marketplace.text import CleanText

_PHONE_RENDER = {"inputmode": "tel", "autocomplete": "tel"}


class RegisterForm(FlaskForm):
    phone = StringField(
        _l("Mobile number"),
        validators=[DataRequired(_l("Mobile number: please enter your mobile number."))],
        render_kw=_PHONE_RENDER,
    )
    display_name = StringField(
        _l("What should we call you?"),
        validators=[
            DataRequired(_l("Name: please tell us what to call you.")),
            Length(max=50, message=_l("Name: use at most 50 characters.")),
            CleanText(required=True),
        ],
        render_kw={"autocomplete": "nickname"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Password: please choose a password."))],
        description=_l("At least 8 characters; Chinese characters are fine."),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat password"),
        validators=[
            DataRequired(_l("Repeat password: please type the password again.")),
            EqualTo("password", _l("Repeat password: the two passwords differ.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class LoginForm(FlaskForm):
    phone = StringField(
        _l("Mobile number"),
        validators=[DataRequired(_l("Mobile number: please enter your mobile number."))],
        render_kw=_PHONE_RENDER,
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Password: please enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Current password: please enter it."))],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("New password: please choose one."))],
        description=_l("At least 8 characters; Chinese characters are fine."),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat new password"),
        validators=[
            DataRequired(_l("Repeat new password: please type it again.")),
            EqualTo("new_password", _l("Repeat new password: the two passwords differ.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
