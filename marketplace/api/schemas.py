"""What the API reads and answers. Input schemas refuse unknown fields (``unknown=RAISE``), so
a field a client may not set (a state, a role, an organization, seats taken) is an error, not
silently dropped; output schemas show only what the services let the viewer see."""

from __future__ import annotations

import marshmallow as ma
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import fields, validate

from marketplace.bounds import MAX_ID, MAX_PAGE
from marketplace.orgs.services import contact_phone_for
from marketplace.text import forbidden_character, visible_length


class Input(ma.Schema):
    class Meta:
        unknown = ma.RAISE


def clean_text(required: bool = False, multiline: bool = False):
    """``text.CleanText``'s rule for API fields: no control or direction-override characters,
    and something visible when required."""

    def check(value: str) -> None:
        if forbidden_character(value, multiline) is not None:
            raise ma.ValidationError(
                _("Remove the invisible control or text-direction characters."))
        if required and visible_length(value) == 0:
            raise ma.ValidationError(_("Enter text that can be read, not only spaces or "
                                       "invisible characters."))

    return check


def text(max_length: int, required: bool = False, multiline: bool = False, **kwargs):
    return fields.String(
        required=required,
        validate=[validate.Length(max=max_length), clean_text(required, multiline)], **kwargs)


def ids(**kwargs):
    return fields.Integer(validate=validate.Range(1, MAX_ID), **kwargs)


MAX_PER_PAGE = 100


# --- organizations -------------------------------------------------------------------------


class PageQuery(Input):
    """``page`` (clamped to the last page) and a bounded ``per_page``."""

    page = fields.Integer(load_default=1, validate=validate.Range(1, MAX_PAGE))
    per_page = fields.Integer(load_default=20, validate=validate.Range(1, MAX_PER_PAGE))


class OrgQuery(PageQuery):
    q = text(100, load_default="")


class OrganizationSchema(ma.Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    legal_form = fields.String(required=True)
    category = fields.String(required=True)
    status = fields.String(required=True)
    district_id = fields.Integer(required=True)
    street_id = fields.Integer(allow_none=True)
    domains = fields.List(fields.String(), required=True)
    community_ids = fields.Method("_community_ids", required=True)
    profile = fields.String(required=True)
    contact_name = fields.String(required=True)
    contact_phone = fields.Method("_contact_phone", required=True,
                                  metadata={"description": "masked unless the viewer is staff"})

    def _community_ids(self, org) -> list[int]:
        return [community.id for community in org.communities]

    def _contact_phone(self, org) -> str:
        return contact_phone_for(current_user, org)


# --- projects, shifts, sign-ups ------------------------------------------------------------


class ProjectSchema(ma.Schema):
    id = fields.Integer(required=True)
    organization_id = fields.Integer(required=True)
    title = fields.String(required=True)
    domain = fields.String(required=True)
    community_id = fields.Integer(allow_none=True)
    street_id = fields.Integer(allow_none=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(allow_none=True)
    fee_type = fields.String(required=True)
    description = fields.String(required=True)
    beneficiaries = fields.String(required=True)
    state = fields.String(required=True)


class ShiftQuery(PageQuery):
    date = fields.Date()
    domain = fields.String(validate=validate.Length(max=40))
    skill = fields.String(validate=validate.Length(max=40))
    language = fields.String(validate=validate.Length(max=40))
    community = ids()


class ShiftSchema(ma.Schema):
    id = fields.Integer(required=True)
    project_id = fields.Integer(required=True)
    project_title = fields.Function(lambda shift: shift.project.title, required=True)
    organization_id = fields.Function(lambda shift: shift.project.organization_id,
                                      required=True)
    starts_at = fields.DateTime(required=True)
    ends_at = fields.DateTime(required=True)
    community_id = fields.Integer(required=True)
    address = fields.String(required=True)
    lat = fields.Float(required=True)
    lon = fields.Float(required=True)
    seats = fields.Integer(required=True)
    seats_taken = fields.Integer(required=True)
    skills = fields.List(fields.String(), required=True)
    languages = fields.List(fields.String(), required=True)
    min_age = fields.Integer(required=True)
    risky = fields.Boolean(required=True)
    state = fields.String(required=True)
    note = fields.String(required=True)


class SignUpCreate(Input):
    shift_id = ids(required=True)


class SignUpCancel(Input):
    """Nothing to send: a volunteer's own cancellation carries no reason."""


class SignUpSchema(ma.Schema):
    id = fields.Integer(required=True)
    shift_id = fields.Integer(required=True)
    state = fields.String(required=True)
    waitlist_position = fields.Integer(allow_none=True, required=True)
    late_cancel = fields.Boolean(required=True)
    created_at = fields.DateTime(required=True)
    cancelled_at = fields.DateTime(allow_none=True)
