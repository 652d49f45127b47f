"""Recruitment targets: which volunteers, where, would staff the requests left open.

From a problem and a valid result: take what the result's teams leave of every
volunteer's week (the residual problem), find for each open request what blocks it
there (the requirement no free volunteer covers, or simply too few free volunteers
in reach), group the open requests by that need and by place (clusters around the
most urgent request, within ``radius_km``), and size each group's recruits by packing
its seats' weekly hours. The proposal is then verified: the residual problem with
the proposed volunteers added is solved again and checked independently, and only
the proposed volunteers that re-solve actually uses are counted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from .check import check_result
from .eligibility import Prepared, prepare
from .engine import SolveOptions, solve
from .explain import OpenExplainer
from .geo import haversine_km
from .problem import Problem, ProblemError, Request, Volunteer

DEFAULT_RADIUS_KM = 3.0
DEFAULT_RECRUIT_HOURS = 4.0  # a typical weekly offer; more only when one visit needs it
RECRUIT_MAX_TEAMS = 3
PROPOSED_ID_PREFIX = "proposed-"


@dataclass(frozen=True, slots=True)
class Proposal:
    """``count`` volunteers with this profile, living at ``lat``/``lon``."""

    count: int
    skills: tuple[str, ...]
    languages: tuple[str, ...]
    social_worker: bool
    lat: float
    lon: float
    within_km: float
    hours_per_week: float
    blocker: str  # explanation code of the open requests it targets
    targets: tuple[str, ...]  # open request ids
    staffed: tuple[str, ...]  # of those, staffed when re-solved with the recruits

    def describe(self) -> str:
        who = "certified social worker" if self.social_worker else "volunteer"
        offers = []
        if self.skills:
            offers.append("offering " + ", ".join(self.skills))
        if self.languages:
            offers.append("speaking " + "/".join(self.languages))
        return (f"{self.count} {who}{'' if self.count == 1 else 's'}"
                f"{' ' + ', '.join(offers) if offers else ''}, within {self.within_km:g} km of "
                f"({self.lat:.2f}, {self.lon:.2f}), {self.hours_per_week:g} h a week, would "
                f"staff {len(self.staffed)} of {len(self.targets)} open requests")

    def to_json(self) -> dict[str, Any]:
        return {"count": self.count, "skills": list(self.skills),
                "languages": list(self.languages), "social_worker": self.social_worker,
                "lat": self.lat, "lon": self.lon, "within_km": self.within_km,
                "hours_per_week": self.hours_per_week, "blocker": self.blocker,
                "targets": list(self.targets), "staffed": list(self.staffed),
                "text": self.describe()}


@dataclass(frozen=True, slots=True)
class Shortfall:
    open_requests: int
    targeted: int
    staffed: int  # targeted open requests staffed by the verifying re-solve
    proposals: tuple[Proposal, ...]
    verification: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"open_requests": self.open_requests, "targeted": self.targeted,
                "staffed": self.staffed,
                "recruits": sum(p.count for p in self.proposals),
                "proposals": [p.to_json() for p in self.proposals],
                "verification": self.verification}


@dataclass(slots=True)
class _Need:
    request: int  # index in the residual problem
    bits: tuple[str, ...]  # requirement bits a recruit must bring ("" = a free seat)
    seats: int
    code: str


def residual_problem(problem: Problem, result: dict[str, Any]) -> Problem:
    """The open requests of ``result``, with what its teams leave of each volunteer."""
    violations = check_result(problem, result)
    if violations:
        raise ProblemError(f"result: {len(violations)} violation(s), first: {violations[0]}")
    volunteers = {v.id: v for v in problem.volunteers}
    requests = {r.id: r for r in problem.requests}
    used_h: dict[str, float] = {}
    used_teams: dict[str, int] = {}
    kmh = problem.options.travel_kmh
    for team in result["teams"]:
        request = requests[team["request"]]
        for vid in team["members"]:
            v = volunteers[vid]
            km = haversine_km(v.lat, v.lon, request.lat, request.lon)
            used_h[vid] = used_h.get(vid, 0.0) + request.hours_per_week \
                + request.visits_per_week * 2 * km / kmh
            used_teams[vid] = used_teams.get(vid, 0) + 1
    residual = []
    for v in problem.volunteers:
        hours = v.hours_per_week - used_h.get(v.id, 0.0)
        teams = v.max_teams - used_teams.get(v.id, 0)
        if hours <= 1e-9:
            hours, teams = 1e-9, 0
        residual.append(Volunteer(v.id, v.lat, v.lon, hours, v.max_km, v.skills, v.languages,
                                  v.social_worker, v.slots, max(0, teams)))
    open_ids = {entry["request"] for entry in result["open"]}
    return Problem(tuple(residual), tuple(r for r in problem.requests if r.id in open_ids),
                   problem.options)


def _needs(prepared: Prepared) -> list[_Need]:
    """What recruits each open request of the residual problem needs."""
    explainer = OpenExplainer(prepared, [None] * len(prepared.requests))
    needs = []
    for r, request in enumerate(prepared.problem.requests):
        cands = prepared.requests[r]
        size = request.team_size
        holders = {bit: sum(n for m, n in cands.mask_counts.items() if m >> bit & 1)
                   for bit in range(len(cands.bit_names))}
        missing = tuple(name for bit, name in enumerate(cands.bit_names) if holders[bit] == 0)
        if size == 1 and cands.mask_counts.get(cands.full_mask, 0) == 0:
            missing = tuple(cands.bit_names)
        code = explainer.reason(r).code
        # One recruit brings what is missing, the free volunteers fill what they can;
        # with nothing missing, the request lost to contention and one more helps.
        seats = (1 + max(0, size - 1 - cands.eligible)) if missing \
            else max(1, size - cands.eligible)
        needs.append(_Need(r, missing, seats, code))
    return needs


def _profile(bits: tuple[str, ...], requests: list[Request]) -> tuple[tuple[str, ...],
                                                                     tuple[str, ...], bool]:
    skills = sorted(name.partition(" ")[2] for name in bits if name.startswith("skill "))
    languages: list[str] = []
    for name in bits:
        if name.startswith("language "):
            # One language every request of the group accepts, else the first listed.
            options = [set(r.languages) for r in requests if r.languages]
            common = set.intersection(*options) if options else set()
            languages = [sorted(common)[0] if common else name.partition(" ")[2].split("/")[0]]
    if not bits:  # a free seat: any volunteer in reach helps; offer what the group asks
        skills = sorted({s for r in requests for s in r.skills})
    return tuple(skills), tuple(languages), "social worker" in bits


def _pack(loads: list[float], hours: float) -> int:
    """First-fit decreasing: recruits of ``hours`` a week, at most three teams each."""
    bins: list[list[float]] = []
    for load in sorted(loads, reverse=True):
        for b in bins:
            if sum(b) + load <= hours + 1e-9 and len(b) < RECRUIT_MAX_TEAMS:
                b.append(load)
                break
        else:
            bins.append([load])
    return len(bins)


def _group(residual: Problem, needs: list[_Need], radius_km: float
           ) -> list[tuple[tuple[str, ...], Request, list[_Need]]]:
    """Needs of the same kind, clustered around their most urgent request.

    The kind is what a recruit must be besides their skills (a speaker of the
    missing language, a social worker, or just a free pair of hands); one recruit
    can offer the missing skills of several requests of a cluster.
    """
    by_profile: dict[tuple[str, ...], list[_Need]] = {}
    for need in needs:
        kind = tuple(b for b in need.bits if not b.startswith("skill ")) \
            or (("skill",) if need.bits else ())
        by_profile.setdefault(kind, []).append(need)
    groups = []
    for _, members in sorted(by_profile.items()):
        left = sorted(members, key=lambda n: (-residual.requests[n.request].priority,
                                              residual.requests[n.request].id))
        while left:
            seed = residual.requests[left[0].request]
            cluster, rest = [], []
            for need in left:
                r = residual.requests[need.request]
                reach = radius_km if r.max_km is None else min(radius_km, r.max_km)
                if haversine_km(seed.lat, seed.lon, r.lat, r.lon) <= reach:
                    cluster.append(need)
                else:
                    rest.append(need)
            bits = tuple(sorted({b for n in cluster for b in n.bits}))
            groups.append((bits, seed, cluster))
            left = rest
    return groups


def _repacked(solved, drafts, recruits: list[Volunteer], residual: Problem, kmh: float
              ) -> list[Volunteer]:
    """Per cluster, as many recruits as the loads the re-solve gave them pack into."""
    requests = {r.id: r for r in residual.requests}
    by_id = {v.id: v for v in recruits}
    loads: dict[str, list[float]] = {}
    for team in solved.teams:
        request = requests[team.request]
        for vid in team.members:
            if vid in by_id:
                v = by_id[vid]
                km = haversine_km(v.lat, v.lon, request.lat, request.lon)
                loads.setdefault(vid, []).append(
                    request.hours_per_week + request.visits_per_week * 2 * km / kmh)
    kept = []
    for ids, *_, hours, _cluster in drafts:
        given = [load for vid in ids for load in loads.get(vid, ())]
        kept += [by_id[vid] for vid in ids[:_pack(given, hours) if given else 0]]
    return kept


def shortfall(problem: Problem, result: dict[str, Any], *, time_limit_s: float = 20.0,
              workers: int = 2, seed: int = 0, radius_km: float = DEFAULT_RADIUS_KM
              ) -> Shortfall:
    """Recruitment targets for the open requests of ``result`` (a result JSON object),
    verified by re-solving the residual problem with the proposed volunteers."""
    residual = residual_problem(problem, result)
    prepared = prepare(residual)
    needs = _needs(prepared)
    kmh = problem.options.travel_kmh
    recruits: list[Volunteer] = []
    drafts = []
    for g, (bits, centre, cluster) in enumerate(_group(residual, needs, radius_km)):
        requests = [residual.requests[n.request] for n in cluster]
        loads = []
        for need, request in zip(cluster, requests, strict=True):
            km = haversine_km(centre.lat, centre.lon, request.lat, request.lon)
            loads += [request.hours_per_week + request.visits_per_week * 2 * km / kmh] \
                * need.seats
        hours = max(DEFAULT_RECRUIT_HOURS, math.ceil(max(loads) * 2) / 2)
        count = _pack(loads, hours)
        skills, languages, social_worker = _profile(bits, requests)
        slots = {s for r in requests for s in (r.slots or ())}
        ids = [f"{PROPOSED_ID_PREFIX}{g + 1}-{k + 1}" for k in range(count)]
        for vid in ids:
            recruits.append(Volunteer(
                vid, centre.lat, centre.lon, hours, radius_km, frozenset(skills),
                frozenset(languages) | {"zh"}, social_worker,
                None if all(r.slots is None for r in requests) else frozenset(slots),
                RECRUIT_MAX_TEAMS))
        drafts.append((ids, skills, languages, social_worker, centre, hours, cluster))

    options = SolveOptions(time_limit_s=time_limit_s, workers=workers, seed=seed)
    augmented = Problem(residual.volunteers + tuple(recruits), residual.requests,
                        residual.options)
    solved = solve(augmented, options)
    rounds = 1
    # The re-solve spreads work over every recruit offered; repacking the loads it
    # gave each cluster's recruits often needs fewer. Keep the smaller set when a
    # second re-solve staffs as many requests.
    fewer = _repacked(solved, drafts, recruits, residual, kmh)
    if len(fewer) < len({m for t in solved.teams for m in t.members
                         if m.startswith(PROPOSED_ID_PREFIX)}):
        smaller = Problem(residual.volunteers + tuple(fewer), residual.requests,
                          residual.options)
        again = solve(smaller, options)
        rounds = 2
        if len(again.teams) >= len(solved.teams):
            augmented, solved = smaller, again
    solved_json = solved.to_json()
    violations = check_result(augmented, solved_json)
    staffed_ids = {t.request for t in solved.teams}
    used = {m for t in solved.teams for m in t.members if m.startswith(PROPOSED_ID_PREFIX)}
    proposals = []
    for ids, skills, languages, social_worker, centre, hours, cluster in drafts:
        count = sum(vid in used for vid in ids)
        targets = tuple(residual.requests[n.request].id for n in cluster)
        staffed = tuple(rid for rid in targets if rid in staffed_ids)
        if count == 0:
            continue
        blocker = max({n.code for n in cluster},
                      key=lambda c: (sum(n.code == c for n in cluster), c))
        proposals.append(Proposal(count, skills, languages, social_worker,
                                  round(centre.lat, 4), round(centre.lon, 4), radius_km,
                                  hours, blocker, targets, staffed))
    proposals.sort(key=lambda p: (-len(p.staffed), -p.count, p.targets))
    targeted = {residual.requests[n.request].id for d in drafts for n in d[6]}
    without_recruits = sum(1 for t in solved.teams
                           if not any(m.startswith(PROPOSED_ID_PREFIX) for m in t.members))
    return Shortfall(
        open_requests=len(residual.requests), targeted=len(targeted),
        staffed=len(targeted & staffed_ids), proposals=tuple(proposals),
        verification={"status": solved.status, "violations": len(violations),
                      "offered_volunteers": len(augmented.volunteers) - len(residual.volunteers),
                      "used_volunteers": len(used),
                      "staffed_requests": len(staffed_ids),
                      "staffed_without_recruits": without_recruits,
                      "priority_staffed": solved.score.priority_staffed,
                      "re_solves": rounds, "time_limit_s": time_limit_s})
