"""The public entry points: ``solve`` and ``greedy``, from a Problem to a Result."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

from .bound import Bound, prove_bound
from .eligibility import DEFAULT_KEEP_PER_MASK, Prepared, prepare
from .explain import OpenExplainer, member_reason
from .greedy import Assignment, greedy_assignment
from .problem import Problem
from .result import OpenRequest, Result, Team, assignment_score
from .solver import DETERMINISTIC_UNITS_PER_SECOND, ProgressCallback, Search, SearchSettings

DEFAULT_TIME_LIMIT_S = 30.0
# At most this share of the time limit goes to finding eligible pairs; a limit too
# short for the whole problem still leaves time for the greedy and the result.
PREPARE_SHARE = 0.6


@dataclass(frozen=True, slots=True)
class SolveOptions:
    """Engine knobs. ``None`` means: take it from the problem's options, then the default."""

    time_limit_s: float | None = None
    workers: int = field(default_factory=lambda: min(8, os.cpu_count() or 1))
    seed: int | None = None
    keep_per_mask: int = DEFAULT_KEEP_PER_MASK  # candidate pruning, see eligibility.py
    neighbourhood_requests: int = 60  # requests freed per LNS step, adapted on the fly
    sub_time_limit_s: float = 1.0  # per CP-SAT call (deterministic units with one worker)
    full_model_max_pairs: int = 25_000  # components up to this size: one CP-SAT model
    whole_model_share: float = 0.5  # of the search time, for those one-model calls
    # With one worker: the CP-SAT deterministic units the search may spend; None means
    # DETERMINISTIC_UNITS_PER_SECOND per second of the time limit. A budget that ends
    # well before the limit makes a one-worker run repeat even on a loaded machine.
    deterministic_budget: float | None = None
    bound: bool = True  # compute the proved bound (LP + Lagrangian)
    bound_share: float = 0.25  # at most this share of the time limit goes to the LP


def build_result(prepared: Prepared, assignment: Assignment, *, status: str, solver: str,
                 bound: Bound | None, stats: dict, time_limit_s: float | None = None) -> Result:
    problem = prepared.problem
    teams = []
    open_requests = []
    explainer = OpenExplainer(prepared, assignment, time_limit_s)
    for r, request in enumerate(problem.requests):
        team = assignment[r]
        if team is None:
            why = explainer.reason(r)
            open_requests.append(OpenRequest(request.id, why.text, why.to_json()))
            continue
        cands = prepared.requests[r]
        members = sorted(team, key=lambda j: problem.volunteers[cands.volunteers[j]].id)
        explained = {
            problem.volunteers[cands.volunteers[j]].id: member_reason(
                request, problem.volunteers[cands.volunteers[j]], cands.km[j], cands.kept[j],
                cands.bit_names, cands.mask[j])
            for j in members
        }
        teams.append(Team(request.id, tuple(explained),
                          {vid: why.text for vid, why in explained.items()},
                          {vid: why.to_json() for vid, why in explained.items()}))
    if bound is not None:
        stats = {**stats, "bound": bound.stats()}
    return Result(status, solver, tuple(teams), tuple(open_requests),
                  assignment_score(prepared, assignment),
                  None if bound is None else bound.priority_staffed, stats)


def _finishing_reserve_s(n_requests: int) -> float:
    # Filling, explaining and building the result run after the search; at 22,000
    # requests they take about a second, which must come out of the time limit.
    return 0.3 + n_requests * 5e-5


def _base_stats(prepared: Prepared, started: float, prepare_s: float) -> dict:
    return {"wall_s": round(time.monotonic() - started, 3),
            "prepare_s": round(prepare_s, 3),
            "candidate_pairs": prepared.kept_pairs,
            "eligible_pairs": prepared.eligible_pairs,
            "examined_requests": prepared.examined}


def _score_json(score) -> dict:
    return {"priority_staffed": score.priority_staffed, "kept_members": score.kept_members,
            "total_km": round(score.total_km, 3)}


def greedy(problem: Problem, *, keep_per_mask: int = DEFAULT_KEEP_PER_MASK) -> Result:
    """The greedy baseline alone (no bound: it proves nothing)."""
    started = time.monotonic()
    prepared = prepare(problem, keep_per_mask)
    prepare_s = time.monotonic() - started
    assignment = greedy_assignment(prepared)
    return build_result(prepared, assignment, status="FEASIBLE", solver="greedy", bound=None,
                        stats={**_base_stats(prepared, started, prepare_s), "variables": 0,
                               "workers": 1})


