"""The hours sections of the own-data download."""

from __future__ import annotations

from marshmallow import fields

from marketplace.contributions import ExportSchema
from marketplace.schema_fields import UtcDateTime


class HoursEntrySchema(ExportSchema):
    id = fields.Integer()
    organization = fields.Function(lambda e: e.organization.name)
    project = fields.Function(lambda e: e.project.title if e.project else None)
    service_date = fields.Date()
    minutes = fields.Integer()
    kind = fields.String()
    source = fields.String()
    state = fields.String()
    corrects_id = fields.Integer(allow_none=True)
    reject_reason = fields.String(allow_none=True)
    verified_at = UtcDateTime(allow_none=True)


class CertificateSchema(ExportSchema):
    serial = fields.String()
    check_code = fields.String()
    organization = fields.Function(lambda c: c.organization.name)
    period_from = fields.Date()
    period_to = fields.Date()
    total_minutes = fields.Integer()
    issued_at = UtcDateTime()


class InsuranceSchema(ExportSchema):
    insurer = fields.String()
    policy_no = fields.String()
    valid_from = fields.Date()
    valid_until = fields.Date()
