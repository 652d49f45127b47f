"""What-if coverage pages: an official asks how coverage would change, a job computes it in
the background, the page shows the answer beside today's and exports it."""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace import jobs
from marketplace.auth.access import requires
from marketplace.auth.models import Role
from marketplace.bounds import paginate
from marketplace.errors import OutOfScope, attempt
from marketplace.extensions import db
from marketplace.tracking import access, dashboard, whatif
from marketplace.tracking.forms import WhatIfForm
from marketplace.tracking.views import MIMETYPES, PER_PAGE, bp, download_table, template_labels


def _whatif_form() -> WhatIfForm:
    form = WhatIfForm()
    form.street_id.choices = [("", _("Whole area"))] + [
        (s.id, s.name) for s in dashboard.area_streets(current_user)]
    form.contract_id.choices = [("", "—")] + [
        (c.id, c.title) for c in db.session.scalars(access.contracts_of_official(current_user))]
    return form


@bp.route("/tracking/what-if", methods=["GET", "POST"])
@requires(Role.OFFICIAL)
def whatif_page():
    form = _whatif_form()
    scenario = form.validate_on_submit() and attempt(
        lambda: whatif.ask(
            current_user, street_id=form.street_id.data or None, kind=form.kind.data,
            amount=form.amount.data, language=form.language.data or "",
            contract_id=form.contract_id.data),
        None, form).value
    # After the commit, so the job finds its row.
    if scenario and jobs.launched(lambda: whatif.start(scenario)):
        flash(_("Computing in the background."), "success")
        return redirect(url_for(".whatif_detail", scenario_id=scenario.id))
    page = paginate(whatif.scenarios_of(current_user), PER_PAGE)
    return render_template("tracking/whatif.html", form=form, page=page,
                           views=[whatif.scenario_view(s) for s in page.items],
                           unavailable=jobs.unavailable_message(), **template_labels())


@bp.get("/tracking/what-if/<int:scenario_id>")
@requires(Role.OFFICIAL)
def whatif_detail(scenario_id: int):
    scenario = whatif.scenario_for(current_user, scenario_id)
    return render_template("tracking/whatif_detail.html", view=whatif.scenario_view(scenario),
                           **template_labels())


@bp.get("/tracking/what-if/<int:scenario_id>/data.json")
@requires(Role.OFFICIAL)
def whatif_data(scenario_id: int):
    view = whatif.scenario_view(whatif.scenario_for(current_user, scenario_id))
    return jsonify({"state": view.scenario.state.value, "coverage": view.coverage,
                    "recruitment": view.recruitment})


@bp.get("/tracking/what-if/<int:scenario_id>.<fmt>")
@requires(Role.OFFICIAL)
def whatif_export(scenario_id: int, fmt: str):
    scenario = whatif.scenario_for(current_user, scenario_id)
    if fmt not in MIMETYPES:
        raise OutOfScope()
    return download_table(whatif.scenario_tables(whatif.scenario_view(scenario)), fmt,
                          f"gongzhi-what-if-{scenario.id}", whatif.places_of(scenario),
                          "export.whatif")
