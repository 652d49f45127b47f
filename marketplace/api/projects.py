"""Projects, their open shifts, and the volunteer's own sign-ups (never overbooked: the
projects domain takes the seat or puts the volunteer on the waiting list)."""

from __future__ import annotations

from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict

from marketplace.api.framework import (
    api_blueprint,
    api_public,
    api_requires,
    found_first,
    one_page,
    page_schema,
)
from marketplace.api.schemas import (
    PageQuery,
    ProjectSchema,
    ShiftQuery,
    ShiftSchema,
    SignUpCancel,
    SignUpCreate,
    SignUpSchema,
)
from marketplace.auth.models import Role
from marketplace.extensions import db
from marketplace.projects import access, signups
from marketplace.projects.models import Project, SignUp
from marketplace.projects.search import ShiftFilters, open_shifts_query
from marketplace.volunteers.services import profile_of

blp = api_blueprint("api_projects", "", "Projects, shifts and sign-ups")
ProjectPage = page_schema(ProjectSchema)
ShiftPage = page_schema(ShiftSchema)
SignUpPage = page_schema(SignUpSchema)


@blp.get("/projects")
@api_requires(Role.SOCIAL_WORKER, Role.ORG_ADMIN)
@blp.arguments(PageQuery, location="query", as_kwargs=True)
@blp.response(200, ProjectPage)
def project_list(page, per_page):
    """The projects of the organizations the user works for."""
    org_ids = access.staff_org_ids(current_user)
    statement = (select(Project).where(Project.organization_id.in_(sorted(org_ids)))
                 .order_by(Project.starts_on.desc(), Project.id.desc()))
    return one_page(statement, per_page)


@blp.get("/projects/<int:project_id>")
@api_public
@blp.response(200, ProjectSchema)
def project_detail(project_id: int):
    """A published or closed project; a draft only for its organization's staff."""
    return access.visible_project(current_user, project_id)


@blp.get("/shifts")
@api_public
@blp.arguments(ShiftQuery, location="query")
@blp.response(200, ShiftPage)
def shift_list(query):
    """Open shifts, soonest first, filtered like the site's shift search."""
    filters = ShiftFilters.parse(MultiDict({key: str(value) for key, value in query.items()}))
    return one_page(open_shifts_query(filters, None), query["per_page"])


@blp.get("/shifts/<int:shift_id>")
@api_public
@blp.response(200, ShiftSchema)
def shift_detail(shift_id: int):
    return access.visible_shift(current_user, shift_id)


def _sign_up_out(entry: SignUp) -> dict:
    return {"id": entry.id, "shift_id": entry.shift_id, "state": entry.state,
            "waitlist_position": signups.waitlist_position(entry),
            "late_cancel": entry.late_cancel, "created_at": entry.created_at,
            "cancelled_at": entry.cancelled_at}


@blp.get("/me/sign-ups")
@api_requires(Role.VOLUNTEER)
@blp.arguments(PageQuery, location="query", as_kwargs=True)
@blp.response(200, SignUpPage)
def my_sign_ups(page, per_page):
    """The volunteer's own sign-ups, newest first."""
    profile = profile_of(current_user)
    statement = (select(SignUp).where(SignUp.volunteer_id == (profile.id if profile else 0))
                 .order_by(SignUp.id.desc()))
    found = one_page(statement, per_page)
    found["items"] = [_sign_up_out(entry) for entry in found["items"]]
    return found


@blp.post("/me/sign-ups")
@api_requires(Role.VOLUNTEER)
@blp.arguments(SignUpCreate)
@blp.response(201, SignUpSchema)
def sign_up(body):
    """Sign up for a shift: confirmed while seats last, on the waiting list after. Sending it
    twice answers the first sign-up."""
    shift = access.visible_shift(current_user, body["shift_id"])
    try:
        entry = signups.sign_up(current_user, shift)
        db.session.commit()
    except IntegrityError:
        # A second request raced past the check: the first one's sign-up stands.
        db.session.rollback()
        profile = profile_of(current_user)
        entry = signups.live_sign_up(shift.id, profile.id) if profile else None
        if entry is None:
            raise
    return _sign_up_out(entry)


@blp.post("/me/sign-ups/<int:sign_up_id>/cancel")
@api_requires(Role.VOLUNTEER)
@found_first(access.own_sign_up)
@blp.arguments(SignUpCancel)
@blp.response(200, SignUpSchema)
def cancel_sign_up(body, sign_up_id: int):
    """Cancel one's own sign-up until the shift starts (late after the deadline)."""
    entry = access.own_sign_up(current_user, sign_up_id)
    signups.cancel(current_user, entry)
    db.session.commit()
    return _sign_up_out(entry)
