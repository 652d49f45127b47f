"""Government-purchased service contracts and their live KPIs: the public list of signed
contracts, the contracts a user buys, delivers or evaluates, and one contract's progress."""

from __future__ import annotations

from flask_login import current_user

from marketplace.api.framework import (
    api_blueprint,
    api_public,
    api_requires,
    one_page,
    page_schema,
)
from marketplace.api.schemas import ContractSchema, KpiSchema, PageQuery
from marketplace.auth.models import Role
from marketplace.clock import local_today
from marketplace.tracking import access, kpis

blp = api_blueprint("api_tracking", "", "Purchased-service contracts and KPIs")
ContractPage = page_schema(ContractSchema)


@blp.get("/contracts/public")
@api_public
@blp.arguments(PageQuery, location="query", as_kwargs=True)
@blp.response(200, ContractPage)
def public_contracts(page, per_page):
    """Signed contracts, as on the public list."""
    return one_page(access.public_contracts(), per_page)


@blp.get("/contracts")
@api_requires(Role.OFFICIAL, Role.ORG_ADMIN)
@blp.arguments(PageQuery, location="query", as_kwargs=True)
@blp.response(200, ContractPage)
def my_contracts(page, per_page):
    """An official's contracts in their area; an org admin's signed contracts and those
    they evaluate."""
    if current_user.has_role(Role.OFFICIAL):
        return one_page(access.contracts_of_official(current_user), per_page)
    return one_page(access.contracts_of_contractor(current_user), per_page)


@blp.get("/contracts/<int:contract_id>")
@api_requires()
@blp.response(200, ContractSchema)
def contract_detail(contract_id: int):
    return access.contract_for_reader(current_user, contract_id)


@blp.get("/contracts/<int:contract_id>/kpis")
@api_requires()
@blp.response(200, KpiSchema(many=True))
def contract_kpis(contract_id: int):
    """Each KPI's target, actual, share achieved and share of the period elapsed."""
    return kpis.progress(access.contract_for_reader(current_user, contract_id), local_today())
