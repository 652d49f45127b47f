"""Care requests (需求): a 311 team of three or a single task, in the engine's request
fields, and their state machine (domain §4)."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from marketplace.audit.services import record
from marketplace.auth.models import Role
from marketplace.care.models import CareRequest, CareRequestState, Household
from marketplace.care.services.households import (
    HOURS_RANGE,
    VISITS_RANGE,
    get_household,
    places_of,
)
from marketplace.clock import utcnow
from marketplace.errors import DomainError, OutOfScope
from marketplace.extensions import db
from marketplace.text import visible_length
from marketplace.volunteers.codes import LANGUAGES, SKILLS, SLOTS, ordered

OBJECT_TYPE = "care_request"
KM_RANGE = (0.5, 50.0)
TEAM_SIZES = (1, 3)

# Every allowed move (§4): who makes it is the caller's business, the move is decided here.
TRANSITIONS = {
    CareRequestState.OPEN: {CareRequestState.PROPOSED, CareRequestState.STAFFED,
                            CareRequestState.CLOSED},
    CareRequestState.PROPOSED: {CareRequestState.OPEN, CareRequestState.STAFFED,
                                CareRequestState.CLOSED},
    CareRequestState.STAFFED: {CareRequestState.OPEN, CareRequestState.CLOSED},
    CareRequestState.CLOSED: set(),
}


@dataclass
class RequestInput:
    team_size: int | None
    title: str = ""
    skills: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    needs_social_worker: bool = False
    slots: list[str] = field(default_factory=list)
    hours_per_week: float | None = None
    visits_per_week: int | None = None
    priority: int | None = None
    max_km: float | None = None

    @classmethod
    def from_household(cls, household: Household, team_size: int = 3) -> RequestInput:
        return cls(
            team_size=team_size, skills=list(household.needs),
            languages=list(household.languages), slots=list(household.slots),
            hours_per_week=household.hours_per_week, visits_per_week=household.visits_per_week,
        )


def get_request(user, request_id: int) -> CareRequest:
    care_request = db.session.get(CareRequest, request_id)
    if care_request is None:
        raise OutOfScope()
    get_household(user, care_request.household_id)
    return care_request


def _check(data: RequestInput) -> None:
    problems: list[DomainError] = []
    if data.team_size not in TEAM_SIZES:
        problems.append(DomainError("team_size", _("Choose a 311 team of three or one person.")))
    if data.team_size == 1 and visible_length(data.title) == 0:
        problems.append(DomainError("title", _("Say what the single task is, e.g. a repair.")))
    if data.team_size == 1 and data.needs_social_worker:
        problems.append(DomainError("needs_social_worker", _(
            "Only a 311 team can ask for a certified social worker among its members."
        )))
    if any(code not in SKILLS for code in data.skills):
        problems.append(DomainError("skills", _("Choose needs from the list.")))
    if any(code not in LANGUAGES for code in data.languages):
        problems.append(DomainError("languages", _("Choose languages from the list.")))
    if any(code not in SLOTS for code in data.slots):
        problems.append(DomainError("slots", _("Choose half-days from the grid.")))
    for name, value, (low, high) in (
        ("hours_per_week", data.hours_per_week, HOURS_RANGE),
        ("visits_per_week", data.visits_per_week, VISITS_RANGE),
    ):
        if value is None or not low <= value <= high:
            problems.append(DomainError(name, _(
                "Enter a number from %(min)s to %(max)s.", min=f"{low:g}", max=f"{high:g}"
            )))
    if data.priority is not None and not 1 <= data.priority <= 5:
        problems.append(DomainError("priority", _("Choose a priority from 1 to 5.")))
    low, high = KM_RANGE
    if data.max_km is not None and not low <= data.max_km <= high:
        problems.append(DomainError("max_km", _(
            "Enter a number from %(min)s to %(max)s.", min=f"{low:g}", max=f"{high:g}"
        )))
    if problems:
        raise DomainError.several(problems)


def create_request(actor, household: Household, data: RequestInput) -> CareRequest:
    if not household.is_active:
        raise DomainError(None, _("This household is closed; its record can no longer change."))
    _check(data)
    care_request = CareRequest(
        household_id=household.id, team_size=data.team_size,
        title=" ".join((data.title or "").split()),
        skills=ordered(data.skills, SKILLS), languages=ordered(data.languages, LANGUAGES),
        needs_social_worker=bool(data.needs_social_worker), slots=ordered(data.slots, SLOTS),
        hours_per_week=float(data.hours_per_week), visits_per_week=int(data.visits_per_week),
        priority=data.priority or household.effective_priority, max_km=data.max_km,
        created_by_id=actor.id,
    )
    db.session.add(care_request)
    db.session.flush()
    record(actor, "care_request.create", OBJECT_TYPE, care_request.id,
           actor_role=Role.SOCIAL_WORKER.value, places=places_of(household))
    return care_request


def move(care_request: CareRequest, to: CareRequestState, *, actor=None,
         reason: str | None = None) -> None:
    """One state change of §4, recorded with its actor (None: the system) and reason."""
    to = CareRequestState(to)
    if to == care_request.state:
        return
    if to not in TRANSITIONS[care_request.state]:
        raise DomainError(None, _("This request cannot change that way now."))
    care_request.state = to
    if to == CareRequestState.CLOSED:
        care_request.closed_at = utcnow()
        care_request.close_reason = reason
    db.session.flush()
    record(actor, f"care_request.{to.value}", OBJECT_TYPE, care_request.id, reason,
           actor_role=Role.SOCIAL_WORKER.value if actor is not None else None,
           places=places_of(care_request.household))


def close_request(actor, care_request: CareRequest, reason: str) -> None:
    """Closed by the social worker with a reason (§4 ``any → closed*``); a living team ends."""
    if care_request.state == CareRequestState.CLOSED:
        raise DomainError(None, _("This request is already closed."))
    if visible_length(reason) < 4:
        raise DomainError("reason", _("Say why, in at least 4 characters."))
    now = utcnow()
    team = care_request.living_team
    if team is not None:
        team.ended_at = now
        for member in team.current_members:
            member.left_at = now
    move(care_request, CareRequestState.CLOSED, actor=actor, reason=" ".join(reason.split()))
