from __future__ import annotations

from marketplace.audit.models import AuditRecord
from marketplace.extensions import db


def record(
    actor, action: str, obj_type: str, obj_id: object, reason: str | None = None,
    actor_role: str | None = None,
) -> AuditRecord:
    """Append an audit record; the caller's unit of work commits it."""
    entry = AuditRecord(
        actor_id=getattr(actor, "id", None),
        actor_role=actor_role,
        action=action,
        object_type=obj_type,
        object_id=str(obj_id),
        reason=reason,
    )
    db.session.add(entry)
    db.session.flush()
    return entry
