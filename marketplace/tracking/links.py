"""The projects and care requests that deliver a contract, linked by the buying official
from the contractor's own. Audited once each; services flush, the caller commits."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.audit.services import record
from marketplace.auth.models import Role
from marketplace.care.models import CareRequest, Household
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.projects.models import Project
from marketplace.tracking import summary
from marketplace.tracking.access import (
    places_of,
)
from marketplace.tracking.models import (
    Contract,
)

# --- links ---------------------------------------------------------------------------------


def linkable_projects(contract: Contract) -> list[Project]:
    return list(db.session.scalars(
        select(Project).where(Project.organization_id == contract.organization_id,
                              Project.contract_id.is_(None)).order_by(Project.title)
    ))


def linkable_requests(contract: Contract) -> list[CareRequest]:
    return list(db.session.scalars(
        select(CareRequest).join(Household)
        .where(Household.organization_id == contract.organization_id,
               CareRequest.contract_id.is_(None)).order_by(CareRequest.id)
    ))


def link_project(user, contract: Contract, project_id: int | None) -> Project:
    project = db.session.get(Project, project_id) if project_id else None
    if project is None or project.organization_id != contract.organization_id:
        raise DomainError("project_id", _("Choose a project of the contractor."))
    if project.contract_id not in (None, contract.id):
        raise DomainError("project_id", _("That project delivers another contract."))
    if project.contract_id != contract.id:
        project.contract_id = contract.id
        record(user, "contract.link", "project", project.id, actor_role=Role.OFFICIAL.value,
               places=places_of(contract))
        db.session.flush()
        summary.refresh_contract(contract)
    return project


def link_request(user, contract: Contract, request_id: int | None) -> CareRequest:
    request = db.session.get(CareRequest, request_id) if request_id else None
    if request is None or request.household.organization_id != contract.organization_id:
        raise DomainError("request_id", _("Choose a care request of the contractor."))
    if request.contract_id not in (None, contract.id):
        raise DomainError("request_id", _("That care request belongs to another contract."))
    if request.contract_id != contract.id:
        request.contract_id = contract.id
        record(user, "contract.link", "care_request", request.id,
               actor_role=Role.OFFICIAL.value, places=places_of(contract))
        db.session.flush()
        summary.refresh_contract(contract)
    return request


def linked_projects(contract: Contract) -> list[Project]:
    return list(db.session.scalars(
        select(Project).where(Project.contract_id == contract.id).order_by(Project.id)))


def linked_request_count(contract: Contract) -> int:
    return len(list(db.session.scalars(
        select(CareRequest.id).where(CareRequest.contract_id == contract.id)
    )))
