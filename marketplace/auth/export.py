"""The account's sections of the own-data download (PIPL art. 45)."""

from __future__ import annotations

from marshmallow import fields

from marketplace.contributions import ExportSchema
from marketplace.schema_fields import UtcDateTime


class AccountSchema(ExportSchema):
    id = fields.Integer()
    phone = fields.String()
    display_name = fields.String()
    locale = fields.String(allow_none=True)
    created_at = UtcDateTime()
    password_changed_at = UtcDateTime()



class RoleGrantSchema(ExportSchema):
    role = fields.String()
    organization_id = fields.Integer(allow_none=True)
    street_id = fields.Integer(allow_none=True)
    district_id = fields.Integer(allow_none=True)
    created_at = UtcDateTime()



def account_sections(user) -> dict[str, object]:
    return {
        "account": AccountSchema().dump(user),
        "role_grants": RoleGrantSchema(many=True).dump(user.grants),
    }
