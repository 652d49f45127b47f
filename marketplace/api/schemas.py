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
from marketplace.privacy.masking import mask_name, mask_phone
from marketplace.schema_fields import UtcDateTime
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
    starts_at = UtcDateTime(required=True)
    ends_at = UtcDateTime(required=True)
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
    created_at = UtcDateTime(required=True)
    cancelled_at = UtcDateTime(allow_none=True)


# --- teams -------------------------------------------------------------------------------


class TeamSchema(ma.Schema):
    id = fields.Integer(required=True)
    organization_id = fields.Integer(required=True)
    kind = fields.String(required=True)
    name = fields.String(required=True)
    description = fields.String(required=True)


class MemberSchema(ma.Schema):
    membership_id = fields.Integer(required=True)
    name = fields.String(required=True, metadata={"description": "shortened unless the viewer "
                                                  "leads the team or works for its organization"})
    is_leader = fields.Boolean(required=True)
    state = fields.String(required=True)
    actions = fields.List(fields.String(), required=True)


class TeamPageSchema(ma.Schema):
    team = fields.Nested(TeamSchema, required=True)
    members = fields.List(fields.Nested(MemberSchema), required=True)
    full_names = fields.Boolean(required=True)
    may_apply = fields.Boolean(required=True)
    my_state = fields.Function(lambda page: page.mine.state if page.mine else None,
                               allow_none=True, required=True)


class MembershipSchema(ma.Schema):
    id = fields.Integer(required=True)
    team_id = fields.Integer(required=True)
    state = fields.String(required=True)
    is_leader = fields.Boolean(required=True)


class Empty(Input):
    """Nothing to send."""


# --- own volunteer profile ----------------------------------------------------------------


class ProfileSchema(ma.Schema):
    volunteer_no = fields.String(required=True)
    real_name = fields.String(required=True)
    id_number = fields.String(attribute="masked_id_number", required=True,
                                metadata={"description": "masked"})
    birth_date = fields.Date(required=True)
    gender = fields.String(required=True)
    skills = fields.List(fields.String(), required=True)
    languages = fields.List(fields.String(), required=True)
    slots = fields.List(fields.String(), required=True)
    community_id = fields.Integer(allow_none=True, required=True)
    grid_id = fields.Integer(allow_none=True, required=True)
    hours_per_week = fields.Float(required=True)
    max_km = fields.Float(required=True)
    max_teams = fields.Integer(required=True)
    automated_matching = fields.Boolean(required=True)


# --- hours and certificates ---------------------------------------------------------------


class HoursEntrySchema(ma.Schema):
    id = fields.Integer(required=True)
    volunteer_id = fields.Integer(required=True)
    organization_id = fields.Integer(required=True)
    project_id = fields.Integer(allow_none=True, required=True)
    service_date = fields.Date(required=True)
    minutes = fields.Integer(required=True)
    kind = fields.String(required=True)
    source = fields.String(required=True)
    state = fields.String(required=True)
    corrects_id = fields.Integer(allow_none=True, required=True)
    reject_reason = fields.String(allow_none=True, required=True)
    verified_at = UtcDateTime(allow_none=True, required=True)


class HoursRejection(Input):
    reason = text(500, required=True, multiline=True)


class CertificateQuery(Input):
    serial = fields.String(required=True, validate=validate.Length(min=1, max=64))
    code = fields.String(required=True, validate=validate.Length(min=1, max=64))


class CertificateCheckSchema(ma.Schema):
    masked_name = fields.String(required=True)
    period_from = fields.Date(required=True)
    period_to = fields.Date(required=True)
    total_hours = fields.Float(required=True)
    issuer = fields.String(required=True)
    serial = fields.String(required=True)


# --- households, care requests, matching runs --------------------------------------------


class PersonSchema(ma.Schema):
    name = fields.Function(lambda person: mask_name(person.name), required=True)
    birth_year = fields.Integer(allow_none=True, required=True)
    relation = fields.String(required=True)
    phone = fields.Function(lambda person: mask_phone(person.phone) if person.phone else None,
                            allow_none=True, required=True)


