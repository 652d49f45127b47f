"""Where a user acts, in each role: the one place that reads role grants for scope.

Staff (social workers, organization admins) act for the organizations of their grants; an
official acts for an area, the streets and districts of their grants (domain §2). Everything
that carries a place (an organization, an audit record) states it as ``Places``, so a page that
filters by scope asks ``official_area(user)`` and never re-reads the grants itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import false, or_

from marketplace.auth.models import Role

STAFF_ROLES = (Role.SOCIAL_WORKER, Role.ORG_ADMIN)  # in the order a staff role is named


@dataclass(frozen=True)
class Places:
    """Where an object or a record sits: its organization, street and district (each may be
    unknown). For an organization, ``street_id`` is the street it is filed with, if any."""

    organization_id: int | None = None
    street_id: int | None = None
    district_id: int | None = None


NOWHERE = Places()


@dataclass(frozen=True)
class Area:
    """The streets and districts an official acts for."""

    street_ids: frozenset[int] = frozenset()
    district_ids: frozenset[int] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.street_ids or self.district_ids)

    def covers(self, places: Places) -> bool:
        return places.district_id in self.district_ids or places.street_id in self.street_ids

    def clause(self, street_column, district_column):
        """The same rule as ``covers``, as an SQL condition on two columns."""
        conditions = []
        if self.district_ids:
            conditions.append(district_column.in_(sorted(self.district_ids)))
        if self.street_ids:
            conditions.append(street_column.in_(sorted(self.street_ids)))
        return or_(*conditions) if conditions else false()


def _grants(user, roles):
    if not getattr(user, "is_authenticated", False):
        return []
    return [grant for grant in user.grants if grant.role in roles]


def organization_ids(user, *roles: Role) -> frozenset[int]:
    """Organizations ``user`` acts for in any of ``roles`` (default: as staff)."""
    return frozenset(
        grant.organization_id for grant in _grants(user, roles or STAFF_ROLES)
        if grant.organization_id
    )


def acts_for(user, organization_id: int | None, *roles: Role) -> bool:
    return organization_id is not None and organization_id in organization_ids(user, *roles)


def staff_grant(user, candidates) -> tuple[Role, int] | None:
    """The staff role (social worker before org admin) and organization under which ``user``
    acts for one of the ``candidates`` organizations, or None."""
    for role in STAFF_ROLES:
        mine = organization_ids(user, role)
        chosen = next((org_id for org_id in sorted(candidates) if org_id in mine), None)
        if chosen is not None:
            return role, chosen
    return None


def official_area(user) -> Area:
    """The streets and districts an official acts for; empty for everyone else."""
    streets: set[int] = set()
    districts: set[int] = set()
    for grant in _grants(user, (Role.OFFICIAL,)):
        if grant.street_id:
            streets.add(grant.street_id)
        elif grant.district_id:
            districts.add(grant.district_id)
    return Area(frozenset(streets), frozenset(districts))


def grant_place_names(grant) -> tuple[str, ...]:
    """The organization, street and district one grant applies to, by name."""
    return tuple(
        place.name for place in (grant.organization, grant.street, grant.district)
        if place is not None
    )


def place_names(user, role: Role) -> tuple[str, ...]:
    """Where ``role`` applies for ``user``, in grant order, for the home page's headings."""
    names: list[str] = []
    for grant in _grants(user, (role,)):
        for name in grant_place_names(grant):
            if name not in names:
                names.append(name)
    return tuple(names)
