"""The matching problem: frozen dataclasses and a strict parser for format version 1.

The parser is the only door into the engine. Anything it accepts is safe for every
later step, so it rejects unknown keys, unknown codes, duplicate ids and bad numbers
with a message that names the record (``requests[17].skills: unknown skill 'cooking'``).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

FORMAT_VERSION = 1

SKILLS = frozenset(
    {
        "psych_support", "daily_care", "nursing", "rehab", "legal_aid", "repair",
        "housekeeping", "tutoring", "counseling", "culture", "escort", "meal_delivery",
    }
)
LANGUAGES = frozenset({"zh", "ug", "kk", "mn", "en"})
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SLOTS = frozenset(f"{day}_{half}" for day in DAYS for half in ("am", "pm"))

DEFAULT_MAX_TEAMS = 3
DEFAULT_VISITS_PER_WEEK = 1
DEFAULT_TRAVEL_KMH = 15.0
# Rule 3 allows this much rounding slack on a volunteer's weekly hours.
LOAD_TOLERANCE_H = 1e-6


class ProblemError(ValueError):
    """Invalid input; the message names the offending record and field."""


@dataclass(frozen=True, slots=True)
class Volunteer:
    id: str
    lat: float
    lon: float
    hours_per_week: float
    max_km: float
    skills: frozenset[str]
    languages: frozenset[str]
    social_worker: bool
    slots: frozenset[str] | None  # None: available in any slot
    max_teams: int


@dataclass(frozen=True, slots=True)
class Request:
    id: str
    lat: float
    lon: float
    team_size: int
    hours_per_week: float
    visits_per_week: float
    skills: frozenset[str]
    languages: frozenset[str]  # empty: no language rule
    needs_social_worker: bool
    slots: frozenset[str] | None  # None: no slot rule
    priority: int
    max_km: float | None
    current_team: tuple[str, ...]
    exclude: frozenset[str]


@dataclass(frozen=True, slots=True)
class Options:
    time_limit_s: float | None = None
    travel_kmh: float = DEFAULT_TRAVEL_KMH
    seed: int = 0


@dataclass(frozen=True, slots=True)
class Problem:
    volunteers: tuple[Volunteer, ...]
    requests: tuple[Request, ...]
    options: Options

    def volunteer_index(self) -> dict[str, int]:
        return {v.id: i for i, v in enumerate(self.volunteers)}


class _Record:
    """Reads the fields of one JSON object, remembering where it is for messages."""

    def __init__(self, data: Any, where: str, required: set[str], optional: set[str]):
        if not isinstance(data, dict):
            raise ProblemError(f"{where}: expected an object, got {type(data).__name__}")
        for key in data:
            if key not in required and key not in optional:
                raise ProblemError(f"{where}: unknown key {key!r}")
        for key in sorted(required):
            if key not in data:
                raise ProblemError(f"{where}: missing key {key!r}")
        self.data = data
        self.where = where

    def fail(self, key: str, message: str) -> ProblemError:
        return ProblemError(f"{self.where}.{key}: {message}")

    def has(self, key: str) -> bool:
        return key in self.data and self.data[key] is not None

    def number(self, key: str, *, low: float | None = None, high: float | None = None,
               low_open: bool = False) -> float:
        value = self.data[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(key, f"expected a number, got {value!r}")
        value = float(value)
        if not math.isfinite(value):
            raise self.fail(key, f"expected a finite number, got {value!r}")
        if low is not None and (value <= low if low_open else value < low):
            raise self.fail(key, f"must be {'>' if low_open else '>='} {low:g}, got {value:g}")
        if high is not None and value > high:
            raise self.fail(key, f"must be <= {high:g}, got {value:g}")
        return value

    def integer(self, key: str, *, low: int, high: int | None = None) -> int:
        value = self.data[key]
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, f"expected an integer, got {value!r}")
        if value < low or (high is not None and value > high):
            upper = f" and <= {high}" if high is not None else ""
            raise self.fail(key, f"must be >= {low}{upper}, got {value}")
        return value

    def boolean(self, key: str) -> bool:
        value = self.data[key]
        if not isinstance(value, bool):
            raise self.fail(key, f"expected true or false, got {value!r}")
        return value

    def identifier(self, key: str) -> str:
        value = self.data[key]
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"expected a non-empty string id, got {value!r}")
        return value

    def strings(self, key: str) -> list[str]:
        value = self.data[key]
        if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
            raise self.fail(key, f"expected a list of strings, got {value!r}")
        return value

    def codes(self, key: str, allowed: frozenset[str], kind: str) -> frozenset[str]:
        values = self.strings(key)
        for value in values:
            if value not in allowed:
                raise self.fail(key, f"unknown {kind} {value!r}")
        if len(set(values)) != len(values):
            raise self.fail(key, f"duplicate {kind} in {values!r}")
        return frozenset(values)


def _parse_volunteer(data: Any, where: str) -> Volunteer:
    rec = _Record(
        data, where,
        required={"id", "lat", "lon", "hours_per_week", "max_km", "skills", "languages",
                  "social_worker"},
        optional={"slots", "max_teams"},
    )
    return Volunteer(
        id=rec.identifier("id"),
        lat=rec.number("lat", low=-90, high=90),
        lon=rec.number("lon", low=-180, high=180),
        hours_per_week=rec.number("hours_per_week", low=0, low_open=True),
        max_km=rec.number("max_km", low=0, low_open=True),
        skills=rec.codes("skills", SKILLS, "skill"),
        languages=rec.codes("languages", LANGUAGES, "language"),
        social_worker=rec.boolean("social_worker"),
        slots=rec.codes("slots", SLOTS, "slot") if rec.has("slots") else None,
        max_teams=rec.integer("max_teams", low=0) if rec.has("max_teams") else DEFAULT_MAX_TEAMS,
    )


def _parse_request(data: Any, where: str, volunteer_ids: set[str]) -> Request:
    rec = _Record(
        data, where,
        required={"id", "lat", "lon", "team_size", "hours_per_week", "skills", "priority"},
        optional={"visits_per_week", "languages", "needs_social_worker", "slots", "max_km",
                  "current_team", "exclude"},
    )
    current = rec.strings("current_team") if rec.has("current_team") else []
    exclude = rec.strings("exclude") if rec.has("exclude") else []
    for key, ids in (("current_team", current), ("exclude", exclude)):
        for vid in ids:
            if vid not in volunteer_ids:
                raise rec.fail(key, f"unknown volunteer {vid!r}")
        if len(set(ids)) != len(ids):
            raise rec.fail(key, f"duplicate volunteer in {ids!r}")
    both = sorted(set(current) & set(exclude))
    if both:
        raise rec.fail("exclude", f"volunteer {both[0]!r} is also in current_team")
    return Request(
        id=rec.identifier("id"),
        lat=rec.number("lat", low=-90, high=90),
        lon=rec.number("lon", low=-180, high=180),
        team_size=rec.integer("team_size", low=1),
        hours_per_week=rec.number("hours_per_week", low=0),
        visits_per_week=(rec.number("visits_per_week", low=0) if rec.has("visits_per_week")
                         else DEFAULT_VISITS_PER_WEEK),
        skills=rec.codes("skills", SKILLS, "skill"),
        languages=rec.codes("languages", LANGUAGES, "language") if rec.has("languages")
        else frozenset(),
        needs_social_worker=rec.boolean("needs_social_worker")
        if rec.has("needs_social_worker") else False,
        slots=rec.codes("slots", SLOTS, "slot") if rec.has("slots") else None,
        priority=rec.integer("priority", low=1, high=5),
        max_km=rec.number("max_km", low=0, low_open=True) if rec.has("max_km") else None,
        current_team=tuple(current),
        exclude=frozenset(exclude),
    )


def _parse_options(data: Any) -> Options:
    rec = _Record(data, "options", required=set(), optional={"time_limit_s", "travel_kmh", "seed"})
    return Options(
        time_limit_s=rec.number("time_limit_s", low=0, low_open=True)
        if rec.has("time_limit_s") else None,
        travel_kmh=rec.number("travel_kmh", low=0, low_open=True)
        if rec.has("travel_kmh") else DEFAULT_TRAVEL_KMH,
        seed=rec.integer("seed", low=0) if rec.has("seed") else 0,
    )


def _records(data: dict, key: str) -> list:
    value = data[key]
    if not isinstance(value, list):
        raise ProblemError(f"{key}: expected a list, got {type(value).__name__}")
    return value


def parse_problem(data: Any) -> Problem:
    """Build a Problem from decoded JSON, or raise ProblemError naming the record."""
    top = _Record(data, "problem", required={"version", "volunteers", "requests"},
                  optional={"options"})
    if data["version"] != FORMAT_VERSION or isinstance(data["version"], bool):
        raise ProblemError(f"version: expected {FORMAT_VERSION}, got {data['version']!r}")
    volunteers = []
    seen: set[str] = set()
    for i, item in enumerate(_records(data, "volunteers")):
        volunteer = _parse_volunteer(item, f"volunteers[{i}]")
        if volunteer.id in seen:
            raise ProblemError(f"volunteers[{i}].id: duplicate id {volunteer.id!r}")
        seen.add(volunteer.id)
        volunteers.append(volunteer)
    requests = []
    request_ids: set[str] = set()
    for i, item in enumerate(_records(data, "requests")):
        request = _parse_request(item, f"requests[{i}]", seen)
        if request.id in request_ids:
            raise ProblemError(f"requests[{i}].id: duplicate id {request.id!r}")
        request_ids.add(request.id)
        requests.append(request)
    options = _parse_options(data["options"]) if top.has("options") else Options()
    return Problem(tuple(volunteers), tuple(requests), options)


def load_json(path: str, what: str) -> Any:
    """Read a JSON file, turning I/O and syntax errors into ProblemError."""
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except OSError as exc:
        raise ProblemError(f"{what} {path}: {exc.strerror or exc}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ProblemError(f"{what} {path}: not valid JSON ({exc})") from None


def load_problem(path: str) -> Problem:
    return parse_problem(load_json(path, "problem"))
