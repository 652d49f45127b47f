"""Supervision of living teams: no visit logged for 14 days flags a team to its social
workers, for 30 days to the organization's admins (domain §4). Each flag offers a re-match of
the missing seat when the matching runs provide one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import func, select

from marketplace.care.models import (
    CareRequest,
    CareRequestState,
    CareTeam,
    Household,
    HouseholdState,
    VisitLog,
)
from marketplace.clock import local_today
from marketplace.extensions import db
from marketplace.projects.localtime import local_date

SOCIAL_WORKER_DAYS = 14
ORG_ADMIN_DAYS = 30
# The endpoint of the small re-match run for one request (contract with the matching runs).
REMATCH_ENDPOINT = "care_runs.rematch"


@dataclass(frozen=True)
class QuietTeam:
    team_id: int
    care_request_id: int
    household_id: int
    pseudonym: str
    grid_name: str
    days_quiet: int
    since: date  # the last visit, or the day the team was formed


def rematch_available() -> bool:
    """Only a link to an endpoint that exists: no dead buttons."""
    return REMATCH_ENDPOINT in current_app.view_functions


def quiet_teams(org_ids, days: int, today: date | None = None) -> list[QuietTeam]:
    """Living teams of ``org_ids``'s active households with no visit for ``days`` days or
    more, the quietest first."""
    if not org_ids:
        return []
    today = today or local_today()
    last = (
        select(VisitLog.care_team_id, func.max(VisitLog.visited_on).label("last"))
        .group_by(VisitLog.care_team_id).subquery()
    )
    rows = db.session.execute(
        select(CareTeam, CareRequest, Household, last.c.last)
        .join(CareRequest, CareTeam.care_request_id == CareRequest.id)
        .join(Household, CareRequest.household_id == Household.id)
        .outerjoin(last, last.c.care_team_id == CareTeam.id)
        .where(CareTeam.ended_at.is_(None), Household.state == HouseholdState.ACTIVE,
               CareRequest.state != CareRequestState.CLOSED,
               Household.organization_id.in_(sorted(org_ids)))
    ).all()
    cutoff = today - timedelta(days=days)
    found = []
    for team, care_request, household, last_day in rows:
        since = last_day or local_date(team.formed_at)
        if since <= cutoff:
            found.append(QuietTeam(
                team_id=team.id, care_request_id=care_request.id, household_id=household.id,
                pseudonym=household.pseudonym,
                grid_name=household.grid.name if household.grid else "",
                days_quiet=(today - since).days, since=since,
            ))
    found.sort(key=lambda quiet: (-quiet.days_quiet, quiet.team_id))
    return found
