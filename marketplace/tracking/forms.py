"""Forms of the contract pages (HTML edge only; the services hold the rules)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DecimalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from marketplace.bounds import form_id
from marketplace.orgs import labels as org_labels
from marketplace.orgs.models import ServiceDomain
from marketplace.text import CleanText
from marketplace.tracking import labels
from marketplace.tracking.models import Kpi, MilestoneState

TARGET_FIELDS = {kpi: f"target_{kpi.value}" for kpi in Kpi}


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class ActionForm(FlaskForm):
    """A button that changes something: the CSRF token is its only field."""


class ContractForm(FlaskForm):
    title = StringField(_l("Title"), validators=[CleanText(required=True), Length(max=100)])
    buyer = SelectField(_l("Buyer"), validate_choice=False)
    organization_id = SelectField(_l("Contractor"), coerce=form_id, validate_choice=False)
    domain = SelectField(_l("Service domain"), choices=[
        (domain.value, org_labels.DOMAIN[domain]) for domain in ServiceDomain
    ])
    budget = DecimalField(_l("Budget (yuan)"), places=2,
                          validators=[InputRequired(), NumberRange(min=0.01)])
    starts_on = DateField(_l("First day"), validators=[InputRequired()])
    ends_on = DateField(_l("Last day"), validators=[InputRequired()])
    target_flags = MultiCheckboxField(
        _l("Households targeted (beneficiary rate)"), validate_choice=False,
        description=_l("None chosen: every household of the contract's care requests."))
    reason = TextAreaField(
        _l("Why the signed contract changes"),
        validators=[Optional(), CleanText(multiline=True), Length(max=1000)],
        description=_l("Needed once the contract is signed; kept with the version."))


for _kpi, _name in TARGET_FIELDS.items():
    setattr(ContractForm, _name, DecimalField(
        labels.KPI[_kpi], places=1, validators=[Optional(), NumberRange(min=0)],
        description=labels.KPI_HELP[_kpi],
    ))


class MilestoneForm(FlaskForm):
    title = StringField(_l("Milestone"), validators=[CleanText(required=True), Length(max=100)])
    due_on = DateField(_l("Due on"), validators=[InputRequired()])
    tranche_amount = DecimalField(_l("Payment tranche (yuan)"), places=2,
                                  validators=[InputRequired(), NumberRange(min=0.01)])
    required_share = IntegerField(
        _l("KPI achievement required (%)"), default=100,
        validators=[Optional(), NumberRange(min=0, max=100)])
    reason = TextAreaField(_l("Why the signed contract changes"),
                           validators=[Optional(), CleanText(multiline=True), Length(max=1000)])


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[CleanText(required=True, multiline=True),
                                                     Length(max=1000)])


class LinkProjectForm(FlaskForm):
    project_id = SelectField(_l("Project"), coerce=form_id, validate_choice=False)


class LinkRequestForm(FlaskForm):
    request_id = SelectField(_l("Care request"), coerce=form_id, validate_choice=False)


class EvaluationForm(FlaskForm):
    score = IntegerField(_l("Score (0-100)"),
                         validators=[Optional(), NumberRange(min=0, max=100)])
    comment = TextAreaField(_l("Assessment"), validators=[CleanText(required=True,
                                                                    multiline=True),
                                                          Length(max=4000)])


class PaymentForm(FlaskForm):
    decision = SelectField(_l("Decision"), choices=[
        (state.value, labels.MILESTONE_STATE[state])
        for state in (MilestoneState.PAID, MilestoneState.PART_PAID, MilestoneState.WITHHELD)
    ])
    amount = DecimalField(_l("Amount paid (yuan), for a part payment"), places=2,
                          validators=[Optional(), NumberRange(min=0)])
    reason = TextAreaField(_l("Reason (needed to part-pay or withhold)"),
                           validators=[Optional(), CleanText(multiline=True), Length(max=1000)])


class EvaluatorForm(FlaskForm):
    phone = StringField(_l("Evaluator's phone number"),
                        validators=[CleanText(required=True), Length(max=11)])


class WhatIfForm(FlaskForm):
    kind = SelectField(_l("What to add"), choices=[
        ("volunteers", _l("More volunteers")), ("hours", _l("More hours from every volunteer")),
        ("households", _l("A contract funds more households")),
    ])
    amount = IntegerField(_l("How many (volunteers, hours a week or households)"),
                          validators=[InputRequired(), NumberRange(min=1, max=5000)])
    language = SelectField(_l("Speaking (for more volunteers)"), choices=[
        ("", "—"), ("ug", "ئۇيغۇرچە ug"), ("kk", "қазақша kk"), ("mn", "ᠮᠣᠩᠭᠣᠯ mn"),
        ("en", "English en"), ("zh", "中文 zh"),
    ], validate_choice=False)
    contract_id = SelectField(_l("Contract (for more households)"), coerce=form_id,
                              validate_choice=False, validators=[Optional()])
    street_id = SelectField(_l("Where"), coerce=form_id, validate_choice=False,
                            validators=[Optional()])
