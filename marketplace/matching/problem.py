"""The matching problem: frozen dataclasses and a strict parser for format version 1.

The parser is the only door into the engine. Anything it accepts is safe for every
later step, so it rejects unknown keys, unknown codes, duplicate ids and numbers outside
their BOUNDS with a message that names the record (``requests[17].skills: unknown skill
'cooking'``). ``parse_json`` does the same for what JSON decoders let through: duplicate
keys, integers too long to convert, nesting too deep to decode.
"""

from __future__ import annotations

import json
import math
import re
import reprlib
import sys
from dataclasses import dataclass
from typing import Any, NamedTuple

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


# Text limits of the format (docs/matching.md, "Limits"). No number of the format needs
# more digits, and Python refuses to convert integers beyond 4,300 digits anyway.
MAX_INTEGER_DIGITS = 20
MAX_ID_LENGTH = 100


class ProblemError(ValueError):
    """Invalid input; the message names the offending record and field."""


class Bounds(NamedTuple):
    """The allowed range of one number of the format."""

    low: float
    high: float
    low_open: bool = False
    integer: bool = False

    def describe(self) -> str:
        kind = "integer " if self.integer else ""
        return f"{kind}{'>' if self.low_open else '>='} {self.low} and <= {self.high}"

    def read(self, value: Any) -> int | float:
        """The value as int or float; ValueError saying what is wrong otherwise."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"expected {'an integer' if self.integer else 'a number'}, "
                             f"got {show(value)}")
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"expected a finite number, got {value!r}")
        if self.integer and isinstance(value, float) and not value.is_integer():
            raise ValueError(f"expected an integer, got {value!r}")
        # Compared before converting: a 400-digit integer has no float.
        if (value <= self.low if self.low_open else value < self.low) or value > self.high:
            raise ValueError(f"must be {self.describe().removeprefix('integer ')}, "
                             f"got {show(value)}")
        return int(value) if self.integer else float(value)


# Every number of the format, by (record, field); docs/matching.md lists the same table.
# The highs keep the engine's integer arithmetic (load units, objective weights, CP-SAT's
# 32-bit seed plus one per call) far from overflow while leaving any real case room.
BOUNDS: dict[tuple[str, str], Bounds] = {
    ("volunteer", "lat"): Bounds(-90, 90),
    ("volunteer", "lon"): Bounds(-180, 180),
    ("volunteer", "hours_per_week"): Bounds(0, 168, low_open=True),
    ("volunteer", "max_km"): Bounds(0, 100, low_open=True),
    ("volunteer", "max_teams"): Bounds(0, 20, integer=True),
    ("request", "lat"): Bounds(-90, 90),
    ("request", "lon"): Bounds(-180, 180),
    ("request", "team_size"): Bounds(1, 10, integer=True),
    ("request", "hours_per_week"): Bounds(0, 168),
    ("request", "visits_per_week"): Bounds(0, 28),
    ("request", "priority"): Bounds(1, 5, integer=True),
    ("request", "max_km"): Bounds(0, 100, low_open=True),
    ("options", "time_limit_s"): Bounds(0, 86_400, low_open=True),
    ("options", "travel_kmh"): Bounds(1, 200),
    ("options", "seed"): Bounds(0, 1_000_000_000, integer=True),
    ("score", "priority_staffed"): Bounds(0, 1_000_000_000, integer=True),
    ("score", "kept_members"): Bounds(0, 1_000_000_000, integer=True),
    ("score", "total_km"): Bounds(0, 1_000_000_000),
    ("bound", "priority_staffed"): Bounds(0, 1_000_000_000),
}

_SHORT = reprlib.Repr()
_SHORT.maxstring = _SHORT.maxother = 60
_SHORT.maxlist = _SHORT.maxdict = 5
_SHORT.maxlevel = 3


def show(value: Any) -> str:
    """A short, one-line repr for messages, whatever the value."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        return f"an integer of about {round(value.bit_length() * math.log10(2))} digits"
    return _SHORT.repr(value)


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


