"""Who may see and act on a contract: the buying area's officials, the contractor's
organization admins (self-assessment), named third-party evaluators. Everyone else: 404."""

from __future__ import annotations

from sqlalchemy import select

from marketplace.auth.models import Role
from marketplace.auth.scopes import Places, acts_for, official_area
from marketplace.errors import OutOfScope
from marketplace.extensions import db
from marketplace.tracking.models import SIGNED_STATES, Contract, EvaluatorGrant


def places_of(contract: Contract) -> Places:
    return Places(organization_id=contract.organization_id, street_id=contract.buyer_street_id,
                  district_id=contract.buyer_district_id)


def official_covers(user, contract: Contract) -> bool:
    return official_area(user).covers(places_of(contract))


def is_contractor_admin(user, contract: Contract) -> bool:
    return acts_for(user, contract.organization_id, Role.ORG_ADMIN)


def is_evaluator(user, contract: Contract) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return db.session.scalar(select(EvaluatorGrant.id).where(
        EvaluatorGrant.contract_id == contract.id, EvaluatorGrant.user_id == user.id
    )) is not None


def area_clause(user):
    """Contracts the user's official grants cover, as an SQL condition."""
    return official_area(user).clause(Contract.buyer_street_id, Contract.buyer_district_id)


def contract_for_official(user, contract_id: int) -> Contract:
    contract = db.session.get(Contract, contract_id)
    if contract is None or not official_covers(user, contract):
        raise OutOfScope()
    return contract


def contract_for_reader(user, contract_id: int) -> Contract:
    """The buying official, the contractor's admin or a named evaluator; otherwise 404."""
    contract = db.session.get(Contract, contract_id)
    if contract is None or not (
        official_covers(user, contract) or is_contractor_admin(user, contract)
        or is_evaluator(user, contract)
    ):
        raise OutOfScope()
    return contract



def contracts_of_official(user):
    return (select(Contract).where(area_clause(user))
            .order_by(Contract.starts_on.desc(), Contract.id.desc()))


def contracts_of_contractor(user):
    from marketplace.auth.scopes import organization_ids

    orgs = sorted(organization_ids(user, Role.ORG_ADMIN))
    evaluated = select(EvaluatorGrant.contract_id).where(EvaluatorGrant.user_id == user.id)
    return (select(Contract).where(
        ((Contract.organization_id.in_(orgs)) & Contract.state.in_(SIGNED_STATES))
        | Contract.id.in_(evaluated)
    ).order_by(Contract.starts_on.desc(), Contract.id.desc()))


def public_contracts():
    return (select(Contract).where(Contract.state.in_(SIGNED_STATES))
            .order_by(Contract.starts_on.desc(), Contract.id.desc()))
