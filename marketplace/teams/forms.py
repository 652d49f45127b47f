from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from marketplace.teams import labels
from marketplace.teams.models import TeamKind
from marketplace.text import CleanText


class ReasonForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason"), validators=[Optional(), Length(max=1000), CleanText(multiline=True)]
    )


class TeamForm(FlaskForm):
    name = StringField(
        _l("Team name"), validators=[DataRequired(), Length(max=100), CleanText(required=True)]
    )
    kind = SelectField(
        _l("Kind of team"),
        choices=[(k.value, labels.TEAM_KIND[k]) for k in TeamKind],
        validators=[InputRequired()],
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Optional(), Length(max=2000), CleanText(multiline=True)],
    )


class InviteForm(FlaskForm):
    volunteer_id = StringField(
        _l("Volunteer profile number"),
        validators=[DataRequired(), Length(max=20)],
        description=_l("The number shown on the volunteer's profile page."),
    )
