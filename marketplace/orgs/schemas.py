from __future__ import annotations

from marshmallow import RAISE, Schema, fields

from marketplace.orgs import labels


class OrganizationSchema(Schema):
    """Public profile of an organization. The contact phone is added by the view, masked
    unless the reader is one of the organization's own staff."""

    class Meta:
        unknown = RAISE

    id = fields.Integer()
    name = fields.String()
    legal_form = fields.String()
    category = fields.String()
    status = fields.String()
    registration = fields.Function(lambda org: labels.registration_label(org))
    uscc = fields.String(allow_none=True)
    district = fields.Function(lambda org: org.district.name if org.district else None)
    street = fields.Function(lambda org: org.street.name if org.street else None)
    communities = fields.Function(lambda org: [c.name for c in org.communities])
    domains = fields.Function(lambda org: [d.value for d in org.domains])
    contact_name = fields.String()
    profile = fields.String()