class Record:
    """Reads the fields of one JSON object (of a problem or a result), remembering where
    it is for messages and which BOUNDS its numbers take (``kind``)."""

    def __init__(self, data: Any, where: str, kind: str, required: set[str],
                 optional: set[str]):
        if not isinstance(data, dict):
            raise ProblemError(f"{where}: expected an object, got {type(data).__name__}")
        for key in data:
            if key not in required and key not in optional:
                raise ProblemError(f"{where}: unknown key {show(key)}")
        for key in sorted(required):
            if key not in data:
                raise ProblemError(f"{where}: missing key {key!r}")
        self.data = data
        self.where = where
        self.kind = kind  # the record's name in BOUNDS

    def fail(self, key: str, message: str) -> ProblemError:
        return ProblemError(f"{self.where}.{key}: {message}")

    def has(self, key: str) -> bool:
        return key in self.data and self.data[key] is not None

    def number(self, key: str) -> Any:  # int or float, as BOUNDS says
        """The field, within its bounds in BOUNDS (an int for integer fields)."""
        try:
            return BOUNDS[self.kind, key].read(self.data[key])
        except ValueError as exc:
            raise self.fail(key, str(exc)) from None

    def boolean(self, key: str) -> bool:
        value = self.data[key]
        if not isinstance(value, bool):
            raise self.fail(key, f"expected true or false, got {show(value)}")
        return value

    def identifier(self, key: str) -> str:
        value = self.data[key]
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"expected a non-empty string id, got {show(value)}")
        if len(value) > MAX_ID_LENGTH:
            raise self.fail(key, f"longer than {MAX_ID_LENGTH} characters: {show(value)}")
        # Ids are echoed into the result and into message lines: no control, format or
        # unpaired surrogate characters (the last cannot even be written as UTF-8).
        if not value.isprintable():
            raise self.fail(key, f"holds a non-printable character (control, format or "
                                 f"unpaired surrogate): {show(value)}")
        return value

    def strings(self, key: str) -> list[str]:
        value = self.data[key]
        if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
            raise self.fail(key, f"expected a list of strings, got {show(value)}")
        return value

    def codes(self, key: str, allowed: frozenset[str], kind: str) -> frozenset[str]:
        values = self.strings(key)
        for value in values:
            if value not in allowed:
                raise self.fail(key, f"unknown {kind} {show(value)}")
        if len(set(values)) != len(values):
            raise self.fail(key, f"duplicate {kind} in {show(values)}")
        return frozenset(values)


def _parse_volunteer(data: Any, where: str) -> Volunteer:
    rec = Record(
        data, where, "volunteer",
        required={"id", "lat", "lon", "hours_per_week", "max_km", "skills", "languages",
                  "social_worker"},
        optional={"slots", "max_teams"},
    )
    return Volunteer(
        id=rec.identifier("id"),
        lat=rec.number("lat"),
        lon=rec.number("lon"),
        hours_per_week=rec.number("hours_per_week"),
        max_km=rec.number("max_km"),
        skills=rec.codes("skills", SKILLS, "skill"),
        languages=rec.codes("languages", LANGUAGES, "language"),
        social_worker=rec.boolean("social_worker"),
        slots=rec.codes("slots", SLOTS, "slot") if rec.has("slots") else None,
        max_teams=rec.number("max_teams") if rec.has("max_teams") else DEFAULT_MAX_TEAMS,
    )


def _parse_request(data: Any, where: str, volunteer_ids: set[str]) -> Request:
    rec = Record(
        data, where, "request",
        required={"id", "lat", "lon", "team_size", "hours_per_week", "skills", "priority"},
        optional={"visits_per_week", "languages", "needs_social_worker", "slots", "max_km",
                  "current_team", "exclude"},
    )
    current = rec.strings("current_team") if rec.has("current_team") else []
    exclude = rec.strings("exclude") if rec.has("exclude") else []
    for key, ids in (("current_team", current), ("exclude", exclude)):
        for vid in ids:
            if vid not in volunteer_ids:
                raise rec.fail(key, f"unknown volunteer {show(vid)}")
        if len(set(ids)) != len(ids):
            raise rec.fail(key, f"duplicate volunteer in {show(ids)}")
    both = sorted(set(current) & set(exclude))
    if both:
        raise rec.fail("exclude", f"volunteer {both[0]!r} is also in current_team")
    return Request(
        id=rec.identifier("id"),
        lat=rec.number("lat"),
        lon=rec.number("lon"),
        team_size=rec.number("team_size"),
        hours_per_week=rec.number("hours_per_week"),
        visits_per_week=(rec.number("visits_per_week") if rec.has("visits_per_week")
                         else DEFAULT_VISITS_PER_WEEK),
        skills=rec.codes("skills", SKILLS, "skill"),
        languages=rec.codes("languages", LANGUAGES, "language") if rec.has("languages")
        else frozenset(),
        needs_social_worker=rec.boolean("needs_social_worker")
        if rec.has("needs_social_worker") else False,
        slots=rec.codes("slots", SLOTS, "slot") if rec.has("slots") else None,
        priority=rec.number("priority"),
        max_km=rec.number("max_km") if rec.has("max_km") else None,
        current_team=tuple(current),
        exclude=frozenset(exclude),
    )


def _parse_options(data: Any) -> Options:
    rec = Record(data, "options", "options", required=set(),
                 optional={"time_limit_s", "travel_kmh", "seed"})
    return Options(
        time_limit_s=rec.number("time_limit_s") if rec.has("time_limit_s") else None,
        travel_kmh=rec.number("travel_kmh") if rec.has("travel_kmh") else DEFAULT_TRAVEL_KMH,
        seed=rec.number("seed") if rec.has("seed") else 0,
    )


