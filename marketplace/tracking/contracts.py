"""Contracts and their life cycle: draft → signed → in_progress → evaluated → closed, or
terminated from in_progress (domain §4, §8.18). Every change is audited once; an edit after
signing is a ContractVersion with who and why. Services flush; the caller commits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.audit.services import record
from marketplace.auth.models import Role
from marketplace.auth.scopes import official_area
from marketplace.care.models import HouseholdFlag
from marketplace.clock import utcnow
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.geo.models import Street
from marketplace.orgs.models import Organization, OrgStatus, ServiceDomain
from marketplace.projects.text import clean_text
from marketplace.tracking import summary
from marketplace.tracking.access import (
    official_covers,
    places_of,
)
from marketplace.tracking.evaluation import evaluation_kind_for
from marketplace.tracking.models import (
    DECIDED_MILESTONE_STATES,
    RATE_KPIS,
    Contract,
    ContractState,
    ContractVersion,
    Kpi,
    KpiTarget,
    Milestone,
)
from marketplace.tracking.money import yuan


@dataclass
class ContractData:
    title: str
    buyer: str  # "district:<id>" or "street:<id>"
    organization_id: int | None
    domain: str
    budget: Decimal | str | None
    starts_on: date | None
    ends_on: date | None
    targets: dict[str, float] = field(default_factory=dict)  # Kpi code -> target
    target_flags: list[str] = field(default_factory=list)


# --- choices offered to an official ------------------------------------------------------


def buyer_choices(user) -> list[tuple[str, str]]:
    """The district offices and street offices the official may buy for."""
    from marketplace.geo.models import District

    area = official_area(user)
    choices = []
    for district_id in sorted(area.district_ids):
        district = db.session.get(District, district_id)
        choices.append((f"district:{district.id}", district.name))
        choices.extend((f"street:{s.id}", s.name) for s in district.streets)
    for street_id in sorted(area.street_ids):
        street = db.session.get(Street, street_id)
        choices.append((f"street:{street.id}", street.name))
    return choices


def contractor_choices(user) -> list[Organization]:
    """Approved organizations registered in the official's districts (or their streets')."""
    area = official_area(user)
    districts = set(area.district_ids)
    districts.update(db.session.scalars(
        select(Street.district_id).where(Street.id.in_(sorted(area.street_ids)))
    ))
    return list(db.session.scalars(
        select(Organization).where(Organization.status == OrgStatus.APPROVED,
                                   Organization.district_id.in_(sorted(districts)))
        .order_by(Organization.name)
    ))


# --- validation ---------------------------------------------------------------------------


def _buyer(user, value: str) -> tuple[int, int | None]:
    if value not in dict(buyer_choices(user)):
        raise DomainError("buyer", _("Choose the buying office from your area."))
    kind, _sep, raw = value.partition(":")
    if kind == "district":
        return int(raw), None
    street = db.session.get(Street, int(raw))
    return street.district_id, street.id


def _targets(values: dict[str, float]) -> dict[Kpi, float]:
    targets: dict[Kpi, float] = {}
    for code, value in values.items():
        if value is None or value == "":
            continue
        try:
            kpi = Kpi(code)
            number = float(value)
        except ValueError:
            raise DomainError(f"target_{code}", _("Enter a number.")) from None
        if not (0 < number <= (100 if kpi in RATE_KPIS else 10_000_000)):
            raise DomainError(f"target_{code}", _("Rates are targets from 1 to 100 percent; "
                                                  "counts and hours above zero."))
        targets[kpi] = number
    return targets


def _values(user, data: ContractData) -> dict:
    errors: list[DomainError] = []

    def check(step):
        try:
            return step()
        except DomainError as error:
            errors.append(error)
            return None

    values = {
        "title": check(lambda: clean_text("title", data.title, max_length=100, required=True)),
        "budget": check(lambda: yuan("budget", data.budget)),
    }
    buyer = check(lambda: _buyer(user, data.buyer))
    if buyer:
        values["buyer_district_id"], values["buyer_street_id"] = buyer
    if data.organization_id not in {org.id for org in contractor_choices(user)}:
        errors.append(DomainError("organization_id",
                                  _("Choose an approved organization of your district.")))
    values["organization_id"] = data.organization_id
    try:
        values["domain"] = ServiceDomain(data.domain)
    except ValueError:
        errors.append(DomainError("domain", _("Choose the service domain.")))
    if data.starts_on is None:
        errors.append(DomainError("starts_on", _("Enter the first day of the contract.")))
    if data.ends_on is None:
        errors.append(DomainError("ends_on", _("Enter the last day of the contract.")))
    elif data.starts_on and data.ends_on < data.starts_on:
        errors.append(DomainError("ends_on", _("The contract ends on or after its first day.")))
    values["starts_on"], values["ends_on"] = data.starts_on, data.ends_on
    flags = list(dict.fromkeys(data.target_flags or []))
    if any(flag not in set(HouseholdFlag) for flag in flags):
        errors.append(DomainError("target_flags", _("Choose household flags from the list.")))
    values["target_flags"] = flags
    values["targets"] = check(lambda: _targets(data.targets))
    if errors:
        raise DomainError.several(errors)
    return values


# --- create, edit, versions ---------------------------------------------------------------


def changes_need_reason(contract: Contract | None) -> bool:
    """A signed contract changes only with a reason, kept on the version it adds."""
    return contract is not None and contract.state != ContractState.DRAFT


def create_contract(user, data: ContractData) -> Contract:
    values = _values(user, data)
    targets = values.pop("targets")
    contract = Contract(**values, created_by_id=user.id)
    contract.targets = [KpiTarget(kpi=kpi, target=value) for kpi, value in targets.items()]
    db.session.add(contract)
    db.session.flush()
    summary.refresh_contract(contract)
    record(user, "contract.create", "contract", contract.id, actor_role=Role.OFFICIAL.value,
           places=places_of(contract))
    return contract


def _snapshot(contract: Contract) -> dict:
    return {
        "title": contract.title, "buyer_district_id": contract.buyer_district_id,
        "buyer_street_id": contract.buyer_street_id,
        "organization_id": contract.organization_id, "domain": contract.domain.value,
        "budget": str(contract.budget), "starts_on": contract.starts_on.isoformat(),
        "ends_on": contract.ends_on.isoformat(), "target_flags": list(contract.target_flags),
        "targets": {t.kpi.value: t.target for t in contract.targets},
    }


def update_contract(user, contract: Contract, data: ContractData, reason: str = "") -> Contract:
    """A draft changes freely; a signed contract keeps the parties and adds a version with
    the reason; an evaluated, closed or terminated one no longer changes."""
    if contract.state not in (ContractState.DRAFT, ContractState.SIGNED,
                              ContractState.IN_PROGRESS):
        raise DomainError(None, _("This contract can no longer be changed."))
    signed = changes_need_reason(contract)
    if signed:
        reason = clean_text("reason", reason, max_length=1000, required=True, multiline=True)
    values = _values(user, data)
    if signed and (values["organization_id"] != contract.organization_id
                   or values["buyer_district_id"] != contract.buyer_district_id
                   or values["buyer_street_id"] != contract.buyer_street_id):
        raise DomainError("organization_id",
                          _("The buyer and the contractor of a signed contract stay the same."))
    before = _snapshot(contract)
    targets = values.pop("targets")
    for name, value in values.items():
        setattr(contract, name, value)
    existing = {t.kpi: t for t in contract.targets}
    contract.targets = [
        (existing[kpi] if kpi in existing else KpiTarget(kpi=kpi)) for kpi in targets
    ]
    for target in contract.targets:
        target.target = targets[target.kpi]
    db.session.flush()
    after = _snapshot(contract)
    changes = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    if not changes:
        raise DomainError(None, _("Nothing was changed."))
    if signed:
        contract.version += 1
        db.session.add(ContractVersion(contract_id=contract.id, number=contract.version,
                                       changes=changes, reason=reason, changed_by_id=user.id))
    summary.refresh_contract(contract)
    record(user, "contract.change", "contract", contract.id, reason=reason or None,
           actor_role=Role.OFFICIAL.value, places=places_of(contract))
    db.session.flush()
    return contract


def add_milestone(user, contract: Contract, *, title: str, due_on: date | None,
                  tranche_amount, required_share: int | None, reason: str = "") -> Milestone:
    if contract.state not in (ContractState.DRAFT, ContractState.SIGNED,
                              ContractState.IN_PROGRESS):
        raise DomainError(None, _("This contract can no longer be changed."))
    errors = []
    try:
        title = clean_text("title", title, max_length=100, required=True)
    except DomainError as error:
        errors.append(error)
    if due_on is None or not (contract.starts_on <= due_on <= contract.ends_on):
        errors.append(DomainError("due_on", _("The milestone falls within the contract period.")))
    try:
        amount = yuan("tranche_amount", tranche_amount)
        planned = sum((m.tranche_amount for m in contract.milestones), Decimal(0))
        if planned + amount > contract.budget:
            errors.append(DomainError("tranche_amount",
                                      _("The tranches together exceed the budget.")))
    except DomainError as error:
        errors.append(error)
    share = required_share if required_share is not None else 100
    if not 0 <= share <= 100:
        errors.append(DomainError("required_share", _("Enter a share from 0 to 100 percent.")))
    signed = changes_need_reason(contract)
    if signed:
        try:
            reason = clean_text("reason", reason, max_length=1000, required=True,
                                multiline=True)
        except DomainError as error:
            errors.append(error)
    if errors:
        raise DomainError.several(errors)
    milestone = Milestone(title=title, due_on=due_on, tranche_amount=amount,
                          required_share=share)
    contract.milestones.append(milestone)
    db.session.flush()
    if signed:
        contract.version += 1
        db.session.add(ContractVersion(
            contract_id=contract.id, number=contract.version, reason=reason,
            changes={"milestones": [None, {"title": title, "due_on": due_on.isoformat(),
                                           "tranche_amount": str(amount)}]},
            changed_by_id=user.id,
        ))
    record(user, "contract.change", "contract", contract.id, reason=reason or None,
           actor_role=Role.OFFICIAL.value, places=places_of(contract))
    db.session.flush()
    return milestone


# --- transitions --------------------------------------------------------------------------


def _transition(user, contract: Contract, allowed: tuple, to: ContractState, action: str,
                reason: str | None = None) -> bool:
    """Move the contract once; a repeated submit of the same step changes nothing."""
    if contract.state == to:
        return False
    if contract.state not in allowed:
        raise DomainError(None, _("This step is not possible in the contract's state."))
    contract.state = to
    record(user, action, "contract", contract.id, reason=reason,
           actor_role=Role.OFFICIAL.value, places=places_of(contract))
    db.session.flush()
    return True


def sign(user, contract: Contract) -> bool:
    if contract.state == ContractState.DRAFT:
        problems = []
        if not contract.targets:
            problems.append(DomainError("targets", _("Set at least one KPI target first.")))
        if not contract.milestones:
            problems.append(DomainError("milestones", _("Add at least one milestone first.")))
        org = db.session.get(Organization, contract.organization_id)
        if org.status != OrgStatus.APPROVED:
            problems.append(DomainError("organization_id",
                                        _("The contractor is no longer approved.")))
        if problems:
            raise DomainError.several(problems)
        contract.signed_at = utcnow()
    return _transition(user, contract, (ContractState.DRAFT,), ContractState.SIGNED,
                       "contract.sign")


def start(user, contract: Contract, today: date) -> bool:
    if contract.state == ContractState.SIGNED and today < contract.starts_on:
        raise DomainError(None, _("The contract starts on %(day)s.",
                                  day=contract.starts_on.isoformat()))
    if contract.state == ContractState.SIGNED:
        contract.started_at = utcnow()
    return _transition(user, contract, (ContractState.SIGNED,), ContractState.IN_PROGRESS,
                       "contract.start")


def terminate(user, contract: Contract, reason: str) -> bool:
    reason = clean_text("reason", reason, max_length=1000, required=True, multiline=True)
    if contract.state == ContractState.IN_PROGRESS:
        contract.terminated_at = utcnow()
        contract.terminate_reason = reason
    return _transition(user, contract, (ContractState.IN_PROGRESS,), ContractState.TERMINATED,
                       "contract.terminate", reason)


def close(user, contract: Contract) -> bool:
    if contract.state == ContractState.EVALUATED:
        undecided = [m for m in contract.milestones if m.state not in DECIDED_MILESTONE_STATES]
        if undecided:
            raise DomainError(None, _("Decide the payment of every milestone first."))
        contract.closed_at = utcnow()
    return _transition(user, contract, (ContractState.EVALUATED,), ContractState.CLOSED,
                       "contract.close")


def allowed_actions(user, contract: Contract, today: date) -> list[str]:
    """The buttons the viewer gets on the contract page."""
    actions = []
    official = official_covers(user, contract)
    state = contract.state
    if official:
        if state in (ContractState.DRAFT, ContractState.SIGNED, ContractState.IN_PROGRESS):
            actions += ["edit", "milestone", "link"]
        if state == ContractState.DRAFT:
            actions.append("sign")
        if state == ContractState.SIGNED and today >= contract.starts_on:
            actions.append("start")
        if state == ContractState.IN_PROGRESS:
            actions += ["terminate", "grant_evaluator"]
        if state == ContractState.EVALUATED:
            actions.append("pay")
            if all(m.state in DECIDED_MILESTONE_STATES for m in contract.milestones):
                actions.append("close")
        actions.append("export")
    if evaluation_kind_for(user, contract) is not None:
        actions.append("evaluate")
    return actions

