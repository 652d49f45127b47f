"""Matching runs on the site: start, watch the progress bar, download the problem, review and
offer, the volunteer's offers, the published matching rules, recruitment targets."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from marketplace import jobs
from marketplace.audit.services import record
from marketplace.auth.access import public, requires
from marketplace.auth.models import Role
from marketplace.auth.scopes import Places, official_area, organization_ids
from marketplace.care import recruitment, review, run_liveness, runs
from marketplace.care.adapter import Scope
from marketplace.care.models import CareRequest, Household
from marketplace.care.reasons import (
    MEMBER_STATE,
    PROPOSAL_STATE,
    RUN_STATE,
    member_reason,
    open_reason,
)
from marketplace.care.run_forms import ActionForm, RematchForm, StartRunForm
from marketplace.care.run_models import ScopeKind
from marketplace.errors import DomainError, OutOfScope, attempt, flash_form_errors, show_error
from marketplace.extensions import db
from marketplace.geo.models import District, Street
from marketplace.orgs.models import Organization
from marketplace.privacy.caching import NO_STORE
from marketplace.volunteers.codes import LANGUAGES, SKILLS, slot_label
from marketplace.volunteers.models import VolunteerProfile

bp = Blueprint("care_runs", __name__)

STAFF_AND_OFFICIALS = (Role.SOCIAL_WORKER, Role.ORG_ADMIN, Role.OFFICIAL)


def _scope_choices(user) -> list[tuple[str, str]]:
    choices = []
    for org_id in sorted(organization_ids(user, Role.SOCIAL_WORKER)):
        org = db.session.get(Organization, org_id)
        choices.append((f"organization:{org_id}", _("Households of %(org)s", org=org.name)))
    area = official_area(user)
    for district_id in sorted(area.district_ids):
        district = db.session.get(District, district_id)
        choices.append((f"district:{district_id}", _("All of %(place)s", place=district.name)))
        for street in district.streets:
            choices.append((f"street:{street.id}", street.name))
    for street_id in sorted(area.street_ids):
        street = db.session.get(Street, street_id)
        if (f"street:{street_id}", street.name) not in choices:
            choices.append((f"street:{street_id}", street.name))
    return choices


def scope_label(run) -> str:
    if run.scope_kind == ScopeKind.ORGANIZATION:
        org = db.session.get(Organization, run.scope_id)
        return org.name if org else "—"
    if run.scope_kind == ScopeKind.STREET:
        street = db.session.get(Street, run.scope_id)
        return street.name if street else "—"
    if run.scope_kind == ScopeKind.DISTRICT:
        district = db.session.get(District, run.scope_id)
        return district.name if district else "—"
    return _("Re-match of one care request")


def _commit_stale(error: DomainError) -> None:
    """Offering is the one step whose refusal is itself kept (``errors.attempt`` rolls a
    refusal back): the proposals found stale stay marked so; nothing else changes."""
    if isinstance(error, review.StaleProposals):
        db.session.commit()
    else:
        db.session.rollback()
    show_error(error)


def _launch(run):
    """The committed run goes to the queue; a queue that went down meanwhile fails it."""
    if not jobs.launched(lambda: runs.launch(run)):
        return redirect(url_for(".index"))
    flash(_("Matching started; the bar shows its progress."), "success")
    return redirect(url_for(".show", run_id=run.id))


@bp.get("/care/runs")
@requires(*STAFF_AND_OFFICIALS)
def index():
    run_liveness.sweep_dead_runs()
    db.session.commit()
    form = StartRunForm()
    form.scope.choices = _scope_choices(current_user)
    return render_template("care/runs/index.html", runs=runs.runs_for(current_user), form=form,
                           scope_label=scope_label, run_states=RUN_STATE,
                           unavailable=jobs.unavailable_message())


@bp.post("/care/runs")
@requires(Role.SOCIAL_WORKER, Role.OFFICIAL)
def start():
    form = StartRunForm()
    form.scope.choices = _scope_choices(current_user)
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for(".index"))
    kind, _sep, scope_id = form.scope.data.partition(":")
    return _start(Scope(ScopeKind(kind), int(scope_id)), form.time_limit_s.data)


def _start(scope: Scope, time_limit_s: float):
    """Queue the run (committed), then hand it to the jobs interface: the job finds its row."""
    run = attempt(lambda: runs.start_run(current_user, scope, time_limit_s=time_limit_s),
                  None).value
    if run is None:
        return redirect(url_for(".index"))
    return _launch(run)


@bp.post("/care/rematch")
@requires(Role.SOCIAL_WORKER)
def rematch():
    """Supervision's one-click re-match: a small run scoped to one care request."""
    form = RematchForm()
    if not form.validate_on_submit():
        abort(404)
    request_ = db.session.get(CareRequest, form.care_request_id.data)
    if request_ is None:
        raise OutOfScope()
    return _start(Scope(ScopeKind.REQUEST, request_.id), runs.REMATCH_TIME_LIMIT_S)


