"""The organization's pages: its projects and shifts, the check-in code, the roster,
ratings of attendance and satisfaction follow-ups. Scope: the organization's social workers
and admins (the shift's leader for the code and the roster); anything else answers 404."""

from __future__ import annotations

import segno
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import NotFound

from marketplace.auth.access import public, requires
from marketplace.auth.models import Role
from marketplace.clock import local_today, utcnow
from marketplace.errors import attempt
from marketplace.extensions import db
from marketplace.orgs.models import Organization
from marketplace.projects import access, attendance, feedback, services, signups
from marketplace.projects.forms import (
    BeneficiaryForm,
    ConfirmForm,
    FeedbackForm,
    FollowUpForm,
    ProjectForm,
    ReasonForm,
    ShiftForm,
)
from marketplace.projects.localtime import day_bounds, to_local
from marketplace.projects.models import FeedbackRole, Project, Shift
from marketplace.projects.views import bp
from marketplace.volunteers.models import VolunteerProfile

STAFF = (Role.SOCIAL_WORKER, Role.ORG_ADMIN)


@bp.get("/projects/mine")
@requires(*STAFF)
def my_projects():
    orgs = _staff_orgs()
    return render_template(
        "projects/mine.html", projects=services.projects_of(current_user), orgs=orgs,
        creatable={o.id for o in orgs if services.may_create_project(current_user, o)},
    )


@bp.get("/projects/today")
@requires(*STAFF)
def today():
    ids = access.staff_org_ids(current_user)
    start, end = day_bounds(local_today())
    shifts = db.session.scalars(
        db.select(Shift).join(Project, Project.id == Shift.project_id)
        .where(Project.organization_id.in_(ids), Shift.starts_at >= start, Shift.starts_at < end)
        .order_by(Shift.starts_at)
    ).all() if ids else []
    return render_template("projects/today.html", shifts=shifts)


def _staff_orgs():
    ids = access.staff_org_ids(current_user)
    return db.session.scalars(
        db.select(Organization).where(Organization.id.in_(ids)).order_by(Organization.id)
    ).all() if ids else []


@bp.get("/projects/<int:project_id>")
@public
def project_detail(project_id: int):
    project = access.visible_project(current_user, project_id)
    return render_template(
        "projects/project.html", project=project,
        actions=services.allowed_project_actions(current_user, project),
        shifts=services.shifts_shown(current_user, project),
        form=ConfirmForm(),
    )


@bp.route("/orgs/<int:org_id>/projects/new", methods=["GET", "POST"])
@requires(*STAFF)
def project_create(org_id: int):
    org = access.org_for_staff(current_user, org_id)
    form = ProjectForm()
    if form.validate_on_submit():
        project = attempt(lambda: services.create_project(current_user, org, form.data_object()),
                          _("Saved as a draft: add shifts, then publish it."), form).value
        if project is not None:
            return redirect(url_for(".project_detail", project_id=project.id))
    return render_template("projects/project_form.html", form=form, org=org, project=None)


@bp.route("/projects/<int:project_id>/edit", methods=["GET", "POST"])
@requires(*STAFF)
def project_edit(project_id: int):
    project = access.project_for_staff(current_user, project_id)
    form = ProjectForm(obj=project)
    if request.method == "GET":
        form.domain.data = project.domain.value
        form.fee_type.data = project.fee_type.value
    if form.validate_on_submit() and attempt(
        lambda: services.update_project(project, form.data_object()), _("Changes saved."), form,
    ):
        return redirect(url_for(".project_detail", project_id=project.id))
    return render_template("projects/project_form.html", form=form,
                           org=project.organization, project=project)


@bp.post("/projects/<int:project_id>/publish")
@requires(*STAFF)
def project_publish(project_id: int):
    project = access.project_for_staff(current_user, project_id)
    if ConfirmForm().validate_on_submit():
        attempt(lambda: services.publish(project), _("Published: volunteers can now sign up."))
    return redirect(url_for(".project_detail", project_id=project.id))


@bp.post("/projects/<int:project_id>/close")
@requires(*STAFF)
def project_close(project_id: int):
    project = access.project_for_staff(current_user, project_id)
    if ConfirmForm().validate_on_submit():
        attempt(lambda: services.close(current_user, project),
                _("Closed: its coming shifts are cancelled and everyone signed up is told."))
    return redirect(url_for(".project_detail", project_id=project.id))


def _fill_shift_form(form: ShiftForm, shift) -> None:
    form.starts_at.data = to_local(shift.starts_at).replace(tzinfo=None)
    form.ends_at.data = to_local(shift.ends_at).replace(tzinfo=None)
    form.skills.data = list(shift.skills or [])
    form.languages.data = list(shift.languages or [])
    form.leader_volunteer_no.data = (
        _leader_number(shift.leader_id) if shift.leader_id else ""
    )


def _leader_number(user_id: int) -> str:
    number = db.session.scalar(
        db.select(VolunteerProfile.volunteer_no).where(VolunteerProfile.user_id == user_id))
    return number or ""


@bp.route("/projects/<int:project_id>/shifts/new", methods=["GET", "POST"])
@requires(*STAFF)
def shift_create(project_id: int):
    project = access.project_for_staff(current_user, project_id)
    form = ShiftForm()
    if request.method == "GET" and project.community_id:
        form.community_id.data = project.community_id
    if form.validate_on_submit():
        shift = attempt(lambda: services.create_shift(project, form.data_object()),
                        _("Shift added."), form).value
        if shift is not None:
            return redirect(url_for(".shift_detail", shift_id=shift.id))
    return render_template("projects/shift_form.html", form=form, project=project, shift=None)


