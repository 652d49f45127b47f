"""The volunteer's sections of the own-data download (PIPL art. 45)."""

from __future__ import annotations

from marshmallow import fields

from marketplace.contributions import ExportSchema
from marketplace.schema_fields import UtcDateTime


class ProfileExportSchema(ExportSchema):
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
    created_at = UtcDateTime()
    updated_at = UtcDateTime()



class AuditEntrySchema(ExportSchema):
    created_at = UtcDateTime()
    action = fields.String()
    actor_role = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)

