"""Hours pages: the volunteer's own hours and certificates, the organization's verification
queue, ledger and insurance records, and the public certificate check."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.auth.access import public, requires
from marketplace.auth.models import Role
from marketplace.bounds import paginate, requested_page
from marketplace.errors import attempt, flash_form_errors
from marketplace.extensions import db, limiter
from marketplace.hours import certificates, insurance, labels, services
from marketplace.hours.forms import (
    ActionForm,
    CertificateCheckForm,
    CertificateRequestForm,
    CorrectionForm,
    InsuranceForm,
    ManualEntryForm,
    RejectForm,
    minutes_of,
)
from marketplace.hours.pdf import certificate_pdf

bp = Blueprint("hours", __name__)
PER_PAGE = 20
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


@bp.app_context_processor
def hours_labels():
    return {"hours_labels": labels}


def _own_profile():
    from marketplace.volunteers.services import profile_of

    return profile_of(current_user)


# --- the volunteer -----------------------------------------------------------------------


@bp.get("/me/hours")
@requires(Role.VOLUNTEER)
def mine():
    profile = _own_profile()
    if profile is None:
        return redirect(url_for("volunteers.edit_profile"))
    totals = services.totals(volunteer_id=profile.id)
    form = CertificateRequestForm()
    form.organization_id.choices = certificates.issuer_choices(current_user)
    return render_template(
        "hours/mine.html",
        totals=totals,
        stars=services.star_level(totals.volunteer_minutes),
        next_star=services.next_star_hours(totals.volunteer_minutes),
        entries=services.entries_of_volunteer(profile.id),
        certificates=certificates.certificates_of(current_user),
        form=form,
    ), 200, NO_STORE


@bp.post("/me/certificates")
@requires(Role.VOLUNTEER)
def request_certificate():
    form = CertificateRequestForm()
    form.organization_id.choices = certificates.issuer_choices(current_user)
    if form.validate_on_submit():
        certificate = attempt(lambda: certificates.issue(
            current_user, form.organization_id.data, form.period_from.data, form.period_to.data,
        ), None, form).value
        if certificate is not None:
            return redirect(url_for(".certificate", certificate_id=certificate.id))
    for field in form:
        for message in field.errors:
            flash(f"{field.label.text}: {message}", "error")
    return redirect(url_for(".mine"))


def _check_url(certificate, external: bool = True) -> str:
    return url_for(".check_certificate", serial=certificate.serial, code=certificate.check_code,
                   _external=external)


@bp.get("/me/certificates/<int:certificate_id>")
@requires(Role.VOLUNTEER)
def certificate(certificate_id: int):
    import segno

    shown = certificates.own_certificate(current_user, certificate_id)
    check_url = _check_url(shown)
    qr_svg = segno.make(check_url, error="m").svg_inline(scale=4, omitsize=True)
    return render_template("hours/certificate.html", certificate=shown, check_url=check_url,
                           qr_svg=qr_svg), 200, NO_STORE


@bp.get("/me/certificates/<int:certificate_id>.pdf")
@requires(Role.VOLUNTEER)
def certificate_file(certificate_id: int):
    shown = certificates.own_certificate(current_user, certificate_id)
    headers = dict(NO_STORE)
    headers["Content-Disposition"] = f'attachment; filename="certificate-{shown.serial}.pdf"'
    return Response(certificate_pdf(shown, _check_url(shown)), mimetype="application/pdf",
                    headers=headers)


@bp.get("/certificates/check")
@public
@limiter.limit("30 per minute")
def check_certificate():
    form = CertificateCheckForm(request.args)
    result, asked = None, bool(request.args)
    if asked and form.validate():
        result = certificates.check(form.serial.data, form.code.data)
    status = 404 if asked and result is None else 200
    return render_template("hours/check.html", form=form, result=result, asked=asked), status


# --- the organization's staff ------------------------------------------------------------


@bp.get("/hours/queue")
@requires(Role.SOCIAL_WORKER, Role.ORG_ADMIN)
def queue():
    page = paginate(services.queue_query(current_user), per_page=PER_PAGE)
    return render_template("hours/queue.html", page=page, action_form=ActionForm(),
                           reject_form=RejectForm(formdata=None)), 200, NO_STORE


def _back_to_queue():
    return redirect(url_for(".queue", page=requested_page()))


def _flash_decision(changed: bool, done: str) -> None:
    if changed:
        flash(done, "success")
    else:
        flash(_("These hours were decided already; nothing changed."), "info")


@bp.post("/hours/<int:entry_id>/verify")
@requires(Role.SOCIAL_WORKER, Role.ORG_ADMIN)
def verify(entry_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    verified = attempt(lambda: services.verify(current_user, entry_id), None)
    if verified:
        _flash_decision(verified.value, _("Hours verified."))
    return _back_to_queue()


@bp.post("/hours/<int:entry_id>/reject")
@requires(Role.SOCIAL_WORKER, Role.ORG_ADMIN)
def reject(entry_id: int):
    form = RejectForm()
    services.entry_for_staff(current_user, entry_id)  # 404 before any validation message
    if not form.validate_on_submit():
        flash_form_errors(form)
        return _back_to_queue()
    rejected = attempt(lambda: services.reject(current_user, entry_id, form.reason.data), None)
    if rejected:
        _flash_decision(rejected.value, _("Hours rejected; the volunteer sees your reason."))
    return _back_to_queue()


@bp.route("/hours/<int:entry_id>/correct", methods=["GET", "POST"])
@requires(Role.SOCIAL_WORKER, Role.ORG_ADMIN)
def correct(entry_id: int):
    entry = services.entry_for_staff(current_user, entry_id)
    form = CorrectionForm()
    if form.validate_on_submit() and attempt(lambda: services.record_correction(
        current_user, entry.id, minutes_of(form.hours.data), form.note.data,
    ), _("Correction recorded: it replaces the entry once a colleague verifies it."), form):
        return redirect(url_for(".ledger", org_id=entry.organization_id))
    return render_template("hours/correct.html", entry=entry, form=form), 200, NO_STORE


def _project_choices(org_id: int):
    from sqlalchemy import select

    from marketplace.projects.models import Project

    rows = db.session.execute(
        select(Project.id, Project.title).where(Project.organization_id == org_id)
        .order_by(Project.title)
    ).all()
    return [("", _("No project (visit, other service)"))] + [(r.id, r.title) for r in rows]


@bp.route("/orgs/<int:org_id>/hours", methods=["GET", "POST"])
@requires(Role.SOCIAL_WORKER, Role.ORG_ADMIN)
def ledger(org_id: int):
    org = services.staff_organization(current_user, org_id)
    form = ManualEntryForm()
    form.project_id.choices = _project_choices(org.id)
    if form.validate_on_submit() and attempt(lambda: services.record_manual(
        current_user, organization_id=org.id, volunteer_no=form.volunteer_no.data,
        service_date=form.service_date.data, minutes=minutes_of(form.hours.data),
        project_id=form.project_id.data,
    ), _("Hours recorded; they count once verified."), form):
        return redirect(url_for(".ledger", org_id=org.id))
    page = paginate(services.ledger_query(org.id), per_page=PER_PAGE)
    status = 400 if form.errors else 200
    return render_template(
        "hours/ledger.html", org=org, form=form, page=page,
        totals=services.totals(organization_id=org.id),
        counted=services.counted_ids([entry.id for entry in page.items]),
    ), status, NO_STORE


@bp.route("/orgs/<int:org_id>/insurance", methods=["GET", "POST"])
@requires(Role.SOCIAL_WORKER, Role.ORG_ADMIN)
def insurance_records(org_id: int):
    org = services.staff_organization(current_user, org_id)
    form = InsuranceForm()
    if form.validate_on_submit() and attempt(lambda: insurance.record(
        current_user, org.id, form.volunteer_no.data, form.insurer.data,
        form.policy_no.data, form.valid_from.data, form.valid_until.data,
    ), _("Insurance recorded."), form):
        return redirect(url_for(".insurance_records", org_id=org.id))
    status = 400 if form.errors else 200
    return render_template("hours/insurance.html", org=org, form=form,
                           records=insurance.recorded_by(org.id)), status, NO_STORE

