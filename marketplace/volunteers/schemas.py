"""The "download my data" export (PIPL art. 45): everything held about the person."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields


class _Strict(Schema):
    class Meta:
        unknown = RAISE
        ordered = True


class AccountSchema(_Strict):
    id = fields.Integer()
    phone = fields.String()
    display_name = fields.String()
    locale = fields.String(allow_none=True)
    created_at = fields.DateTime()
    password_changed_at = fields.DateTime()


class RoleGrantSchema(_Strict):
    role = fields.String()
    organization_id = fields.Integer(allow_none=True)
    street_id = fields.Integer(allow_none=True)
    district_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()


class ProfileExportSchema(_Strict):
    volunteer_no = fields.String()
    real_name = fields.String()
    id_number = fields.String()
    birth_date = fields.Date()
    gender = fields.String()
    skills = fields.List(fields.String())
    languages = fields.List(fields.String())
    slots = fields.List(fields.String())
    social_worker = fields.Boolean()
    sw_certificate_no = fields.String(allow_none=True)
    community_id = fields.Integer(allow_none=True)
    community = fields.Function(lambda p: p.community.name if p.community else None)
    grid_id = fields.Integer(allow_none=True)
    grid = fields.Function(lambda p: p.grid.name if p.grid else None)
    lat = fields.Float(allow_none=True)
    lon = fields.Float(allow_none=True)
    hours_per_week = fields.Float()
    max_km = fields.Float()
    max_teams = fields.Integer()
    automated_matching = fields.Boolean()
    is_minor = fields.Boolean()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class ConsentSchema(_Strict):
    purpose = fields.String()
    text_version = fields.String()
    given_at = fields.DateTime()
    withdrawn_at = fields.DateTime(allow_none=True)
    guardian_name = fields.String(allow_none=True)
    guardian_relation = fields.String(allow_none=True)


class MembershipSchema(_Strict):
    team_id = fields.Integer()
    team = fields.Function(lambda m: m.team.name)
    organization = fields.Function(lambda m: m.team.organization.name)
    state = fields.String()
    is_leader = fields.Boolean()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class AuditEntrySchema(_Strict):
    created_at = fields.DateTime()
    action = fields.String()
    actor_role = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)


class DataExportSchema(_Strict):
    format = fields.String()
    exported_at = fields.DateTime()
    account = fields.Nested(AccountSchema)
    role_grants = fields.List(fields.Nested(RoleGrantSchema))
    volunteer_profile = fields.Nested(ProfileExportSchema, allow_none=True)
    consents = fields.List(fields.Nested(ConsentSchema))
    team_memberships = fields.List(fields.Nested(MembershipSchema))
    audit_records = fields.List(fields.Nested(AuditEntrySchema))
