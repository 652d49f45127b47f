"""Volunteer profiles: registration rules, visibility to staff, and the data export."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from marketplace.auth import scopes
from marketplace.auth.models import Role, RoleGrant, User
from marketplace.clock import local_today
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.geo.models import Community, Grid, Street
from marketplace.matching.geo import haversine_km
from marketplace.orgs.models import Organization, OrgStatus
from marketplace.privacy import crypto
from marketplace.privacy.models import ConsentPurpose
from marketplace.privacy.services import (
    PRIVACY_NOTICE_VERSION,
    has_consent,
    record_consent,
)
from marketplace.teams.models import STAFF_VISIBLE_STATES, TeamMembership, VolunteerTeam
from marketplace.volunteers.codes import LANGUAGES, SKILLS, SLOTS, ordered
from marketplace.volunteers.identity import (
    IdentityError,
    age_on,
    normalise_name,
    parse_resident_id,
)
from marketplace.volunteers.models import ADULT_AGE, Gender, VolunteerProfile

HOURS_RANGE = (0.5, 40.0)
KM_RANGE = (0.5, 50.0)
MAX_TEAMS_RANGE = (1, 5)
# A picked point farther than this from the home community is a mistake (swapped lat/lon,
# a location read while travelling).
MAX_POINT_DISTANCE_KM = 30.0
NUMBER_PREFIX = "ZY"
CERTIFICATE_MAX_LENGTH = 32
VOLUNTEER_NO_ATTEMPTS = 5


class _Problems:
    """Collects every rule a submission breaks, so the person sees all problems at once
    rather than one per submission."""

    def __init__(self):
        self.found: list[DomainError] = []

    @contextmanager
    def collect(self):
        try:
            yield
        except DomainError as error:
            self.found.append(error)

    def add(self, field_name: str, message: str) -> None:
        self.found.append(DomainError(field_name, message))

    def raise_if_any(self) -> None:
        if self.found:
            raise DomainError.several(self.found)


@dataclass
class ProfileInput:
    real_name: str
    id_number: str
    community_id: int | None
    grid_id: int | None = None
    use_community_centre: bool = True
    lat: float | None = None
    lon: float | None = None
    skills: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    slots: list[str] = field(default_factory=list)
    social_worker: bool = False
    sw_certificate_no: str = ""
    hours_per_week: float = 2.0
    max_km: float = 3.0
    max_teams: int = 2
    automated_matching: bool = True
    privacy_consent: bool = False
    guardian_consent: bool = False
    guardian_name: str = ""
    guardian_relation: str = ""


def profile_of(user) -> VolunteerProfile | None:
    """The volunteer profile of ``user`` (None for a visitor or someone without one)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return _profile_of_user_id(user.id)


def _profile_of_user_id(user_id: int) -> VolunteerProfile | None:
    return db.session.execute(
        select(VolunteerProfile).where(VolunteerProfile.user_id == user_id)
    ).scalar_one_or_none()


def community_choices() -> list[Community]:
    return list(
        db.session.execute(
            select(Community).join(Street).order_by(Street.district_id, Street.id, Community.id)
        ).scalars()
    )


def grid_choices() -> list[Grid]:
    return list(
        db.session.execute(select(Grid).order_by(Grid.community_id, Grid.id)).scalars()
    )


