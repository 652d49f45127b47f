"""Evaluation and payment (domain §4): the contractor's self-assessment, the buyer's or a
named third party's scored evaluation against the live KPIs, and the payment decision per
milestone. Audited once each; services flush, the caller commits."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.audit.services import record
from marketplace.auth.models import Role, User
from marketplace.clock import utcnow
from marketplace.errors import DomainError, OutOfScope
from marketplace.extensions import db
from marketplace.projects.text import clean_text
from marketplace.tracking import kpis
from marketplace.tracking.access import (
    is_contractor_admin,
    is_evaluator,
    official_covers,
    places_of,
)
from marketplace.tracking.models import (
    DECIDED_MILESTONE_STATES,
    Contract,
    ContractState,
    Evaluation,
    EvaluationKind,
    EvaluatorGrant,
    Milestone,
    MilestoneState,
)
from marketplace.tracking.money import yuan

# --- evaluation and payment ----------------------------------------------------------------


def grant_evaluator(user, contract: Contract, phone: str) -> EvaluatorGrant:
    evaluator = db.session.scalar(select(User).where(User.phone == (phone or "").strip()))
    if evaluator is None:
        raise DomainError("phone", _("No account has this phone number."))
    existing = db.session.scalar(select(EvaluatorGrant).where(
        EvaluatorGrant.contract_id == contract.id, EvaluatorGrant.user_id == evaluator.id))
    if existing:
        return existing
    grant = EvaluatorGrant(contract_id=contract.id, user_id=evaluator.id,
                           granted_by_id=user.id)
    db.session.add(grant)
    db.session.flush()
    record(user, "contract.evaluator_grant", "contract", contract.id,
           actor_role=Role.OFFICIAL.value, places=places_of(contract))
    return grant


def evaluation_kind_for(user, contract: Contract) -> EvaluationKind | None:
    """Which evaluation ``user`` may record on ``contract`` now, or None."""
    if contract.state not in (ContractState.IN_PROGRESS, ContractState.EVALUATED):
        return None
    if official_covers(user, contract):
        return EvaluationKind.OFFICIAL
    if is_evaluator(user, contract):
        return EvaluationKind.THIRD_PARTY
    if is_contractor_admin(user, contract):
        return EvaluationKind.SELF
    return None


def evaluate(user, contract: Contract, *, score: int | None, comment: str,
             today: date) -> Evaluation:
    kind = evaluation_kind_for(user, contract)
    if kind is None:
        raise OutOfScope()
    comment = clean_text("comment", comment, max_length=4000, required=True, multiline=True)
    if kind != EvaluationKind.SELF and score is None:
        raise DomainError("score", _("Enter a score from 0 to 100."))
    if score is not None and not 0 <= score <= 100:
        raise DomainError("score", _("Enter a score from 0 to 100."))
    snapshot = [
        {"kpi": row.kpi.value, "target": row.target, "actual": row.actual,
         "achieved_pct": row.achieved_pct}
        for row in kpis.progress(contract, today)
    ]
    evaluation = Evaluation(contract_id=contract.id, kind=kind, score=score, comment=comment,
                            kpi_snapshot=snapshot, evaluator_id=user.id)
    db.session.add(evaluation)
    db.session.flush()
    role = {EvaluationKind.SELF: Role.ORG_ADMIN.value,
            EvaluationKind.OFFICIAL: Role.OFFICIAL.value}.get(kind, "evaluator")
    record(user, f"contract.evaluate.{kind.value}", "contract", contract.id, actor_role=role,
           places=places_of(contract))
    kinds = {e.kind for e in contract.evaluations} | {kind}
    if (contract.state == ContractState.IN_PROGRESS and EvaluationKind.SELF in kinds
            and kinds & {EvaluationKind.OFFICIAL, EvaluationKind.THIRD_PARTY}):
        # Self and scored evaluations recorded: the contract and its milestones are evaluated.
        contract.state = ContractState.EVALUATED
        contract.evaluated_at = utcnow()
        for milestone in contract.milestones:
            if milestone.state == MilestoneState.PENDING:
                milestone.state = MilestoneState.EVALUATED
    db.session.flush()
    return evaluation


def decide_payment(user, contract: Contract, milestone_id: int, decision: str,
                   amount=None, reason: str = "") -> Milestone:
    milestone = next((m for m in contract.milestones if m.id == milestone_id), None)
    if milestone is None:
        raise OutOfScope()
    if milestone.state in DECIDED_MILESTONE_STATES:
        raise DomainError(None, _("The payment of this milestone is already decided."))
    if milestone.state != MilestoneState.EVALUATED:
        raise DomainError(None, _("A milestone is paid after the contract is evaluated."))
    try:
        state = MilestoneState(decision)
    except ValueError:
        state = None
    if state not in DECIDED_MILESTONE_STATES:
        raise DomainError("decision", _("Choose pay, part-pay or withhold."))
    if state == MilestoneState.PAID:
        paid = milestone.tranche_amount
        reason = clean_text("reason", reason, max_length=1000, multiline=True)
    else:
        reason = clean_text("reason", reason, max_length=1000, required=True, multiline=True)
        if state == MilestoneState.WITHHELD:
            paid = Decimal(0)
        else:
            paid = yuan("amount", amount)
            if paid >= milestone.tranche_amount:
                raise DomainError("amount", _("A part payment is less than the tranche."))
    milestone.state = state
    milestone.paid_amount = paid
    milestone.decision_reason = reason or None
    milestone.decided_by_id = user.id
    milestone.decided_at = utcnow()
    record(user, f"contract.payment.{state.value}", "milestone", milestone.id,
           reason=reason or None, actor_role=Role.OFFICIAL.value, places=places_of(contract))
    db.session.flush()
    return milestone


def payable_milestone_ids(contract: Contract) -> set[int]:
    """Milestones whose payment the buyer decides now: evaluated, not yet decided."""
    return {m.id for m in contract.milestones if m.state == MilestoneState.EVALUATED}
