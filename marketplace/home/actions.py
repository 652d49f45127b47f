"""What a signed-in user can do now, gathered from every domain for the home page.

Each domain contributes a provider to the ``home_cards`` point listed in ``create_app``
(``provider(user) -> list[HomeAction]``), so the home page lists what each role can do without
knowing every domain. An action names
the roles it belongs to; the home page shows it in the section of the first role the user
holds among them. Actions with no roles (password, language) form the account section.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import gettext as _

from marketplace.auth.models import Role, User
from marketplace.auth.scopes import place_names
from marketplace.contributions import contributed


@dataclass(frozen=True)
class HomeAction:
    title: str
    description: str
    url: str
    badge: int | None = None  # a count waiting for the user, e.g. applications to review
    roles: tuple[Role, ...] = field(default=())


@dataclass(frozen=True)
class HomeSection:
    role: Role | None  # None: the account section
    actions: tuple[HomeAction, ...]
    scopes: tuple[str, ...] = ()  # where the role applies: organizations, streets, district


Provider = Callable[[User], list[HomeAction]]


def home_sections(user: User) -> list[HomeSection]:
    """The user's actions grouped by role (in ``Role`` order), then the account section."""
    held = [role for role in Role if role in user.roles]
    by_role: dict[Role | None, list[HomeAction]] = {role: [] for role in held}
    by_role[None] = []
    for provider in contributed("home_cards"):
        for action in provider(user):
            if not action.roles:
                by_role[None].append(action)
                continue
            home = next((role for role in held if role in action.roles), None)
            if home is not None:  # a provider offered an action for a role the user lacks
                by_role[home].append(action)
    return [
        HomeSection(
            role=role,
            actions=tuple(actions),
            scopes=place_names(user, role) if role is not None else (),
        )
        for role, actions in by_role.items()
        if actions or role is not None
    ]


def role_label(role: Role | None) -> str:
    labels = {
        Role.VOLUNTEER: _("As a volunteer"),
        Role.SOCIAL_WORKER: _("As a social worker"),
        Role.ORG_ADMIN: _("As an organization administrator"),
        Role.OFFICIAL: _("As an official"),
        Role.PLATFORM_ADMIN: _("As a platform administrator"),
        None: _("Your account"),
    }
    return labels[role]
