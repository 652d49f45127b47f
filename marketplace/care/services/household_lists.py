"""What a social worker or an official sees of many households: the filtered list, the
grids, the map's points, and counts (officials see counts only, §8.11)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import String, func, select

from marketplace.auth import scopes
from marketplace.care.models import CareRequest, Household, HouseholdFlag, HouseholdState
from marketplace.care.services.households import social_worker_org_ids, visible_households
from marketplace.extensions import db
from marketplace.geo.models import Community, Grid
from marketplace.orgs.models import Organization

REQUEST_FILTERS = ("open", "proposed", "staffed")


def household_list(user, *, state: str | None = None, grid_id: int | None = None,
                   flag: str | None = None):
    """The active households ``user`` may open, filtered by a request state, grid or flag
    (a query, highest priority first)."""
    query = visible_households(user).where(Household.state == HouseholdState.ACTIVE)
    if state in REQUEST_FILTERS:
        query = query.where(Household.care_requests.any(CareRequest.state == state))
    if grid_id is not None:
        query = query.where(Household.grid_id == grid_id)
    if flag in set(HouseholdFlag):
        # JSON lists differ between engines; the flag code is a whole quoted token in both.
        query = query.where(func.cast(Household.flags, String).contains(f'"{flag}"'))
    priority = func.coalesce(Household.priority_override, Household.priority)
    return query.order_by(priority.desc(), Household.id)


def grids_of(user) -> list[Grid]:
    org_ids = social_worker_org_ids(user)
    if not org_ids:
        return []
    return list(db.session.scalars(
        select(Grid).where(Grid.id.in_(
            select(Household.grid_id).where(Household.organization_id.in_(sorted(org_ids)))
        )).order_by(Grid.community_id, Grid.id)
    ))


def communities_for(org: Organization) -> list[Community]:
    """Where the organization registers households: the communities it serves, or else every
    community of its district."""
    if org.communities:
        return sorted(org.communities, key=lambda c: c.id)
    from marketplace.geo.models import Street

    return list(db.session.scalars(
        select(Community).join(Street).where(Street.district_id == org.district_id)
        .order_by(Community.id)
    ))


def counts_by_state(org_ids) -> dict[str, int]:
    """Care requests of the organizations by state: what the overview and officials see."""
    if not org_ids:
        return {}
    rows = db.session.execute(
        select(CareRequest.state, func.count(CareRequest.id))
        .join(Household, CareRequest.household_id == Household.id)
        .where(Household.organization_id.in_(sorted(org_ids)))
        .group_by(CareRequest.state)
    ).all()
    return {state.value: count for state, count in rows}


def map_features(user) -> dict:
    """Points of the households ``user`` may open and the centres of their grids, with no
    name, address or phone: the map shows where, the household page shows who."""
    rows = db.session.scalars(
        visible_households(user).where(Household.state == HouseholdState.ACTIVE,
                                       Household.lat.is_not(None))
    ).all()
    households = []
    for household in rows:
        states = {r.state.value for r in household.care_requests}
        status = next((s for s in ("staffed", "proposed", "open") if s in states), "none")
        households.append({
            "id": household.id, "pseudonym": household.pseudonym,
            "lat": round(household.lat, 5), "lon": round(household.lon, 5),
            "priority": household.effective_priority, "status": status,
            "url": f"/care/households/{household.id}",
        })
    grids = [{"id": g.id, "name": f"{g.community.name} · {g.name}", "lat": g.lat, "lon": g.lon,
              "households": g.household_count} for g in grids_of(user)]
    return {"households": households, "grids": grids}


# --- officials: counts only (§8.11) ----------------------------------------------------

SMALL_COUNT = 5  # counts under this show as "<5" (domain §5)


@dataclass(frozen=True)
class StreetCounts:
    street: str
    households: int
    by_state: dict[str, int]

    def shown(self, value: int) -> str:
        return f"<{SMALL_COUNT}" if 0 < value < SMALL_COUNT else str(value)


def area_counts(area: scopes.Area) -> list[StreetCounts]:
    """Active households and their care requests by state, per street of an official's
    area: no names, no addresses, no household one could pick out."""
    from marketplace.geo.models import Street

    if not area:
        return []
    in_area = area.clause(Street.id, Street.district_id)
    households = dict(db.session.execute(
        select(Street.name, func.count(Household.id))
        .join(Community, Community.id == Household.community_id)
        .join(Street, Street.id == Community.street_id)
        .where(in_area, Household.state == HouseholdState.ACTIVE)
        .group_by(Street.name)
    ).all())
    by_state: dict[str, dict[str, int]] = {}
    for street, state, count in db.session.execute(
        select(Street.name, CareRequest.state, func.count(CareRequest.id))
        .join(Household, Household.id == CareRequest.household_id)
        .join(Community, Community.id == Household.community_id)
        .join(Street, Street.id == Community.street_id)
        .where(in_area, Household.state == HouseholdState.ACTIVE)
        .group_by(Street.name, CareRequest.state)
    ):
        by_state.setdefault(street, {})[state.value] = count
    return [StreetCounts(street=name, households=count, by_state=by_state.get(name, {}))
            for name, count in sorted(households.items())]
