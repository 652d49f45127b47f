"""The CP-SAT model over a set of free requests, built in small named steps.

Everything outside the free set is fixed: the caller passes each volunteer's time and
team slots left after the fixed teams. The model is exact for the free requests on
their kept candidate pairs: whole teams or none, coverage of every requirement bit,
rule 3 in integer load units (rounded up, budgets rounded down by eligibility), and
the lexicographic objective realised by weights computed in ``_objective_weights``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

from .eligibility import Prepared
from .greedy import Assignment

KM_UNITS_PER_KM = 100  # the distance tie-break counts in units of 10 m


def km_units(km: float) -> int:
    return round(km * KM_UNITS_PER_KM)


@dataclass(slots=True)
class SubSolve:
    teams: dict[int, tuple[int, ...] | None]
    status: str
    deterministic_time: float
    wall_s: float
    variables: int


def _objective_weights(prepared: Prepared, free: list[int]) -> tuple[int, int]:
    """Weights (priority, kept) such that priority >> kept members >> 10 m of distance."""
    max_km_total = 0
    max_kept = 0
    for r in free:
        cands = prepared.requests[r]
        size = prepared.problem.requests[r].team_size
        max_km_total += size * max((km_units(k) for k in cands.km), default=0)
        max_kept += min(size, sum(cands.kept))
    kept_weight = max_km_total + 1
    return kept_weight * (max_kept + 1), kept_weight


class _Builder:
    def __init__(self, prepared: Prepared, free: list[int], cap_left: dict[int, int],
                 teams_left: dict[int, int]):
        self.prepared = prepared
        self.free = free
        self.cap_left = cap_left
        self.teams_left = teams_left
        self.model = cp_model.CpModel()
        self.staffed: dict[int, cp_model.IntVar] = {}
        self.pairs: dict[int, dict[int, cp_model.IntVar]] = {}
        self.by_volunteer: dict[int, list[tuple[int, cp_model.IntVar]]] = {}

    def build(self) -> cp_model.CpModel:
        self._add_pair_variables()
        self._add_whole_teams()
        self._add_coverage()
        self._add_volunteer_limits()
        self._set_objective()
        return self.model

    def _add_pair_variables(self) -> None:
        for r in self.free:
            cands = self.prepared.requests[r]
            self.staffed[r] = self.model.new_bool_var(f"staffed_{r}")
            pairs = {}
            for j, vi in enumerate(cands.volunteers):
                if self.teams_left[vi] >= 1 and cands.load[j] <= self.cap_left[vi]:
                    var = self.model.new_bool_var(f"x_{r}_{vi}")
                    pairs[j] = var
                    self.by_volunteer.setdefault(vi, []).append((cands.load[j], var))
            self.pairs[r] = pairs

    def _add_whole_teams(self) -> None:
        # Rule 1: exactly team_size members when staffed, none otherwise.
        for r in self.free:
            size = self.prepared.problem.requests[r].team_size
            self.model.add(sum(self.pairs[r].values()) == size * self.staffed[r])

    def _add_coverage(self) -> None:
        # Rule 5: every requirement bit (skill, language, social worker) held by a member.
        for r in self.free:
            cands = self.prepared.requests[r]
            for bit in range(len(cands.bit_names)):
                holders = [var for j, var in self.pairs[r].items() if cands.mask[j] >> bit & 1]
                self.model.add(sum(holders) >= self.staffed[r])

    def _add_volunteer_limits(self) -> None:
        # Rules 3 and 4 against what the fixed teams left over.
        for vi, uses in self.by_volunteer.items():
            if sum(load for load, _ in uses) > self.cap_left[vi]:
                self.model.add(sum(load * var for load, var in uses) <= self.cap_left[vi])
            if len(uses) > self.teams_left[vi]:
                self.model.add(sum(var for _, var in uses) <= self.teams_left[vi])

    def _set_objective(self) -> None:
        priority_weight, kept_weight = _objective_weights(self.prepared, self.free)
        terms = []
        for r in self.free:
            cands = self.prepared.requests[r]
            terms.append(priority_weight * self.prepared.problem.requests[r].priority
                         * self.staffed[r])
            for j, var in self.pairs[r].items():
                terms.append((kept_weight * cands.kept[j] - km_units(cands.km[j])) * var)
        self.model.maximize(sum(terms))

    def add_hint(self, assignment: Assignment) -> None:
        for r in self.free:
            team = set(assignment[r] or ())
            self.model.add_hint(self.staffed[r], bool(team))
            for j, var in self.pairs[r].items():
                self.model.add_hint(var, j in team)


def solve_free_requests(prepared: Prepared, free: list[int], assignment: Assignment,
                        cap_left: dict[int, int], teams_left: dict[int, int], *,
                        time_limit_s: float, workers: int, seed: int,
                        wall_limit_s: float | None = None) -> SubSolve:
    """Re-optimise the teams of ``free`` with everything else fixed.

    With one worker the limit is deterministic time, so runs repeat exactly, and
    ``wall_limit_s`` is only the safety net that keeps the call within the wall clock.
    """
    builder = _Builder(prepared, free, cap_left, teams_left)
    model = builder.build()
    builder.add_hint(assignment)
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = workers
    params.random_seed = seed
    if workers == 1:
        params.max_deterministic_time = time_limit_s
        if wall_limit_s is not None:
            params.max_time_in_seconds = wall_limit_s
    else:
        params.max_time_in_seconds = time_limit_s
    status = solver.solve(model)
    teams: dict[int, tuple[int, ...] | None] = {}
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        for r in free:
            members = tuple(j for j, var in builder.pairs[r].items() if solver.value(var))
            teams[r] = members or None
    return SubSolve(teams, solver.status_name(status), solver.deterministic_time,
                    solver.wall_time, len(model.proto.variables))
