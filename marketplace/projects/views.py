"""Volunteers' pages: open shifts near home, a shift and its sign-up, my sign-ups, the
calendar feed, the scan that checks in and out, the poster for notice boards."""

from __future__ import annotations

import segno
from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import NotFound

from marketplace.auth.access import public, requires
from marketplace.auth.models import Role
from marketplace.bounds import paginate
from marketplace.errors import DomainError, attempt, show_error
from marketplace.extensions import db
from marketplace.geo.models import Community
from marketplace.matching.geo import haversine_km
from marketplace.privacy.caching import NO_STORE
from marketplace.projects import (
    access,
    attendance,
    calendar_feed,
    feedback,
    labels,
    services,
    signups,
)
from marketplace.projects.forms import ConfirmForm, FeedbackForm
from marketplace.projects.localtime import format_local
from marketplace.projects.models import FeedbackRole, SignUp, SignUpState
from marketplace.projects.search import ShiftFilters, open_shifts_query, with_radius
from marketplace.volunteers.codes import LANGUAGES, SKILLS
from marketplace.volunteers.services import profile_of

bp = Blueprint("projects", __name__)
PER_PAGE = 20


@bp.app_context_processor
def project_labels():
    return {"project_labels": labels, "skill_labels": SKILLS, "language_labels": LANGUAGES,
            "beijing_time": format_local}


def _home_point(profile) -> tuple[float, float] | None:
    if profile is None or profile.lat is None or profile.lon is None:
        return None
    return profile.lat, profile.lon


@bp.get("/shifts")
@public
def browse():
    filters = ShiftFilters.parse(request.args)
    profile = profile_of(current_user)
    home = _home_point(profile)
    filters = with_radius(filters, home, PER_PAGE)
    page = paginate(open_shifts_query(filters, home), per_page=PER_PAGE)
    distances = {
        shift.id: haversine_km(home[0], home[1], shift.lat, shift.lon) for shift in page.items
    } if home else {}
    communities = db.session.scalars(db.select(Community).order_by(Community.id)).all()
    return render_template("projects/browse.html", page=page, filters=filters, home=home,
                           distances=distances, communities=communities)


def _my_entry(shift) -> SignUp | None:
    if not current_user.is_authenticated:
        return None
    profile = profile_of(current_user)
    return signups.live_sign_up(shift.id, profile.id) if profile else None


@bp.get("/shifts/<int:shift_id>")
@public
def shift_detail(shift_id: int):
    shift = access.visible_shift(current_user, shift_id)
    entry = _my_entry(shift)
    return render_template(
        "projects/shift.html",
        shift=shift,
        entry=entry,
        position=signups.waitlist_position(entry) if entry else None,
        open_for_sign_up=signups.takes_sign_ups(shift),
        problem=signups.first_problem(current_user, shift) if entry is None else None,
        may_cancel=entry is not None and signups.may_cancel(entry),
        deadline=signups.cancel_deadline(shift),
        leads=access.leads(current_user, shift),
        shift_actions=services.allowed_shift_actions(current_user, shift),
        form=ConfirmForm(),
    )


@bp.post("/shifts/<int:shift_id>/sign-up")
@requires(Role.VOLUNTEER)
def sign_up(shift_id: int):
    shift = access.visible_shift(current_user, shift_id)
    if not ConfirmForm().validate_on_submit():
        flash(_("The form expired: please try again."), "error")
        return redirect(url_for(".shift_detail", shift_id=shift.id))
    try:
        entry = signups.sign_up(current_user, shift)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        show_error(exc)
        return redirect(url_for(".shift_detail", shift_id=shift.id))
    except IntegrityError:
        # A second tap raced past the check: the first one's sign-up stands.
        db.session.rollback()
        entry = _my_entry(shift)
        if entry is None:
            raise
    if entry.state == SignUpState.CONFIRMED:
        flash(_("You are signed up. A reminder comes the evening before."), "success")
    else:
        flash(_("The shift is full: you are on the waiting list and will be told if a seat "
                "frees up."), "info")
    return redirect(url_for(".shift_detail", shift_id=shift.id))


