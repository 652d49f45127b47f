"""Hours: the volunteer's own ledger and totals; staff verify or reject their
organization's pending entries; anyone checks a certificate by serial and code."""

from __future__ import annotations

from flask_login import current_user
from marshmallow import Schema, fields

from marketplace.api.framework import (
    api_blueprint,
    api_public,
    api_requires,
    found_first,
    one_page,
    page_schema,
)
from marketplace.api.schemas import (
    CertificateCheckSchema,
    CertificateQuery,
    Empty,
    HoursEntrySchema,
    HoursRejection,
    PageQuery,
)
from marketplace.auth.models import Role
from marketplace.errors import OutOfScope
from marketplace.extensions import db
from marketplace.hours import certificates, services
from marketplace.volunteers.services import profile_of

blp = api_blueprint("api_hours", "", "Volunteer hours and certificates")
HoursPage = page_schema(HoursEntrySchema)


class LedgerSchema(HoursPage):
    volunteer_hours = fields.Float(required=True)
    paid_hours = fields.Float(required=True)


class DecisionSchema(Schema):
    entry = fields.Nested(HoursEntrySchema, required=True)
    changed = fields.Boolean(required=True, metadata={
        "description": "false when the entry had been decided already"})


@blp.get("/me/hours")
@api_requires(Role.VOLUNTEER)
@blp.arguments(PageQuery, location="query", as_kwargs=True)
@blp.response(200, LedgerSchema)
def my_hours(page, per_page):
    """The own ledger, newest first, with the verified totals."""
    profile = profile_of(current_user)
    if profile is None:
        raise OutOfScope()
    totals = services.totals(volunteer_id=profile.id)
    return {**one_page(services.volunteer_entries_query(profile.id), per_page),
            "volunteer_hours": totals.volunteer_hours, "paid_hours": totals.paid_hours}


@blp.get("/hours/pending")
@api_requires(Role.SOCIAL_WORKER, Role.ORG_ADMIN)
@blp.arguments(PageQuery, location="query", as_kwargs=True)
@blp.response(200, HoursPage)
def pending_hours(page, per_page):
    """Entries waiting for verification in the organizations the user works for."""
    return one_page(services.queue_query(current_user), per_page)


@blp.post("/hours/<int:entry_id>/verify")
@api_requires(Role.SOCIAL_WORKER, Role.ORG_ADMIN)
@found_first(services.entry_for_staff)
@blp.arguments(Empty)
@blp.response(200, DecisionSchema)
def verify_hours(body, entry_id: int):
    changed = services.verify(current_user, entry_id)
    db.session.commit()
    return {"entry": services.entry_for_staff(current_user, entry_id), "changed": changed}


@blp.post("/hours/<int:entry_id>/reject")
@api_requires(Role.SOCIAL_WORKER, Role.ORG_ADMIN)
@found_first(services.entry_for_staff)
@blp.arguments(HoursRejection)
@blp.response(200, DecisionSchema)
def reject_hours(body, entry_id: int):
    changed = services.reject(current_user, entry_id, body["reason"])
    db.session.commit()
    return {"entry": services.entry_for_staff(current_user, entry_id), "changed": changed}


@blp.get("/certificates/verify")
@api_public
@blp.arguments(CertificateQuery, location="query", as_kwargs=True)
@blp.response(200, CertificateCheckSchema)
def verify_certificate(serial, code):
    """A certificate's public check: the same 404 for a wrong serial or a wrong code."""
    found = certificates.check(serial, code)
    if found is None:
        raise OutOfScope()
    return found
