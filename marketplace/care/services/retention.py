"""A closed household's personal data is removed after the retention period
(``CARE_RETENTION_DAYS``, ``flask purge-expired``)."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select

from marketplace.care.models import Household, HouseholdPerson, HouseholdState
from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.privacy.models import ConsentRecord


def purge_expired(now=None) -> int:
    """Remove the personal data of households closed longer ago than the retention period:
    persons, address, point, living situation, health notes and their consents. Hours, visit
    counts and the pseudonym stay (§8.27). Already purged households are skipped, so running
    twice changes nothing. Returns how many were purged."""
    now = now or utcnow()
    cutoff = now - timedelta(days=int(current_app.config["CARE_RETENTION_DAYS"]))
    households = db.session.scalars(
        select(Household).where(
            Household.state == HouseholdState.CLOSED, Household.closed_at <= cutoff,
            Household.purged_at.is_(None),
        )
    ).all()
    for household in households:
        note = household.health_note
        if note is not None:
            consent_id = note.consent_id
            db.session.delete(note)
            db.session.flush()
            db.session.execute(delete(ConsentRecord).where(ConsentRecord.id == consent_id))
        db.session.execute(
            delete(HouseholdPerson).where(HouseholdPerson.household_id == household.id)
        )
        household.address_encrypted = None
        household.living_situation = ""
        household.close_reason = None
        household.priority_reason = None
        household.lat = household.lon = None
        household.purged_at = now
    db.session.flush()
    db.session.expire_all()
    return len(households)
