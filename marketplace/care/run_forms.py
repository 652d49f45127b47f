"""Forms of matching runs and their review (CSRF on every button)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField
from wtforms.validators import InputRequired, NumberRange

from marketplace.bounds import IdField
from marketplace.care.runs import DEFAULT_TIME_LIMIT_S, MAX_TIME_LIMIT_S, MIN_TIME_LIMIT_S


class ActionForm(FlaskForm):
    """A button: offer, apply, cancel, accept, decline."""


class StartRunForm(FlaskForm):
    scope = SelectField(_l("Households to match"), validators=[InputRequired()])
    time_limit_s = IntegerField(
        _l("Time limit (seconds)"), default=DEFAULT_TIME_LIMIT_S,
        validators=[InputRequired(), NumberRange(MIN_TIME_LIMIT_S, MAX_TIME_LIMIT_S)])


class RematchForm(FlaskForm):
    care_request_id = IdField(validators=[InputRequired()])
