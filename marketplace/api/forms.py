"""The personal access token form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from marketplace.api.tokens import EXPIRY_DAYS, NAME_LENGTH
from marketplace.text import CleanText


class TokenForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[
            DataRequired(_l("Name: give the token a name you will recognise.")),
            Length(max=NAME_LENGTH, message=_l("Token name: use at most 50 characters.")),
            CleanText(required=True),
        ],
        description=_l("What the token is for, e.g. the program that uses it."),
    )
    expires_in_days = SelectField(
        _l("Valid for"),
        coerce=int,
        choices=[(days, _l("%(days)d days", days=days)) for days in EXPIRY_DAYS],
        default=30,
        validate_choice=True,
    )


class RevokeForm(FlaskForm):
    """CSRF only."""
