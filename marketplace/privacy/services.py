"""Consent records and audited reveals of masked values."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.audit.services import record
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.privacy import registry
from marketplace.privacy.models import ConsentPurpose, ConsentRecord
from marketplace.text import visible_length

# Version of the privacy notice text; a new version asks for consent again.
PRIVACY_NOTICE_VERSION = "2026-11"
PURPOSE_MIN_LENGTH = 4
PURPOSE_MAX_LENGTH = 200
REVEALS_PER_HOUR = 30


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


def reveal(actor, kind_name: str, object_id: int, purpose: str):
    """Return ``(access, value)`` for one unmasked value and write the audit record.

    Returns None when the object is out of ``actor``'s scope (the view answers 404); raises
    DomainError when the request itself is wrong.
    """
    kind = registry.kinds().get(kind_name)
    if kind is None:
        choices = " / ".join(str(k.label) for k in registry.kinds().values())
        raise DomainError("kind", _("Choose what to reveal: %(choices)s.", choices=choices))
    purpose = " ".join((purpose or "").split())
    if visible_length(purpose) < PURPOSE_MIN_LENGTH:
        raise DomainError(
            "purpose",
            _("State why you need the value, in at least %(count)d characters.",
              count=PURPOSE_MIN_LENGTH),
        )
    if len(purpose) > PURPOSE_MAX_LENGTH:
        raise DomainError(
            "purpose", _("At most %(count)d characters.", count=PURPOSE_MAX_LENGTH)
        )
    access = kind.access(actor, object_id)
    if access is None:
        return None
    value = kind.load(access.subject)
    record(actor, f"reveal.{kind.name}", kind.object_type, object_id, purpose,
           actor_role=access.actor_role, places=access.places)
    return access, value


def back_url(actor, kind_name: str, object_id: int | None) -> str | None:
    """Where a refused reveal sends the actor back to, when they may see the object."""
    kind = registry.kinds().get(kind_name)
    if kind is None or object_id is None:
        return None
    access = kind.access(actor, object_id)
    return access.back_url if access else None