@bp.route("/shifts/<int:shift_id>/edit", methods=["GET", "POST"])
@requires(*STAFF)
def shift_edit(shift_id: int):
    shift = access.shift_for_staff(current_user, shift_id)
    form = ShiftForm(obj=shift)
    if request.method == "GET":
        _fill_shift_form(form, shift)
    if form.validate_on_submit() and attempt(
        lambda: services.update_shift(current_user, shift, form.data_object()),
        _("Changes saved."), form,
    ):
        return redirect(url_for(".shift_detail", shift_id=shift.id))
    return render_template("projects/shift_form.html", form=form, project=shift.project,
                           shift=shift, cancel_form=ReasonForm())


@bp.post("/shifts/<int:shift_id>/cancel")
@requires(*STAFF)
def shift_cancel(shift_id: int):
    shift = access.shift_for_staff(current_user, shift_id)
    form = ReasonForm()
    if form.validate_on_submit():
        attempt(lambda: services.cancel_shift(current_user, shift, form.reason.data),
                _("The shift is cancelled and everyone signed up is told."))
    return redirect(url_for(".shift_detail", shift_id=shift.id))


@bp.get("/shifts/<int:shift_id>/code")
@requires()
def check_in_code(shift_id: int):
    """The leader's screen: a code that changes every minute (the page reloads itself)."""
    shift = access.shift_for_leader(current_user, shift_id)
    is_open = attendance.code_is_open(shift)
    qr = None
    if is_open:
        target = url_for(".scan", shift_id=shift.id, t=attendance.check_in_token(shift),
                         _external=True)
        qr = segno.make(target, error="m").svg_data_uri(scale=6, border=2)
    opens, closes = attendance.code_window(shift)
    return render_template(
        "projects/code.html", shift=shift, qr=qr, opens=opens, closes=closes,
        refresh=attendance.seconds_to_rotation() if is_open else None,
    ), 200, {"Cache-Control": "no-store"}


@bp.get("/shifts/<int:shift_id>/roster")
@requires()
def roster(shift_id: int):
    shift = access.shift_for_leader(current_user, shift_id)
    entries = attendance.roster(shift)
    is_staff = access.is_staff_of(current_user, shift.project.organization_id)
    return render_template(
        "projects/roster.html", shift=shift, entries=entries,
        shift_actions=services.allowed_shift_actions(current_user, shift),
        actions={e.id: attendance.roster_actions(e) for e in entries},
        rateable=feedback.rateable(entries, FeedbackRole.ORGANIZER) if is_staff else set(),
        form=ConfirmForm(), feedback_form=FeedbackForm(), reason_form=ReasonForm(),
        cancellable={e.id for e in entries if is_staff and e.is_live
                     and e.shift.starts_at > utcnow()},
        beneficiary_form=BeneficiaryForm(beneficiary_count=shift.beneficiary_count),
    ), 200, {"Cache-Control": "no-store"}


@bp.post("/sign-ups/<int:sign_up_id>/attendance")
@requires()
def record_attendance(sign_up_id: int):
    entry = access.sign_up_for_leader(current_user, sign_up_id)
    action = request.form.get("action", "")
    if ConfirmForm().validate_on_submit():
        attempt(lambda: attendance.record(current_user, entry, action), _("Recorded."))
    return redirect(url_for(".roster", shift_id=entry.shift_id))


@bp.post("/sign-ups/<int:sign_up_id>/organizer-cancel")
@requires(*STAFF)
def organizer_cancel(sign_up_id: int):
    """The organization withdraws one person's place, with a reason the person is told."""
    entry = access.sign_up_for_leader(current_user, sign_up_id)
    if not access.is_staff_of(current_user, entry.shift.project.organization_id):
        raise NotFound()
    form = ReasonForm()
    if form.validate_on_submit():
        attempt(lambda: signups.cancel_by_organizer(current_user, entry, form.reason.data),
                _("The place is withdrawn and the volunteer is told."))
    return redirect(url_for(".roster", shift_id=entry.shift_id))


@bp.post("/sign-ups/<int:sign_up_id>/attendance-rating")
@requires(*STAFF)
def rate_attendance(sign_up_id: int):
    entry = access.sign_up_for_leader(current_user, sign_up_id)
    if not access.is_staff_of(current_user, entry.shift.project.organization_id):
        return redirect(url_for(".roster", shift_id=entry.shift_id))
    form = FeedbackForm()
    if form.validate_on_submit():
        attempt(lambda: feedback.rate(current_user, entry, FeedbackRole.ORGANIZER,
                                      int(form.rating.data), form.comment.data),
                _("Rating saved."))
    else:
        flash(_("Choose from 1 to 5 stars."), "error")
    return redirect(url_for(".roster", shift_id=entry.shift_id))


@bp.post("/shifts/<int:shift_id>/beneficiaries")
@requires(*STAFF)
def record_beneficiaries(shift_id: int):
    shift = access.shift_for_staff(current_user, shift_id)
    form = BeneficiaryForm()
    if form.validate_on_submit():
        attempt(lambda: attendance.record_beneficiaries(shift, form.beneficiary_count.data),
                _("Recorded."))
    else:
        flash(_("Give a number from 0 to 100000."), "error")
    return redirect(url_for(".roster", shift_id=shift.id))


@bp.route("/shifts/<int:shift_id>/follow-ups", methods=["GET", "POST"])
@requires(*STAFF)
def follow_ups(shift_id: int):
    shift = access.shift_for_staff(current_user, shift_id)
    form = FollowUpForm()
    if form.validate_on_submit() and attempt(
        lambda: feedback.record_follow_up(current_user, shift, form.data_object()),
        _("Follow-up recorded."), form,
    ):
        return redirect(url_for(".follow_ups", shift_id=shift.id))
    return render_template("projects/follow_ups.html", shift=shift, form=form,
                           records=feedback.follow_ups_of(shift))