def _records(data: dict, key: str) -> list:
    value = data[key]
    if not isinstance(value, list):
        raise ProblemError(f"{key}: expected a list, got {type(value).__name__}")
    return value


def parse_problem(data: Any) -> Problem:
    """Build a Problem from decoded JSON, or raise ProblemError naming the record."""
    top = Record(data, "problem", "problem", required={"version", "volunteers", "requests"},
                 optional={"options"})
    if data["version"] != FORMAT_VERSION or isinstance(data["version"], bool):
        raise ProblemError(f"version: expected {FORMAT_VERSION}, got {show(data['version'])}")
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


class _DuplicateKeys(dict):
    """A decoded object that held ``duplicate`` twice (the decoder keeps the last)."""

    duplicate: str


class _LongInteger(str):
    """An integer literal of more than MAX_INTEGER_DIGITS digits, kept as its text."""


def _child(where: str, root: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{where}[{key}]"
    name = key if key.isidentifier() else show(key)
    return name if where == root else f"{where}.{name}"


def _first_flagged(data: Any, root: str) -> ProblemError | None:
    """The first duplicate key or overlong integer, in document order, naming its record."""
    stack = [(data, root)]
    while stack:
        value, where = stack.pop()
        if isinstance(value, _LongInteger):
            return ProblemError(f"{where}: an integer of {len(value.lstrip('-'))} digits is "
                                f"out of range (at most {MAX_INTEGER_DIGITS})")
        if isinstance(value, _DuplicateKeys):
            return ProblemError(f"{where}: duplicate key {show(value.duplicate)}")
        items = value.items() if isinstance(value, dict) else \
            enumerate(value) if isinstance(value, list) else ()
        stack.extend(reversed([(item, _child(where, root, key)) for key, item in items]))
    return None


_STRUCTURE = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{},]')


def _where_too_deep(text: str, root: str) -> str:
    """The record holding the first nesting deeper than half the recursion limit.

    Only called once the decoder has given up, to name the record in the message.
    """
    limit = sys.getrecursionlimit() // 2
    keys: list[Any] = []  # the key or index leading into each open container but the top
    stack: list[list] = []  # per open container: [is an object, key or index, key expected]
    for match in _STRUCTURE.finditer(text):
        token = match.group()
        top = stack[-1] if stack else None
        if token in ("[", "{"):
            if len(stack) >= limit:
                break
            if top is not None:
                keys.append(top[1])
            stack.append([token == "{", 0, token == "{"])
        elif token in ("]", "}"):
            if len(stack) > 1:
                keys.pop()
            if stack:
                stack.pop()
        elif top is None:
            continue
        elif token == ",":
            if top[0]:
                top[2] = True
            else:
                top[1] += 1
        elif top[0] and top[2]:  # a string where an object's key belongs
            try:
                top[1] = json.loads(token)
            except ValueError:
                top[1] = token
            top[2] = False
    where = root
    for key in keys[:3]:
        where = _child(where, root, key)
    return where


def parse_json(text: str, root: str, source: str | None = None) -> Any:
    """Decode JSON text strictly; ProblemError names the record (``root`` for the top).

    Refused, besides syntax errors (named by ``source``, default ``root``): duplicate keys
    (the decoder would silently keep the last), integers of more than MAX_INTEGER_DIGITS
    digits, and nesting beyond the decoder's recursion limit.
    """
    flagged = False  # set by the hooks; the walk that names the record is for errors only

    def on_object(pairs: list[tuple[str, Any]]) -> dict:
        nonlocal flagged
        data = dict(pairs)
        if len(data) == len(pairs):
            return data
        flagged = True
        data = _DuplicateKeys(data)
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                data.duplicate = key
                break
            seen.add(key)
        return data

    def on_integer(text: str) -> int:
        nonlocal flagged
        if len(text.lstrip("-")) <= MAX_INTEGER_DIGITS:
            return int(text)
        flagged = True
        return _LongInteger(text)

    try:
        data = json.loads(text, object_pairs_hook=on_object, parse_int=on_integer)
    except json.JSONDecodeError as exc:
        raise ProblemError(f"{source or root}: not valid JSON ({exc})") from None
    except RecursionError:
        raise ProblemError(f"{_where_too_deep(text, root)}: nested too deeply") from None
    error = _first_flagged(data, root) if flagged else None
    if error is not None:
        raise error
    return data


def load_json(path: str, what: str) -> Any:
    """Read a JSON file; I/O, encoding and syntax errors become ProblemError."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as exc:
        raise ProblemError(f"{what} {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ProblemError(f"{what} {path}: not valid UTF-8 ({exc.reason} at byte "
                           f"{exc.start})") from None
    return parse_json(text, what, source=f"{what} {path}")


def load_problem(path: str) -> Problem:
    return parse_problem(load_json(path, "problem"))
