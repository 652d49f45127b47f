"""Organization registration, life cycle and who may see or decide what. Services flush; the
caller commits."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from marketplace.audit.services import record
from marketplace.auth import scopes
from marketplace.auth.models import Role, RoleGrant
from marketplace.clock import utcnow
from marketplace.errors import DomainError, OutOfScope
from marketplace.extensions import db
from marketplace.geo.models import Community, District, Street
from marketplace.orgs import labels, uscc
from marketplace.orgs.models import (
    LegalForm,
    Organization,
    OrgStatus,
    OrgTransition,
)
from marketplace.privacy.masking import mask_phone
from marketplace.text import visible_length

# Legal forms a user may register; residents' committees are set up with the geography.
REGISTRABLE_FORMS = (
    LegalForm.SOCIAL_GROUP,
    LegalForm.SOCIAL_SERVICE_AGENCY,
    LegalForm.FOUNDATION,
    LegalForm.COMMUNITY_ORG,
)
EDITABLE_STATUSES = (OrgStatus.DRAFT, OrgStatus.RETURNED)
PHONE_RE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")


@dataclass(frozen=True)
class Action:
    sources: frozenset[OrgStatus]
    target: OrgStatus
    reason_required: bool
    by_official: bool


ACTIONS = {
    "submit": Action(frozenset(EDITABLE_STATUSES), OrgStatus.SUBMITTED, False, False),
    "approve": Action(frozenset({OrgStatus.SUBMITTED}), OrgStatus.APPROVED, False, True),
    "return": Action(frozenset({OrgStatus.SUBMITTED}), OrgStatus.RETURNED, True, True),
    "suspend": Action(frozenset({OrgStatus.APPROVED}), OrgStatus.SUSPENDED, True, True),
    "reinstate": Action(frozenset({OrgStatus.SUSPENDED}), OrgStatus.APPROVED, False, True),
    "deregister": Action(
        frozenset({OrgStatus.APPROVED, OrgStatus.SUSPENDED}), OrgStatus.DEREGISTERED, True, True
    ),
}


@dataclass
class OrgData:
    name: str
    legal_form: LegalForm
    category: str
    district_id: int
    street_id: int | None = None
    uscc: str = ""
    community_ids: list[int] = field(default_factory=list)
    contact_name: str = ""
    contact_phone: str = ""
    domains: list[str] = field(default_factory=list)
    profile: str = ""


# --- who is who -------------------------------------------------------------------------


def is_org_admin(user, org: Organization) -> bool:
    return scopes.acts_for(user, org.id, Role.ORG_ADMIN)


def is_org_staff(user, org: Organization) -> bool:
    """The organization's own admins and social workers: they see its contact details."""
    return scopes.acts_for(user, org.id)


def official_scope_clause(user):
    """SQL condition for the organizations this official decides on (domain §2, §8.6): the
    district official all of the district's, the street official the community
    organizations filed with the street."""
    return scopes.official_area(user).clause(
        Organization.filed_street_id, Organization.district_id
    )


def official_decides(user, org: Organization) -> bool:
    return scopes.official_area(user).covers(org.places)


def can_view(user, org: Organization) -> bool:
    if org.status == OrgStatus.APPROVED:
        return True
    return is_org_staff(user, org) or official_decides(user, org)


def contact_phone_for(viewer, org: Organization) -> str:
    """Full phone for the organization's own admins and social workers, masked for others."""
    return org.contact_phone if is_org_staff(viewer, org) else mask_phone(org.contact_phone)


def get_visible(user, org_id: int) -> Organization:
    org = db.session.get(Organization, org_id)
    if org is None or not can_view(user, org):
        raise OutOfScope
    return org


def get_for_official(user, org_id: int) -> Organization:
    org = db.session.get(Organization, org_id)
    if org is None or not official_decides(user, org):
        raise OutOfScope
    return org


def get_for_admin(user, org_id: int) -> Organization:
    org = db.session.get(Organization, org_id)
    if org is None or not is_org_admin(user, org):
        raise OutOfScope
    return org


# --- registration -----------------------------------------------------------------------


def _check(data: OrgData) -> tuple[str | None, list[Community]]:
    if data.legal_form not in REGISTRABLE_FORMS:
        raise DomainError("legal_form", _("Choose a legal form."))
    if not data.name.strip():
        raise DomainError("name", _("Enter the organization's name."))
    district = db.session.get(District, data.district_id)
    if district is None:
        raise DomainError("district_id", _("Choose the registering district."))
    street = db.session.get(Street, data.street_id) if data.street_id else None
    if data.street_id and (street is None or street.district_id != district.id):
        raise DomainError("street_id", _("This street is not in the chosen district."))
    if data.legal_form == LegalForm.COMMUNITY_ORG and street is None:
        raise DomainError(
            "street_id", _("A community social organization is filed with its street office.")
        )
    code = uscc.normalise(data.uscc) or None
    if code:
        try:
            code = uscc.validate(code, data.legal_form)
        except uscc.UsccError as exc:
            raise DomainError("uscc", str(exc)) from None
    if data.contact_phone and not PHONE_RE.match(data.contact_phone):
        raise DomainError("contact_phone", _("Enter a mobile number or a landline with area code."))
    communities = []
    if data.community_ids:
        communities = list(
            db.session.scalars(
                select(Community)
                .join(Street)
                .where(Community.id.in_(data.community_ids), Street.district_id == district.id)
            )
        )
        if len(communities) != len(set(data.community_ids)):
            raise DomainError("community_ids", _("Served communities must lie in the district."))
    return code, communities


