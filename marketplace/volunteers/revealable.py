"""The personal data of volunteer profiles that staff may reveal: ID number and phone."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from marketplace.extensions import db
from marketplace.orgs.models import Organization
from marketplace.privacy.registry import RevealableKind, RevealAccess
from marketplace.volunteers.models import VolunteerProfile
from marketplace.volunteers.services import staff_access

OBJECT_TYPE = "volunteer_profile"


def _access(actor, profile_id: int) -> RevealAccess | None:
    """Staff of an organization the volunteer is live in a team of; never the volunteer
    themself, who sees their own values unmasked anyway."""
    profile = db.session.get(VolunteerProfile, profile_id)
    if profile is None or profile.user_id == actor.id:
        return None
    granted = staff_access(actor, profile)
    if granted is None:
        return None
    role, organization_id = granted
    return RevealAccess(
        subject=profile,
        actor_role=role.value,
        places=db.session.get(Organization, organization_id).places,
        heading=_("Volunteer %(number)s", number=profile.volunteer_no),
        back_url=url_for("volunteers.detail", profile_id=profile.id),
    )


ID_NUMBER = RevealableKind(
    name="id_number", label=_l("Resident ID number"), object_type=OBJECT_TYPE,
    access=_access, load=lambda profile: profile.id_number,
)
PHONE = RevealableKind(
    name="phone", label=_l("Phone"), object_type=OBJECT_TYPE,
    access=_access, load=lambda profile: profile.user.phone,
)
