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
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
from ortools.linear_solver import pywraplp

from .eligibility import Prepared, cheapest_per_group
from .problem import LOAD_TOLERANCE_H
from .teams import cheapest_team


@dataclass(frozen=True, slots=True)
class Bound:
    priority_staffed: int
    method: str
    lp_status: str
    lp_value: float | None
    lp_s: float
    total_s: float

    def stats(self) -> dict:
        return {"method": self.method, "lp_status": self.lp_status,
                "lp_value": None if self.lp_value is None else round(self.lp_value, 3),
                "lp_s": round(self.lp_s, 3), "total_s": round(self.total_s, 3)}


def lp_multipliers(prepared: Prepared, time_limit_s: float) -> tuple[list[float], list[float],
                                                                     str, float | None]:
    """Duals of the volunteer rows of the LP relaxation over the kept pairs."""
    n_vol = len(prepared.capacity)
    pi = [0.0] * n_vol
    mu = [0.0] * n_vol
    solver = pywraplp.Solver.CreateSolver("GLOP")
    if solver is None:
        return pi, mu, "GLOP_UNAVAILABLE", None
    solver.SetTimeLimit(max(1, int(time_limit_s * 1000)))
    hours_rows: dict[int, list] = {}
    team_rows: dict[int, list] = {}
    objective = solver.Objective()
    for r, cands in enumerate(prepared.requests):
        request = prepared.problem.requests[r]
        if not cands.volunteers:
            continue
        staffed = solver.NumVar(0.0, 1.0, "")
        objective.SetCoefficient(staffed, request.priority)
        xs = [solver.NumVar(0.0, 1.0, "") for _ in cands.volunteers]
        team = solver.Constraint(0.0, 0.0)
        team.SetCoefficient(staffed, -request.team_size)
        for x in xs:
            team.SetCoefficient(x, 1.0)
        for bit in range(len(cands.bit_names)):
            cover = solver.Constraint(0.0, solver.infinity())
            cover.SetCoefficient(staffed, -1.0)
            for j, x in enumerate(xs):
                if cands.mask[j] >> bit & 1:
                    cover.SetCoefficient(x, 1.0)
        for j, (vi, x) in enumerate(zip(cands.volunteers, xs, strict=True)):
            hours_rows.setdefault(vi, []).append((x, cands.hours[j]))
            team_rows.setdefault(vi, []).append(x)
    volunteers = prepared.problem.volunteers
    hours_cons = {}
    teams_cons = {}
    for vi, uses in hours_rows.items():
        row = solver.Constraint(-solver.infinity(), volunteers[vi].hours_per_week)
        for x, hours in uses:
            row.SetCoefficient(x, hours)
        hours_cons[vi] = row
        if len(uses) > prepared.max_teams[vi]:
            count = solver.Constraint(-solver.infinity(), prepared.max_teams[vi])
            for x in team_rows[vi]:
                count.SetCoefficient(x, 1.0)
            teams_cons[vi] = count
    objective.SetMaximization()
    status = solver.Solve()
    names = {pywraplp.Solver.OPTIMAL: "OPTIMAL", pywraplp.Solver.FEASIBLE: "FEASIBLE",
             pywraplp.Solver.NOT_SOLVED: "NOT_SOLVED"}
    status_name = names.get(status, f"STATUS_{status}")
    if status not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        return pi, mu, status_name, None
    # The sign convention of duals differs between solvers; any non-negative
    # multiplier is valid, and the magnitude is what makes the bound tight.
    for vi, row in hours_cons.items():
        pi[vi] = abs(row.dual_value())
    for vi, row in teams_cons.items():
        mu[vi] = abs(row.dual_value())
    return pi, mu, status_name, objective.Value()


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


# Building the LP in Python costs about this much per kept pair, before GLOP runs.
_LP_BUILD_S_PER_PAIR = 1.5e-5


def prove_bound(prepared: Prepared, lp_time_limit_s: float,
                deadline: float | None = None) -> Bound:
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
    time_left = math.inf if deadline is None else deadline - time.monotonic()
    if time_left > 2 * (prepared.kept_pairs * _LP_BUILD_S_PER_PAIR + lp_time_limit_s):
        lp_started = time.monotonic()
        pi, mu, status, lp_value = lp_multipliers(prepared, lp_time_limit_s)
        lp_s = time.monotonic() - lp_started
        if lp_value is not None:
            relaxed = lagrangian_bound(prepared, pi, mu, deadline)
            if relaxed is not None:
                value = min(trivial, relaxed)
            else:
                lp_value = None
        # Pricing every eligible pair costs about one more preparation pass.
        source = prepared.source
        if lp_value is not None and source is not None and deadline is not None \
                and deadline - time.monotonic() > 2 * source.prepare_s + 1.0:
            every_pair = lagrangian_bound_all_pairs(prepared, pi, mu, deadline)
            if every_pair is not None:
                value = min(value, every_pair)
    # The true optimum is an integer; the margin covers float rounding in the sums.
    proved = math.floor(value + 1e-6)
    method = ("lagrangian relaxation with GLOP LP duals (volunteer hours and team limits "
              "relaxed; each request's cheapest covering team exact)"
              if lp_value is not None else "sum of priorities of requests staffable alone")
    return Bound(proved, method, status, lp_value, lp_s, time.monotonic() - started)
