"""Organization pages: the public directory and profile, registration, review by officials."""

from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from marketplace.auth.access import public, requires
from marketplace.auth.models import Role
from marketplace.bounds import paginate, query_id
from marketplace.contributions import contributed
from marketplace.errors import attempt, flash_form_errors
from marketplace.extensions import db
from marketplace.geo.models import Community
from marketplace.orgs import directory as org_directory
from marketplace.orgs import labels, services
from marketplace.orgs.forms import ConfirmForm, DecisionForm, OrganizationForm
from marketplace.orgs.models import LegalForm, OrgCategory, ServiceDomain
from marketplace.orgs.schemas import OrganizationSchema

bp = Blueprint("orgs", __name__)
PER_PAGE = 20


@bp.context_processor
def registry_labels():
    return {"org_labels": labels}


def _contact_phone(org) -> str:
    return services.contact_phone_for(current_user, org)


def _filters_from_args() -> org_directory.DirectoryFilters:
    args = request.args
    community = query_id("community")
    legal_form = args.get("legal_form", "")
    category = args.get("category", "")
    domain = args.get("domain", "")
    return org_directory.DirectoryFilters(
        q=args.get("q", "")[:100],
        legal_form=legal_form if legal_form in LegalForm.__members__.values() else "",
        category=category if category in OrgCategory.__members__.values() else "",
        community_id=community,
        domain=domain if domain in ServiceDomain.__members__.values() else "",
    )


@bp.get("/orgs")
@public
def directory():
    filters = _filters_from_args()
    page = paginate(org_directory.directory_query(filters), PER_PAGE)
    communities = db.session.scalars(select(Community).order_by(Community.id)).all()
    return render_template(
        "orgs/directory.html",
        page=page,
        filters=filters,
        facts=_facts([org.id for org in page.items]),
        communities=communities,
        legal_forms=[(form, labels.LEGAL_FORM[form]) for form in services.REGISTRABLE_FORMS],
    )


def _panels(org) -> list[tuple[str, Markup]]:
    """The panels other domains contribute to the organization page, rendered in order."""
    panels = []
    for provider in contributed("org_panels"):
        panel = provider(current_user, org)
        if panel is not None:
            body = render_template(panel.template, org=org, **panel.context)
            panels.append((panel.title, Markup(body)))
    return panels


def _facts(org_ids: list[int]) -> dict[int, list[str]]:
    """Short facts other domains contribute to each directory card, in order."""
    facts: dict[int, list[str]] = {org_id: [] for org_id in org_ids}
    for provider in contributed("directory_facts"):
        for org_id, fact in provider(org_ids).items():
            facts[org_id].append(fact)
    return facts


@bp.get("/orgs/<int:org_id>")
@public
def detail(org_id: int):
    org = services.get_visible(current_user, org_id)
    return render_template(
        "orgs/detail.html",
        org=org,
        contact_phone=_contact_phone(org),
        panels=_panels(org),
        is_staff=services.is_org_staff(current_user, org),
        is_admin=services.is_org_admin(current_user, org),
        decides=services.official_decides(current_user, org),
        actions=services.allowed_actions(current_user, org),
        decision_form=DecisionForm(),
        confirm_form=ConfirmForm(),
    )


@bp.get("/orgs/<int:org_id>.json")
@public
def detail_json(org_id: int):
    org = services.get_visible(current_user, org_id)
    return jsonify(OrganizationSchema().dump(org) | {"contact_phone": _contact_phone(org)})


@bp.get("/orgs/mine")
@requires(Role.ORG_ADMIN, Role.SOCIAL_WORKER)
def mine():
    return render_template("orgs/mine.html", orgs=services.organizations_of(current_user))


@bp.route("/orgs/new", methods=["GET", "POST"])
@requires()
def create():
    form = OrganizationForm()
    if form.validate_on_submit():
        org = attempt(lambda: services.create_organization(current_user, form.data_object()),
                      _("Saved as a draft. Submit it when it is complete."), form).value
        if org is not None:
            return redirect(url_for("orgs.detail", org_id=org.id))
    return render_template("orgs/form.html", form=form, org=None)


@bp.route("/orgs/<int:org_id>/edit", methods=["GET", "POST"])
@requires(Role.ORG_ADMIN)
def edit(org_id: int):
    org = services.get_for_admin(current_user, org_id)
    form = OrganizationForm(obj=org)
    if request.method == "GET":
        form.community_ids.data = [c.id for c in org.communities]
        form.domains.data = [d.value for d in org.domains]
        form.legal_form.data = org.legal_form.value
        form.category.data = org.category.value
    if form.validate_on_submit() and attempt(
        lambda: services.update_organization(current_user, org, form.data_object()),
        _("Changes saved."), form,
    ):
        return redirect(url_for("orgs.detail", org_id=org.id))
    return render_template("orgs/form.html", form=form, org=org)


@bp.post("/orgs/<int:org_id>/submit")
@requires(Role.ORG_ADMIN)
def submit(org_id: int):
    org = services.get_for_admin(current_user, org_id)
    if ConfirmForm().validate_on_submit():
        _transition(org, "submit", None, _("Submitted: the official in charge will decide."))
    return redirect(url_for("orgs.detail", org_id=org.id))


@bp.get("/orgs/review")
@requires(Role.OFFICIAL)
def review_queue():
    return render_template("orgs/review.html", orgs=services.review_queue(current_user))


@bp.post("/orgs/<int:org_id>/decision")
@requires(Role.OFFICIAL)
def decide(org_id: int):
    org = services.get_for_official(current_user, org_id)
    form = DecisionForm()
    if form.validate_on_submit():
        _transition(org, form.action.data, form.reason.data, _("Decision recorded."))
    elif form.reason.errors:
        flash_form_errors(form)
    else:
        flash(_("Choose a decision."), "error")
    return redirect(url_for("orgs.detail", org_id=org.id))


def _transition(org, action: str, reason: str | None, done: str) -> None:
    attempt(lambda: services.transition(current_user, org, action, reason), done)
