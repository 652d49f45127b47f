"""Households: who may see them, registration, editing and closing, and what a social
worker may do with one. Health notes are in ``health_notes``, the lists, map and counts in
``household_lists``, the removal of personal data after closing in ``retention``.

Only the social workers of the household's organization reach a household (domain §2); for
everyone else it does not exist (404). Officials see counts only (§8.11).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.audit.services import record
from marketplace.auth import scopes
from marketplace.auth.models import Role
from marketplace.care.models import (
    CareRequestState,
    Household,
    HouseholdFlag,
    HouseholdPerson,
    HouseholdState,
    priority_from_flags,
)
from marketplace.clock import local_today, utcnow
from marketplace.errors import DomainError, OutOfScope
from marketplace.extensions import db
from marketplace.geo.models import Community, Grid
from marketplace.matching.geo import haversine_km
from marketplace.orgs.models import Organization, OrgStatus
from marketplace.privacy import crypto
from marketplace.text import visible_length
from marketplace.volunteers.codes import LANGUAGES, SKILLS, SLOTS, ordered

OBJECT_TYPE = "household"
HOURS_RANGE = (0.5, 20.0)
VISITS_RANGE = (1, 7)
PERSONS_MAX = 4
# A point farther than this from the household's community is a slip of the finger.
MAX_POINT_DISTANCE_KM = 10.0
PHONE_LENGTH = 11


def social_worker_org_ids(user) -> frozenset[int]:
    return scopes.organization_ids(user, Role.SOCIAL_WORKER)


def visible_households(user):
    """The households ``user`` may open: their organizations' as a social worker (a query)."""
    org_ids = social_worker_org_ids(user)
    return select(Household).where(Household.organization_id.in_(sorted(org_ids)))


def may_see(user, household: Household) -> bool:
    return household.organization_id in social_worker_org_ids(user)


def get_household(user, household_id: int) -> Household:
    household = db.session.get(Household, household_id)
    if household is None or not may_see(user, household):
        raise OutOfScope()
    return household


def places_of(household: Household) -> scopes.Places:
    return household.organization.places


def acting_organization(user, organization_id: int | None = None) -> Organization:
    """The approved organization ``user`` registers a household for as its social worker."""
    org_ids = social_worker_org_ids(user)
    chosen = organization_id if organization_id in org_ids else min(org_ids, default=None)
    org = db.session.get(Organization, chosen) if chosen is not None else None
    if org is None:
        raise OutOfScope()
    if org.status != OrgStatus.APPROVED:
        raise DomainError(None, _("Only an approved organization may register households."))
    return org


@dataclass(frozen=True)
class HouseholdActions:
    """What the household's social worker may do with it now; its page shows these."""

    edit: bool
    open_request: bool
    write_health_notes: bool
    withdraw_health_consent: bool
    see_personal_data: bool
    close: bool
    closable_requests: frozenset[int]


def household_actions(household: Household) -> HouseholdActions:
    """For a household already in the viewer's scope (``get_household``): a closed household
    keeps its history but its record no longer changes; a purged one has no personal data."""
    active = household.is_active
    return HouseholdActions(
        edit=active, open_request=active, write_health_notes=active,
        withdraw_health_consent=active and household.health_note is not None,
        see_personal_data=household.purged_at is None, close=active,
        closable_requests=frozenset(r.id for r in household.care_requests
                                    if r.state != CareRequestState.CLOSED))


@dataclass
class PersonInput:
    name: str = ""
    birth_year: int | None = None
    phone: str | None = ""  # None: keep the phone saved for this row
    relation: str = ""


@dataclass
class HouseholdInput:
    community_id: int | None
    grid_id: int | None
    lat: float | None
    lon: float | None
    address: str
    living_situation: str = ""
    flags: list[str] = field(default_factory=list)
    priority_override: int | None = None
    priority_reason: str = ""
    needs: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    slots: list[str] = field(default_factory=list)
    hours_per_week: float | None = 2.0
    visits_per_week: int | None = 1
    persons: list[PersonInput] = field(default_factory=list)


