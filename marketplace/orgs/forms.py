from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from marketplace.bounds import form_id
from marketplace.extensions import db
from marketplace.geo.models import Community, District, Street
from marketplace.orgs import labels
from marketplace.orgs.models import OrgCategory, ServiceDomain
from marketplace.orgs.services import REGISTRABLE_FORMS, OrgData
from marketplace.text import CleanText


class OrganizationForm(FlaskForm):
    name = StringField(
        _l("Name"), validators=[DataRequired(), Length(max=100), CleanText(required=True)]
    )
    legal_form = SelectField(
        _l("Legal form"),
        choices=[(f.value, labels.LEGAL_FORM[f]) for f in REGISTRABLE_FORMS],
        validators=[InputRequired()],
        description=_l(
            "Community social organizations are filed with the street office and need no "
            "credit code; a foundation is registered by the province or the ministry and "
            "recorded here."
        ),
    )
    category = SelectField(
        _l("Service category"),
        choices=[(c.value, labels.CATEGORY[c]) for c in OrgCategory],
        validators=[InputRequired()],
    )
    uscc = StringField(
        _l("Unified social credit code"),
        validators=[Optional(), Length(max=24)],
        description=_l("18 characters, as printed on the registration certificate."),
    )
    district_id = SelectField(
        _l("Registering district"), coerce=form_id, validators=[InputRequired()]
    )
    street_id = SelectField(
        _l("Street office"),
        coerce=form_id,
        validators=[Optional()],
        description=_l("Required for community social organizations."),
    )
    community_ids = SelectMultipleField(_l("Communities served"), coerce=form_id)
    contact_name = StringField(
        _l("Contact person"), validators=[Optional(), Length(max=50), CleanText()]
    )
    contact_phone = StringField(_l("Contact phone"), validators=[Optional(), Length(max=20)])
    domains = SelectMultipleField(
        _l("Service domains"), choices=[(d.value, labels.DOMAIN[d]) for d in ServiceDomain]
    )
    profile = TextAreaField(
        _l("Short profile"),
        validators=[Optional(), Length(max=2000), CleanText(multiline=True)],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.district_id.choices = [
            (d.id, d.name) for d in db.session.scalars(select(District).order_by(District.id))
        ]
        streets = db.session.scalars(select(Street).order_by(Street.district_id, Street.id))
        self.street_id.choices = [(None, _l("— none —"))] + [(s.id, s.name) for s in streets]
        self.community_ids.choices = [
            (c.id, c.name)
            for c in db.session.scalars(select(Community).order_by(Community.id))
        ]

    def data_object(self) -> OrgData:
        return OrgData(
            name=self.name.data or "",
            legal_form=self.legal_form.data,
            category=self.category.data,
            district_id=self.district_id.data,
            street_id=self.street_id.data,
            uscc=self.uscc.data or "",
            community_ids=list(self.community_ids.data or []),
            contact_name=self.contact_name.data or "",
            contact_phone=self.contact_phone.data or "",
            domains=list(self.domains.data or []),
            profile=self.profile.data or "",
        )


class DecisionForm(FlaskForm):
    # Filled by the pressed button (name="action"), so not rendered as a field.
    action = StringField(validators=[DataRequired()])
    reason = TextAreaField(
        _l("Reason"),
        validators=[Optional(), Length(max=1000), CleanText(multiline=True)],
        description=_l("Required to return, suspend or deregister; the organization sees it."),
    )


class ConfirmForm(FlaskForm):
    """An action with nothing to fill in: only the CSRF token."""
