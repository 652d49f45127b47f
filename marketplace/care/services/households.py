"""Households: who may see them, registration, editing, health notes and closing.

Only the social workers of the household's organization reach a household (domain §2); for
everyone else it does not exist (404). Officials see counts only (§8.11).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import String, delete, func, select

from marketplace.audit.services import record
from marketplace.auth import scopes
from marketplace.auth.models import Role
from marketplace.care.models import (
    CareRequest,
    CareRequestState,
    HealthNote,
    Household,
    HouseholdFlag,
    HouseholdPerson,
    HouseholdState,
    priority_from_flags,
)
from marketplace.clock import utcnow
from marketplace.errors import DomainError, OutOfScope
from marketplace.extensions import db
from marketplace.geo.models import Community, Grid
from marketplace.matching.geo import haversine_km
from marketplace.orgs.models import Organization, OrgStatus
from marketplace.privacy import crypto
from marketplace.privacy.models import ConsentPurpose, ConsentRecord
from marketplace.text import visible_length
from marketplace.volunteers.codes import LANGUAGES, SKILLS, SLOTS, ordered

OBJECT_TYPE = "household"
# The health-data consent text a household is shown (templates/care/health_consent.html);
# a new text needs a new version, and consent again.
HEALTH_CONSENT_VERSION = "2026-12"
HOURS_RANGE = (0.5, 20.0)
VISITS_RANGE = (1, 7)
PERSONS_MAX = 4
# A point farther than this from the household's community is a slip of the finger.
MAX_POINT_DISTANCE_KM = 10.0
PHONE_LENGTH = 11
NOTE_MAX_LENGTH = 2000


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


def _clean(value: str | None) -> str:
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
    year = utcnow().year
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
    household.address_encrypted = crypto.encrypt(_clean(data.address))
    household.living_situation = (data.living_situation or "").strip()
    household.flags = [f.value for f in HouseholdFlag if f.value in set(data.flags)]
    household.priority = priority_from_flags(household.flags)
    household.priority_override = data.priority_override
    household.priority_reason = (
        _clean(data.priority_reason) if data.priority_override is not None else None
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
            name=_clean(person.name), birth_year=person.birth_year,
            phone=phone or None, relation=_clean(person.relation),
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
    household.close_reason = _clean(reason)
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


# --- health notes ----------------------------------------------------------------------


@dataclass
class HealthNoteInput:
    text: str
    consent: bool
    given_by: str  # "person" or "guardian"
    guardian_name: str = ""
    guardian_relation: str = ""


def save_health_note(actor, household: Household, data: HealthNoteInput) -> HealthNote:
    """Store the notes encrypted, with the separate health-data consent they need (PIPL
    art. 28–29): the person's own or a guardian's, of the current consent text."""
    if not household.is_active:
        raise DomainError(None, _("This household is closed; its record can no longer change."))
    problems: list[DomainError] = []
    text = (data.text or "").strip()
    if visible_length(text) == 0:
        problems.append(DomainError("text", _("Enter the health notes.")))
    elif len(text) > NOTE_MAX_LENGTH:
        problems.append(DomainError("text", _("At most %(count)d characters.",
                                              count=NOTE_MAX_LENGTH)))
    if not data.consent:
        problems.append(DomainError("consent", _(
            "Health notes need the separate consent of the person or their guardian."
        )))
    if data.given_by not in ("person", "guardian"):
        problems.append(DomainError("given_by", _("Say who gave the consent.")))
    elif data.given_by == "guardian":
        if visible_length(data.guardian_name) == 0:
            problems.append(DomainError("guardian_name", _("Enter the guardian's name.")))
        if visible_length(data.guardian_relation) == 0:
            problems.append(DomainError("guardian_relation", _(
                "Enter who the guardian is to the person."
            )))
    if problems:
        raise DomainError.several(problems)
    note = household.health_note
    current = note.consent if note is not None else None
    if (current is not None and current.withdrawn_at is None
            and current.text_version == HEALTH_CONSENT_VERSION
            and _giver(current) == _giver_of(data)):
        consent = current  # the standing consent covers an edit of the notes
    else:
        consent = _new_health_consent(actor, data)
    if note is None:
        note = HealthNote(household_id=household.id, text_encrypted="", consent_id=consent.id)
        db.session.add(note)
    note.text_encrypted = crypto.encrypt(text)
    note.consent_id = consent.id
    note.updated_by_id = actor.id
    db.session.flush()
    if current is not None and current is not consent:
        db.session.delete(current)  # superseded: the audit record keeps that it existed
    db.session.flush()
    record(actor, "health_note.save", OBJECT_TYPE, household.id,
           actor_role=Role.SOCIAL_WORKER.value, places=places_of(household))
    return note


def _giver(consent: ConsentRecord) -> tuple:
    return (consent.guardian_name, consent.guardian_relation)


def _giver_of(data: HealthNoteInput) -> tuple:
    if data.given_by == "guardian":
        return (_clean(data.guardian_name), _clean(data.guardian_relation))
    return (None, None)


def _new_health_consent(actor, data: HealthNoteInput) -> ConsentRecord:
    guardian_name, guardian_relation = _giver_of(data)
    consent = ConsentRecord(
        user_id=None, purpose=ConsentPurpose.HEALTH_DATA, text_version=HEALTH_CONSENT_VERSION,
        recorded_by_id=actor.id, guardian_name=guardian_name,
        guardian_relation=guardian_relation,
    )
    db.session.add(consent)
    db.session.flush()
    return consent


def withdraw_health_consent(actor, household: Household) -> None:
    """Consent withdrawn: the notes and the consent go (PIPL art. 15, 47); the audit record
    keeps that it happened."""
    note = household.health_note
    if note is None:
        raise DomainError(None, _("This household has no health notes."))
    consent = note.consent
    db.session.delete(note)
    db.session.flush()
    db.session.delete(consent)
    db.session.flush()
    record(actor, "health_note.withdraw", OBJECT_TYPE, household.id,
           actor_role=Role.SOCIAL_WORKER.value, places=places_of(household))


# --- purge -----------------------------------------------------------------------------


def purge_expired(now=None) -> int:
    """Remove the personal data of households closed longer ago than the retention period:
    persons, address, point, living situation, health notes and their consents. Hours, visit
    counts and the pseudonym stay (§8.27). Already purged households are skipped, so running
    twice changes nothing. Returns how many were purged."""
    now = now or utcnow()
    cutoff = now - timedelta(days=int(current_app.config["CARE_RETENTION_DAYS"]))
    households = db.session.scalars(
        select(Household).where(
            Household.state == HouseholdState.CLOSED, Household.closed_at <= cutoff,
            Household.purged_at.is_(None),
        )
    ).all()
    for household in households:
        note = household.health_note
        if note is not None:
            consent_id = note.consent_id
            db.session.delete(note)
            db.session.flush()
            db.session.execute(delete(ConsentRecord).where(ConsentRecord.id == consent_id))
        db.session.execute(
            delete(HouseholdPerson).where(HouseholdPerson.household_id == household.id)
        )
        household.address_encrypted = None
        household.living_situation = ""
        household.close_reason = None
        household.priority_reason = None
        household.lat = household.lon = None
        household.purged_at = now
    db.session.flush()
    db.session.expire_all()
    return len(households)


# --- lists -----------------------------------------------------------------------------

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