def single_spaced(value: str | None) -> str:
    return " ".join((value or "").split())


def _check(data: HouseholdInput) -> tuple[Community, Grid | None, list[PersonInput]]:
    problems: list[DomainError] = []
    community = db.session.get(Community, data.community_id) if data.community_id else None
    if community is None:
        problems.append(DomainError("community_id", _("Choose the household's community.")))
    grid = db.session.get(Grid, data.grid_id) if data.grid_id else None
    if data.grid_id and (grid is None or community is None or grid.community_id != community.id):
        problems.append(DomainError(
            "grid_id", _("This grid is not in the community you chose: choose one of its grids.")
        ))
    if visible_length(data.address) == 0:
        problems.append(DomainError("address", _("Enter the household's address.")))
    if data.lat is not None or data.lon is not None:
        if data.lat is None or data.lon is None or not (
            -90 <= data.lat <= 90 and -180 <= data.lon <= 180
        ):
            problems.append(DomainError("lat", _("These are not coordinates on Earth.")))
        elif community is not None and haversine_km(
            community.lat, community.lon, data.lat, data.lon
        ) > MAX_POINT_DISTANCE_KM:
            problems.append(DomainError("lat", _(
                "This point is more than %(km)d km from the household's community: check it.",
                km=int(MAX_POINT_DISTANCE_KM),
            )))
    unknown = [f for f in data.flags if f not in set(HouseholdFlag)]
    if unknown:
        problems.append(DomainError("flags", _("Choose flags from the list.")))
    if data.priority_override is not None:
        if not 1 <= data.priority_override <= 5:
            problems.append(DomainError("priority_override", _("Choose a priority from 1 to 5.")))
        elif visible_length(data.priority_reason) < 4:
            problems.append(DomainError("priority_reason", _(
                "Say why the priority differs from the flags, in at least 4 characters."
            )))
    if any(code not in SKILLS for code in data.needs):
        problems.append(DomainError("needs", _("Choose needs from the list.")))
    if any(code not in LANGUAGES for code in data.languages):
        problems.append(DomainError("languages", _("Choose languages from the list.")))
    if any(code not in SLOTS for code in data.slots):
        problems.append(DomainError("slots", _("Choose half-days from the grid.")))
    low, high = HOURS_RANGE
    if data.hours_per_week is None or not low <= data.hours_per_week <= high:
        problems.append(DomainError("hours_per_week", _(
            "Enter a number from %(min)s to %(max)s.", min=f"{low:g}", max=f"{high:g}"
        )))
    low, high = VISITS_RANGE
    if data.visits_per_week is None or not low <= data.visits_per_week <= high:
        problems.append(DomainError("visits_per_week", _(
            "Enter a number from %(min)s to %(max)s.", min=low, max=high
        )))
    persons = [p for p in data.persons if visible_length(p.name) or p.phone or p.birth_year]
    if not persons:
        problems.append(DomainError("person_name_0", _("Enter the name of the person served.")))
    year = local_today().year
    for index, person in enumerate(persons):
        if visible_length(person.name) == 0:
            problems.append(DomainError(f"person_name_{index}", _("Enter the person's name.")))
        if person.phone and not (person.phone.isascii() and person.phone.isdigit()
                                 and len(person.phone) == PHONE_LENGTH):
            problems.append(DomainError(f"person_phone_{index}", _(
                "Enter an 11-digit mobile number."
            )))
        if person.birth_year is not None and not year - 120 <= person.birth_year <= year:
            problems.append(DomainError(f"person_birth_year_{index}", _(
                "Enter a year of birth from %(min)d to %(max)d.", min=year - 120, max=year
            )))
    if problems:
        raise DomainError.several(problems)
    return community, grid, persons