class HouseholdSchema(ma.Schema):
    """Masked: names shortened, phones masked; no address and no health note."""

    id = fields.Integer(required=True)
    pseudonym = fields.String(required=True)
    organization_id = fields.Integer(required=True)
    community_id = fields.Integer(required=True)
    grid_id = fields.Integer(allow_none=True, required=True)
    state = fields.String(required=True)
    priority = fields.Function(lambda h: h.priority_override or h.priority, required=True)
    flags = fields.List(fields.String(), required=True)
    needs = fields.List(fields.String(), required=True)
    languages = fields.List(fields.String(), required=True)
    hours_per_week = fields.Float(required=True)
    visits_per_week = fields.Integer(required=True)
    persons = fields.List(fields.Nested(PersonSchema), required=True)


class StreetCountsSchema(ma.Schema):
    """Counts under the small-numbers threshold are shown as "<5"."""

    street = fields.String(required=True)
    households = fields.Function(lambda row: row.shown(row.households), required=True)
    by_state = fields.Function(
        lambda row: {state: row.shown(n) for state, n in row.by_state.items()}, required=True)


class CareRequestSchema(ma.Schema):
    id = fields.Integer(required=True)
    household_id = fields.Integer(required=True)
    title = fields.String(required=True)
    team_size = fields.Integer(required=True)
    skills = fields.List(fields.String(), required=True)
    languages = fields.List(fields.String(), required=True)
    needs_social_worker = fields.Boolean(required=True)
    slots = fields.List(fields.String(), required=True)
    hours_per_week = fields.Float(required=True)
    visits_per_week = fields.Integer(required=True)
    priority = fields.Integer(required=True)
    state = fields.String(required=True)
    created_at = UtcDateTime(required=True)


class RunStart(Input):
    scope_kind = fields.String(required=True, validate=validate.OneOf(
        ["organization", "street", "district", "request"]))
    scope_id = ids(required=True)
    time_limit_s = fields.Float(load_default=30.0, validate=validate.Range(1, 600))


class RunSchema(ma.Schema):
    id = fields.Integer(required=True)
    scope_kind = fields.String(required=True)
    scope_id = fields.Integer(required=True)
    organization_id = fields.Integer(allow_none=True, required=True)
    state = fields.String(required=True)
    created_at = UtcDateTime(required=True)
    finished_at = UtcDateTime(allow_none=True, required=True)


class RunProgressSchema(ma.Schema):
    state = fields.String(required=True)
    state_label = fields.String(required=True)
    phase = fields.String(required=True)
    phase_label = fields.String(required=True)
    elapsed_s = fields.Float(required=True)
    time_limit_s = fields.Float(required=True)
    best_score = fields.Integer(allow_none=True, required=True)
    bound = fields.Integer(allow_none=True, required=True)
    percent = fields.Integer(required=True)
    finished = fields.Boolean(required=True)
    error = fields.String(allow_none=True, required=True)


class ProposalSchema(ma.Schema):
    id = fields.Integer(required=True)
    care_request_id = fields.Integer(required=True)
    household_id = fields.Integer(required=True)
    state = fields.String(required=True)
    expires_at = UtcDateTime(allow_none=True, required=True)
    member_count = fields.Function(lambda proposal: len(proposal.members), required=True)


class RunResultSchema(ma.Schema):
    run = fields.Nested(RunSchema, required=True)
    proposals = fields.List(fields.Nested(ProposalSchema), required=True, metadata={
        "description": "the proposals the viewer reviews; none for an official"})


class OfferSchema(ma.Schema):
    offered = fields.Integer(required=True)


# --- contracts and KPIs -------------------------------------------------------------------


class ContractSchema(ma.Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    buyer_district_id = fields.Integer(required=True)
    buyer_street_id = fields.Integer(allow_none=True, required=True)
    organization_id = fields.Integer(required=True)
    domain = fields.String(required=True)
    budget = fields.String(required=True, metadata={"description": "yuan, as a decimal string"})
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    state = fields.String(required=True)
    version = fields.Integer(required=True)


class KpiSchema(ma.Schema):
    """``actual`` as officials and the public see it: small counts suppressed."""

    kpi = fields.String(required=True)
    target = fields.Float(required=True)
    actual = fields.String(required=True, attribute="shown_actual")
    achieved_pct = fields.Float(required=True)
    elapsed_pct = fields.Float(required=True)
    lags = fields.Boolean(required=True)