def _volunteer_name(profile_id: int) -> str:
    profile = db.session.get(VolunteerProfile, profile_id)
    return f"{profile.real_name}（{profile.volunteer_no}）" if profile else "—"


def _household_label(household: Household) -> str:
    place = household.community.name + (f" {household.grid.name}" if household.grid else "")
    return f"{household.pseudonym} · {place}"


def _needs_text(request_: CareRequest) -> str:
    parts = [_("%(hours)s h a week, %(visits)d visit(s)", hours=request_.hours_per_week,
               visits=request_.visits_per_week)]
    if request_.skills:
        parts.append("、".join(str(SKILLS.get(c, c)) for c in request_.skills))
    if request_.languages:
        parts.append("、".join(str(LANGUAGES.get(c, c)) for c in request_.languages))
    if request_.slots:
        parts.append("、".join(slot_label(c) for c in request_.slots))
    return " · ".join(parts)


def _page_context(run):
    official_view = runs.is_official_view(current_user, run)
    proposals = [] if official_view else review.reviewable(current_user, run)
    members = {p.id: [(m, _volunteer_name(m.volunteer_id), member_reason(m.explanation))
                      for m in p.members] for p in proposals}
    labels = {p.id: _household_label(db.session.get(Household, p.household_id))
              for p in proposals}
    open_items = []
    if run.result and not official_view:
        orgs = ({run.organization_id} if run.organization_id is not None
                else set(organization_ids(current_user, Role.SOCIAL_WORKER)))
        wanted = [int(o["request"][1:]) for o in run.result["open"]]
        mine = {f"r{request_id}" for request_id in db.session.scalars(
            select(CareRequest.id).join(Household)
            .where(CareRequest.id.in_(wanted), Household.organization_id.in_(sorted(orgs))))}
        open_items = [(o["request"], open_reason(o.get("explanation", {})))
                      for o in run.result["open"] if o["request"] in mine]
    return {
        "run": run, "status": runs.status_of(run), "scope": scope_label(run),
        "official_view": official_view, "proposals": proposals, "members": members,
        "open_items": open_items, "labels": labels, "targets": recruitment.targets(run),
        "summary": recruitment.summary(run),
        "actions": review.run_actions(current_user, run, proposals),
        "form": ActionForm(), "run_states": RUN_STATE,
        "proposal_states": PROPOSAL_STATE, "member_states": MEMBER_STATE,
    }


@bp.get("/care/runs/<int:run_id>")
@requires(*STAFF_AND_OFFICIALS)
def show(run_id: int):
    run_liveness.sweep_dead_runs()
    review.expire_offers()
    db.session.commit()
    run = runs.get_run(current_user, run_id)
    return render_template("care/runs/show.html", **_page_context(run)), 200, NO_STORE


@bp.get("/care/runs/<int:run_id>/status")
@requires(*STAFF_AND_OFFICIALS)
def status(run_id: int):
    """What the progress bar polls: the run's row, never the worker."""
    run = runs.get_run(current_user, run_id)
    if run.live and run_liveness.sweep_dead_runs():
        db.session.commit()
        db.session.refresh(run)
    response = jsonify(runs.status_of(run))
    response.headers.update(NO_STORE)
    return response


@bp.get("/care/runs/<int:run_id>/problem.json")
@requires(*STAFF_AND_OFFICIALS)
def problem(run_id: int):
    """The snapshot in the matching format (volunteers' home points: audited)."""
    run = runs.get_run(current_user, run_id)
    if not runs.may_download_problem(current_user, run):
        raise OutOfScope()
    record(current_user, "matching_run.download_problem", "matching_run", run.id,
           places=Places(organization_id=run.organization_id))
    db.session.commit()
    body = json.dumps(run.problem, ensure_ascii=False, indent=1)
    return Response(body, mimetype="application/json", headers={
        **NO_STORE, "Content-Disposition": f"attachment; filename=matching-run-{run.id}.json"})


