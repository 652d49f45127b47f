"""Care: households (their organization's social workers only, masked), officials' counts
per street (small numbers hidden), care requests, and matching runs (start, progress,
result, offer)."""

from __future__ import annotations

from flask_login import current_user

from marketplace.api.framework import (
    api_blueprint,
    api_requires,
    found_first,
    one_page,
    page_schema,
)
from marketplace.api.schemas import (
    CareRequestSchema,
    Empty,
    HouseholdSchema,
    OfferSchema,
    PageQuery,
    RunProgressSchema,
    RunResultSchema,
    RunSchema,
    RunStart,
    StreetCountsSchema,
)
from marketplace.auth.models import Role
from marketplace.auth.scopes import official_area
from marketplace.care import review, runs
from marketplace.care.adapter import Scope
from marketplace.care.run_models import ScopeKind
from marketplace.care.services import household_lists, households, requests
from marketplace.extensions import db

blp = api_blueprint("api_care", "", "Households, care requests and matching runs")
HouseholdPage = page_schema(HouseholdSchema)
STAFF_AND_OFFICIALS = (Role.SOCIAL_WORKER, Role.ORG_ADMIN, Role.OFFICIAL)


@blp.get("/households")
@api_requires(Role.SOCIAL_WORKER)
@blp.arguments(PageQuery, location="query", as_kwargs=True)
@blp.response(200, HouseholdPage)
def household_list(page, per_page):
    """Active households of the user's organizations, highest priority first."""
    return one_page(household_lists.household_list(current_user), per_page)


@blp.get("/households/<int:household_id>")
@api_requires(Role.SOCIAL_WORKER)
@blp.response(200, HouseholdSchema)
def household_detail(household_id: int):
    return households.get_household(current_user, household_id)


@blp.get("/households/area-counts")
@api_requires(Role.OFFICIAL)
@blp.response(200, StreetCountsSchema(many=True))
def household_counts():
    """Households and care requests per street of the official's area."""
    return household_lists.area_counts(official_area(current_user))


@blp.get("/households/<int:household_id>/care-requests")
@api_requires(Role.SOCIAL_WORKER)
@blp.response(200, CareRequestSchema(many=True))
def household_requests(household_id: int):
    return households.get_household(current_user, household_id).care_requests


@blp.get("/care-requests/<int:request_id>")
@api_requires(Role.SOCIAL_WORKER)
@blp.response(200, CareRequestSchema)
def care_request_detail(request_id: int):
    return requests.get_request(current_user, request_id)


@blp.get("/matching-runs")
@api_requires(*STAFF_AND_OFFICIALS)
@blp.response(200, RunSchema(many=True))
def run_list():
    """The latest runs the user may read."""
    return runs.runs_for(current_user)


@blp.post("/matching-runs")
@api_requires(Role.SOCIAL_WORKER, Role.OFFICIAL)
@blp.arguments(RunStart)
@blp.response(202, RunSchema)
def run_start(body):
    """Queue a run for a scope the user may start; while one is live for the scope, another
    is refused."""
    run = runs.start_run(current_user, Scope(ScopeKind(body["scope_kind"]), body["scope_id"]),
                         time_limit_s=body["time_limit_s"])
    db.session.commit()
    runs.launch(run)
    return run


@blp.get("/matching-runs/<int:run_id>/progress")
@api_requires(*STAFF_AND_OFFICIALS)
@blp.response(200, RunProgressSchema)
def run_progress(run_id: int):
    return runs.status_of(runs.get_run(current_user, run_id))


@blp.get("/matching-runs/<int:run_id>")
@api_requires(*STAFF_AND_OFFICIALS)
@blp.response(200, RunResultSchema)
def run_result(run_id: int):
    """The run and the proposed teams the user reviews (officials see none: §8.11)."""
    run = runs.get_run(current_user, run_id)
    official_view = runs.is_official_view(current_user, run)
    return {"run": run, "proposals": [] if official_view else review.reviewable(current_user, run)}


@blp.post("/matching-runs/<int:run_id>/offer")
@api_requires(Role.SOCIAL_WORKER)
@found_first(runs.get_run)
@blp.arguments(Empty)
@blp.response(200, OfferSchema)
def run_offer(body, run_id: int):
    """Offer every pending team the user reviews; none if any went stale."""
    run = runs.get_run(current_user, run_id)
    try:
        offered = review.offer_all(current_user, run)
    except review.StaleProposals:
        db.session.commit()  # the stale marks are kept; nothing is offered
        raise
    db.session.commit()
    return {"offered": offered}