def _uscc_taken(code: str | None, org_id: int | None) -> bool:
    if not code:
        return False
    stmt = select(Organization.id).where(Organization.uscc == code)
    if org_id:
        stmt = stmt.where(Organization.id != org_id)
    return db.session.scalar(stmt) is not None


def _apply(org: Organization, data: OrgData, code: str | None, communities) -> None:
    if _uscc_taken(code, org.id):
        raise DomainError("uscc", _("Another organization is registered with this code."))
    org.name = data.name.strip()
    org.legal_form = data.legal_form
    org.category = data.category
    org.district_id = data.district_id
    org.street_id = data.street_id or None
    org.uscc = code
    org.communities = communities
    org.contact_name = data.contact_name.strip()
    org.contact_phone = data.contact_phone.strip()
    org.domains = data.domains
    org.profile = data.profile.strip()


def create_organization(user, data: OrgData) -> Organization:
    """Register a draft; its creator becomes the organization's admin."""
    code, communities = _check(data)
    org = Organization(status=OrgStatus.DRAFT, created_by_id=user.id)
    _apply(org, data, code, communities)
    db.session.add(org)
    db.session.flush()
    user.grants.append(RoleGrant(role=Role.ORG_ADMIN, organization_id=org.id))
    record(user, "org.create", "organization", org.id, actor_role=Role.ORG_ADMIN.value,
           places=org.places)
    db.session.flush()
    return org


def update_organization(user, org: Organization, data: OrgData) -> Organization:
    if not is_org_admin(user, org):
        raise OutOfScope
    if org.status not in EDITABLE_STATUSES:
        raise DomainError(None, _("Only a draft or a returned registration can be edited."))
    code, communities = _check(data)
    _apply(org, data, code, communities)
    db.session.flush()
    return org


# --- life cycle -------------------------------------------------------------------------


def allowed_actions(user, org: Organization) -> list[str]:
    """The transitions this user may make on this organization now, for the page's buttons."""
    names = []
    for name, action in ACTIONS.items():
        if org.status not in action.sources:
            continue
        decider = official_decides if action.by_official else is_org_admin
        if decider(user, org):
            names.append(name)
    return names


def transition(user, org: Organization, action_name: str, reason: str | None = None):
    """Move ``org`` along its life cycle and record who, in which role, when and why."""
    action = ACTIONS.get(action_name)
    if action is None:
        raise DomainError("action", _("Unknown decision."))
    if action.by_official:
        if not official_decides(user, org):
            raise OutOfScope
        role = Role.OFFICIAL
    else:
        if not is_org_admin(user, org):
            raise OutOfScope
        role = Role.ORG_ADMIN
    if org.status not in action.sources:
        raise DomainError(
            "action",
            _(
                "This organization is %(status)s; that step is not possible now.",
                status=_status_label(org.status),
            ),
        )
    reason = (reason or "").strip() or None
    if action.reason_required and not visible_length(reason):
        raise DomainError("reason", _("Give a reason: the organization will see it."))
    if action_name == "submit":
        _check_complete(org)
    previous = org.status
    # Conditional update: of two officials deciding at once, only the first moves the
    # organization; the second finds the status changed and is told so.
    moved = db.session.execute(
        update(Organization)
        .where(Organization.id == org.id, Organization.status == previous)
        .values(status=action.target, status_changed_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if moved != 1:
        raise DomainError("action", _("Someone else decided on this organization meanwhile."))
    db.session.refresh(org, ["status", "status_changed_at"])
    step = OrgTransition(
        organization=org, from_status=previous, to_status=action.target, actor_id=user.id,
        actor_role=role.value, reason=reason,
    )
    db.session.add(step)
    record(user, f"org.{action_name}", "organization", org.id, reason=reason,
           actor_role=role.value, places=org.places)
    db.session.flush()
    return step


def _check_complete(org: Organization) -> None:
    if org.legal_form != LegalForm.COMMUNITY_ORG:
        if not org.uscc:
            raise DomainError("uscc", _("Enter the unified social credit code before submitting."))
        try:
            uscc.validate(org.uscc, org.legal_form)
        except uscc.UsccError as exc:
            raise DomainError("uscc", str(exc)) from None
    if not org.contact_name or not org.contact_phone:
        raise DomainError("contact_phone", _("Enter a contact person and phone before submitting."))


def _status_label(status: OrgStatus) -> str:
    return str(labels.STATUS[status])


def review_queue(user) -> list[Organization]:
    """Submitted registrations this official decides on, oldest first."""
    return list(
        db.session.scalars(
            select(Organization)
            .where(Organization.status == OrgStatus.SUBMITTED, official_scope_clause(user))
            .options(selectinload(Organization.district), selectinload(Organization.street))
            .order_by(Organization.status_changed_at, Organization.id)
        )
    )


def pending_count(user) -> int:
    return db.session.scalar(
        select(func.count(Organization.id)).where(
            Organization.status == OrgStatus.SUBMITTED, official_scope_clause(user)
        )
    )


def organizations_of(user) -> list[Organization]:
    ids = scopes.organization_ids(user)
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(Organization).where(Organization.id.in_(ids)).order_by(Organization.id)
        )
    )