def save_profile(
    user: User, data: ProfileInput, *, check_only: bool = False
) -> VolunteerProfile | None:
    """Create or update ``user``'s profile. Every rule is checked before anything changes, so
    a refused submission leaves the saved profile exactly as it was. ``check_only`` runs the
    rules and changes nothing (the form found problems of its own; report all together)."""
    profile = _profile_of_user_id(user.id)
    today = local_today()
    problems = _Problems()
    real_name = resident = community = grid = lat = lon = None
    with problems.collect():
        real_name = _identity("real_name", normalise_name, data.real_name)
    with problems.collect():
        resident = _identity("id_number", parse_resident_id, data.id_number, today)
        owner = _digest_owner(crypto.digest(resident.number))
        if owner is not None and (profile is None or owner != profile.id):
            raise _duplicate_id_error()
    with problems.collect():
        community, grid = _home(data)
        lat, lon = _home_point(data, community, grid)
    for name, bounds in (("hours_per_week", HOURS_RANGE), ("max_km", KM_RANGE),
                         ("max_teams", MAX_TEAMS_RANGE)):
        with problems.collect():
            _check_range(name, getattr(data, name), bounds)
    certificate = (data.sw_certificate_no or "").strip()
    if data.social_worker and not certificate:
        problems.add("sw_certificate_no", _(
            "Enter the certificate number of your social work qualification."
        ))
    if len(certificate) > CERTIFICATE_MAX_LENGTH:
        problems.add("sw_certificate_no", _(
            "At most %(count)d characters.", count=CERTIFICATE_MAX_LENGTH
        ))
    consented = has_consent(user.id, ConsentPurpose.PRIVACY_NOTICE, PRIVACY_NOTICE_VERSION)
    if not consented and not data.privacy_consent:
        problems.add("privacy_consent", _(
            "Read the privacy notice and agree to it to save your profile."
        ))
    minor = resident is not None and age_on(resident.birth_date, today) < ADULT_AGE
    guardian_recorded = has_consent(user.id, ConsentPurpose.GUARDIAN)
    guardian_name = ""
    relation = (data.guardian_relation or "").strip()
    if minor and not guardian_recorded:
        if not data.guardian_consent:
            problems.add("guardian_consent", _(
                "You are under 18: a parent or guardian must agree before you take part."
            ))
        if not (data.guardian_name or "").strip():
            problems.add("guardian_name", _("Enter the guardian's name."))
        with problems.collect():
            guardian_name = _identity("guardian_name", normalise_name, data.guardian_name)
        if not relation or len(relation) > 20:
            problems.add("guardian_relation", _(
                "Say in a few words who the guardian is to you (for example: mother)."
            ))
    problems.raise_if_any()
    if check_only:
        return None

    id_digest = crypto.digest(resident.number)
    values = {
        "real_name": real_name,
        "id_number_encrypted": crypto.encrypt(resident.number),
        "id_number_digest": id_digest,
        "birth_date": resident.birth_date,
        "gender": Gender(resident.gender),
        "skills": ordered(data.skills, SKILLS),
        "languages": ordered(data.languages, LANGUAGES),
        "slots": ordered(data.slots, SLOTS),
        "social_worker": bool(data.social_worker),
        "sw_certificate_no": certificate if data.social_worker else None,
        "community_id": community.id,
        "grid_id": grid.id if grid else None,
        "lat": lat,
        "lon": lon,
        "hours_per_week": float(data.hours_per_week),
        "max_km": float(data.max_km),
        "max_teams": int(data.max_teams),
        "automated_matching": bool(data.automated_matching),
    }
    if profile is None:
        profile = _insert_profile(
            user.id, community.street.district.region_code, values, id_digest
        )
    else:
        for name, value in values.items():
            setattr(profile, name, value)
        try:
            with db.session.begin_nested():
                db.session.flush()
        except IntegrityError:
            # Another registration took this number after the check above.
            raise _duplicate_id_error() from None
    if not consented:
        record_consent(user.id, ConsentPurpose.PRIVACY_NOTICE, recorded_by_id=user.id)
    if minor and not guardian_recorded:
        record_consent(
            user.id, ConsentPurpose.GUARDIAN, recorded_by_id=user.id,
            guardian_name=guardian_name, guardian_relation=relation,
        )
    if not user.has_role(Role.VOLUNTEER):
        # The profile is what makes someone a volunteer (a staff social worker may hold both).
        user.grants.append(RoleGrant(role=Role.VOLUNTEER))
    db.session.flush()
    return profile


def _identity(field_name: str, check, *args):
    try:
        return check(*args)
    except IdentityError as exc:
        raise DomainError(field_name, exc.message) from None


def _digest_owner(id_digest: str) -> int | None:
    return db.session.execute(
        select(VolunteerProfile.id).where(VolunteerProfile.id_number_digest == id_digest)
    ).scalar_one_or_none()


def _duplicate_id_error() -> DomainError:
    return DomainError(
        "id_number",
        _("A volunteer with this resident ID number is already registered. "
          "Each person registers once; log in to that account instead."),
    )


