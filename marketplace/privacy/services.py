"""Consent records and audited reveals of masked values."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.audit.services import record
from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.privacy.models import ConsentPurpose, ConsentRecord
from marketplace.text import visible_length

# Version of the privacy notice text; a new version asks for consent again.
PRIVACY_NOTICE_VERSION = "2026-11"
REVEAL_KINDS = ("id_number", "phone")
PURPOSE_MIN_LENGTH = 4
PURPOSE_MAX_LENGTH = 200
REVEALS_PER_HOUR = 30


class RevealError(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(field)
        self.field = field
        self.message = message


def record_consent(
    user_id: int, purpose: ConsentPurpose, *, recorded_by_id: int | None,
    text_version: str = PRIVACY_NOTICE_VERSION, guardian_name: str | None = None,
    guardian_relation: str | None = None,
) -> ConsentRecord:
    consent = ConsentRecord(
        user_id=user_id, purpose=purpose, text_version=text_version,
        recorded_by_id=recorded_by_id, guardian_name=guardian_name,
        guardian_relation=guardian_relation,
    )
    db.session.add(consent)
    return consent


def has_consent(user_id: int, purpose: str, text_version: str | None = None) -> bool:
    """Whether a consent for ``purpose`` (of ``text_version`` when given) stands, not withdrawn."""
    query = select(ConsentRecord.id).where(
        ConsentRecord.user_id == user_id,
        ConsentRecord.purpose == ConsentPurpose(purpose),
        ConsentRecord.withdrawn_at.is_(None),
    )
    if text_version is not None:
        query = query.where(ConsentRecord.text_version == text_version)
    return db.session.execute(query.limit(1)).scalar_one_or_none() is not None


def consents_of(user_id: int) -> list[ConsentRecord]:
    return list(
        db.session.execute(
            select(ConsentRecord)
            .where(ConsentRecord.user_id == user_id)
            .order_by(ConsentRecord.given_at, ConsentRecord.id)
        ).scalars()
    )


def withdraw_consent(consent: ConsentRecord) -> None:
    consent.withdrawn_at = utcnow()


def reveal(actor, kind: str, profile_id: int, purpose: str):
    """Return ``(profile, value)`` for one unmasked value and write the audit record.

    Returns None when the profile is out of ``actor``'s scope (the view answers 404); raises
    RevealError when the request itself is wrong.
    """
    from marketplace.volunteers.services import acting_role, visible_profile

    if kind not in REVEAL_KINDS:
        raise RevealError("kind", _("Choose what to reveal: ID number or phone."))
    purpose = " ".join((purpose or "").split())
    if visible_length(purpose) < PURPOSE_MIN_LENGTH:
        raise RevealError(
            "purpose",
            _("State why you need the value, in at least %(count)d characters.",
              count=PURPOSE_MIN_LENGTH),
        )
    if len(purpose) > PURPOSE_MAX_LENGTH:
        raise RevealError(
            "purpose", _("At most %(count)d characters.", count=PURPOSE_MAX_LENGTH)
        )
    profile = visible_profile(actor, profile_id)
    # Only staff reveal; the person sees their own values unmasked anyway.
    if profile is None or profile.user_id == actor.id:
        return None
    role = acting_role(actor, profile)
    value = profile.id_number if kind == "id_number" else profile.user.phone
    record(actor, f"reveal.{kind}", "volunteer_profile", profile.id, purpose, actor_role=role)
    return profile, value
