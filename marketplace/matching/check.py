"""An independent checker: recompute every rule and the score from problem and result.

Deliberately shares nothing with the solver's preparation or model beyond the parser
and the distance function: loads are recomputed here in hours, the way the format
states rule 3, with its 1e-6 h tolerance.
"""

from __future__ import annotations

from typing import Any

from .geo import haversine_km
from .problem import LOAD_TOLERANCE_H, Problem

STATUSES = frozenset({"OPTIMAL", "FEASIBLE", "NO_SOLUTION"})
RESULT_KEYS = frozenset({"version", "status", "solver", "teams", "open", "score", "bound",
                         "stats"})
KM_TOLERANCE = 1e-3  # total_km is written with three decimals


def check_result(problem: Problem, result: Any) -> list[str]:
    """Return every violation found, as readable lines; empty when the result is valid."""
    if not isinstance(result, dict):
        return ["result: expected a JSON object"]
    problems = [f"result: unknown key {k!r}" for k in sorted(set(result) - RESULT_KEYS)]
    problems += [f"result: missing key {k!r}" for k in sorted(RESULT_KEYS - set(result) -
                                                              {"bound", "stats"})]
    if problems:
        return problems
    if result["version"] != 1:
        problems.append(f"result.version: expected 1, got {result['version']!r}")
    if result["status"] not in STATUSES:
        problems.append(f"result.status: unknown status {result['status']!r}")
    volunteers = {v.id: v for v in problem.volunteers}
    requests = {r.id: r for r in problem.requests}
    seen: dict[str, str] = {}
    load: dict[str, float] = {}
    teams_of: dict[str, int] = {}
    priority = kept = 0
    total_km = 0.0
    kmh = problem.options.travel_kmh

    teams = result["teams"] if isinstance(result["teams"], list) else []
    if not isinstance(result["teams"], list):
        problems.append("result.teams: expected a list")
    for t, entry in enumerate(teams):
        where = f"teams[{t}]"
        if not isinstance(entry, dict) or not {"request", "members"} <= set(entry) or \
                set(entry) - {"request", "members", "reasons", "explanations"}:
            problems.append(f"{where}: expected {{request, members[, reasons, explanations]}}")
            continue
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
        if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
            problems.append(f"{where}.members: expected a list of volunteer ids")
            continue
        if len(set(members)) != len(members):
            problems.append(f"{where}: rule 1: duplicate member in {members}")
        if len(members) != request.team_size:
            problems.append(f"{where}: rule 1: request {rid!r} needs {request.team_size} "
                            f"members, got {len(members)}")
        known = [volunteers[m] for m in dict.fromkeys(members) if m in volunteers]
        for m in members:
            if m not in volunteers:
                problems.append(f"{where}: unknown volunteer {m!r}")
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

    open_entries = result["open"] if isinstance(result["open"], list) else []
    if not isinstance(result["open"], list):
        problems.append("result.open: expected a list")
    for o, entry in enumerate(open_entries):
        where = f"open[{o}]"
        if not isinstance(entry, dict) or not {"request", "reason"} <= set(entry) or \
                set(entry) - {"request", "reason", "explanation"}:
            problems.append(f"{where}: expected {{request, reason[, explanation]}}")
            continue
        rid = entry["request"]
        if rid not in requests:
            problems.append(f"{where}: unknown request {rid!r}")
        elif rid in seen:
            problems.append(f"{where}: request {rid!r} already listed in {seen[rid]}")
        else:
            seen[rid] = where
        if not isinstance(entry["reason"], str) or not entry["reason"].strip():
            problems.append(f"{where}: an open request needs a reason")
        explanation = entry.get("explanation", {"code": "-"})
        if not isinstance(explanation, dict) or not isinstance(explanation.get("code"), str):
            problems.append(f"{where}.explanation: expected an object with a string code")
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
    if not isinstance(score, dict) or set(score) != {"priority_staffed", "kept_members",
                                                     "total_km"}:
        return ["result.score: expected {priority_staffed, kept_members, total_km}"]
    problems = []
    if score["priority_staffed"] != priority:
        problems.append(f"score.priority_staffed: result says {score['priority_staffed']}, "
                        f"recomputed {priority}")
    if score["kept_members"] != kept:
        problems.append(f"score.kept_members: result says {score['kept_members']}, "
                        f"recomputed {kept}")
    reported_km = score["total_km"]
    if isinstance(reported_km, bool) or not isinstance(reported_km, int | float) or \
            abs(reported_km - total_km) > KM_TOLERANCE + 1e-9 * total_km:
        problems.append(f"score.total_km: result says {reported_km}, recomputed {total_km:.3f}")
    bound = result.get("bound") or {}
    if not isinstance(bound, dict):
        problems.append("result.bound: expected an object")
    elif "priority_staffed" in bound:
        value = bound["priority_staffed"]
        if isinstance(value, bool) or not isinstance(value, int | float) or value < priority:
            problems.append(f"bound.priority_staffed: {value!r} is below the staffed "
                            f"priority {priority}")
    return problems
