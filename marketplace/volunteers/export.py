"""The "download my data" export (PIPL art. 45)."""

from __future__ import annotations

from sqlalchemy import or_, select

from marketplace.auth.models import User
from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.volunteers.services import profile_of


def export_data(user: User) -> dict:
    """All data held about ``user``, unmasked: it goes to the person themself only."""
    from marketplace.audit.models import AuditRecord
    from marketplace.orgs.models import TeamMembership
    from marketplace.privacy.services import consents_of
    from marketplace.volunteers.schemas import DataExportSchema

    profile = profile_of(user.id)
    memberships: list = []
    about = [(AuditRecord.object_type == "user") & (AuditRecord.object_id == str(user.id))]
    if profile is not None:
        memberships = list(
            db.session.execute(
                select(TeamMembership)
                .where(TeamMembership.volunteer_id == profile.id)
                .order_by(TeamMembership.id)
            ).scalars()
        )
        about.append(
            (AuditRecord.object_type == "volunteer_profile")
            & (AuditRecord.object_id == str(profile.id))
        )
    audits = list(
        db.session.execute(
            select(AuditRecord).where(or_(*about)).order_by(AuditRecord.created_at)
        ).scalars()
    )
    return DataExportSchema().dump(
        {
            "format": "gongzhi-personal-data-1",
            "exported_at": utcnow(),
            "account": user,
            "role_grants": user.grants,
            "volunteer_profile": profile,
            "consents": consents_of(user.id),
            "team_memberships": memberships,
            "audit_records": audits,
        }
    )
