"""Who may manage which project or shift: the social workers and admins of the project's
organization (domain §2), and a shift's leader for its check-in code and roster. Anything
out of scope answers 404, so it is not even confirmed to exist."""

from __future__ import annotations

from werkzeug.exceptions import NotFound

from marketplace.auth import scopes
from marketplace.bounds import MAX_ID
from marketplace.extensions import db
from marketplace.orgs.models import Organization
from marketplace.projects.models import Project, ProjectState, Shift, SignUp


def _get(model, object_id: int):
    # The URL converter bounds path ids; a caller passing its own is held to the same range.
    if not 0 < object_id <= MAX_ID:
        raise NotFound()
    found = db.session.get(model, object_id)
    if found is None:
        raise NotFound()
    return found


def staff_org_ids(user) -> frozenset[int]:
    """Organizations where ``user`` is a social worker or an admin."""
    return scopes.organization_ids(user)


def is_staff_of(user, organization_id: int) -> bool:
    return scopes.acts_for(user, organization_id)


def leads(user, shift: Shift) -> bool:
    """The shift's leader or a staff member of its organization: shows the code, keeps the
    roster."""
    if not getattr(user, "is_authenticated", False):
        return False
    return shift.leader_id == user.id or is_staff_of(user, shift.project.organization_id)


def project_for_staff(user, project_id: int) -> Project:
    project = _get(Project, project_id)
    if not is_staff_of(user, project.organization_id):
        raise NotFound()
    return project


def shift_for_staff(user, shift_id: int) -> Shift:
    shift = _get(Shift, shift_id)
    if not is_staff_of(user, shift.project.organization_id):
        raise NotFound()
    return shift


def shift_for_leader(user, shift_id: int) -> Shift:
    shift = _get(Shift, shift_id)
    if not leads(user, shift):
        raise NotFound()
    return shift


def visible_project(user, project_id: int) -> Project:
    """Published and closed projects are public; drafts only to the organization's staff."""
    project = _get(Project, project_id)
    if project.state == ProjectState.DRAFT and not is_staff_of(user, project.organization_id):
        raise NotFound()
    return project


def visible_shift(user, shift_id: int) -> Shift:
    shift = _get(Shift, shift_id)
    visible_project(user, shift.project_id)
    return shift


def org_for_staff(user, org_id: int) -> Organization:
    org = _get(Organization, org_id)
    if not is_staff_of(user, org.id):
        raise NotFound()
    return org


def sign_up_for_leader(user, sign_up_id: int) -> SignUp:
    entry = _get(SignUp, sign_up_id)
    if not leads(user, entry.shift):
        raise NotFound()
    return entry


def own_sign_up(user, sign_up_id: int) -> SignUp:
    entry = _get(SignUp, sign_up_id)
    if entry.volunteer.user_id != user.id:
        raise NotFound()
    return entry
