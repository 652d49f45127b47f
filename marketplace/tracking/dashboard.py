"""Aggregates for the officials' dashboards: a few grouped queries over the area, each chart's
numbers also given as a table. Person counts and small denominators go through
``suppression.shown``; nothing here names a person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from marketplace.auth.scopes import official_area
from marketplace.care.models import (
    CareRequest,
    CareRequestState,
    CareTeam,
    Household,
    HouseholdFlag,
    HouseholdState,
    VisitLog,
)
from marketplace.extensions import db
from marketplace.geo.models import Community, Grid, Street
from marketplace.orgs import labels as org_labels
from marketplace.orgs.models import Organization, OrgStatus, ServiceDomain
from marketplace.projects.models import Shift, ShiftState
from marketplace.tracking import kpis, summary
from marketplace.tracking.suppression import shown
from marketplace.volunteers.models import VolunteerProfile


def area_streets(user, street_id: int | None = None) -> list[Street]:
    """The streets the official's grants cover (a district grant covers all its streets),
    optionally narrowed to one of them; an out-of-area street gives an empty list."""
    area = official_area(user)
    streets = list(db.session.scalars(
        select(Street).where(area.clause(Street.id, Street.district_id)).order_by(Street.id)
    ))
    if street_id is not None:
        streets = [street for street in streets if street.id == street_id]
    return streets


@dataclass(frozen=True)
class StreetRow:
    street_id: int
    name: str
    organizations: int
    volunteers: str
    verified_hours: float
    held_shifts: int
    contracts: int


def _by_street(statement) -> dict[int, int]:
    return {key: int(value or 0) for key, value in db.session.execute(statement).all()}


def street_rows(user, street_id: int | None = None) -> list[StreetRow]:
    streets = area_streets(user, street_id)
    ids = [street.id for street in streets]
    if not ids:
        return []
    orgs = _by_street(
        select(Organization.street_id, func.count(Organization.id))
        .where(Organization.street_id.in_(ids), Organization.status == OrgStatus.APPROVED)
        .group_by(Organization.street_id))
    volunteers = _by_street(
        select(Community.street_id, func.count(VolunteerProfile.id))
        .join(Community, Community.id == VolunteerProfile.community_id)
        .where(Community.street_id.in_(ids)).group_by(Community.street_id))
    minutes: dict[int, int] = {}
    for (street, _month, _domain), value in summary.monthly_minutes(ids).items():
        minutes[street] = minutes.get(street, 0) + value
    held = _by_street(
        select(Community.street_id, func.count(Shift.id))
        .join(Community, Community.id == Shift.community_id)
        .where(Community.street_id.in_(ids), Shift.state == ShiftState.HELD)
        .group_by(Community.street_id))
    from marketplace.tracking.models import Contract

    contracts = _by_street(
        select(Contract.buyer_street_id, func.count(Contract.id))
        .where(Contract.buyer_street_id.in_(ids)).group_by(Contract.buyer_street_id))
    return [
        StreetRow(s.id, s.name, orgs.get(s.id, 0), shown(volunteers.get(s.id, 0)),
                  round(minutes.get(s.id, 0) / 60, 1), held.get(s.id, 0), contracts.get(s.id, 0))
        for s in streets
    ]


def _district_ids(streets: list[Street]) -> list[int]:
    return sorted({street.district_id for street in streets})


def organizations_by_form(user, streets: list[Street], whole_district: bool) -> list[dict]:
    where = [Organization.status == OrgStatus.APPROVED]
    if whole_district:
        where.append(Organization.district_id.in_(_district_ids(streets)))
    else:
        where.append(Organization.street_id.in_([s.id for s in streets]))
    rows = db.session.execute(
        select(Organization.legal_form, Organization.category, func.count(Organization.id))
        .where(*where).group_by(Organization.legal_form, Organization.category)
    ).all()
    return [{"legal_form": str(org_labels.LEGAL_FORM[form]),
             "category": str(org_labels.CATEGORY[category]), "count": int(count)}
            for form, category, count in rows]


def hours_by_month(streets: list[Street], today: date) -> list[dict]:
    """Verified volunteer hours of the last twelve months, by month and project domain."""
    since = date(today.year - 1, today.month, 1).isoformat()[:7]
    totals: dict[tuple[str, str | None], int] = {}
    for (_street, month, domain), minutes in summary.monthly_minutes(
            [s.id for s in streets], since).items():
        totals[(month, domain)] = totals.get((month, domain), 0) + minutes
    return [{"month": month, "domain": str(org_labels.DOMAIN[ServiceDomain(domain)])
             if domain else "—", "hours": round(minutes / 60, 1)}
            for (month, domain), minutes in sorted(totals.items(),
                                                   key=lambda item: (item[0][0],
                                                                     item[0][1] or ""))]


def elder_coverage(streets: list[Street], today: date) -> list[dict]:
    """空巢覆盖率 by community: active empty-nest households with a living team and a visit
    with contact in the last 30 days (domain §5), "—" under five households."""
    communities = list(db.session.scalars(
        select(Community).where(Community.street_id.in_([s.id for s in streets]))
        .order_by(Community.street_id, Community.id)))
    households = db.session.execute(
        select(Household.id, Household.community_id, Household.flags)
        .where(Household.community_id.in_([c.id for c in communities]),
               Household.state == HouseholdState.ACTIVE)
    ).all()
    empty_nest = {hid: cid for hid, cid, flags in households
                  if HouseholdFlag.EMPTY_NEST in (flags or [])}
    # Living teams with a recent visit, then kept to the empty-nest households: a join from
    # the few recent visits, not a list of every household.
    covered = set(db.session.scalars(
        select(CareRequest.household_id).distinct()
        .join(CareTeam, CareTeam.care_request_id == CareRequest.id)
        .join(VisitLog, VisitLog.care_team_id == CareTeam.id)
        .where(CareTeam.ended_at.is_(None), VisitLog.contact.is_(True),
               VisitLog.visited_on >= today - timedelta(days=kpis.COVERAGE_DAYS))
    )) & set(empty_nest) if empty_nest else set()
    by_community: dict[int, list[int]] = {}
    for hid, cid in empty_nest.items():
        by_community.setdefault(cid, []).append(hid)
    rows = []
    for community in communities:
        members = by_community.get(community.id, [])
        hit = sum(1 for hid in members if hid in covered)
        rows.append({"community": community.name, "households": shown(len(members)),
                     "coverage": shown(hit, len(members)),
                     "value": round(100 * hit / len(members), 1) if len(members) >= 5
                     else None})
    return rows


def open_requests_by_grid(streets: list[Street]) -> list[dict]:
    rows = db.session.execute(
        select(Grid.name, Community.name, func.count(CareRequest.id))
        .join(Household, Household.id == CareRequest.household_id)
        .join(Grid, Grid.id == Household.grid_id)
        .join(Community, Community.id == Grid.community_id)
        .where(Community.street_id.in_([s.id for s in streets]),
               CareRequest.state.in_((CareRequestState.OPEN, CareRequestState.PROPOSED)))
        .group_by(Grid.id, Grid.name, Community.name).order_by(Community.name, Grid.name)
    ).all()
    return [{"grid": f"{community} {grid}", "open": int(count)}
            for grid, community, count in rows]


def budget_progress(user, today: date, street_id: int | None = None) -> list[dict]:
    from marketplace.tracking.access import contracts_of_official
    from marketplace.tracking.models import Contract

    query = contracts_of_official(user)
    if street_id is not None:
        query = query.where(Contract.buyer_street_id == street_id)
    rows = []
    for contract in db.session.scalars(query):
        paid = sum(float(m.paid_amount or 0) for m in contract.milestones)
        budget = float(contract.budget)
        rows.append({"id": contract.id, "title": contract.title,
                     "spent_pct": round(100 * paid / budget, 1) if budget else 0.0,
                     "kpi_pct": contract.kpi_progress_pct,
                     "kpi_shown": "—" if contract.kpi_progress_pct is None
                     else str(contract.kpi_progress_pct),
                     "kpi_as_of": contract.kpi_progress_at.isoformat(timespec="minutes")
                     if contract.kpi_progress_at else None})
    return rows


def district_view(user, today: date, street_id: int | None = None) -> dict:
    """The dashboard's figures for the official's area (or one street of it), current on
    every request: the year of hours comes from ``tracking.summary``."""
    streets = area_streets(user, street_id)
    whole = street_id is None and bool(official_area(user).district_ids)
    return {
        "streets": [row.__dict__ for row in street_rows(user, street_id)],
        "organizations": organizations_by_form(user, streets, whole),
        "hours": hours_by_month(streets, today),
        "coverage": elder_coverage(streets, today),
        "open_requests": open_requests_by_grid(streets),
        "budget": budget_progress(user, today, street_id),
    }
