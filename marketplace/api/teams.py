"""Volunteer teams: an organization's teams, a team as the viewer may see it, applying."""

from __future__ import annotations

from flask_login import current_user

from marketplace.api.framework import api_blueprint, api_public, api_requires, found_first
from marketplace.api.schemas import Empty, MembershipSchema, TeamPageSchema, TeamSchema
from marketplace.auth.models import Role
from marketplace.extensions import db
from marketplace.orgs.services import get_visible
from marketplace.teams import services

blp = api_blueprint("api_teams", "", "Volunteer teams")


@blp.get("/organizations/<int:org_id>/teams")
@api_public
@blp.response(200, TeamSchema(many=True))
def organization_teams(org_id: int):
    return services.teams_of(get_visible(current_user, org_id))


@blp.get("/teams/<int:team_id>")
@api_public
@blp.response(200, TeamPageSchema)
def team_detail(team_id: int):
    """The team and its members, named in full only for its leaders and organization."""
    return services.team_page(current_user, services.visible_team(current_user, team_id))


@blp.post("/teams/<int:team_id>/apply")
@api_requires(Role.VOLUNTEER)
@found_first(services.visible_team)
@blp.arguments(Empty)
@blp.response(201, MembershipSchema)
def team_apply(body, team_id: int):
    membership = services.apply(current_user, services.visible_team(current_user, team_id))
    db.session.commit()
    return membership
