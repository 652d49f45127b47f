"""Forms of the hours pages. Hours are typed as hours (2.5) and stored as minutes."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from marketplace.bounds import form_id
from marketplace.text import CleanText


def minutes_of(hours: Decimal | None) -> int:
    return int((hours or Decimal(0)) * 60 + Decimal("0.5"))


class ActionForm(FlaskForm):
    """A button that changes something: the CSRF token is its only field."""


class RejectForm(FlaskForm):
    reason = TextAreaField(_l("Reason"),
                           validators=[CleanText(required=True, multiline=True), Length(max=500)],
                           description=_l("The volunteer sees this reason."))


def _hours_field(label, minimum: float):
    return DecimalField(
        label, places=2,
        validators=[InputRequired(), NumberRange(min=minimum, max=24)],
        description=_l("In hours, e.g. 2.5 for two and a half hours; travel does not count."),
    )


class ManualEntryForm(FlaskForm):
    volunteer_no = StringField(_l("Volunteer number"),
                               validators=[CleanText(required=True), Length(max=16)])
    service_date = DateField(_l("Date of service"), validators=[InputRequired()])
    hours = _hours_field(_l("Service time"), 0.1)
    project_id = SelectField(_l("Project"), coerce=form_id, validators=[Optional()])


class CorrectionForm(FlaskForm):
    hours = _hours_field(_l("Corrected service time"), 0)
    note = TextAreaField(_l("What is corrected and why"),
                         validators=[CleanText(required=True, multiline=True), Length(max=500)])


class InsuranceForm(FlaskForm):
    volunteer_no = StringField(_l("Volunteer number"),
                               validators=[CleanText(required=True), Length(max=16)])
    insurer = StringField(_l("Insurer"), validators=[CleanText(required=True), Length(max=100)])
    policy_no = StringField(_l("Policy number"),
                            validators=[CleanText(required=True), Length(max=64)])
    valid_from = DateField(_l("Valid from"), validators=[InputRequired()])
    valid_until = DateField(_l("Valid until"), validators=[InputRequired()])


class CertificateRequestForm(FlaskForm):
    organization_id = SelectField(_l("Issuing organization"), coerce=form_id,
                                  validators=[InputRequired()])
    period_from = DateField(_l("From"), validators=[InputRequired()])
    period_to = DateField(_l("To"), validators=[InputRequired()])


class CertificateCheckForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form anyone may fill in, or open from the QR code

    serial = StringField(_l("Serial number"), validators=[CleanText(required=True), Length(max=32)])
    code = StringField(_l("Check code"), validators=[CleanText(required=True), Length(max=12)])
