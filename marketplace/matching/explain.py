"""Short reasons: why each member is on a team, and what keeps each open request open.

Open-request reasons name the first thing a social worker could act on: nobody close
enough, nobody sharing a slot, nobody with the missing skill, language or social
worker certificate, or such people exist but their weekly time is already taken.

Every reason is an ``Explanation``: a stable code with parameters, which the product
translates from its own catalog, and the English sentence built from the same
parameters. The codes and their parameters are listed in docs/matching.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .eligibility import Prepared, pair_load_hours
from .geo import GridIndex, haversine_km
from .greedy import Assignment, time_and_slots_left
from .problem import Request, Volunteer


@dataclass(frozen=True, slots=True)
class Explanation:
    code: str
    text: str  # English, built from the same parameters
    params: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, **self.params}


def _km(value: float) -> str:
    return f"{value:.1f} km"


def _holder_phrase(bit_name: str) -> str:
    kind, _, what = bit_name.partition(" ")
    if kind == "skill":
        return f"offers {what}"
    if kind == "language":
        return f"speaks {what}"
    return "is a social worker"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def member_reason(request: Request, volunteer: Volunteer, km: float, kept: bool,
                  bit_names: list[str], mask: int) -> Explanation:
    parts = ["kept from current team"] if kept else []
    parts.append(f"{_km(km)} away")
    brings = []
    brought = []
    for bit, name in enumerate(bit_names):
        if mask >> bit & 1:
            kind, _, what = name.partition(" ")
            if kind == "language":
                what = "/".join(sorted(volunteer.languages & request.languages))
                name = f"language {what}"
            brings.append(what)
            brought.append(name)
    if brings:
        parts.append("brings " + ", ".join(brings))
    shared: list[str] = []
    if request.slots is not None:
        shared = sorted(request.slots if volunteer.slots is None
                        else request.slots & volunteer.slots)[:3]
        parts.append("free " + ", ".join(shared))
    return Explanation("kept_member" if kept else "member", "; ".join(parts),
                       {"km": round(km, 1), "brings": brought, "slots": shared})


class OpenExplainer:
    def __init__(self, prepared: Prepared, assignment: Assignment, time_limit_s: float | None
                 = None):
        self.prepared = prepared
        self.problem = prepared.problem
        self.time_limit_s = time_limit_s
        self.cap_left, self.teams_left = time_and_slots_left(prepared, assignment)
        self._grid: GridIndex | None = None
        self._furthest = max((v.max_km for v in self.problem.volunteers), default=0.0)

    def _radius(self, request: Request) -> float:
        furthest = self._furthest
        return furthest if request.max_km is None else min(request.max_km, furthest)

    def _why_nobody(self, request: Request, km: float) -> Explanation:
        """No eligible volunteer at all: find the filter that removed the last one."""
        within = _km(km)
        if self._grid is None:
            self._grid = GridIndex([(v.lat, v.lon) for v in self.problem.volunteers], 2.0)
        near = []
        for vi in self._grid.near(request.lat, request.lon, self._radius(request)):
            v = self.problem.volunteers[vi]
            dist = haversine_km(v.lat, v.lon, request.lat, request.lon)
            if dist <= v.max_km and (request.max_km is None or dist <= request.max_km):
                near.append((v, dist))
        if not near:
            return Explanation("nobody_in_reach", f"no volunteer lives within {within}; "
                               "widen max_km or recruit nearby", {"km": km})
        if request.slots is not None:
            near = [(v, d) for v, d in near
                    if (bool(request.slots) if v.slots is None else bool(v.slots & request.slots))]
            if not near:
                slots = sorted(request.slots)
                return Explanation("no_shared_slot", f"no volunteer within {within} is free in "
                                   f"{', '.join(slots)}; offer other times",
                                   {"km": km, "slots": slots})
        near = [(v, d) for v, d in near if v.id not in request.exclude and v.max_teams > 0]
        if not near:
            return Explanation("declined_or_no_teams", f"every volunteer within {within} "
                               "declined it before or takes no teams", {"km": km})
        kmh = self.problem.options.travel_kmh
        hours = round(pair_load_hours(request, near[0][1], kmh), 1)
        return Explanation("no_time_for_visits", f"no volunteer within {within} has {hours:.1f}"
                           " h a week for it; fewer or shorter visits would help",
                           {"km": km, "hours": hours})

    def reason(self, r: int) -> Explanation:
        request = self.problem.requests[r]
        cands = self.prepared.requests[r]
        size = request.team_size
        km = round(self._radius(request), 1)
        within = _km(km)
        if not cands.examined:
            limit = self.time_limit_s
            return Explanation("not_examined", "not examined before the time limit"
                               + ("" if limit is None else f" of {limit:g} s")
                               + "; run again with a longer limit", {"time_limit_s": limit})
        if cands.eligible == 0:
            return self._why_nobody(request, km)
        if cands.eligible < size:
            eligible = _plural(cands.eligible, "eligible volunteer")
            return Explanation("too_few_eligible", f"only {eligible} within {within} "
                               f"(team of {size} needed)",
                               {"km": km, "eligible": cands.eligible, "team_size": size})
        for bit, name in enumerate(cands.bit_names):
            holders = sum(n for m, n in cands.mask_counts.items() if m >> bit & 1)
            if holders == 0:
                return Explanation("missing_requirement", f"no eligible volunteer within {within} "
                                   f"{_holder_phrase(name)}", {"km": km, "requirement": name})
        if size == 1 and cands.mask_counts.get(cands.full_mask, 0) == 0:
            return Explanation("no_single_covers_all", f"no single eligible volunteer within "
                               f"{within} covers all of: " + ", ".join(cands.bit_names),
                               {"km": km, "requirements": list(cands.bit_names)})
        free = [j for j, vi in enumerate(cands.volunteers)
                if self.teams_left[vi] > 0 and cands.load[j] <= self.cap_left[vi]]
        for bit, name in enumerate(cands.bit_names):
            holders = [j for j in free if cands.mask[j] >> bit & 1]
            if not holders:
                total = sum(n for m, n in cands.mask_counts.items() if m >> bit & 1)
                return Explanation("no_free_volunteer", f"no volunteer within {within} who "
                                   f"{_holder_phrase(name)} has time left ({total} eligible, "
                                   "all committed to other teams)",
                                   {"km": km, "requirement": name, "eligible": total})
        if len(free) < size:
            return Explanation("too_few_free", f"only {_plural(len(free), 'eligible volunteer')} "
                               f"within {within} {'has' if len(free) == 1 else 'have'} time "
                               f"left (team of {size} needed)",
                               {"km": km, "free": len(free), "team_size": size})
        return Explanation("team_committed_elsewhere", f"the volunteers within {within} who "
                           "could form the team are committed to other teams; recruiting one "
                           "more nearby would open it", {"km": km})
