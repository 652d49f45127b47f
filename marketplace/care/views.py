"""Care pages: households, their health notes and requests, living teams, the map."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.auth import scopes
from marketplace.auth.access import requires
from marketplace.auth.models import Role
from marketplace.bounds import paginate, query_id
from marketplace.care import labels
from marketplace.care.forms import (
    FilterForm,
    FollowUpForm,
    HealthNoteForm,
    HouseholdForm,
    ReasonForm,
    RequestForm,
    VisitForm,
)
from marketplace.care.models import CareRequestState, HouseholdFlag
from marketplace.care.services import health_notes, household_lists, living, requests, supervision
from marketplace.care.services import households as services
from marketplace.errors import DomainError, attempt, flash_form_errors, show_error
from marketplace.orgs.forms import ConfirmForm
from marketplace.privacy.caching import NO_STORE
from marketplace.privacy.forms import RevealForm
from marketplace.volunteers.codes import LANGUAGES, SKILLS, slot_label

bp = Blueprint("care", __name__)
PER_PAGE = 30


@bp.context_processor
def care_labels():
    return {"care_labels": labels, "skill_labels": SKILLS, "language_labels": LANGUAGES,
            "slot_label": slot_label}


def _page(template: str, status: int = 200, **context):
    # Personal values on every care page: never cached.
    return render_template(template, **context), status, NO_STORE


def _household_form(org) -> HouseholdForm:
    return HouseholdForm(household_lists.communities_for(org), _grids_of(org))


def _grids_of(org) -> list:
    return [grid for community in household_lists.communities_for(org) for grid in community.grids]


@bp.get("/care/households")
@requires(Role.SOCIAL_WORKER)
def households():
    filters = FilterForm(formdata=None)
    filters.state.choices = [("", _("All"))] + [
        (state, labels.REQUEST_STATE[CareRequestState(state)])
        for state in household_lists.REQUEST_FILTERS
    ]
    filters.grid.choices = [("", _("All"))] + [
        (g.id, f"{g.community.name} · {g.name}") for g in household_lists.grids_of(current_user)
    ]
    filters.flag.choices = [("", _("All"))] + [(f.value, labels.FLAG[f]) for f in HouseholdFlag]
    state = request.args.get("state")
    state = state if state in household_lists.REQUEST_FILTERS else None
    flag = request.args.get("flag") if request.args.get("flag") in set(HouseholdFlag) else None
    grid_id = query_id("grid")
    filters.state.data, filters.grid.data, filters.flag.data = state or "", grid_id, flag or ""
    page = paginate(household_lists.household_list(current_user, state=state, grid_id=grid_id,
                                            flag=flag), PER_PAGE)
    org_ids = services.social_worker_org_ids(current_user)
    return _page("care/households.html", page=page, filters=filters,
                 quiet=supervision.quiet_teams(org_ids, supervision.SOCIAL_WORKER_DAYS),
                 rematch=supervision.rematch_available())


@bp.route("/care/households/new", methods=["GET", "POST"])
@requires(Role.SOCIAL_WORKER)
def household_new():
    try:
        org = services.acting_organization(current_user)
    except DomainError as error:
        show_error(error)
        return redirect(url_for(".households"))
    form = _household_form(org)
    if form.validate_on_submit() and (registered := attempt(
            lambda: services.register_household(current_user, form.to_input(), org.id),
            _("Household registered."), form)):
        return redirect(url_for(".household", household_id=registered.value.id))
    return _page("care/household_form.html", status=400 if form.errors else 200, form=form,
                 household=None, grids=_grids_of(org))


@bp.get("/care/households/<int:household_id>")
@requires(Role.SOCIAL_WORKER)
def household(household_id: int):
    household = services.get_household(current_user, household_id)
    reveal = RevealForm(object_type=services.OBJECT_TYPE)
    reveal.object.data = household.id
    if household.health_note is None:
        reveal.kind.choices = [c for c in reveal.kind.choices if c[0] != "health_note"]
    return _page("care/household.html", household=household, reveal=reveal,
                 actions=services.household_actions(household),
                 close_form=ReasonForm(), follow_up_form=FollowUpForm(),
                 follow_ups=living.follow_ups_of(household),
                 teams={r.id: r.living_team for r in household.care_requests})


@bp.route("/care/households/<int:household_id>/edit", methods=["GET", "POST"])
@requires(Role.SOCIAL_WORKER)
def household_edit(household_id: int):
    household = services.get_household(current_user, household_id)
    form = _household_form(household.organization)
    if not form.is_submitted():
        form.fill_from(household)
    elif form.validate() and attempt(
            lambda: services.update_household(current_user, household,
                                              form.to_input(keep_phones=True)),
            _("Household saved."), form):
        return redirect(url_for(".household", household_id=household.id))
    return _page("care/household_form.html", status=400 if form.errors else 200, form=form,
                 household=household,
                 grids=_grids_of(household.organization))


@bp.post("/care/households/<int:household_id>/close")
@requires(Role.SOCIAL_WORKER)
def household_close(household_id: int):
    household = services.get_household(current_user, household_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        attempt(lambda: services.close_household(current_user, household, form.reason.data),
                _("Household closed; its history stays."), form)
    return redirect(url_for(".household", household_id=household.id))


@bp.route("/care/households/<int:household_id>/health", methods=["GET", "POST"])
@requires(Role.SOCIAL_WORKER)
def health_note(household_id: int):
    household = services.get_household(current_user, household_id)
    form = HealthNoteForm()
    if form.validate_on_submit() and attempt(
            lambda: health_notes.save_health_note(current_user, household, form.to_input()),
            _("Health notes saved, encrypted, with the consent recorded."), form):
        return redirect(url_for(".household", household_id=household.id))
    # The notes are never put back into the form: reading them is an audited reveal.
    return _page("care/health_note.html", status=400 if form.errors else 200, form=form,
                 household=household, consent_version=health_notes.HEALTH_CONSENT_VERSION)


@bp.post("/care/households/<int:household_id>/health/withdraw")
@requires(Role.SOCIAL_WORKER)
def health_withdraw(household_id: int):
    household = services.get_household(current_user, household_id)
    if ConfirmForm().validate_on_submit():
        attempt(lambda: health_notes.withdraw_health_consent(current_user, household),
                _("Consent withdrawn; the health notes are deleted."))
    return redirect(url_for(".household", household_id=household.id))


@bp.post("/care/households/<int:household_id>/follow-ups")
@requires(Role.SOCIAL_WORKER)
def follow_up(household_id: int):
    household = services.get_household(current_user, household_id)
    form = FollowUpForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        attempt(lambda: living.record_follow_up(current_user, household, form.to_input()),
                _("Follow-up recorded."), form)
    return redirect(url_for(".household", household_id=household.id))


@bp.route("/care/households/<int:household_id>/requests/new", methods=["GET", "POST"])
@requires(Role.SOCIAL_WORKER)
def request_new(household_id: int):
    household = services.get_household(current_user, household_id)
    form = RequestForm()
    if not form.is_submitted():
        form.fill_from(requests.RequestInput.from_household(household))
    elif form.validate() and attempt(
            lambda: requests.create_request(current_user, household, form.to_input()),
            _("Care request opened."), form):
        return redirect(url_for(".household", household_id=household.id))
    return _page("care/request_form.html", status=400 if form.errors else 200, form=form,
                 household=household)


@bp.post("/care/requests/<int:request_id>/close")
@requires(Role.SOCIAL_WORKER)
def request_close(request_id: int):
    care_request = requests.get_request(current_user, request_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        attempt(lambda: requests.close_request(current_user, care_request, form.reason.data),
                _("Request closed."), form)
    return redirect(url_for(".household", household_id=care_request.household_id))


# --- living teams ----------------------------------------------------------------------


@bp.get("/care/teams")
@requires(Role.VOLUNTEER)
def my_teams():
    return _page("care/my_teams.html", teams=living.teams_of_volunteer(current_user))


def _visit_form(page) -> VisitForm:
    form = VisitForm()
    form.volunteer_id.choices = [(m.volunteer_id, m.volunteer.real_name) for m in page.members]
    return form


@bp.get("/care/teams/<int:team_id>")
@requires()
def team(team_id: int):
    page = living.get_team(current_user, team_id)
    return _page("care/team.html", page=page, visit_form=_visit_form(page),
                 reason_form=ReasonForm(), follow_up_form=FollowUpForm())


@bp.post("/care/teams/<int:team_id>/visits")
@requires()
def visit_log(team_id: int):
    page = living.get_team(current_user, team_id)
    form = _visit_form(page)
    if form.validate_on_submit() and attempt(
            lambda: living.log_visit(current_user, page, form.to_input()),
            _("Visit logged; its hours wait for the social worker's check."), form):
        return redirect(url_for(".team", team_id=team_id))
    return _page("care/team.html", status=400, page=page, visit_form=form,
                 reason_form=ReasonForm(), follow_up_form=FollowUpForm())


@bp.post("/care/teams/<int:team_id>/leave")
@requires(Role.VOLUNTEER)
def team_leave(team_id: int):
    page = living.get_team(current_user, team_id)
    if not page.can_leave:
        flash(_("You are not serving on this team."), "error")
        return redirect(url_for(".my_teams"))
    if attempt(lambda: living.member_leaves(page.as_member, actor=current_user),
               _("You left the team; the social worker will find someone for your seat.")):
        return redirect(url_for(".my_teams"))
    return redirect(url_for(".team", team_id=team_id))


@bp.post("/care/teams/<int:team_id>/members/<int:member_id>/remove")
@requires(Role.SOCIAL_WORKER)
def member_remove(team_id: int, member_id: int):
    page = living.get_team(current_user, team_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        attempt(lambda: living.remove_member(current_user, page, member_id, form.reason.data),
                _("Member taken off the team; one seat is open again."), form)
    return redirect(url_for(".team", team_id=team_id))


@bp.get("/care/area")
@requires(Role.OFFICIAL)
def area():
    rows = household_lists.area_counts(scopes.official_area(current_user))
    return _page("care/area.html", rows=rows,
                 states=("open", "proposed", "staffed", "closed"))


# --- map -------------------------------------------------------------------------------


@bp.get("/care/map")
@requires(Role.SOCIAL_WORKER)
def map_page():
    return _page("care/map.html", tiles=current_app.config["MAP_TILE_URL"] or "",
                 attribution=current_app.config["MAP_TILE_ATTRIBUTION"] or "")


@bp.get("/care/map.json")
@requires(Role.SOCIAL_WORKER)
def map_data():
    body = jsonify(household_lists.map_features(current_user))
    return body, 200, NO_STORE
