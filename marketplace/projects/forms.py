"""HTML forms of projects and shifts; the services check every rule again."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    FloatField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from marketplace.bounds import form_id
from marketplace.extensions import db
from marketplace.geo.models import Community, Street
from marketplace.orgs.models import ServiceDomain
from marketplace.projects import labels
from marketplace.projects.feedback import FollowUpData
from marketplace.projects.models import FeeType, FollowUpAnswer, FollowUpChannel
from marketplace.projects.services import ProjectData, ShiftData
from marketplace.text import CleanText
from marketplace.volunteers.codes import LANGUAGES, SKILLS

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _community_choices():
    return [(None, _l("— none —"))] + [
        (c.id, c.name) for c in db.session.scalars(select(Community).order_by(Community.id))
    ]


class ProjectForm(FlaskForm):
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=100),
                                                CleanText(required=True)])
    domain = SelectField(
        _l("Service domain"), choices=[(d.value, labels.DOMAIN[d]) for d in ServiceDomain],
        validators=[InputRequired()], validate_choice=False,
    )
    community_id = SelectField(_l("Community"), coerce=form_id, validators=[Optional()],
                               validate_choice=False)
    street_id = SelectField(
        _l("Or a whole street"), coerce=form_id, validators=[Optional()],
        validate_choice=False,
        description=_l("Choose a community, or a street when the project serves all of it."),
    )
    starts_on = DateField(_l("First day"), validators=[InputRequired()])
    ends_on = DateField(_l("Last day"), validators=[Optional()])
    fee_type = RadioField(
        _l("Charges"), choices=[(f.value, labels.FEE_TYPE[f]) for f in FeeType],
        default=FeeType.FREE.value, validators=[InputRequired()], validate_choice=False,
        description=_l("Only free service counts as volunteer hours."),
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=4000),
                                                             CleanText(multiline=True)])
    beneficiaries = TextAreaField(
        _l("Who benefits"), validators=[Optional(), Length(max=500), CleanText(multiline=True)],
        description=_l("For example: elderly people living alone in the community."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.community_id.choices = _community_choices()
        self.street_id.choices = [(None, _l("— none —"))] + [
            (s.id, s.name) for s in db.session.scalars(select(Street).order_by(Street.id))
        ]

    def data_object(self) -> ProjectData:
        return ProjectData(
            title=self.title.data or "", domain=self.domain.data or "",
            community_id=self.community_id.data, street_id=self.street_id.data,
            starts_on=self.starts_on.data, ends_on=self.ends_on.data,
            fee_type=self.fee_type.data or "", description=self.description.data or "",
            beneficiaries=self.beneficiaries.data or "",
        )


class ShiftForm(FlaskForm):
    starts_at = DateTimeLocalField(
        _l("Starts (Beijing time)"), format=DATETIME_FORMAT, validators=[InputRequired()]
    )
    ends_at = DateTimeLocalField(
        _l("Ends (Beijing time)"), format=DATETIME_FORMAT, validators=[InputRequired()]
    )
    community_id = SelectField(_l("Community"), coerce=form_id,
                               validators=[InputRequired()], validate_choice=False)
    address = StringField(_l("Address"), validators=[Optional(), Length(max=200), CleanText()])
    lat = FloatField(_l("Latitude"), validators=[Optional()],
                     description=_l("Leave empty to use the community's centre."))
    lon = FloatField(_l("Longitude"), validators=[Optional()])
    seats = IntegerField(_l("Seats"), validators=[InputRequired(), NumberRange(1, 500)])
    skills = SelectMultipleField(
        _l("Required skills"), choices=[(c, label) for c, label in SKILLS.items()],
        validate_choice=False,
        description=_l("Only volunteers with every skill chosen here can sign up."),
    )
    languages = SelectMultipleField(
        _l("Useful languages"), choices=[(c, label) for c, label in LANGUAGES.items()],
        validate_choice=False,
        description=_l("Shown to volunteers; anyone may still sign up."),
    )
    min_age = IntegerField(_l("Minimum age"), default=0,
                           validators=[Optional(), NumberRange(0, 100)])
    risky = BooleanField(
        _l("Carries risks (accident insurance required)"),
        description=_l("Volunteers need accident insurance on record for the date "
                       "(Volunteer Service Regulations, art. 17)."),
    )
    leader_volunteer_no = StringField(
        _l("Leader's volunteer number"), validators=[Optional(), Length(max=16), CleanText()],
        description=_l("The leader shows the check-in code and keeps the roster."),
    )
    note = TextAreaField(_l("What to bring, where to meet"),
                         validators=[Optional(), Length(max=2000), CleanText(multiline=True)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.community_id.choices = _community_choices()[1:]

    def data_object(self) -> ShiftData:
        return ShiftData(
            starts_at=self.starts_at.data, ends_at=self.ends_at.data,
            community_id=self.community_id.data, seats=self.seats.data,
            address=self.address.data or "", lat=self.lat.data, lon=self.lon.data,
            skills=list(self.skills.data or []), languages=list(self.languages.data or []),
            min_age=self.min_age.data or 0, risky=bool(self.risky.data),
            leader_volunteer_no=self.leader_volunteer_no.data or "",
            note=self.note.data or "",
        )


class ConfirmForm(FlaskForm):
    """An action with nothing to fill in: only the CSRF token."""


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"),
                           validators=[Optional(), Length(max=500), CleanText(multiline=True)],
                           description=_l("Everyone signed up is told."))


class FeedbackForm(FlaskForm):
    rating = RadioField(_l("Rating"), choices=[(str(n), "★" * n) for n in range(1, 6)],
                        validators=[InputRequired()])
    comment = TextAreaField(_l("Comment"),
                            validators=[Optional(), Length(max=1000), CleanText(multiline=True)])


class BeneficiaryForm(FlaskForm):
    beneficiary_count = IntegerField(_l("People served"),
                                     validators=[InputRequired(), NumberRange(0, 100_000)])


class FollowUpForm(FlaskForm):
    asked_person = StringField(
        _l("Who was asked"), validators=[InputRequired(), Length(max=100),
                                         CleanText(required=True)],
        description=_l("A description, not a name: for example, an elderly resident's daughter."),
    )
    channel = RadioField(_l("How"), choices=[(c.value, labels.CHANNEL[c]) for c in FollowUpChannel],
                         validators=[InputRequired()], validate_choice=False)
    answer = RadioField(_l("Answer"), choices=[(a.value, labels.ANSWER[a]) for a in FollowUpAnswer],
                        validators=[InputRequired()], validate_choice=False)
    independent = BooleanField(_l("Asked by someone outside the team that served"))
    note = TextAreaField(_l("Note"),
                         validators=[Optional(), Length(max=1000), CleanText(multiline=True)])

    def data_object(self) -> FollowUpData:
        return FollowUpData(
            asked_person=self.asked_person.data or "", channel=self.channel.data or "",
            answer=self.answer.data or "", independent=bool(self.independent.data),
            note=self.note.data or "",
        )