def solve(problem: Problem, options: SolveOptions | None = None,
          progress: ProgressCallback | None = None) -> Result:
    """Staff as many requests as possible, by priority, within the time limit.

    The limit bounds the whole call, preparation included. When it is too short to
    prepare every request, the answer is the greedy on what was prepared (highest
    priorities first) and ``stats.status_detail`` says so.

    ``progress`` (optional) is called now and then with a dict: ``phase``,
    ``elapsed_s``, ``priority_staffed``, ``kept_members``, ``total_km`` and, once
    known, ``bound``. It runs on the calling thread; keep it quick.
    """
    options = options or SolveOptions()
    started = time.monotonic()
    time_limit = options.time_limit_s or problem.options.time_limit_s or DEFAULT_TIME_LIMIT_S
    prepared = prepare(problem, options.keep_per_mask,
                       deadline=started + time_limit * PREPARE_SHARE)
    return solve_prepared(prepared, options, progress, started=started,
                          prepare_s=time.monotonic() - started)


def solve_prepared(prepared: Prepared, options: SolveOptions, progress: ProgressCallback | None
                   = None, *, started: float | None = None, prepare_s: float = 0.0) -> Result:
    """``solve`` on already prepared pairs (internal: benchmarks build their own pairs)."""
    problem = prepared.problem
    started = time.monotonic() if started is None else started
    time_limit = options.time_limit_s or problem.options.time_limit_s or DEFAULT_TIME_LIMIT_S
    seed = problem.options.seed if options.seed is None else options.seed
    workers = max(1, options.workers)
    # Everything before the result must end by here; building the result takes the rest.
    finish_by = started + time_limit - _finishing_reserve_s(len(problem.requests))
    # Not cut by the clock: the greedy on what was prepared is the floor of every answer,
    # and preparation already stopped early enough to leave it the time it needs.
    assignment = greedy_assignment(prepared)
    greedy_score = assignment_score(prepared, assignment)
    bound = None
    if options.bound:
        lp_limit = min(time_limit * options.bound_share,
                       max(0.0, finish_by - time.monotonic()) * options.bound_share)
        bound = prove_bound(prepared, lp_limit, deadline=finish_by, workers=workers)
        if progress is not None:
            progress({"phase": "bound", "elapsed_s": round(time.monotonic() - started, 3),
                      "bound": bound.priority_staffed})
    settings = SearchSettings(
        time_limit_s=max(0.0, finish_by - time.monotonic()),
        deterministic_budget=(time_limit * DETERMINISTIC_UNITS_PER_SECOND
                              if options.deterministic_budget is None
                              else options.deterministic_budget),
        workers=workers, seed=seed, neighbourhood_requests=options.neighbourhood_requests,
        sub_time_limit_s=options.sub_time_limit_s,
        full_model_max_pairs=options.full_model_max_pairs,
        whole_model_share=options.whole_model_share,
        priced=frozenset() if bound is None else bound.priced)
    search = Search(prepared, assignment, settings, progress, time.monotonic())
    searched = search.run()
    assignment = greedy_assignment(prepared, searched, deadline=finish_by)
    proved = search.stats.all_proved and prepared.kept_pairs == prepared.eligible_pairs \
        and prepared.complete
    if not prepared.complete:
        detail = (f"time limit reached while preparing: {prepared.examined} of "
                  f"{len(problem.requests)} requests examined (highest priority first); "
                  "the answer is the greedy on those, the rest are left open")
    elif proved:
        detail = "proved optimal"
    else:
        detail = "time limit reached during the search; best found so far"
    stats = {
        **_base_stats(prepared, started, prepare_s),
        "status_detail": detail,
        "variables": search.stats.max_variables,
        "workers": workers,
        "seed": seed,
        "time_limit_s": time_limit,
        "greedy_score": _score_json(greedy_score),
        "search": {
            "components": search.stats.components,
            "proved_components": search.stats.proved_components,
            "cp_sat_calls": search.stats.cp_sat_calls,
            "lns_iterations": search.stats.lns_iterations,
            "lns_improvements": search.stats.lns_improvements,
            "scarce_iterations": search.stats.scarce_iterations,
            "polished_requests": search.stats.polished_requests,
            "deterministic_time": round(search.stats.deterministic_time, 3),
            "search_s": round(search.stats.wall_s, 3),
        },
    }
    result = build_result(prepared, assignment, status="OPTIMAL" if proved else "FEASIBLE",
                          solver="cp-sat", bound=bound, stats=stats, time_limit_s=time_limit)
    result.stats["wall_s"] = round(time.monotonic() - started, 3)
    return result
