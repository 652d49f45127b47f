"""Search: greedy warm start, exact solves of small components, then LNS until the limit.

The candidate graph (requests linked through shared candidate volunteers) falls
apart into connected components. Components of one request are solved exactly by
the team programme; small components are batched into single CP-SAT models and
usually proved optimal; mid-size ones (up to ``full_model_max_pairs``) get one
whole CP-SAT model for a share of the time; what is left is improved by large
neighbourhood search: free the teams of a connected cluster of requests around a
seed (preferably an open request that could be staffed), re-solve that cluster with
CP-SAT with everything else fixed, and adopt the answer when it is at least as good.
While an open request could use a volunteer the bound's LP duals price (a scarce
one), six clusters in ten grow through those volunteers only. A one-request pass
(each team re-staffed alone from the volunteers still free: kept members, then
distance) runs before LNS and closes the search.
"""

from __future__ import annotations

import random
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .eligibility import Prepared
from .greedy import Assignment
from .model import km_units, solve_free_requests
from .teams import cheapest_team

ProgressCallback = Callable[[dict[str, Any]], None]

# With one worker, stopping is by CP-SAT deterministic time so runs repeat exactly;
# this many deterministic units are spent per second of the time limit. Measured on
# 2 cores, a unit costs 1.5-2.5 s of wall time once model building is counted, and
# preparation, bound and result now come out of the same limit, so the budget is set
# to run out well before the clock; the wall clock stays a safety net, also inside
# each CP-SAT call (a heavily loaded machine can then cut a one-worker run short, and
# only then it may differ; ``SolveOptions.deterministic_budget`` gives more headroom).
DETERMINISTIC_UNITS_PER_SECOND = 0.2
_KEEP_FIRST = 1e6  # a kept member outweighs any distance in the one-request programme


@dataclass(frozen=True, slots=True)
class SearchSettings:
    time_limit_s: float  # wall clock left for the search
    deterministic_budget: float  # with one worker: CP-SAT deterministic units to spend
    workers: int
    seed: int
    neighbourhood_requests: int
    sub_time_limit_s: float
    full_model_max_pairs: int  # a larger component is improved by LNS, not one model
    whole_model_share: float  # of the time left, for those one-model calls; LNS gets the rest
    # Volunteers the bound's LP duals price (the scarce ones); empty: none known.
    priced: frozenset[int] = frozenset()


@dataclass(slots=True)
class SearchStats:
    components: int = 0
    proved_components: int = 0
    cp_sat_calls: int = 0
    lns_iterations: int = 0
    lns_improvements: int = 0
    scarce_iterations: int = 0  # of the LNS steps, those through the priced volunteers
    polished_requests: int = 0  # teams made nearer (or kept more) by the one-request pass
    max_variables: int = 0
    deterministic_time: float = 0.0
    wall_s: float = 0.0
    all_proved: bool = False


