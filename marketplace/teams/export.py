"""The team memberships' section of the own-data download."""

from __future__ import annotations

from marshmallow import fields
from sqlalchemy import select

from marketplace.contributions import ExportSchema
from marketplace.extensions import db
from marketplace.schema_fields import UtcDateTime
from marketplace.teams.models import TeamMembership
from marketplace.volunteers.services import profile_of


class MembershipSchema(ExportSchema):
    team_id = fields.Integer()
    team = fields.Function(lambda m: m.team.name)
    organization = fields.Function(lambda m: m.team.organization.name)
    state = fields.String()
    is_leader = fields.Boolean()
    created_at = UtcDateTime()
    updated_at = UtcDateTime()



def membership_sections(user) -> dict[str, object]:
    profile = profile_of(user)
    memberships = [] if profile is None else list(
        db.session.scalars(
            select(TeamMembership)
            .where(TeamMembership.volunteer_id == profile.id)
            .order_by(TeamMembership.id)
        )
    )
    return {"team_memberships": MembershipSchema(many=True).dump(memberships)}
