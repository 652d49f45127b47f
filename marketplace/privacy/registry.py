"""Kinds of personal data staff may reveal, filled by the domains that hold them.

A domain contributes a ``RevealableKind`` to the ``revealable`` point listed in ``create_app``
(volunteers: ID number and phone). Privacy runs every reveal the same way (a stated purpose, an
audit record placed where the actor acts, a page shown once) and imports no domain.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from marketplace.auth.scopes import Places
from marketplace.contributions import contributed


@dataclass(frozen=True)
class RevealAccess:
    """An actor's right to reveal values of one object, as the owning domain grants it."""

    subject: object  # the object holding the value, handed back to ``RevealableKind.load``
    actor_role: str  # the role the actor reveals in, for the audit record
    places: Places  # where the actor acts for (their organization), for the audit record
    heading: str  # what the revealed page is about, e.g. "Volunteer ZY…"
    back_url: str  # the page the actor came from


@dataclass(frozen=True)
class RevealableKind:
    name: str  # the form's value and the audit action ``reveal.<name>``
    label: object  # (lazily) translated name of the value, e.g. "Phone"
    object_type: str  # the audit record's object type
    # Who may reveal it for which object: the access, or None when out of the actor's
    # scope (the reveal answers 404).
    access: Callable[[object, int], RevealAccess | None]
    load: Callable[[object], str]  # the plain value of the subject


def kinds(object_type: str | None = None) -> dict[str, RevealableKind]:
    """Every contributed kind by name, optionally only those of one object type."""
    return {
        kind.name: kind for kind in contributed("revealable")
        if object_type is None or kind.object_type == object_type
    }