class Search:
    def __init__(self, prepared: Prepared, assignment: Assignment, settings: SearchSettings,
                 progress: ProgressCallback | None, started: float):
        self.prepared = prepared
        self.assignment = list(assignment)
        self.settings = settings
        self.progress = progress
        self.started = started
        self.deadline = started + settings.time_limit_s
        self.det_budget = settings.deterministic_budget
        self.rng = random.Random(settings.seed)
        self.stats = SearchStats()
        self.cap_left = list(prepared.capacity)
        self.teams_left = list(prepared.max_teams)
        self.requests_of: list[list[int]] = [[] for _ in prepared.capacity]
        self.serving: list[set[int]] = [set() for _ in prepared.capacity]
        for r, cands in enumerate(prepared.requests):
            for vi in cands.volunteers:
                self.requests_of[vi].append(r)
            self._move(r, assignment[r], -1)

    # --- bookkeeping -----------------------------------------------------------------

    def _out_of_time(self) -> bool:
        if time.monotonic() >= self.deadline:
            return True
        return self.settings.workers == 1 and self.stats.deterministic_time >= self.det_budget

    def _limit(self, wanted_s: float) -> float:
        # One worker counts deterministic time, which must not depend on the clock.
        if self.settings.workers == 1:
            return max(0.01, min(wanted_s, self.det_budget - self.stats.deterministic_time))
        return max(0.01, min(wanted_s, self.deadline - time.monotonic()))

    def _value(self, requests: list[int], teams) -> tuple[int, int, int]:
        priority = kept = km = 0
        for r in requests:
            team = teams[r]
            if team:
                cands = self.prepared.requests[r]
                priority += self.prepared.problem.requests[r].priority
                kept += sum(cands.kept[j] for j in team)
                km += sum(km_units(cands.km[j]) for j in team)
        return priority, kept, -km

    def _move(self, r: int, team: tuple[int, ...] | None, sign: int) -> None:
        """Release (sign +1) or take (sign -1) the members' time and team slots."""
        cands = self.prepared.requests[r]
        for j in team or ():
            vi = cands.volunteers[j]
            self.cap_left[vi] += sign * cands.load[j]
            self.teams_left[vi] += sign
            if sign < 0:
                self.serving[vi].add(r)
            else:
                self.serving[vi].discard(r)

    def _report(self, phase: str) -> None:
        if self.progress is None:
            return
        priority, kept, km = self._value(range(len(self.assignment)), self.assignment)
        self.progress({"phase": phase, "elapsed_s": round(time.monotonic() - self.started, 3),
                       "priority_staffed": priority, "kept_members": kept,
                       "total_km": -km / 100, "lns_iterations": self.stats.lns_iterations})

    # --- re-solving a set of requests ---------------------------------------------------

    def resolve(self, free: list[int], limit_s: float) -> str:
        """Re-optimise ``free`` with CP-SAT; adopt the answer when it is at least as good."""
        for r in free:
            self._move(r, self.assignment[r], +1)
        volunteers = {vi for r in free for vi in self.prepared.requests[r].volunteers}
        cap = {vi: self.cap_left[vi] for vi in volunteers}
        teams = {vi: self.teams_left[vi] for vi in volunteers}
        sub = solve_free_requests(self.prepared, free, self.assignment, cap, teams,
                                  time_limit_s=limit_s, workers=self.settings.workers,
                                  seed=self.settings.seed + self.stats.cp_sat_calls,
                                  wall_limit_s=max(0.01, self.deadline - time.monotonic()))
        self.stats.cp_sat_calls += 1
        self.stats.deterministic_time += sub.deterministic_time
        self.stats.max_variables = max(self.stats.max_variables, sub.variables)
        # Equal answers are adopted too: moving sideways on a plateau lets LNS escape it.
        before = self._value(free, self.assignment)
        if sub.teams and self._value(free, sub.teams) >= before:
            self.stats.lns_improvements += self._value(free, sub.teams) > before
            for r in free:
                self.assignment[r] = sub.teams[r]
        for r in free:
            self._move(r, self.assignment[r], -1)
        return sub.status

    # --- phases -------------------------------------------------------------------------

    def components(self) -> list[list[int]]:
        parent = list(range(len(self.assignment)))

        def find(a: int) -> int:
            while parent[a] != a:
                parent[a] = parent[parent[a]]
                a = parent[a]
            return a

        for requests in self.requests_of:
            for r in requests[1:]:
                ra, rb = find(requests[0]), find(r)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
        groups: dict[int, list[int]] = {}
        for r in range(len(parent)):
            groups.setdefault(find(r), []).append(r)
        return sorted(groups.values(), key=lambda g: (len(g), g[0]))

    def _solve_alone(self, r: int) -> None:
        """A request that shares no candidate with another: the team programme is exact."""
        cands = self.prepared.requests[r]
        self._move(r, self.assignment[r], +1)
        costs = [km_units(km) - _KEEP_FIRST * kept for km, kept in zip(cands.km, cands.kept,
                                                                       strict=True)]
        found = cheapest_team(self.prepared.problem.requests[r].team_size, cands.full_mask,
                              cands.mask, costs)
        self.assignment[r] = tuple(sorted(found[1])) if found else None
        self._move(r, self.assignment[r], -1)

    def _polish(self) -> None:
        """Re-staff each team alone, everything else fixed: the same priority, then the
        most kept members and the fewest kilometres among the volunteers still free.
        The current team is always a candidate, so no team gets worse; a volunteer a
        change frees sends the teams that could use them back to the queue, so the pass
        ends with no single team improvable on its own."""
        queue = deque(r for r, team in enumerate(self.assignment) if team is not None)
        queued = set(queue)
        steps = 0
        while queue:
            # The wall clock only: the pass spends no deterministic time.
            steps += 1
            if steps % 256 == 0 and time.monotonic() >= self.deadline:
                return
            r = queue.popleft()
            queued.discard(r)
            team = self.assignment[r]
            if team is None:
                continue
            cands = self.prepared.requests[r]
            self._move(r, team, +1)
            allowed = [j for j, vi in enumerate(cands.volunteers)
                       if self.teams_left[vi] > 0 and cands.load[j] <= self.cap_left[vi]]
            costs = [km_units(km) - _KEEP_FIRST * kept
                     for km, kept in zip(cands.km, cands.kept, strict=True)]
            found = cheapest_team(self.prepared.problem.requests[r].team_size,
                                  cands.full_mask, cands.mask, costs, allowed)
            if found is not None and found[0] < sum(costs[j] for j in team):
                self.assignment[r] = tuple(sorted(found[1]))
                self.stats.polished_requests += 1
                for j in set(team) - set(found[1]):
                    for other in self.requests_of[cands.volunteers[j]]:
                        if other != r and other not in queued and self.assignment[other]:
                            queue.append(other)
                            queued.add(other)
            self._move(r, self.assignment[r], -1)

    def run(self) -> Assignment:
        components = self.components()
        self.stats.components = len(components)
        size = self.settings.neighbourhood_requests
        large: list[list[int]] = []
        batch: list[list[int]] = []

        def flush() -> None:
            if batch:
                free = [r for group in batch for r in group]
                if self.resolve(free, self._limit(self.settings.sub_time_limit_s * 4)) == "OPTIMAL":
                    self.stats.proved_components += len(batch)
                else:
                    large.extend(batch)
                batch.clear()

        for group in components:
            if len(group) == 1:
                self._solve_alone(group[0])
                self.stats.proved_components += 1
            elif len(group) > size:
                large.append(group)
            else:
                batch.append(group)
                if sum(map(len, batch)) >= size:
                    flush()
            if self._out_of_time():
                break
        flush()
        self._report("components")
        self._solve_whole(large)
        # Whatever was not proved (also when the budget ran out first) gets the
        # one-request pass, before LNS and again after it.
        polish_started = time.monotonic()
        self._polish()
        if large and not self._out_of_time():
            # LNS leaves the closing pass the time the first one took (a cut-off pass
            # loses nothing it has done).
            self._lns([r for group in large for r in group],
                      reserve_s=time.monotonic() - polish_started)
            self._polish()
        self.stats.all_proved = self.stats.proved_components == self.stats.components
        self.stats.wall_s = time.monotonic() - self.started
        self._report("done")
        return self.assignment

    def _pairs(self, group: list[int]) -> int:
        return sum(len(self.prepared.requests[r].volunteers) for r in group)

    def _solve_whole(self, large: list[list[int]]) -> None:
        """Components small enough for one model get one CP-SAT call each, with a share
        of the time by size; LNS then polishes with what is left."""
        whole = [g for g in large if self._pairs(g) <= self.settings.full_model_max_pairs]
        total = sum(self._pairs(g) for g in large)
        for group in whole:
            if self._out_of_time():
                return
            share = self.settings.whole_model_share * self._pairs(group) / total
            if self.settings.workers == 1:
                limit = share * (self.det_budget - self.stats.deterministic_time)
            else:
                limit = share * (self.deadline - time.monotonic())
            if self.resolve(group, self._limit(limit)) == "OPTIMAL":
                self.stats.proved_components += 1
                large.remove(group)

    def _neighbourhood(self, seed: int, size: int, allowed: set[int],
                       scarce_only: bool = False) -> list[int]:
        """A connected cluster around ``seed``: through each candidate volunteer (in random
        order), first the requests that volunteer serves now, since they compete with
        the seed for its time, then the open requests that could use it.

        ``scarce_only`` walks through the priced volunteers only: they are what the open
        requests lack, everyone else is plentiful and stays a variable anyway, as every
        freed request keeps all its candidates."""
        chosen = [seed]
        seen = {seed}
        position = 0
        while position < len(chosen):
            volunteers = [vi for vi in self.prepared.requests[chosen[position]].volunteers
                          if not scarce_only or vi in self.settings.priced]
            position += 1
            self.rng.shuffle(volunteers)
            for vi in volunteers:
                open_wanting = [r for r in self.requests_of[vi] if self.assignment[r] is None]
                for other in sorted(self.serving[vi]) + open_wanting:
                    if other not in seen and other in allowed:
                        seen.add(other)
                        chosen.append(other)
                        if len(chosen) >= size:
                            return sorted(chosen)
        return sorted(chosen)

    def _staffable_alone(self, r: int) -> bool:
        cands = self.prepared.requests[r]
        return cheapest_team(self.prepared.problem.requests[r].team_size, cands.full_mask,
                             cands.mask, cands.km) is not None

    def _lns(self, pool: list[int], reserve_s: float = 0.0) -> None:
        allowed = set(pool)
        # Two kinds of neighbourhood, each with its own size: through any candidate, and
        # through the priced volunteers only (when the bound priced some).
        sizes = {"any": self.settings.neighbourhood_requests,
                 "scarce": self.settings.neighbourhood_requests}
        last_report = time.monotonic()
        # Open requests with no covering team even with every candidate free cannot
        # gain anything; seeding there would waste the iteration.
        staffable = {r for r in pool if self._staffable_alone(r)}
        priced = self.settings.priced
        wants_priced = {r for r in pool
                        if any(vi in priced for vi in self.prepared.requests[r].volunteers)}
        stop_at = self.deadline - reserve_s
        while not self._out_of_time() and time.monotonic() < stop_at:
            open_pool = [r for r in pool if self.assignment[r] is None and r in staffable]
            open_scarce = [r for r in open_pool if r in wants_priced]
            kind = "scarce" if open_scarce and self.rng.random() < 0.6 else "any"
            if kind == "scarce":
                seed = self.rng.choice(open_scarce)
                free = self._neighbourhood(seed, sizes[kind], allowed, scarce_only=True)
                self.stats.scarce_iterations += 1
            else:
                if open_pool and self.rng.random() < 0.7:
                    seed = self.rng.choice(open_pool)
                else:
                    seed = self.rng.choice(pool)
                free = self._neighbourhood(seed, sizes[kind], allowed)
            status = self.resolve(free, self._limit(self.settings.sub_time_limit_s))
            self.stats.lns_iterations += 1
            if len(free) == len(pool) and status == "OPTIMAL":
                self.stats.proved_components = self.stats.components
                break
            # Grow the neighbourhood while CP-SAT proves optimality, shrink when it cannot.
            if status == "OPTIMAL":
                sizes[kind] = min(int(sizes[kind] * 1.1) + 1,
                                  4 * self.settings.neighbourhood_requests)
            else:
                sizes[kind] = max(10, int(sizes[kind] * 0.8))
            if time.monotonic() - last_report > 1.0:
                self._report("lns")
                last_report = time.monotonic()
