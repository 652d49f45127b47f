"""Health notes of a household: stored encrypted with the separate consent they need (PIPL
art. 28–29), replaced, or deleted when the consent is withdrawn. Reading them is an audited
reveal (``care/revealable.py``)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from marketplace.audit.services import record
from marketplace.auth.models import Role
from marketplace.care.models import HealthNote, Household
from marketplace.care.services.households import OBJECT_TYPE, places_of, single_spaced
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.privacy import crypto
from marketplace.privacy.models import ConsentPurpose, ConsentRecord
from marketplace.text import visible_length

# The health-data consent text a household is shown (templates/care/health_note.html); a new
# text needs a new version, and consent again.
HEALTH_CONSENT_VERSION = "2026-12"
NOTE_MAX_LENGTH = 2000


@dataclass
class HealthNoteInput:
    text: str
    consent: bool
    given_by: str  # "person" or "guardian"
    guardian_name: str = ""
    guardian_relation: str = ""


def save_health_note(actor, household: Household, data: HealthNoteInput) -> HealthNote:
    """Store the notes encrypted, with the separate health-data consent they need (PIPL
    art. 28–29): the person's own or a guardian's, of the current consent text."""
    if not household.is_active:
        raise DomainError(None, _("This household is closed; its record can no longer change."))
    problems: list[DomainError] = []
    text = (data.text or "").strip()
    if visible_length(text) == 0:
        problems.append(DomainError("text", _("Enter the health notes.")))
    elif len(text) > NOTE_MAX_LENGTH:
        problems.append(DomainError("text", _("At most %(count)d characters.",
                                              count=NOTE_MAX_LENGTH)))
    if not data.consent:
        problems.append(DomainError("consent", _(
            "Health notes need the separate consent of the person or their guardian."
        )))
    if data.given_by not in ("person", "guardian"):
        problems.append(DomainError("given_by", _("Say who gave the consent.")))
    elif data.given_by == "guardian":
        if visible_length(data.guardian_name) == 0:
            problems.append(DomainError("guardian_name", _("Enter the guardian's name.")))
        if visible_length(data.guardian_relation) == 0:
            problems.append(DomainError("guardian_relation", _(
                "Enter who the guardian is to the person."
            )))
    if problems:
        raise DomainError.several(problems)
    note = household.health_note
    current = note.consent if note is not None else None
    if (current is not None and current.withdrawn_at is None
            and current.text_version == HEALTH_CONSENT_VERSION
            and _giver(current) == _giver_of(data)):
        consent = current  # the standing consent covers an edit of the notes
    else:
        consent = _new_health_consent(actor, data)
    if note is None:
        note = HealthNote(household_id=household.id, text_encrypted="", consent_id=consent.id)
        db.session.add(note)
    note.text_encrypted = crypto.encrypt(text)
    note.consent_id = consent.id
    note.updated_by_id = actor.id
    db.session.flush()
    if current is not None and current is not consent:
        db.session.delete(current)  # superseded: the audit record keeps that it existed
    db.session.flush()
    record(actor, "health_note.save", OBJECT_TYPE, household.id,
           actor_role=Role.SOCIAL_WORKER.value, places=places_of(household))
    return note


def _giver(consent: ConsentRecord) -> tuple:
    return (consent.guardian_name, consent.guardian_relation)


def _giver_of(data: HealthNoteInput) -> tuple:
    if data.given_by == "guardian":
        return (single_spaced(data.guardian_name), single_spaced(data.guardian_relation))
    return (None, None)


def _new_health_consent(actor, data: HealthNoteInput) -> ConsentRecord:
    guardian_name, guardian_relation = _giver_of(data)
    consent = ConsentRecord(
        user_id=None, purpose=ConsentPurpose.HEALTH_DATA, text_version=HEALTH_CONSENT_VERSION,
        recorded_by_id=actor.id, guardian_name=guardian_name,
        guardian_relation=guardian_relation,
    )
    db.session.add(consent)
    db.session.flush()
    return consent


def withdraw_health_consent(actor, household: Household) -> None:
    """Consent withdrawn: the notes and the consent go (PIPL art. 15, 47); the audit record
    keeps that it happened."""
    note = household.health_note
    if note is None:
        raise DomainError(None, _("This household has no health notes."))
    consent = note.consent
    db.session.delete(note)
    db.session.flush()
    db.session.delete(consent)
    db.session.flush()
    record(actor, "health_note.withdraw", OBJECT_TYPE, household.id,
           actor_role=Role.SOCIAL_WORKER.value, places=places_of(household))
