"""Contract pages, evaluation and payment, exports, the public list and the dashboards.
Views parse, call one service, commit once and render."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.audit.services import record
from marketplace.auth.access import public, requires
from marketplace.auth.models import Role
from marketplace.auth.scopes import Places, official_area
from marketplace.bounds import paginate, query_id
from marketplace.care.models import HouseholdFlag
from marketplace.clock import local_today
from marketplace.errors import OutOfScope, attempt, flash_form_errors
from marketplace.extensions import db
from marketplace.home.actions import HomeAction
from marketplace.orgs import labels as org_labels
from marketplace.orgs.models import ServiceDomain
from marketplace.tracking import (
    access,
    dashboard,
    evaluation,
    exports,
    kpis,
    labels,
    links,
)
from marketplace.tracking import contracts as lifecycle
from marketplace.tracking.forms import (
    TARGET_FIELDS,
    ActionForm,
    ContractForm,
    EvaluationForm,
    EvaluatorForm,
    LinkProjectForm,
    LinkRequestForm,
    MilestoneForm,
    PaymentForm,
    ReasonForm,
)
from marketplace.tracking.models import Contract

bp = Blueprint("tracking", __name__)
PER_PAGE = 25
MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def template_labels() -> dict:
    return {"tracking_labels": labels, "org_labels": org_labels}


# --- contracts ----------------------------------------------------------------------------


@bp.get("/contracts")
@requires(Role.OFFICIAL, Role.ORG_ADMIN)
def contracts():
    query = (access.contracts_of_official(current_user) if official_area(current_user)
             else access.contracts_of_contractor(current_user))
    page = paginate(query, PER_PAGE)
    return render_template("tracking/list.html", page=page,
                           can_create=bool(official_area(current_user)), **template_labels())


def _contract_form(form: ContractForm) -> None:
    form.buyer.choices = lifecycle.buyer_choices(current_user)
    form.organization_id.choices = [(org.id, org.name)
                                    for org in lifecycle.contractor_choices(current_user)]
    form.target_flags.choices = [(flag.value, labels.FLAG[flag]) for flag in HouseholdFlag]


def _data(form: ContractForm) -> lifecycle.ContractData:
    return lifecycle.ContractData(
        title=form.title.data or "", buyer=form.buyer.data or "",
        organization_id=form.organization_id.data, domain=form.domain.data or "",
        budget=form.budget.data, starts_on=form.starts_on.data, ends_on=form.ends_on.data,
        targets={kpi.value: getattr(form, name).data for kpi, name in TARGET_FIELDS.items()},
        target_flags=list(form.target_flags.data or []),
    )


@bp.route("/contracts/new", methods=["GET", "POST"])
@requires(Role.OFFICIAL)
def create():
    form = ContractForm()
    _contract_form(form)
    made: list[Contract] = []
    if form.validate_on_submit() and attempt(
            lambda: made.append(lifecycle.create_contract(current_user, _data(form))),
            _("Contract saved as a draft. Add milestones, then sign it."), form):
        return redirect(url_for(".detail", contract_id=made[0].id))
    return render_template("tracking/form.html", form=form, contract=None, asks_reason=False,
                           target_fields=TARGET_FIELDS, **template_labels())


@bp.route("/contracts/<int:contract_id>/edit", methods=["GET", "POST"])
@requires(Role.OFFICIAL)
def edit(contract_id: int):
    contract = access.contract_for_official(current_user, contract_id)
    form = ContractForm(obj=None if request.method == "POST" else contract)
    _contract_form(form)
    if request.method == "GET":
        form.buyer.data = (f"street:{contract.buyer_street_id}" if contract.buyer_street_id
                           else f"district:{contract.buyer_district_id}")
        form.domain.data = contract.domain.value
        for target in contract.targets:
            getattr(form, TARGET_FIELDS[target.kpi]).data = target.target
    if form.validate_on_submit() and attempt(
            lambda: lifecycle.update_contract(current_user, contract, _data(form),
                                              form.reason.data),
            _("Contract changed."), form):
        return redirect(url_for(".detail", contract_id=contract.id))
    return render_template("tracking/form.html", form=form, contract=contract,
                           asks_reason=lifecycle.changes_need_reason(contract),
                           target_fields=TARGET_FIELDS, **template_labels())


@bp.get("/contracts/<int:contract_id>")
@requires()
def detail(contract_id: int):
    contract = access.contract_for_reader(current_user, contract_id)
    day = local_today()
    official = access.official_covers(current_user, contract)
    link_project, link_request = LinkProjectForm(), LinkRequestForm()
    if official:
        link_project.project_id.choices = [(p.id, p.title)
                                           for p in links.linkable_projects(contract)]
        link_request.request_id.choices = [(r.id, r.title or f"#{r.id}")
                                           for r in links.linkable_requests(contract)]
    return render_template(
        "tracking/detail.html", contract=contract, official=official,
        asks_reason=lifecycle.changes_need_reason(contract),
        payable=evaluation.payable_milestone_ids(contract),
        progress=kpis.progress(contract, day), actions=lifecycle.allowed_actions(
            current_user, contract, day),
        evaluation_kind=evaluation.evaluation_kind_for(current_user, contract),
        linked_projects=links.linked_projects(contract) if official else [],
        linked_requests=links.linked_request_count(contract),
        action_form=ActionForm(), milestone_form=MilestoneForm(), reason_form=ReasonForm(),
        link_project=link_project, link_request=link_request,
        evaluation_form=EvaluationForm(), payment_form=PaymentForm(),
        evaluator_form=EvaluatorForm(), **template_labels(),
    )


def _back(contract: Contract):
    return redirect(url_for(".detail", contract_id=contract.id))


def _official_step(contract_id: int, step, done: str, form_class=ActionForm):
    contract = access.contract_for_official(current_user, contract_id)
    form = form_class()
    if form.validate_on_submit():
        attempt(lambda: step(contract, form), done)
    else:
        flash_form_errors(form)
    return _back(contract)


@bp.post("/contracts/<int:contract_id>/milestones")
@requires(Role.OFFICIAL)
def add_milestone(contract_id: int):
    return _official_step(contract_id, lambda c, f: lifecycle.add_milestone(
        current_user, c, title=f.title.data, due_on=f.due_on.data,
        tranche_amount=f.tranche_amount.data, required_share=f.required_share.data,
        reason=f.reason.data or ""), _("Milestone added."), MilestoneForm)


@bp.post("/contracts/<int:contract_id>/sign")
@requires(Role.OFFICIAL)
def sign(contract_id: int):
    return _official_step(contract_id, lambda c, f: lifecycle.sign(current_user, c),
                          _("Contract signed. It is now on the public list."))


@bp.post("/contracts/<int:contract_id>/start")
@requires(Role.OFFICIAL)
def start(contract_id: int):
    return _official_step(contract_id, lambda c, f: lifecycle.start(current_user, c, local_today()),
                          _("Contract in progress."))


@bp.post("/contracts/<int:contract_id>/terminate")
@requires(Role.OFFICIAL)
def terminate(contract_id: int):
    return _official_step(contract_id, lambda c, f: lifecycle.terminate(
        current_user, c, f.reason.data), _("Contract terminated."), ReasonForm)


@bp.post("/contracts/<int:contract_id>/close")
@requires(Role.OFFICIAL)
def close(contract_id: int):
    return _official_step(contract_id, lambda c, f: lifecycle.close(current_user, c),
                          _("Contract closed."))


@bp.post("/contracts/<int:contract_id>/projects")
@requires(Role.OFFICIAL)
def link_project(contract_id: int):
    return _official_step(contract_id, lambda c, f: links.link_project(
        current_user, c, f.project_id.data), _("Project linked."), LinkProjectForm)


@bp.post("/contracts/<int:contract_id>/care-requests")
@requires(Role.OFFICIAL)
def link_request(contract_id: int):
    return _official_step(contract_id, lambda c, f: links.link_request(
        current_user, c, f.request_id.data), _("Care request linked."), LinkRequestForm)


@bp.post("/contracts/<int:contract_id>/evaluators")
@requires(Role.OFFICIAL)
def grant_evaluator(contract_id: int):
    return _official_step(contract_id, lambda c, f: evaluation.grant_evaluator(
        current_user, c, f.phone.data), _("Evaluator may now open this contract."),
        EvaluatorForm)


@bp.post("/contracts/<int:contract_id>/milestones/<int:milestone_id>/payment")
@requires(Role.OFFICIAL)
def decide_payment(contract_id: int, milestone_id: int):
    return _official_step(contract_id, lambda c, f: evaluation.decide_payment(
        current_user, c, milestone_id, f.decision.data, f.amount.data, f.reason.data or ""),
        _("Payment decision recorded."), PaymentForm)


@bp.post("/contracts/<int:contract_id>/evaluations")
@requires()
def evaluate(contract_id: int):
    contract = access.contract_for_reader(current_user, contract_id)
    if evaluation.evaluation_kind_for(current_user, contract) is None:
        raise OutOfScope()
    form = EvaluationForm()
    if form.validate_on_submit():
        attempt(lambda: evaluation.evaluate(current_user, contract, score=form.score.data,
                                          comment=form.comment.data, today=local_today()),
                _("Evaluation recorded."))
    else:
        flash_form_errors(form)
    return _back(contract)


@bp.get("/contracts/<int:contract_id>/report")
@requires(Role.OFFICIAL)
def report(contract_id: int):
    contract = access.contract_for_official(current_user, contract_id)
    today = local_today()
    return render_template("tracking/report.html", contract=contract,
                           progress=kpis.progress(contract, today), printed_on=today,
                           linked_projects=links.linked_projects(contract), **template_labels())


# --- exports ------------------------------------------------------------------------------


def download_table(table: exports.Table | list[exports.Table], fmt: str, filename: str,
                   places: Places, action: str):
    tables = table if isinstance(table, list) else [table]
    body = exports.to_xlsx(*tables) if fmt == "xlsx" else exports.to_csv(*tables)
    record(current_user, action, "export", f"{filename}.{fmt}",
           actor_role=Role.OFFICIAL.value, places=places)
    db.session.commit()
    return Response(body, mimetype=MIMETYPES[fmt], headers={
        "Content-Disposition": f'attachment; filename="{filename}.{fmt}"',
        "Cache-Control": "no-store",
    })


def _area_places() -> Places:
    area = official_area(current_user)
    if area.district_ids:
        return Places(district_id=min(area.district_ids))
    return Places(street_id=min(area.street_ids)) if area.street_ids else Places()


@bp.get("/tracking/exports/<kind>.<fmt>")
@requires(Role.OFFICIAL)
def export(kind: str, fmt: str):
    if kind not in exports.BUILDERS or fmt not in MIMETYPES:
        raise OutOfScope()
    table = exports.BUILDERS[kind](current_user, local_today())
    return download_table(table, fmt, f"gongzhi-{kind}", _area_places(), f"export.{kind}")


@bp.get("/contracts/<int:contract_id>/kpis.<fmt>")
@requires(Role.OFFICIAL)
def export_contract(contract_id: int, fmt: str):
    contract = access.contract_for_official(current_user, contract_id)
    if fmt not in MIMETYPES:
        raise OutOfScope()
    table = exports.kpi_table(current_user, local_today(), [contract])
    return download_table(table, fmt, f"gongzhi-contract-{contract.id}-kpis",
                          access.places_of(contract), "export.contract_kpis")


@bp.get("/tracking/audit.<fmt>")
@requires(Role.OFFICIAL)
def export_audit(fmt: str):
    from marketplace.audit import services as audit_services

    if fmt not in MIMETYPES:
        raise OutOfScope()
    query = audit_services.log_query(current_user, audit_services.LogFilters())
    rows = [[r.created_at.isoformat(timespec="seconds"), r.actor.display_name if r.actor
             else "", r.actor_role or "", r.action, r.object_type, r.object_id, r.reason or "",
             r.organization.name if r.organization else ""]
            for r in db.session.scalars(query.limit(10_000))]
    table = exports.Table(_("Audit log"), [
        _("Time (UTC)"), _("Who"), _("Role"), _("Action"), _("Object"), _("Object number"),
        _("Reason"), _("Organization")], rows)
    return download_table(table, fmt, "gongzhi-audit", _area_places(), "export.audit")


# --- public list (条例 art. 30) -------------------------------------------------------------


@bp.get("/purchased-services")
@public
def public_list():
    page = paginate(access.public_contracts(), PER_PAGE)
    day = local_today()
    progress = {contract.id: kpis.progress(contract, day) for contract in page.items}
    return render_template("tracking/public.html", page=page, progress=progress,
                           domains=list(ServiceDomain), **template_labels())


# --- dashboards ---------------------------------------------------------------------------


def _street_arg() -> int | None:
    street_id = query_id("street")
    if street_id is not None and not dashboard.area_streets(current_user, street_id):
        raise OutOfScope()
    return street_id


@bp.get("/tracking/dashboard")
@requires(Role.OFFICIAL)
def dashboard_page():
    street_id = _street_arg()
    view = dashboard.district_view(current_user, local_today(), street_id)
    return render_template("tracking/dashboard.html", view=view, street_id=street_id,
                           streets=dashboard.area_streets(current_user), **template_labels())


@bp.get("/tracking/dashboard/data.json")
@requires(Role.OFFICIAL)
def dashboard_data():
    return jsonify(dashboard.district_view(current_user, local_today(), _street_arg()))


def tracking_home_actions(user) -> list[HomeAction]:
    actions = []
    if user.has_role(Role.OFFICIAL):
        actions.append(HomeAction(
            title=_("Purchased services"),
            description=_("Contracts of your area, their live KPIs, evaluation and payment."),
            url=url_for("tracking.contracts"), roles=(Role.OFFICIAL,)))
        actions.append(HomeAction(
            title=_("Dashboard"),
            description=_("Organizations, volunteers, hours and elder coverage of your area."),
            url=url_for("tracking.dashboard_page"), roles=(Role.OFFICIAL,)))
    elif user.has_role(Role.ORG_ADMIN):
        actions.append(HomeAction(
            title=_("Government contracts"),
            description=_("Your organization's contracts and their self-assessment."),
            url=url_for("tracking.contracts"), roles=(Role.ORG_ADMIN,)))
    return actions


# The what-if pages share this blueprint; importing the module registers their routes.
from marketplace.tracking import whatif_views  # noqa: E402, F401