@bp.post("/sign-ups/<int:sign_up_id>/cancel")
@requires(Role.VOLUNTEER)
def cancel(sign_up_id: int):
    entry = access.own_sign_up(current_user, sign_up_id)
    if ConfirmForm().validate_on_submit():
        cancelled = attempt(lambda: signups.cancel(current_user, entry), None)
        if cancelled:
            flash(_("Cancelled. Thank you for telling us in time.") if not cancelled.value else
                  _("Cancelled. It was close to the start: please tell us earlier next time."),
                  "success")
    return redirect(url_for(".shift_detail", shift_id=entry.shift_id))


@bp.get("/me/sign-ups")
@requires(Role.VOLUNTEER)
def my_sign_ups():
    profile = profile_of(current_user)
    if profile is None:
        return redirect(url_for("volunteers.edit_profile"))
    feed = calendar_feed.feed_of(profile)  # made on the first visit
    db.session.commit()
    # Read after the commit, which would expire them and reload each one on the page.
    entries = signups.sign_ups_of(profile)
    return render_template(
        "projects/my_sign_ups.html",
        entries=entries,
        feed_url=url_for(".calendar", token=feed.token, _external=True),
        rateable=feedback.rateable(entries, FeedbackRole.VOLUNTEER),
        form=ConfirmForm(),
        feedback_form=FeedbackForm(),
    ), 200, NO_STORE


@bp.post("/me/calendar/rotate")
@requires(Role.VOLUNTEER)
def rotate_calendar():
    profile = profile_of(current_user)
    if profile is not None and ConfirmForm().validate_on_submit():
        calendar_feed.rotate(profile)
        db.session.commit()
        flash(_("A new calendar address is ready; the old one no longer works."), "success")
    return redirect(url_for(".my_sign_ups"))


@bp.get("/calendar/<token>.ics")
@public
def calendar(token: str):
    profile = calendar_feed.profile_for_token(token)
    if profile is None:
        raise NotFound()
    body = calendar_feed.render(profile, request.host.split(":")[0], _("My volunteer shifts"))
    return Response(body, mimetype="text/calendar", headers=NO_STORE | {
        "Content-Disposition": 'inline; filename="shifts.ics"'})


@bp.post("/sign-ups/<int:sign_up_id>/rating")
@requires(Role.VOLUNTEER)
def rate(sign_up_id: int):
    entry = access.own_sign_up(current_user, sign_up_id)
    form = FeedbackForm()
    if form.validate_on_submit():
        attempt(lambda: feedback.rate(current_user, entry, FeedbackRole.VOLUNTEER,
                                      int(form.rating.data), form.comment.data),
                _("Thank you for your rating."))
    else:
        flash(_("Choose from 1 to 5 stars."), "error")
    return redirect(url_for(".my_sign_ups"))


@bp.route("/shifts/<int:shift_id>/scan", methods=["GET", "POST"])
@requires(Role.VOLUNTEER)
def scan(shift_id: int):
    """Where the leader's code leads: a button, so that opening the link changes nothing."""
    shift = access.visible_shift(current_user, shift_id)
    token = request.values.get("t", "")[:200]
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        scanned = attempt(lambda: attendance.scan(current_user, shift, token), None)
        if not scanned:
            return render_template("projects/scan.html", shift=shift, token=token, form=form,
                                   refused=True), 400
        flash(_("Checked in. Welcome!") if scanned.value == "checked_in" else
              _("Checked out. Your hours await the organization's verification."), "success")
        return redirect(url_for(".shift_detail", shift_id=shift.id))
    return render_template("projects/scan.html", shift=shift, token=token, form=form,
                           refused=False)


@bp.get("/shifts/<int:shift_id>/poster")
@public
def poster(shift_id: int):
    """An A4 notice for community boards, always in Chinese, with a code to the sign-up page."""
    shift = access.visible_shift(current_user, shift_id)
    target = url_for(".shift_detail", shift_id=shift.id, _external=True)
    qr = segno.make(target, error="m").svg_data_uri(scale=8, border=2)
    with force_locale("zh"):
        return render_template("projects/poster.html", shift=shift, qr=qr, target=target)


# Management pages share this blueprint; importing the module registers their routes.
from marketplace.projects import manage_views  # noqa: E402, F401
