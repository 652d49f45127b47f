"""Writing and reading the audit trail."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from marketplace.audit.models import AuditRecord
from marketplace.auth.models import Role
from marketplace.auth.scopes import NOWHERE, Places, official_area
from marketplace.extensions import db


def record(
    actor, action: str, obj_type: str, obj_id: object, reason: str | None = None,
    actor_role: str | None = None, places: Places = NOWHERE,
) -> AuditRecord:
    """Append an audit record; the caller's unit of work commits it. ``places`` says where it
    happened (the organization acted on or acted for), which decides the officials who read it;
    a record without places is read by the platform admin only."""
    entry = AuditRecord(
        actor_id=getattr(actor, "id", None),
        actor_role=actor_role,
        action=action,
        object_type=obj_type,
        object_id=str(obj_id),
        reason=reason,
        organization_id=places.organization_id,
        street_id=places.street_id,
        district_id=places.district_id,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


@dataclass(frozen=True)
class LogFilters:
    action: str = ""  # a prefix of the action code, e.g. "reveal." or "org.approve"
    object_type: str = ""


def scope_clause(user):
    """Records the user may read: all for the platform admin; for an official, the records
    placed in their street or district; nothing otherwise."""
    if user.has_role(Role.PLATFORM_ADMIN):
        return None
    return official_area(user).clause(AuditRecord.street_id, AuditRecord.district_id)


def log_query(user, filters: LogFilters):
    """The user's audit trail, newest first, with actor and organization loaded in the same
    query."""
    query = select(AuditRecord).options(
        joinedload(AuditRecord.actor), joinedload(AuditRecord.organization)
    )
    scope = scope_clause(user)
    if scope is not None:
        query = query.where(scope)
    if filters.action:
        query = query.where(AuditRecord.action.startswith(filters.action, autoescape=True))
    if filters.object_type:
        query = query.where(AuditRecord.object_type == filters.object_type)
    return query.order_by(AuditRecord.created_at.desc(), AuditRecord.id.desc())


def visible_count(user) -> int:
    query = select(func.count(AuditRecord.id))
    scope = scope_clause(user)
    if scope is not None:
        query = query.where(scope)
    return db.session.scalar(query) or 0