@bp.post("/care/runs/<int:run_id>/cancel")
@requires(*STAFF_AND_OFFICIALS)
def cancel(run_id: int):
    run = runs.get_run(current_user, run_id)
    if attempt(lambda: runs.cancel_run(current_user, run),
               _("The run is cancelled; nothing of it was offered.")):
        jobs.cancel(run.job_id)
    return redirect(url_for(".show", run_id=run_id))


@bp.post("/care/runs/<int:run_id>/apply")
@requires(Role.SOCIAL_WORKER)
def apply(run_id: int):
    run = runs.get_run(current_user, run_id)
    if not review.reviewable(current_user, run):
        raise OutOfScope()
    try:
        count = review.offer_all(current_user, run)
    except DomainError as error:
        _commit_stale(error)
        return redirect(url_for(".show", run_id=run_id))
    db.session.commit()
    flash(_("%(count)d team(s) offered; the volunteers are notified.", count=count), "success")
    return redirect(url_for(".show", run_id=run_id))


@bp.post("/care/runs/<int:run_id>/discard")
@requires(Role.SOCIAL_WORKER)
def discard(run_id: int):
    run = runs.get_run(current_user, run_id)
    attempt(lambda: review.discard(current_user, run),
            _("The run is set aside; nothing of it was offered."))
    return redirect(url_for(".show", run_id=run_id))


@bp.post("/care/proposals/<int:proposal_id>/offer")
@requires(Role.SOCIAL_WORKER)
def offer(proposal_id: int):
    proposal = review.get_proposal(current_user, proposal_id)
    run_id = proposal.run_id
    try:
        review.offer(current_user, proposal)
    except DomainError as error:
        _commit_stale(error)
        return redirect(url_for(".show", run_id=run_id))
    db.session.commit()
    flash(_("The team is offered; the volunteers are notified."), "success")
    return redirect(url_for(".show", run_id=run_id))


@bp.post("/care/proposals/<int:proposal_id>/reject")
@requires(Role.SOCIAL_WORKER)
def reject(proposal_id: int):
    proposal = review.get_proposal(current_user, proposal_id)
    run_id = proposal.run_id
    attempt(lambda: review.reject(current_user, proposal),
            _("The proposed team is rejected; nobody is asked."))
    return redirect(url_for(".show", run_id=run_id))


@bp.post("/care/runs/<int:run_id>/recruit/<int:index>")
@requires(Role.SOCIAL_WORKER, Role.ORG_ADMIN)
def recruit(run_id: int, index: int):
    run = runs.get_run(current_user, run_id)
    made = attempt(lambda: recruitment.start_project(current_user, run, index),
                   _("A draft recruitment project was made for this profile."))
    if not made:
        return redirect(url_for(".show", run_id=run_id))
    return redirect(url_for("projects.project_edit", project_id=made.value.id))


@bp.get("/care/offers")
@requires(Role.VOLUNTEER)
def offers():
    review.expire_offers()
    db.session.commit()
    items = []
    for member in review.my_offers(current_user):
        request_ = db.session.get(CareRequest, member.proposal.care_request_id)
        household = request_.household
        place = household.community.name + (f" {household.grid.name}" if household.grid
                                             else "")
        items.append((member, place, _needs_text(request_), member_reason(member.explanation)))
    return render_template("care/runs/offers.html", items=items, form=ActionForm()), 200, \
        NO_STORE


def _answer(member_id: int, step, done: str):
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    member = review.my_member(current_user, member_id)
    attempt(lambda: step(current_user, member), done)
    return redirect(url_for(".offers"))


@bp.post("/care/offers/<int:member_id>/accept")
@requires(Role.VOLUNTEER)
def accept(member_id: int):
    return _answer(member_id, review.accept, _("Thank you: you accepted the offer."))


@bp.post("/care/offers/<int:member_id>/decline")
@requires(Role.VOLUNTEER)
def decline(member_id: int):
    return _answer(member_id, review.decline,
                   _("You declined; you will not be proposed for this household again."))


@bp.get("/matching-rules")
@public
def rules():
    return render_template("care/runs/rules.html")
