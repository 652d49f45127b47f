"""An independent checker: recompute every rule and the score from problem and result.

Deliberately shares nothing with the solver's preparation or model beyond the parser
and the distance function: loads are recomputed here in hours, the way the format
states rule 3, with its 1e-6 h tolerance.
"""

from __future__ import annotations

from typing import Any

from .geo import haversine_km
from .problem import FORMAT_VERSION, LOAD_TOLERANCE_H, Problem, Record, show

STATUSES = frozenset({"OPTIMAL", "FEASIBLE", "NO_SOLUTION"})
KM_TOLERANCE = 1e-3  # total_km is written with three decimals


def read_result(result: Any) -> None:
    """Refuse a result that is not in the format (keys, types, numbers within BOUNDS).

    Raises ProblemError naming the field: such a result is malformed input (exit 2),
    not a list of rule violations.
    """
    top = Record(result, "result", "result",
                 required={"version", "status", "solver", "teams", "open", "score"},
                 optional={"bound", "stats"})
    if result["version"] != FORMAT_VERSION or isinstance(result["version"], bool):
        raise top.fail("version", f"expected {FORMAT_VERSION}, got {show(result['version'])}")
    if not isinstance(result["status"], str) or result["status"] not in STATUSES:
        raise top.fail("status", f"unknown status {show(result['status'])}")
    if not isinstance(result["solver"], str):
        raise top.fail("solver", f"expected a string, got {show(result['solver'])}")
    for key in ("teams", "open"):
        if not isinstance(result[key], list):
            raise top.fail(key, f"expected a list, got {type(result[key]).__name__}")
    for t, entry in enumerate(result["teams"]):
        # reasons: free text for people; explanations: the same as codes with parameters
        # for translation. Only the explanations' shape is checked.
        team = Record(entry, f"teams[{t}]", "team", required={"request", "members"},
                      optional={"reasons", "explanations"})
        team.identifier("request")
        team.strings("members")
        if team.has("explanations"):
            explanations = entry["explanations"]
            if not isinstance(explanations, dict):
                raise team.fail("explanations", f"expected an object, got {show(explanations)}")
            for member, explanation in explanations.items():
                # The key is whatever the file says: shown as an identifier or a repr,
                # so the message stays one line.
                name = member if isinstance(member, str) and member.isidentifier() \
                    else show(member)
                _explanation(team, f"explanations.{name}", explanation)
    for o, entry in enumerate(result["open"]):
        entry_rec = Record(entry, f"open[{o}]", "open", required={"request", "reason"},
                           optional={"explanation"})
        entry_rec.identifier("request")
        if not isinstance(entry["reason"], str):
            raise entry_rec.fail("reason", f"expected a string, got {show(entry['reason'])}")
        if entry_rec.has("explanation"):
            _explanation(entry_rec, "explanation", entry["explanation"])
    score = Record(result["score"], "score", "score",
                   required={"priority_staffed", "kept_members", "total_km"}, optional=set())
    for key in ("priority_staffed", "kept_members", "total_km"):
        score.number(key)
    if top.has("bound"):
        bound = Record(result["bound"], "bound", "bound", required=set(),
                       optional={"priority_staffed"})
        if bound.has("priority_staffed"):
            bound.number("priority_staffed")
    if top.has("stats") and not isinstance(result["stats"], dict):
        raise top.fail("stats", f"expected an object, got {type(result['stats']).__name__}")


def _explanation(record: Record, key: str, value: Any) -> None:
    """A reason as a code with parameters: an object with a string ``code``."""
    if not isinstance(value, dict) or not isinstance(value.get("code"), str):
        raise record.fail(key, f"expected an object with a string code, got {show(value)}")


