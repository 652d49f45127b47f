"""The household values staff may reveal: health notes (the household's social workers only)
and the phones of its persons."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from marketplace.auth.models import Role
from marketplace.care.models import Household
from marketplace.care.services.households import OBJECT_TYPE, may_see, places_of
from marketplace.extensions import db
from marketplace.privacy.registry import RevealableKind, RevealAccess


def _access(actor, household_id: int, *, needs_note: bool) -> RevealAccess | None:
    household = db.session.get(Household, household_id)
    if household is None or not may_see(actor, household) or household.purged_at is not None:
        return None
    if needs_note and household.health_note is None:
        return None
    return RevealAccess(
        subject=household, actor_role=Role.SOCIAL_WORKER.value, places=places_of(household),
        heading=_("Household %(pseudonym)s", pseudonym=household.pseudonym),
        back_url=url_for("care.household", household_id=household.id),
    )


def _phones(household: Household) -> str:
    return "; ".join(
        f"{person.name}: {person.phone}" for person in household.persons if person.phone
    ) or "—"


HEALTH_NOTE = RevealableKind(
    name="health_note", label=_l("Health notes"), object_type=OBJECT_TYPE,
    access=lambda actor, object_id: _access(actor, object_id, needs_note=True),
    load=lambda household: household.health_note.text,
)
HOUSEHOLD_PHONES = RevealableKind(
    name="household_phones", label=_l("Household phones"), object_type=OBJECT_TYPE,
    access=lambda actor, object_id: _access(actor, object_id, needs_note=False),
    load=_phones,
)
