"""What hours adds to pages other domains own: home cards, the organization page's "verified
hours" panel, the volunteer profile's star level and the own-data export."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from marketplace.auth.models import Role
from marketplace.contributions import OrgPanel
from marketplace.extensions import db
from marketplace.home.actions import HomeAction
from marketplace.hours import services
from marketplace.hours.models import Certificate, HoursEntry, InsuranceRecord
from marketplace.hours.schemas import CertificateSchema, HoursEntrySchema, InsuranceSchema


def hours_home_actions(user) -> list[HomeAction]:
    actions = []
    if user.has_role(Role.VOLUNTEER):
        actions.append(HomeAction(
            _("My service hours"),
            _("Verified hours, star level and free certificates."),
            url_for("hours.mine"), roles=(Role.VOLUNTEER,),
        ))
    staff_orgs = services.staff_org_ids(user)
    if staff_orgs:
        roles = (Role.SOCIAL_WORKER, Role.ORG_ADMIN)
        actions.append(HomeAction(
            _("Hours to verify"),
            _("Service recorded for your organization, waiting for a decision."),
            url_for("hours.queue"), badge=services.pending_count(user) or None, roles=roles,
        ))
        for grant in user.grants:
            if grant.role in roles and grant.organization_id in staff_orgs:
                staff_orgs.discard(grant.organization_id)
                actions.append(HomeAction(
                    _("Hours and insurance: %(org)s", org=grant.organization.name),
                    _("Record service, correct entries, keep insurance records."),
                    url_for("hours.ledger", org_id=grant.organization_id), roles=roles,
                ))
    return actions


def verified_hours_panel(viewer, org) -> OrgPanel:
    totals = services.totals(organization_id=org.id)
    return OrgPanel(
        title=_("Verified hours"),
        template="hours/_org_panel.html",
        context={"totals": totals, "is_staff": org.id in services.staff_org_ids(viewer)},
    )


def star_panel(viewer, profile) -> OrgPanel | None:
    """The star level on the volunteer's own profile."""
    if profile.user_id != getattr(viewer, "id", None):
        return None
    minutes = services.totals(volunteer_id=profile.id).volunteer_minutes
    return OrgPanel(
        title=_("Service hours"),
        template="hours/_star_panel.html",
        context={"stars": services.star_level(minutes), "hours": round(minutes / 60, 1),
                 "next_star": services.next_star_hours(minutes)},
    )


def hours_export(user) -> dict[str, object]:
    """The person's hours entries, certificates and insurance records (PIPL art. 45)."""
    from marketplace.volunteers.services import profile_of

    profile = profile_of(user)
    if profile is None:
        return {"hours_entries": [], "certificates": [], "insurance_records": []}
    entries = db.session.scalars(
        select(HoursEntry).where(HoursEntry.volunteer_id == profile.id)
        .options(joinedload(HoursEntry.organization), joinedload(HoursEntry.project))
        .order_by(HoursEntry.id)
    )
    certificates = db.session.scalars(
        select(Certificate).where(Certificate.volunteer_id == profile.id)
        .options(joinedload(Certificate.organization)).order_by(Certificate.id)
    )
    insurance = db.session.scalars(
        select(InsuranceRecord).where(InsuranceRecord.volunteer_id == profile.id)
        .order_by(InsuranceRecord.id)
    )
    return {
        "hours_entries": HoursEntrySchema(many=True).dump(entries),
        "certificates": CertificateSchema(many=True).dump(certificates),
        "insurance_records": InsuranceSchema(many=True).dump(insurance),
    }
