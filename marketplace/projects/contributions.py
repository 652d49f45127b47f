"""What projects add to pages other domains own: home cards, the organization page's
"open projects" panel, and the sign-ups section of the own-data download."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from marketplace.auth.models import Role
from marketplace.clock import local_today, utc_iso, utcnow
from marketplace.contributions import OrgPanel
from marketplace.extensions import db
from marketplace.home.actions import HomeAction
from marketplace.projects.access import staff_org_ids
from marketplace.projects.localtime import day_bounds
from marketplace.projects.models import (
    Project,
    ProjectState,
    Shift,
    ShiftState,
    SignUp,
    SignUpState,
)
from marketplace.projects.services import may_create_project
from marketplace.volunteers.services import profile_of


def _upcoming_confirmed(profile_id: int) -> int:
    return db.session.scalar(
        select(func.count(SignUp.id)).join(Shift, Shift.id == SignUp.shift_id).where(
            SignUp.volunteer_id == profile_id,
            SignUp.state.in_((SignUpState.CONFIRMED, SignUpState.WAITLISTED)),
            Shift.starts_at > utcnow(),
        )
    )


def _shifts_today(org_ids: set[int]) -> int:
    start, end = day_bounds(local_today())
    return db.session.scalar(
        select(func.count(Shift.id)).join(Project, Project.id == Shift.project_id).where(
            Project.organization_id.in_(org_ids),
            Shift.state != ShiftState.CANCELLED,
            Shift.starts_at >= start, Shift.starts_at < end,
        )
    )


def home_actions(user) -> list[HomeAction]:
    actions: list[HomeAction] = []
    if user.has_role(Role.VOLUNTEER):
        actions.append(HomeAction(
            title=_("Open shifts near me"),
            description=_("Shifts nearest your home first: sign up in one tap."),
            url=url_for("projects.browse"),
            roles=(Role.VOLUNTEER,),
        ))
        profile = profile_of(user)
        actions.append(HomeAction(
            title=_("My sign-ups"),
            description=_("Your coming shifts, the waiting list, your calendar feed."),
            url=url_for("projects.my_sign_ups"),
            badge=(_upcoming_confirmed(profile.id) or None) if profile else None,
            roles=(Role.VOLUNTEER,),
        ))
    org_ids = staff_org_ids(user)
    if org_ids:
        today = _shifts_today(org_ids)
        actions.append(HomeAction(
            title=_("My projects"),
            description=_("Projects and shifts of your organization: publish, staff, record."),
            url=url_for("projects.my_projects"),
            roles=(Role.SOCIAL_WORKER, Role.ORG_ADMIN),
        ))
        actions.append(HomeAction(
            title=_("Today's shifts"),
            description=_("Show the check-in code and keep the roster."),
            url=url_for("projects.today"),
            badge=today or None,
            roles=(Role.SOCIAL_WORKER, Role.ORG_ADMIN),
        ))
    return actions


def open_projects_panel(viewer, org) -> OrgPanel:
    projects = db.session.scalars(
        select(Project).where(Project.organization_id == org.id,
                              Project.state == ProjectState.PUBLISHED)
        .order_by(Project.starts_on.desc(), Project.id.desc()).limit(20)
    ).all()
    upcoming = dict(db.session.execute(
        select(Shift.project_id, func.count(Shift.id)).where(
            Shift.project_id.in_([p.id for p in projects]),
            Shift.state == ShiftState.SCHEDULED, Shift.starts_at > utcnow(),
        ).group_by(Shift.project_id)
    ).all()) if projects else {}
    return OrgPanel(
        title=_("Open projects"),
        template="projects/_org_panel.html",
        context={"projects": projects, "upcoming": upcoming,
                 "may_create": may_create_project(viewer, org)},
    )


def export_section(user) -> dict[str, object]:
    """The person's own sign-ups, for the "download my data" file (PIPL art. 45)."""
    profile = profile_of(user)
    if profile is None:
        return {"sign_ups": []}
    entries = db.session.scalars(
        select(SignUp).where(SignUp.volunteer_id == profile.id).order_by(SignUp.id)
    ).all()

    return {"sign_ups": [
        {
            "shift_id": e.shift_id,
            "project": e.shift.project.title,
            "organization": e.shift.project.organization.name,
            "starts_at": utc_iso(e.shift.starts_at),
            "ends_at": utc_iso(e.shift.ends_at),
            "state": e.state.value,
            "created_at": utc_iso(e.created_at),
            "promoted_at": utc_iso(e.promoted_at),
            "cancelled_at": utc_iso(e.cancelled_at),
            "late_cancel": e.late_cancel,
            "checked_in_at": utc_iso(e.checked_in_at),
            "checked_out_at": utc_iso(e.checked_out_at),
            "feedback": [{"role": f.role.value, "rating": f.rating, "comment": f.comment}
                         for f in e.feedback],
        }
        for e in entries
    ]}
