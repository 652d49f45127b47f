from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import String, and_, cast, false, func, or_, select
from sqlalchemy.orm import joinedload

from marketplace.audit.models import AuditRecord
from marketplace.auth.models import Role, RoleGrant
from marketplace.extensions import db
from marketplace.orgs.models import Organization

ORGANIZATION = "organization"  # the object type marketplace.orgs records organizations under


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


@dataclass(frozen=True)
class LogFilters:
    action: str = ""  # a prefix of the action code, e.g. "reveal." or "org.approve"
    object_type: str = ""


def _official_orgs(user):
    """Condition on organizations registered in the official's district or street."""
    clauses = []
    for grant in user.grants_for(Role.OFFICIAL):
        if grant.street_id:
            clauses.append(Organization.street_id == grant.street_id)
        elif grant.district_id:
            clauses.append(Organization.district_id == grant.district_id)
    return or_(*clauses) if clauses else false()


def scope_clause(user):
    """Records the user may read: all for the platform admin; for an official, records about
    organizations in scope and reveals by those organizations' staff; nothing otherwise."""
    if user.has_role(Role.PLATFORM_ADMIN):
        return None
    if not user.has_role(Role.OFFICIAL):
        return false()
    in_scope = _official_orgs(user)
    staff_ids = select(RoleGrant.user_id).where(
        RoleGrant.role.in_((Role.ORG_ADMIN, Role.SOCIAL_WORKER)),
        RoleGrant.organization_id.in_(select(Organization.id).where(in_scope)),
    )
    return or_(
        and_(
            AuditRecord.object_type == ORGANIZATION,
            # object_id is text for every domain's objects, so compare as text
            AuditRecord.object_id.in_(select(cast(Organization.id, String)).where(in_scope)),
        ),
        and_(AuditRecord.action.startswith("reveal."), AuditRecord.actor_id.in_(staff_ids)),
    )


def log_query(user, filters: LogFilters):
    """The user's audit trail, newest first, with the actor loaded in the same query."""
    query = select(AuditRecord).options(joinedload(AuditRecord.actor))
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


def organization_names(records) -> dict[str, str]:
    """Names of the organizations a page of records is about, in one query."""
    ids = {int(r.object_id) for r in records
           if r.object_type == ORGANIZATION and r.object_id.isdigit()}
    if not ids:
        return {}
    rows = db.session.execute(
        select(Organization.id, Organization.name).where(Organization.id.in_(ids))
    )
    return {str(org_id): name for org_id, name in rows}