def _new_pseudonym() -> str:
    # Kept after a purge: what counts and hours name the household by.
    while True:
        candidate = "HH-" + secrets.token_hex(4).upper()
        if db.session.scalar(select(Household.id).where(Household.pseudonym == candidate)) is None:
            return candidate


def _apply(household: Household, data: HouseholdInput, community, grid, persons) -> None:
    household.community_id = community.id
    household.grid_id = grid.id if grid else None
    if data.lat is None:  # no point placed: the grid's (or the community's) centre
        centre = grid or community
        household.lat, household.lon = centre.lat, centre.lon
    else:
        household.lat, household.lon = data.lat, data.lon
    household.address_encrypted = crypto.encrypt(single_spaced(data.address))
    household.living_situation = (data.living_situation or "").strip()
    household.flags = [f.value for f in HouseholdFlag if f.value in set(data.flags)]
    household.priority = priority_from_flags(household.flags)
    household.priority_override = data.priority_override
    household.priority_reason = (
        single_spaced(data.priority_reason) if data.priority_override is not None else None
    )
    household.needs = ordered(data.needs, SKILLS)
    household.languages = ordered(data.languages, LANGUAGES)
    household.slots = ordered(data.slots, SLOTS)
    household.hours_per_week = float(data.hours_per_week)
    household.visits_per_week = int(data.visits_per_week)
    saved_phones = [p.phone for p in household.persons]
    household.persons.clear()
    db.session.flush()
    for index, person in enumerate(persons):
        phone = person.phone
        if phone is None:
            phone = saved_phones[index] if index < len(saved_phones) else None
        household.persons.append(HouseholdPerson(
            name=single_spaced(person.name), birth_year=person.birth_year,
            phone=phone or None, relation=single_spaced(person.relation),
        ))


def register_household(actor, data: HouseholdInput, organization_id: int | None = None):
    org = acting_organization(actor, organization_id)
    community, grid, persons = _check(data)
    household = Household(organization_id=org.id, pseudonym=_new_pseudonym(),
                          created_by_id=actor.id)
    db.session.add(household)
    _apply(household, data, community, grid, persons)
    db.session.flush()
    record(actor, "household.register", OBJECT_TYPE, household.id,
           actor_role=Role.SOCIAL_WORKER.value, places=org.places)
    return household


def update_household(actor, household: Household, data: HouseholdInput) -> Household:
    if not household.is_active:
        raise DomainError(None, _("This household is closed; its record can no longer change."))
    community, grid, persons = _check(data)
    _apply(household, data, community, grid, persons)
    _sync_open_requests(household)
    db.session.flush()
    record(actor, "household.update", OBJECT_TYPE, household.id,
           actor_role=Role.SOCIAL_WORKER.value, places=places_of(household))
    return household


def _sync_open_requests(household: Household) -> None:
    """Requests not yet staffed follow the household's priority."""
    for care_request in household.care_requests:
        if care_request.state == CareRequestState.OPEN:
            care_request.priority = household.effective_priority


def close_household(actor, household: Household, reason: str) -> None:
    """Close a household: its requests close, its living teams end; history stays until the
    retention period passes (``flask purge-expired``)."""
    if not household.is_active:
        raise DomainError(None, _("This household is already closed."))
    if visible_length(reason) < 4:
        raise DomainError("reason", _("Say why, in at least 4 characters."))
    now = utcnow()
    household.state = HouseholdState.CLOSED
    household.closed_at = now
    household.close_reason = single_spaced(reason)
    for care_request in household.care_requests:
        if care_request.state != CareRequestState.CLOSED:
            care_request.state = CareRequestState.CLOSED
            care_request.closed_at = now
            care_request.close_reason = household.close_reason
        for team in care_request.teams:
            if team.ended_at is None:
                team.ended_at = now
                for member in team.current_members:
                    member.left_at = now
    db.session.flush()
    record(actor, "household.close", OBJECT_TYPE, household.id, household.close_reason,
           actor_role=Role.SOCIAL_WORKER.value, places=places_of(household))
