"""Display labels of audit codes and roles; unknown codes are shown as they are stored."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from marketplace.auth.models import Role

ACTION = {
    "org.create": _l("Organization created"),
    "org.submit": _l("Organization submitted for decision"),
    "org.approve": _l("Organization approved"),
    "org.return": _l("Organization returned for changes"),
    "org.suspend": _l("Organization suspended"),
    "org.reinstate": _l("Organization reinstated"),
    "org.deregister": _l("Organization deregistered"),
    "team.create": _l("Team created"),
    "team.apply": _l("Applied to a team"),
    "team.invite": _l("Invited to a team"),
    "team.approve": _l("Team application approved"),
    "team.reject": _l("Team application rejected"),
    "team.accept": _l("Team invitation accepted"),
    "team.decline": _l("Team invitation declined"),
    "team.leave": _l("Left a team"),
    "team.remove": _l("Removed from a team"),
    "team.leader": _l("Made team leader"),
    "team.unleader": _l("No longer team leader"),
    "reveal.id_number": _l("ID number revealed"),
    "reveal.phone": _l("Phone revealed"),
}

# The filter's families: the part of an action code before the dot.
ACTION_FAMILY = {
    "org.": _l("Organizations"),
    "team.": _l("Teams and members"),
    "reveal.": _l("Reveals of personal data"),
}

OBJECT_TYPE = {
    "organization": _l("Organization"),
    "volunteer_team": _l("Volunteer team"),
    "team_membership": _l("Team membership"),
    "volunteer_profile": _l("Volunteer profile"),
}

ROLE = {
    Role.VOLUNTEER: _l("Volunteer"),
    Role.SOCIAL_WORKER: _l("Social worker"),
    Role.ORG_ADMIN: _l("Organization administrator"),
    Role.OFFICIAL: _l("Official"),
    Role.PLATFORM_ADMIN: _l("Platform administrator"),
}


def action_label(code: str) -> str:
    return str(ACTION.get(code, code))


def object_type_label(code: str) -> str:
    return str(OBJECT_TYPE.get(code, code))


def role_label(code: str | None) -> str:
    if not code:
        return ""
    try:
        return str(ROLE[Role(code)])
    except ValueError:
        return code
