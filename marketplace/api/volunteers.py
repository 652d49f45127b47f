"""The volunteer's own profile (the ID number masked)."""

from __future__ import annotations

from flask_login import current_user

from marketplace.api.framework import api_blueprint, api_requires
from marketplace.api.schemas import ProfileSchema
from marketplace.auth.models import Role
from marketplace.errors import OutOfScope
from marketplace.volunteers.services import profile_of

blp = api_blueprint("api_volunteers", "/me", "The volunteer's own profile")


@blp.get("/profile")
@api_requires(Role.VOLUNTEER)
@blp.response(200, ProfileSchema)
def own_profile():
    profile = profile_of(current_user)
    if profile is None:
        raise OutOfScope()
    return profile
