"""Open shifts, nearest the volunteer's home point first.

The query keeps to plain SQL both engines index: open shifts by time (``ix_shifts_open_by_time``)
inside a bounding box around the home point (``ix_shifts_point``), ordered by the squared
equirectangular distance, which orders like the true distance at a district's scale. Only the
page's rows get the exact haversine distance, in Python.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import String, cast, func, select

from marketplace.bounds import parse_id
from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.orgs.models import Organization, OrgStatus, ServiceDomain
from marketplace.projects.localtime import day_bounds
from marketplace.projects.models import Project, ProjectState, Shift, ShiftState
from marketplace.volunteers.codes import LANGUAGES, SKILLS

KM_PER_DEGREE = 111.32
RADII_KM = (1.0, 2.0, 5.0, 10.0, 25.0, 50.0, 100.0)
MAX_RADIUS_KM = RADII_KM[-1]


@dataclass(frozen=True)
class ShiftFilters:
    day: date | None = None
    domain: str = ""
    skill: str = ""
    language: str = ""
    community_id: int | None = None
    radius_km: float | None = None  # None: the smallest of RADII_KM that fills a page

    @classmethod
    def parse(cls, args) -> ShiftFilters:
        """From query arguments; unknown codes are dropped rather than refused."""
        try:
            day = date.fromisoformat(args.get("date", "")) if args.get("date") else None
        except ValueError:
            day = None
        domain = args.get("domain", "")
        skill = args.get("skill", "")
        language = args.get("language", "")
        radius = args.get("radius", type=float)
        return cls(
            day=day,
            domain=domain if domain in ServiceDomain.__members__.values() else "",
            skill=skill if skill in SKILLS else "",
            language=language if language in LANGUAGES else "",
            community_id=parse_id(args.get("community")),
            radius_km=min(max(radius, RADII_KM[0]), MAX_RADIUS_KM)
            if radius is not None and math.isfinite(radius) else None,
        )

    def wider(self) -> float | None:
        """The next radius out, for the "show farther shifts" link."""
        current = self.radius_km or RADII_KM[0]
        return next((r for r in RADII_KM if r > current), None)


def _json_has(column, code: str):
    """A JSON list column holding ``code``: the stored text has it quoted, on both engines."""
    return cast(column, String).like(f'%"{code}"%')


def open_shifts_query(filters: ShiftFilters, home: tuple[float, float] | None,
                      now: datetime | None = None):
    """Open shifts matching ``filters``; with ``home`` (lat, lon), those within the filters'
    radius, nearest first."""
    now = now or utcnow()
    query = (
        select(Shift)
        .join(Project, Project.id == Shift.project_id)
        .join(Organization, Organization.id == Project.organization_id)
        .where(
            Shift.state == ShiftState.SCHEDULED,
            Shift.starts_at > now,
            Project.state == ProjectState.PUBLISHED,
            Organization.status == OrgStatus.APPROVED,
        )
    )
    if filters.day is not None:
        start, end = day_bounds(filters.day)
        query = query.where(Shift.starts_at >= max(start, now), Shift.starts_at < end)
    if filters.domain:
        query = query.where(Project.domain == ServiceDomain(filters.domain))
    if filters.skill:
        query = query.where(_json_has(Shift.skills, filters.skill))
    if filters.language:
        query = query.where(_json_has(Shift.languages, filters.language))
    if filters.community_id:
        query = query.where(Shift.community_id == filters.community_id)
    if home is None:
        return query.order_by(Shift.starts_at, Shift.id)
    lat, lon = home
    dlat = (filters.radius_km or MAX_RADIUS_KM) / KM_PER_DEGREE
    lon_scale = max(math.cos(math.radians(lat)), 0.01)
    dlon = dlat / lon_scale
    north = Shift.lat - lat
    east = (Shift.lon - lon) * lon_scale
    squared = north * north + east * east
    query = query.where(
        Shift.lat.between(lat - dlat, lat + dlat),
        Shift.lon.between(lon - dlon, lon + dlon),
        squared <= dlat * dlat,
    )
    return query.order_by(squared, Shift.starts_at, Shift.id)


def with_radius(filters: ShiftFilters, home: tuple[float, float] | None,
                page_size: int) -> ShiftFilters:
    """``filters`` with the radius to search: the one asked for, else the smallest of
    ``RADII_KM`` holding at least ``page_size`` shifts (each probe an indexed count)."""
    if home is None or filters.radius_km is not None:
        return filters
    for radius in RADII_KM:
        probe = replace(filters, radius_km=radius)
        found = db.session.scalar(
            select(func.count()).select_from(
                open_shifts_query(probe, home).order_by(None).limit(page_size).subquery()
            )
        )
        if found >= page_size:
            return probe
    return replace(filters, radius_km=MAX_RADIUS_KM)

