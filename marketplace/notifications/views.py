"""The notification centre and the home page's unread badge."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.auth.access import requires
from marketplace.auth.models import Role
from marketplace.bounds import paginate, requested_page
from marketplace.errors import OutOfScope
from marketplace.extensions import db
from marketplace.home.actions import HomeAction
from marketplace.notifications import services
from marketplace.notifications.kinds import render

bp = Blueprint("notifications", __name__)
PER_PAGE = 20


@bp.get("/notifications")
@requires()
def centre():
    page = paginate(services.centre_query(current_user.id), per_page=PER_PAGE)
    return render_template(
        "notifications/centre.html",
        page=page,
        texts={n.id: render(n.kind, n.params) for n in page.items},
        unread=services.unread_count(current_user.id),
    )


@bp.post("/notifications/<int:notification_id>/open")
@requires()
def open_one(notification_id: int):
    notification = services.open_notification(current_user.id, notification_id)
    if notification is None:
        raise OutOfScope()
    db.session.commit()
    return redirect(notification.url or url_for(".centre", page=requested_page()))


@bp.post("/notifications/read")
@requires()
def read_all():
    if services.mark_all_read(current_user.id):
        flash(_("All notifications are marked as read."), "success")
    db.session.commit()
    return redirect(url_for(".centre"))


def notifications_home_actions(user) -> list[HomeAction]:
    """One card in the user's first section, with the unread count (one COUNT query)."""
    unread = services.unread_count(user.id)
    return [
        HomeAction(
            title=_("Notifications"),
            description=_("Sign-ups, reminders and verified hours."),
            url=url_for("notifications.centre"),
            badge=unread or None,
            roles=tuple(Role),
        )
    ]