def check_result(problem: Problem, result: Any) -> list[str]:
    """Return every rule violation, as readable lines; empty when the result is valid.

    A result that is not in the format at all raises ProblemError (see ``read_result``).
    """
    read_result(result)
    problems: list[str] = []
    volunteers = {v.id: v for v in problem.volunteers}
    requests = {r.id: r for r in problem.requests}
    seen: dict[str, str] = {}
    load: dict[str, float] = {}
    teams_of: dict[str, int] = {}
    priority = kept = 0
    total_km = 0.0
    kmh = problem.options.travel_kmh

    for t, entry in enumerate(result["teams"]):
        where = f"teams[{t}]"
        rid = entry["request"]
        request = requests.get(rid)
        if request is None:
            problems.append(f"{where}: unknown request {rid!r}")
            continue
        if rid in seen:
            problems.append(f"{where}: request {rid!r} already listed in {seen[rid]}")
            continue
        seen[rid] = where
        members = entry["members"]
        if len(set(members)) != len(members):
            problems.append(f"{where}: rule 1: duplicate member in {show(members)}")
        if len(members) != request.team_size:
            problems.append(f"{where}: rule 1: request {rid!r} needs {request.team_size} "
                            f"members, got {len(members)}")
        known = [volunteers[m] for m in dict.fromkeys(members) if m in volunteers]
        for m in members:
            if m not in volunteers:
                problems.append(f"{where}: unknown volunteer {show(m)}")
        for v in known:
            km = haversine_km(v.lat, v.lon, request.lat, request.lon)
            if km > v.max_km:
                problems.append(f"{where}: rule 2: {v.id} is {km:.3f} km away, beyond the "
                                f"volunteer's max_km {v.max_km}")
            if request.max_km is not None and km > request.max_km:
                problems.append(f"{where}: rule 2: {v.id} is {km:.3f} km away, beyond the "
                                f"request's max_km {request.max_km}")
            if request.slots is not None:
                shared = request.slots if v.slots is None else request.slots & v.slots
                if not shared:
                    problems.append(f"{where}: rule 5: {v.id} shares no slot with {rid!r}")
            if v.id in request.exclude:
                problems.append(f"{where}: rule 6: {v.id} is excluded from {rid!r}")
            load[v.id] = load.get(v.id, 0.0) + request.hours_per_week + \
                request.visits_per_week * 2 * km / kmh
            teams_of[v.id] = teams_of.get(v.id, 0) + 1
            total_km += km
        for skill in sorted(request.skills):
            if not any(skill in v.skills for v in known):
                problems.append(f"{where}: rule 5: no member offers skill {skill!r}")
        if request.languages and not any(v.languages & request.languages for v in known):
            problems.append(f"{where}: rule 5: no member speaks "
                            f"{'/'.join(sorted(request.languages))}")
        if request.needs_social_worker and not any(v.social_worker for v in known):
            problems.append(f"{where}: rule 5: no member is a social worker")
        priority += request.priority
        kept += sum(1 for v in known if v.id in request.current_team)

    for o, entry in enumerate(result["open"]):
        where = f"open[{o}]"
        rid = entry["request"]
        if rid not in requests:
            problems.append(f"{where}: unknown request {rid!r}")
        elif rid in seen:
            problems.append(f"{where}: request {rid!r} already listed in {seen[rid]}")
        else:
            seen[rid] = where
        if not entry["reason"].strip():
            problems.append(f"{where}: an open request needs a reason")
    for rid in requests:
        if rid not in seen:
            problems.append(f"request {rid!r} is neither in teams nor in open")

    for vid in sorted(load):
        v = volunteers[vid]
        if load[vid] > v.hours_per_week + LOAD_TOLERANCE_H:
            problems.append(f"volunteer {vid}: rule 3: load {load[vid]:.6f} h exceeds "
                            f"hours_per_week {v.hours_per_week}")
        if teams_of[vid] > v.max_teams:
            problems.append(f"volunteer {vid}: rule 4: serves {teams_of[vid]} requests, "
                            f"max_teams {v.max_teams}")
    problems += _check_score(result, priority, kept, total_km)
    return problems


def _check_score(result: dict, priority: int, kept: int, total_km: float) -> list[str]:
    score = result["score"]
    problems = []
    if score["priority_staffed"] != priority:
        problems.append(f"score.priority_staffed: result says {score['priority_staffed']}, "
                        f"recomputed {priority}")
    if score["kept_members"] != kept:
        problems.append(f"score.kept_members: result says {score['kept_members']}, "
                        f"recomputed {kept}")
    if abs(score["total_km"] - total_km) > KM_TOLERANCE + 1e-9 * total_km:
        problems.append(f"score.total_km: result says {score['total_km']}, "
                        f"recomputed {total_km:.3f}")
    staffed_bound = (result.get("bound") or {}).get("priority_staffed")
    if staffed_bound is not None and staffed_bound < priority:
        problems.append(f"bound.priority_staffed: {staffed_bound} is below the staffed "
                        f"priority {priority}")
    return problems
