"""A proved upper bound on ``priority_staffed``, by Lagrangian relaxation.

Relax each volunteer's weekly hours (multiplier ``pi``) and team count (``mu``). What
is left splits into one tiny problem per request: staff it with its cheapest covering
team, where a member costs ``pi * load + mu``, if that is cheaper than its priority.

    bound = sum_v pi_v * (hours_v + tol) + mu_v * max_teams_v
          + sum_r max(0, priority_r - cheapest team cost_r)

holds for ANY non-negative multipliers, so correctness never depends on the LP. The
multipliers are the duals of the volunteer rows of the LP relaxation over the kept
candidate pairs, solved with OR-Tools' GLOP; a good LP gives a bound at least as
tight as the LP itself. Pairs pruned away before the model are counted in each
request's problem as members of cost zero (cheaper than they really are), so the
bound stays valid for the whole problem, not just the kept pairs.

The LP cannot see integrality on the volunteers' side (three two-person requests over
three one-team volunteers: LP 1.5 requests, truly 1). ``core_bound`` adds it where the
duals say it matters: only the volunteers they price keep their limits, and the small
problem that remains is solved exactly by CP-SAT (see there).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
from ortools.linear_solver import linear_solver_pb2, pywraplp
from ortools.sat.python import cp_model

from .eligibility import LOAD_UNITS_PER_HOUR, Prepared, cheapest_per_group
from .problem import LOAD_TOLERANCE_H
from .solver import DETERMINISTIC_UNITS_PER_SECOND
from .teams import cheapest_team


@dataclass(frozen=True, slots=True)
class Bound:
    priority_staffed: int
    method: str
    lp_status: str
    lp_value: float | None
    lp_s: float
    total_s: float
    core_components: int = 0  # components of the core problem (see ``core_bound``)
    core_proved: int = 0  # of them, solved to optimality by CP-SAT
    # Volunteers the LP duals price: the scarce ones, where the search looks hardest.
    priced: frozenset[int] = frozenset()

    def stats(self) -> dict:
        return {"method": self.method, "lp_status": self.lp_status,
                "lp_value": None if self.lp_value is None else round(self.lp_value, 3),
                "lp_s": round(self.lp_s, 3), "total_s": round(self.total_s, 3),
                "core_components": self.core_components, "core_proved": self.core_proved}


def lp_multipliers(prepared: Prepared, time_limit_s: float) -> tuple[list[float], list[float],
                                                                     str, float | None]:
    """Duals of the volunteer rows of the LP relaxation over the kept pairs.

    The model is written straight into its protocol buffer (a row's columns and
    coefficients as whole lists) and solved by GLOP in one call: five times faster to build
    than one solver call per coefficient, the same LP and the same duals."""
    n_vol = len(prepared.capacity)
    pi = [0.0] * n_vol
    mu = [0.0] * n_vol
    request = linear_solver_pb2.MPModelRequest(
        solver_type=linear_solver_pb2.MPModelRequest.GLOP_LINEAR_PROGRAMMING,
        solver_time_limit_seconds=max(0.001, time_limit_s))
    model = request.model
    model.maximize = True
    columns, rows = model.variable, model.constraint
    columns_of: dict[int, list[int]] = {}  # volunteer -> their pair columns
    hours_of: dict[int, list[float]] = {}
    for r, cands in enumerate(prepared.requests):
        if not cands.volunteers:
            continue
        request_ = prepared.problem.requests[r]
        staffed = len(columns)
        columns.add(lower_bound=0.0, upper_bound=1.0, objective_coefficient=request_.priority)
        size = len(cands.volunteers)
        for _ in range(size):
            columns.add(lower_bound=0.0, upper_bound=1.0)
        pairs = range(staffed + 1, staffed + 1 + size)
        team = rows.add(lower_bound=0.0, upper_bound=0.0)  # size members when staffed
        team.var_index.append(staffed)
        team.var_index.extend(pairs)
        team.coefficient.append(-request_.team_size)
        team.coefficient.extend([1.0] * size)
        for bit in range(len(cands.bit_names)):  # each requirement covered when staffed
            covering = [x for x, mask in zip(pairs, cands.mask, strict=True) if mask >> bit & 1]
            cover = rows.add(lower_bound=0.0, upper_bound=math.inf)
            cover.var_index.append(staffed)
            cover.var_index.extend(covering)
            cover.coefficient.append(-1.0)
            cover.coefficient.extend([1.0] * len(covering))
        for x, vi, hours in zip(pairs, cands.volunteers, cands.hours, strict=True):
            columns_of.setdefault(vi, []).append(x)
            hours_of.setdefault(vi, []).append(hours)
    volunteers = prepared.problem.volunteers
    hours_rows: dict[int, int] = {}
    team_rows: dict[int, int] = {}
    for vi, pair_columns in columns_of.items():
        hours_rows[vi] = len(rows)
        row = rows.add(lower_bound=-math.inf, upper_bound=volunteers[vi].hours_per_week)
        row.var_index.extend(pair_columns)
        row.coefficient.extend(hours_of[vi])
        if len(pair_columns) > prepared.max_teams[vi]:
            team_rows[vi] = len(rows)
            row = rows.add(lower_bound=-math.inf, upper_bound=prepared.max_teams[vi])
            row.var_index.extend(pair_columns)
            row.coefficient.extend([1.0] * len(pair_columns))
    response = linear_solver_pb2.MPSolutionResponse()
    pywraplp.Solver.SolveWithProto(request, response)
    status_name = linear_solver_pb2.MPSolverResponseStatus.Name(response.status)
    status_name = status_name.removeprefix("MPSOLVER_")
    if response.status not in (linear_solver_pb2.MPSOLVER_OPTIMAL,
                               linear_solver_pb2.MPSOLVER_FEASIBLE):
        return pi, mu, status_name, None
    # The sign convention of duals differs between solvers; any non-negative
    # multiplier is valid, and the magnitude is what makes the bound tight.
    duals = response.dual_value
    for vi, row_index in hours_rows.items():
        pi[vi] = abs(duals[row_index])
    for vi, row_index in team_rows.items():
        mu[vi] = abs(duals[row_index])
    return pi, mu, status_name, response.objective_value


def lagrangian_bound(prepared: Prepared, pi: list[float], mu: list[float],
                     deadline: float | None = None) -> float | None:
    """The bound for these multipliers; None when ``deadline`` came first."""
    total = 0.0
    for vi, volunteer in enumerate(prepared.problem.volunteers):
        total += pi[vi] * (volunteer.hours_per_week + LOAD_TOLERANCE_H)
        total += mu[vi] * prepared.max_teams[vi]
    for r, cands in enumerate(prepared.requests):
        request = prepared.problem.requests[r]
        if r % 256 == 0 and deadline is not None and time.monotonic() >= deadline:
            return None
        if not cands.examined:  # its pairs are unknown: it may be staffable
            total += request.priority
            continue
        masks = list(cands.mask)
        costs = [pi[vi] * cands.hours[j] + mu[vi]
                 for j, vi in enumerate(cands.volunteers)]
        kept_per_mask: dict[int, int] = {}
        for mask in cands.mask:
            kept_per_mask[mask] = kept_per_mask.get(mask, 0) + 1
        for mask, count in cands.mask_counts.items():
            phantoms = min(count - kept_per_mask.get(mask, 0), request.team_size)
            masks.extend([mask] * phantoms)
            costs.extend([0.0] * phantoms)
        found = cheapest_team(request.team_size, cands.full_mask, masks, costs)
        if found is not None:
            total += max(0.0, request.priority - found[0])
    return total


def lagrangian_bound_all_pairs(prepared: Prepared, pi: list[float], mu: list[float],
                               deadline: float | None = None) -> float | None:
    """``lagrangian_bound`` with every eligible pair at its true multiplier cost, not the
    pruned ones at zero: one more numpy pass over the pairs. None at ``deadline``."""
    source = prepared.source
    if source is None:
        return lagrangian_bound(prepared, pi, mu, deadline)
    total = 0.0
    for vi, volunteer in enumerate(prepared.problem.volunteers):
        total += pi[vi] * (volunteer.hours_per_week + LOAD_TOLERANCE_H)
        total += mu[vi] * prepared.max_teams[vi]
    pi_a = np.array(pi, dtype=np.float64)
    mu_a = np.array(mu, dtype=np.float64)
    requests = prepared.problem.requests
    team_size = np.array([r.team_size for r in requests], dtype=np.int64)
    items: dict[int, tuple[list[int], list[float]]] = {}
    for pairs in source.pairs():
        if deadline is not None and time.monotonic() >= deadline:
            return None
        vi = pairs.volunteer
        # Rounded down a little: the numpy hours may differ from exact ones in the last bits.
        cost = (pi_a[vi] * source.loads_hours(pairs) + mu_a[vi]) * (1 - 1e-9)
        chosen = cheapest_per_group(pairs, cost, team_size)
        for r, mask, c in zip(pairs.request[chosen].tolist(), pairs.mask[chosen].tolist(),
                              cost[chosen].tolist(), strict=True):
            masks, costs = items.setdefault(r, ([], []))
            masks.append(mask)
            costs.append(c)
    for r, cands in enumerate(prepared.requests):
        request = requests[r]
        if not cands.examined:
            total += request.priority
            continue
        masks, costs = items.get(r, ([], []))
        found = cheapest_team(request.team_size, cands.full_mask, masks, costs)
        if found is not None:
            total += max(0.0, request.priority - found[0])
    return total


# Multipliers at or below this count as zero: the volunteer's limits are left out of
# the core problem.
_PRICED = 1e-9


@dataclass(slots=True)
class _CoreRequest:
    priority: int
    size: int
    full_mask: int
    priced: list[tuple[int, float, int]]  # (volunteer, exact hours, mask) of priced pairs
    free: dict[int, int]  # mask -> members available without using any priced limit


def _core_requests(prepared: Prepared, priced: list[bool], deadline: float | None
                   ) -> tuple[float, list[tuple[int, _CoreRequest]]] | None:
    """Split the requests: the priority of those staffable without any priced volunteer
    (certain in the relaxation), and the rest, which need one."""
    certain = 0.0
    core = []
    for r, cands in enumerate(prepared.requests):
        request = prepared.problem.requests[r]
        if r % 256 == 0 and deadline is not None and time.monotonic() >= deadline:
            return None
        if not cands.examined:
            certain += request.priority
            continue
        size, full = request.team_size, cands.full_mask
        free: dict[int, int] = {}
        kept_per_mask: dict[int, int] = {}
        priced_pairs = []
        for j, vi in enumerate(cands.volunteers):
            mask = cands.mask[j]
            kept_per_mask[mask] = kept_per_mask.get(mask, 0) + 1
            if priced[vi]:
                priced_pairs.append((vi, cands.hours[j], mask & full))
            else:
                free[mask & full] = free.get(mask & full, 0) + 1
        # Pruned pairs join as members that use no limit at all (a relaxation).
        for mask, count in cands.mask_counts.items():
            pruned = count - kept_per_mask.get(mask, 0)
            if pruned > 0:
                free[mask & full] = free.get(mask & full, 0) + pruned
        free = {mask: min(count, size) for mask, count in free.items()}
        free_masks = [m for m, count in free.items() for _ in range(count)]
        if cheapest_team(size, full, free_masks, [0.0] * len(free_masks)) is not None:
            certain += request.priority
            continue
        all_masks = free_masks + [m for _, _, m in priced_pairs]
        if cheapest_team(size, full, all_masks, [0.0] * len(all_masks)) is None:
            continue  # no team even with every limit dropped: never staffed
        core.append((r, _CoreRequest(request.priority, size, full, priced_pairs, free)))
    return certain, core


def _core_components(core: list[tuple[int, _CoreRequest]]) -> list[list[int]]:
    """Positions in ``core`` linked through shared priced volunteers."""
    parent = list(range(len(core)))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    first_of: dict[int, int] = {}
    for position, (_, request) in enumerate(core):
        for vi, _, _ in request.priced:
            other = first_of.setdefault(vi, position)
            ra, rb = find(other), find(position)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for position in range(len(core)):
        groups.setdefault(find(position), []).append(position)
    return list(groups.values())


def _component_lagrangian(prepared: Prepared, requests: list[_CoreRequest], pi: list[float],
                          mu: list[float]) -> float:
    volunteers = {vi for request in requests for vi, _, _ in request.priced}
    total = sum(pi[vi] * (prepared.problem.volunteers[vi].hours_per_week + LOAD_TOLERANCE_H)
                + mu[vi] * prepared.max_teams[vi] for vi in volunteers)
    for request in requests:
        masks = [m for m, count in request.free.items() for _ in range(count)]
        costs = [0.0] * len(masks)
        masks += [m for _, _, m in request.priced]
        costs += [pi[vi] * hours + mu[vi] for vi, hours, _ in request.priced]
        found = cheapest_team(request.size, request.full_mask, masks, costs)
        if found is not None:
            total += max(0.0, request.priority - found[0])
    return total


def _component_exact_bound(prepared: Prepared, requests: list[_CoreRequest],
                           time_limit_s: float, workers: int, wall_limit_s: float | None
                           ) -> tuple[int, bool] | None:
    """CP-SAT's proved bound on the component's relaxation, and whether it is optimal.

    Loads are rounded DOWN and budgets UP here (the opposite of the search's model), so
    every selection the checker accepts is feasible in this model too.
    """
    model = cp_model.CpModel()
    uses: dict[int, list[tuple[int, cp_model.IntVar]]] = {}
    objective = []
    for request in requests:
        staffed = model.new_bool_var("")
        objective.append(request.priority * staffed)
        members = []
        holders: dict[int, list] = {bit: [] for bit in range(request.full_mask.bit_length())
                                    if request.full_mask >> bit & 1}
        for vi, hours, mask in request.priced:
            x = model.new_bool_var("")
            members.append(x)
            uses.setdefault(vi, []).append((math.floor(hours * LOAD_UNITS_PER_HOUR - 1e-6), x))
            for bit, held in holders.items():
                if mask >> bit & 1:
                    held.append(x)
        for mask, count in request.free.items():
            f = model.new_int_var(0, count, "")
            members.append(f)
            for bit, held in holders.items():
                if mask >> bit & 1:
                    held.append(f)
        model.add(sum(members) == request.size * staffed)
        for held in holders.values():
            model.add(sum(held) >= staffed)
    volunteers = prepared.problem.volunteers
    for vi, pairs in uses.items():
        budget = math.ceil((volunteers[vi].hours_per_week + LOAD_TOLERANCE_H)
                           * LOAD_UNITS_PER_HOUR)
        model.add(sum(load * x for load, x in pairs) <= budget)
        if len(pairs) > prepared.max_teams[vi]:
            model.add(sum(x for _, x in pairs) <= prepared.max_teams[vi])
    model.maximize(sum(objective))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    # One worker stops by deterministic time, so the bound repeats exactly; the wall
    # clock is only a safety net there.
    if workers == 1:
        solver.parameters.max_deterministic_time = time_limit_s
        if wall_limit_s is not None:
            solver.parameters.max_time_in_seconds = wall_limit_s
    else:
        solver.parameters.max_time_in_seconds = time_limit_s
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return math.floor(solver.best_objective_bound + 1e-6), status == cp_model.OPTIMAL


def core_bound(prepared: Prepared, pi: list[float], mu: list[float], time_limit_s: float,
               workers: int, deadline: float | None = None) -> tuple[float, int, int] | None:
    """A bound from the core of the problem, solved exactly where time allows.

    Relax three things: the limits of every volunteer whose multiplier is zero, every
    pruned pair (it joins its request as a member using no limit) and the rounding to
    load units. What stays constrained are the priced volunteers; a request with a
    covering team without them is staffed for certain, and the rest fall apart into
    small components through the priced volunteers. Each component counts the lower of
    its Lagrangian part and CP-SAT's proved bound on it. Returns (bound, components,
    components proved optimal), or None at ``deadline``.
    """
    priced = [pi[vi] > _PRICED or mu[vi] > _PRICED for vi in range(len(pi))]
    split = _core_requests(prepared, priced, deadline)
    if split is None:
        return None
    total, core = split
    groups = _core_components(core)
    pairs = [sum(len(core[p][1].priced) + 1 for p in group) for group in groups]
    all_pairs = max(1, sum(pairs))
    proved = 0
    for group, size in sorted(zip(groups, pairs, strict=True), key=lambda g: g[1]):
        requests = [core[p][1] for p in group]
        value = _component_lagrangian(prepared, requests, pi, mu)
        # Past the deadline a component keeps its Lagrangian part, which is cheap.
        if deadline is None or time.monotonic() < deadline:
            wall = None if deadline is None else max(0.01, deadline - time.monotonic())
            limit = time_limit_s * size / all_pairs
            if workers == 1:
                limit *= DETERMINISTIC_UNITS_PER_SECOND
            elif wall is not None:
                limit = min(limit, wall)
            exact = _component_exact_bound(prepared, requests, max(0.01, limit), workers,
                                           wall)
            if exact is not None:
                value = min(value, exact[0])
                proved += exact[1]
        total += value
    return total, len(groups), proved


# Building the LP costs about this much per kept pair, before GLOP runs (2.8e-6 measured
# on the dense district, quiet machine; some room for a loaded one).
_LP_BUILD_S_PER_PAIR = 4e-6


def prove_bound(prepared: Prepared, lp_time_limit_s: float,
                deadline: float | None = None, workers: int = 1) -> Bound:
    """The tightest bound that fits before ``deadline``; at worst every priority summed."""
    started = time.monotonic()
    n_vol = len(prepared.capacity)
    trivial = lagrangian_bound(prepared, [0.0] * n_vol, [0.0] * n_vol, deadline)
    if trivial is None:
        total = sum(r.priority for r in prepared.problem.requests)
        return Bound(total, "sum of all priorities (time limit reached first)", "NOT_SOLVED",
                     None, 0.0, time.monotonic() - started)
    value = trivial
    status, lp_value, lp_s = "NOT_SOLVED", None, 0.0
    core = (0, 0)
    priced: frozenset[int] = frozenset()
    time_left = math.inf if deadline is None else deadline - time.monotonic()
    if time_left > 2 * (prepared.kept_pairs * _LP_BUILD_S_PER_PAIR + lp_time_limit_s):
        lp_started = time.monotonic()
        pi, mu, status, lp_value = lp_multipliers(prepared, lp_time_limit_s)
        lp_s = time.monotonic() - lp_started
        # Every eligible pair at its true price (about half a preparation: no pruning) is
        # never weaker than the kept pairs with the pruned ones free, so the cheaper
        # reading runs only when that pass does not fit or is cut off.
        source = prepared.source
        relaxed = None
        if lp_value is not None and source is not None and deadline is not None \
                and deadline - time.monotonic() > source.prepare_s + 1.0:
            relaxed = lagrangian_bound_all_pairs(prepared, pi, mu, deadline)
        if lp_value is not None and relaxed is None:
            relaxed = lagrangian_bound(prepared, pi, mu, deadline)
            if relaxed is None:
                lp_value = None
        if relaxed is not None:
            value = min(trivial, relaxed)
        if lp_value is not None:
            priced = frozenset(vi for vi in range(n_vol)
                               if pi[vi] > _PRICED or mu[vi] > _PRICED)
            found = core_bound(prepared, pi, mu, lp_time_limit_s, workers, deadline)
            if found is not None:
                value = min(value, found[0])
                core = found[1:]
    # The true optimum is an integer; the margin covers float rounding in the sums.
    proved = math.floor(value + 1e-6)
    method = ("lagrangian relaxation with GLOP LP duals (volunteer hours and team limits "
              "relaxed; each request's cheapest covering team exact), and CP-SAT on the "
              "components of the volunteers the duals price"
              if lp_value is not None else "sum of priorities of requests staffable alone")
    return Bound(proved, method, status, lp_value, lp_s, time.monotonic() - started, *core,
                 priced=priced)
