"""The "download my data" export (PIPL art. 45): every domain's sections about the person.

Each domain contributes ``provider(user) -> dict[str, object]`` to the ``export_sections``
point listed in ``create_app``; the values are already plain JSON data.
"""

from __future__ import annotations

from sqlalchemy import select

from marketplace.audit.models import AuditRecord
from marketplace.auth.models import User
from marketplace.clock import utc_iso, utcnow
from marketplace.contributions import contributed
from marketplace.extensions import db
from marketplace.volunteers.revealable import OBJECT_TYPE
from marketplace.volunteers.schemas import AuditEntrySchema, ProfileExportSchema
from marketplace.volunteers.services import profile_of

FORMAT = "gongzhi-personal-data-1"


def export_data(user: User) -> dict:
    """All data held about ``user``, unmasked: it goes to the person themself only."""
    data: dict[str, object] = {"format": FORMAT, "exported_at": utc_iso(utcnow())}
    for provider in contributed("export_sections"):
        sections = provider(user)
        clash = set(sections) & set(data)
        if clash:
            raise ValueError(f"two contributions export the section(s) {sorted(clash)}")
        data |= sections
    return data


def profile_sections(user: User) -> dict[str, object]:
    """The volunteer profile and the audit records about it (reveals of its values)."""
    profile = profile_of(user)
    audits = [] if profile is None else list(
        db.session.scalars(
            select(AuditRecord)
            .where(AuditRecord.object_type == OBJECT_TYPE,
                   AuditRecord.object_id == str(profile.id))
            .order_by(AuditRecord.created_at, AuditRecord.id)
        )
    )
    return {
        "volunteer_profile": ProfileExportSchema().dump(profile) if profile else None,
        "audit_records": AuditEntrySchema(many=True).dump(audits),
    }
