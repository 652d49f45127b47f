"""Short reasons: why each member is on a team, and what keeps each open request open.

Open-request reasons name the first thing a social worker could act on: nobody close
enough, nobody sharing a slot, nobody with the missing skill, language or social
worker certificate, or such people exist but their weekly time is already taken.
"""

from __future__ import annotations

from .eligibility import Prepared, pair_load_hours
from .geo import GridIndex, haversine_km
from .greedy import Assignment, time_and_slots_left
from .problem import Request, Volunteer


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
                  bit_names: list[str], mask: int) -> str:
    parts = ["kept from current team"] if kept else []
    parts.append(f"{_km(km)} away")
    brings = []
    for bit, name in enumerate(bit_names):
        if mask >> bit & 1:
            kind, _, what = name.partition(" ")
            if kind == "language":
                what = "/".join(sorted(volunteer.languages & request.languages))
            brings.append(what)
    if brings:
        parts.append("brings " + ", ".join(brings))
    if request.slots is not None:
        shared = sorted(request.slots if volunteer.slots is None
                        else request.slots & volunteer.slots)
        parts.append("free " + ", ".join(shared[:3]))
    return "; ".join(parts)


class OpenExplainer:
    def __init__(self, prepared: Prepared, assignment: Assignment):
        self.prepared = prepared
        self.problem = prepared.problem
        self.cap_left, self.teams_left = time_and_slots_left(prepared, assignment)
        self._grid: GridIndex | None = None

    def _radius(self, request: Request) -> float:
        furthest = max((v.max_km for v in self.problem.volunteers), default=0.0)
        return furthest if request.max_km is None else min(request.max_km, furthest)

    def _why_nobody(self, request: Request, within: str) -> str:
        """No eligible volunteer at all: find the filter that removed the last one."""
        if self._grid is None:
            self._grid = GridIndex([(v.lat, v.lon) for v in self.problem.volunteers], 2.0)
        near = []
        for vi in self._grid.near(request.lat, request.lon, self._radius(request)):
            v = self.problem.volunteers[vi]
            km = haversine_km(v.lat, v.lon, request.lat, request.lon)
            if km <= v.max_km and (request.max_km is None or km <= request.max_km):
                near.append((v, km))
        if not near:
            return f"no volunteer lives within {within}; widen max_km or recruit nearby"
        if request.slots is not None:
            near = [(v, km) for v, km in near
                    if (bool(request.slots) if v.slots is None else bool(v.slots & request.slots))]
            if not near:
                return (f"no volunteer within {within} is free in "
                        f"{', '.join(sorted(request.slots))}; offer other times")
        near = [(v, km) for v, km in near if v.id not in request.exclude and v.max_teams > 0]
        if not near:
            return f"every volunteer within {within} declined it before or takes no teams"
        kmh = self.problem.options.travel_kmh
        return (f"no volunteer within {within} has {pair_load_hours(request, near[0][1], kmh):.1f}"
                " h a week for it; fewer or shorter visits would help")

    def reason(self, r: int) -> str:
        request = self.problem.requests[r]
        cands = self.prepared.requests[r]
        size = request.team_size
        within = _km(self._radius(request))
        if cands.eligible == 0:
            return self._why_nobody(request, within)
        if cands.eligible < size:
            return (f"only {_plural(cands.eligible, 'eligible volunteer')} within {within} "
                    f"(team of {size} needed)")
        for bit, name in enumerate(cands.bit_names):
            holders = sum(n for m, n in cands.mask_counts.items() if m >> bit & 1)
            if holders == 0:
                return f"no eligible volunteer within {within} {_holder_phrase(name)}"
        if size == 1 and cands.mask_counts.get(cands.full_mask, 0) == 0:
            return (f"no single eligible volunteer within {within} covers all of: "
                    + ", ".join(cands.bit_names))
        free = [j for j, vi in enumerate(cands.volunteers)
                if self.teams_left[vi] > 0 and cands.load[j] <= self.cap_left[vi]]
        for bit, name in enumerate(cands.bit_names):
            holders = [j for j in free if cands.mask[j] >> bit & 1]
            if not holders:
                total = sum(n for m, n in cands.mask_counts.items() if m >> bit & 1)
                return (f"no volunteer within {within} who {_holder_phrase(name)} has time left "
                        f"({total} eligible, all committed to other teams)")
        if len(free) < size:
            return (f"only {_plural(len(free), 'eligible volunteer')} within {within} "
                    f"{'has' if len(free) == 1 else 'have'} time left (team of {size} needed)")
        return (f"the volunteers within {within} who could form the team are committed to "
                "other teams; recruiting one more nearby would open it")