def _insert_profile(user_id: int, region_code: str, values: dict, id_digest: str):
    """Insert a new profile under the next free volunteer number. Two registrations at the
    same moment may draw the same number; the loser draws again. If the ID number itself
    was registered meanwhile, the person gets the duplicate error."""
    for _attempt in range(VOLUNTEER_NO_ATTEMPTS):
        profile = VolunteerProfile(
            user_id=user_id, volunteer_no=next_volunteer_no(region_code), **values
        )
        try:
            with db.session.begin_nested():
                db.session.add(profile)
                db.session.flush()
        except IntegrityError:
            if _digest_owner(id_digest) is not None or _profile_of_user_id(user_id) is not None:
                raise _duplicate_id_error() from None
            continue
        return profile
    raise RuntimeError("no free volunteer number after several attempts")


def next_volunteer_no(region_code: str) -> str:
    prefix = f"{NUMBER_PREFIX}{region_code}"
    last = db.session.execute(
        select(func.max(VolunteerProfile.volunteer_no)).where(
            VolunteerProfile.volunteer_no.like(f"{prefix}%")
        )
    ).scalar_one_or_none()
    serial = int(last[len(prefix):]) + 1 if last else 1
    return f"{prefix}{serial:08d}"


def _home(data: ProfileInput) -> tuple[Community, Grid | None]:
    community = db.session.get(Community, data.community_id) if data.community_id else None
    if community is None:
        raise DomainError("community_id", _("Choose the community you live in."))
    grid = None
    if data.grid_id:
        grid = db.session.get(Grid, data.grid_id)
        if grid is None or grid.community_id != community.id:
            raise DomainError(
                "grid_id",
                _("This grid is not in the community you chose: choose one of its grids."),
            )
    return community, grid


def _home_point(data: ProfileInput, community: Community, grid: Grid | None):
    if data.use_community_centre:
        centre = grid or community
        return centre.lat, centre.lon
    if data.lat is None or data.lon is None:
        raise DomainError(
            "lat", _("Use your location, type the coordinates, or choose the community centre.")
        )
    if not (-90 <= data.lat <= 90 and -180 <= data.lon <= 180):
        raise DomainError("lat", _("These are not coordinates on Earth."))
    if haversine_km(community.lat, community.lon, data.lat, data.lon) > MAX_POINT_DISTANCE_KM:
        raise DomainError(
            "lat",
            _("This point is more than %(km)d km from your community: check it or use the "
              "community centre.", km=int(MAX_POINT_DISTANCE_KM)),
        )
    return data.lat, data.lon


def _check_range(name: str, value, bounds) -> None:
    low, high = bounds
    if value is None or not low <= float(value) <= high:
        raise DomainError(
            name, _("Enter a number from %(min)s to %(max)s.", min=_num(low), max=_num(high))
        )


def _num(value) -> str:
    return f"{value:g}"


def visible_profile(user: User, profile_id: int) -> VolunteerProfile | None:
    """The profile if ``user`` is its owner or may see it as staff (``staff_access``, domain
    §2); None otherwise (the view answers 404)."""
    profile = db.session.get(VolunteerProfile, profile_id)
    if profile is None:
        return None
    if profile.user_id == user.id or staff_access(user, profile) is not None:
        return profile
    return None


def staff_access(user: User, profile: VolunteerProfile) -> tuple[Role, int] | None:
    """The staff role (social worker before org admin) and organization under which ``user``
    may see ``profile``: a grant for an approved organization with a team the volunteer has
    applied to or belongs to. Invitations, past memberships and suspended organizations open
    nothing."""
    org_ids = scopes.organization_ids(user)
    if not org_ids:
        return None
    linked = set(db.session.scalars(
        select(VolunteerTeam.organization_id)
        .join(TeamMembership, TeamMembership.team_id == VolunteerTeam.id)
        .join(Organization, Organization.id == VolunteerTeam.organization_id)
        .where(
            TeamMembership.volunteer_id == profile.id,
            TeamMembership.state.in_(STAFF_VISIBLE_STATES),
            VolunteerTeam.organization_id.in_(sorted(org_ids)),
            Organization.status == OrgStatus.APPROVED,
        )
    ))
    return scopes.staff_grant(user, linked)
