"""The consents' section of the own-data download."""

from __future__ import annotations

from marshmallow import fields

from marketplace.contributions import ExportSchema
from marketplace.privacy.services import consents_of
from marketplace.schema_fields import UtcDateTime


class ConsentSchema(ExportSchema):
    purpose = fields.String()
    text_version = fields.String()
    given_at = UtcDateTime()
    withdrawn_at = UtcDateTime(allow_none=True)
    guardian_name = fields.String(allow_none=True)
    guardian_relation = fields.String(allow_none=True)



def consent_sections(user) -> dict[str, object]:
    return {"consents": ConsentSchema(many=True).dump(consents_of(user.id))}
