"""Matching runs: who may start and see them, the background job that solves one, and
cancel (domain §4, §8.11); whether a run is still alive is ``run_liveness``.

The job is the unit of work: it claims its queued row (a conditional UPDATE, so a run is
solved once), snapshots the problem through the adapter, solves with a heartbeat thread
writing phase, elapsed time, best score and bound to the row, and finishes with one
conditional UPDATE plus the proposals, all in one transaction. Every write is guarded by
"still running and still mine", so a cancelled or swept run is never overwritten and a
killed worker leaves nothing applied.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, or_, select, update

from marketplace import jobs
from marketplace.auth.models import Role
from marketplace.auth.scopes import acts_for, official_area, organization_ids
from marketplace.care import adapter
from marketplace.care.adapter import Scope
from marketplace.care.models import CareRequest, CareRequestState, Household
from marketplace.care.run_liveness import Heartbeat, RunStopped, mine, sweep_dead_runs
from marketplace.care.run_models import (
    LIVE_RUN_STATES,
    MatchingRun,
    MatchingRunState,
    ScopeKind,
    TeamProposal,
)
from marketplace.clock import utcnow
from marketplace.errors import DomainError, OutOfScope
from marketplace.extensions import db
from marketplace.geo.models import Street

JOB = "marketplace.care.runs:execute_run"
JOB_FAILED = "marketplace.care.run_liveness:fail_run"
MIN_TIME_LIMIT_S = 1
MAX_TIME_LIMIT_S = 600
DEFAULT_TIME_LIMIT_S = 30
REMATCH_TIME_LIMIT_S = 10  # one request: a small problem


# --- who may do what --------------------------------------------------------------------

def _scope_places(scope: Scope) -> tuple[int | None, int | None]:
    """(street_id, district_id) an official's area must cover to start or read a run."""
    if scope.kind == ScopeKind.DISTRICT:
        return None, scope.id
    if scope.kind == ScopeKind.STREET:
        district = db.session.scalar(select(Street.district_id).where(Street.id == scope.id))
        return scope.id, district
    return None, None


def may_start(user, scope: Scope) -> bool:
    if scope.kind == ScopeKind.ORGANIZATION:
        return acts_for(user, scope.id, Role.SOCIAL_WORKER)
    if scope.kind == ScopeKind.REQUEST:
        request = db.session.get(CareRequest, scope.id)
        return request is not None and acts_for(
            user, request.household.organization_id, Role.SOCIAL_WORKER)
    street_id, district_id = _scope_places(scope)
    if district_id is None:
        return False
    area = official_area(user)
    return district_id in area.district_ids or (street_id is not None
                                                and street_id in area.street_ids)


def _reviews_in(user, run: MatchingRun) -> bool:
    orgs = organization_ids(user, Role.SOCIAL_WORKER)
    if not orgs:
        return False
    return db.session.scalar(select(func.count(TeamProposal.id)).where(
        TeamProposal.run_id == run.id, TeamProposal.organization_id.in_(sorted(orgs)))) > 0


def may_read(user, run: MatchingRun) -> bool:
    """The run's own organization's staff (organization and request scopes); the officials
    whose area covers an official-scope run; and the social workers whose households it
    proposes teams for (§8.11)."""
    if run.organization_id is not None:
        return acts_for(user, run.organization_id)
    if may_start(user, Scope(run.scope_kind, run.scope_id)):
        return True
    return _reviews_in(user, run)


def get_run(user, run_id: int) -> MatchingRun:
    run = db.session.get(MatchingRun, run_id)
    if run is None or not may_read(user, run):
        raise OutOfScope()
    return run


def is_official_view(user, run: MatchingRun) -> bool:
    """Officials see aggregates and masked lists, never a household's proposal (§8.11)."""
    return run.organization_id is None and not organization_ids(user, Role.SOCIAL_WORKER)


def may_download_problem(user, run: MatchingRun) -> bool:
    """The snapshot holds volunteers' home points: its organization's staff, and of an
    official's run only the official who started it."""
    return bool(run.problem_hash) and (not is_official_view(user, run)
                                       or run.started_by_id == user.id)


def runs_for(user, limit: int = 30) -> list[MatchingRun]:
    orgs = sorted(organization_ids(user))
    area = official_area(user)
    conditions = []
    if orgs:
        conditions.append(MatchingRun.organization_id.in_(orgs))
    if area.district_ids:
        conditions.append((MatchingRun.scope_kind == ScopeKind.DISTRICT)
                          & MatchingRun.scope_id.in_(sorted(area.district_ids)))
        streets = select(Street.id).where(Street.district_id.in_(sorted(area.district_ids)))
        conditions.append((MatchingRun.scope_kind == ScopeKind.STREET)
                          & MatchingRun.scope_id.in_(streets))
    if area.street_ids:
        conditions.append((MatchingRun.scope_kind == ScopeKind.STREET)
                          & MatchingRun.scope_id.in_(sorted(area.street_ids)))
    if not conditions:
        return []
    return list(db.session.scalars(select(MatchingRun).where(or_(*conditions))
                                   .order_by(MatchingRun.id.desc()).limit(limit)))


# --- starting and cancelling ---------------------------------------------------------------

def _role_for(user, scope: Scope) -> str:
    return Role.OFFICIAL.value if scope.kind in (ScopeKind.STREET, ScopeKind.DISTRICT) \
        else Role.SOCIAL_WORKER.value


def start_run(user, scope: Scope, *, time_limit_s: float = DEFAULT_TIME_LIMIT_S) -> MatchingRun:
    """A queued run; the caller commits, then ``launch``es it. One live run per scope, so a
    double submit starts one run."""
    if not may_start(user, scope):
        raise OutOfScope()
    if not jobs.available():
        raise jobs.JobsUnavailable()
    if not (MIN_TIME_LIMIT_S <= time_limit_s <= MAX_TIME_LIMIT_S):
        raise DomainError("time_limit_s", _("The time limit must be between %(low)d and "
                                            "%(high)d seconds.", low=MIN_TIME_LIMIT_S,
                                            high=MAX_TIME_LIMIT_S))
    return create_run(scope, started_by=user, role=_role_for(user, scope),
                      time_limit_s=time_limit_s)


def create_run(scope: Scope, *, started_by, role: str,
               time_limit_s: float = DEFAULT_TIME_LIMIT_S) -> MatchingRun:
    """The queued row itself (``started_by`` None: the command line)."""
    sweep_dead_runs()
    live = db.session.scalar(select(MatchingRun).where(
        MatchingRun.scope_kind == scope.kind, MatchingRun.scope_id == scope.id,
        MatchingRun.state.in_(LIVE_RUN_STATES)))
    if live is not None:
        raise DomainError(None, _("A matching run for this scope is already under way."))
    organization_id = None
    if scope.kind == ScopeKind.ORGANIZATION:
        organization_id = scope.id
    elif scope.kind == ScopeKind.REQUEST:
        organization_id = db.session.get(CareRequest, scope.id).household.organization_id
    run = MatchingRun(scope_kind=scope.kind, scope_id=scope.id, organization_id=organization_id,
                      started_by_id=getattr(started_by, "id", None), started_role=role,
                      options={"time_limit_s": time_limit_s}, problem={}, problem_hash="",
                      job_id=f"match-{uuid.uuid4().hex}")
    db.session.add(run)
    db.session.flush()
    return run


def launch(run: MatchingRun) -> None:
    """Hand a committed queued run to the jobs interface. When the queue went down since
    ``start_run`` asked, the run is failed (the caller commits that) and ``JobsUnavailable``
    raised: no worker would ever take it."""
    try:
        jobs.enqueue(JOB, run.id, job_id=run.job_id, on_failure=JOB_FAILED)
    except jobs.JobsUnavailable:
        db.session.execute(
            update(MatchingRun).where(MatchingRun.id == run.id,
                                      MatchingRun.state == MatchingRunState.QUEUED)
            .values(state=MatchingRunState.FAILED, finished_at=utcnow(), phase="failed",
                    error="job queue unreachable")
            .execution_options(synchronize_session=False))
        raise


def cancel_run(user, run: MatchingRun) -> None:
    """The starter cancels a queued or running run; the worker sees its row and stops."""
    if run.started_by_id != user.id:
        raise OutOfScope()
    done = db.session.execute(
        update(MatchingRun).where(MatchingRun.id == run.id,
                                  MatchingRun.state.in_(LIVE_RUN_STATES))
        .values(state=MatchingRunState.CANCELLED, finished_at=utcnow(), phase="cancelled")
        .execution_options(synchronize_session=False)).rowcount
    if not done:
        raise DomainError(None, _("This run has already finished."))
    db.session.expire(run)


# --- the job ---------------------------------------------------------------------------------

def execute_run(run_id: int) -> None:
    """The background job: snapshot, solve, store the result and the proposals."""
    from marketplace.matching import SolveOptions, check_result, parse_problem, shortfall, solve

    app = current_app._get_current_object()
    token = f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"[:120]
    now = utcnow()
    claimed = db.session.execute(
        update(MatchingRun).where(MatchingRun.id == run_id,
                                  MatchingRun.state == MatchingRunState.QUEUED)
        .values(state=MatchingRunState.RUNNING, worker=token, started_at=now,
                heartbeat_at=now, phase="snapshot")
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    if not claimed:
        return  # cancelled before it started, or another worker has it
    run = db.session.get(MatchingRun, run_id)
    limit = float(run.options.get("time_limit_s", DEFAULT_TIME_LIMIT_S))
    workers = int(app.config.get("CARE_RUN_WORKERS", 1))
    interval = float(app.config.get("CARE_RUN_HEARTBEAT_S", 2.0))
    try:
        # The heartbeat covers the snapshot too: at district scale reading the rows takes
        # longer than the sweep's threshold on a busy machine.
        with Heartbeat(app, run_id, token, interval, phase="snapshot") as beat:
            problem, snapshot = adapter.build_problem(Scope(run.scope_kind, run.scope_id),
                                                      time_limit_s=limit)
            beat.phase("preparing")
            if not db.session.execute(
                    update(MatchingRun).where(*mine(run_id, token))
                    .values(problem=problem, problem_hash=adapter.problem_hash(problem),
                            snapshot=snapshot, phase="preparing", heartbeat_at=utcnow())
                    .execution_options(synchronize_session=False)).rowcount:
                db.session.rollback()
                return
            db.session.commit()
            parsed = parse_problem(problem)
            result = solve(parsed, SolveOptions(time_limit_s=limit, workers=workers),
                           progress=beat.progress).to_json()
            violations = check_result(parsed, result)
            if violations:
                raise RuntimeError(f"the result breaks {len(violations)} rule(s): "
                                   f"{violations[0]}")
            found = None
            if result["open"] and parsed.volunteers and app.config.get("CARE_RUN_SHORTFALL",
                                                                       True):
                beat.phase("shortfall")
                found = shortfall(parsed, result, time_limit_s=max(1.0, limit / 3),
                                  workers=workers).to_json()
            beat.phase("saving")
        finished = db.session.execute(
            update(MatchingRun).where(*mine(run_id, token))
            .values(state=MatchingRunState.SUCCEEDED, result=result, shortfall=found,
                    finished_at=utcnow(), phase="done",
                    best_score=result["score"]["priority_staffed"],
                    bound=(result.get("bound") or {}).get("priority_staffed"),
                    elapsed_s=round(time.monotonic() - beat.started, 1))
            .execution_options(synchronize_session=False)).rowcount
        if not finished:
            db.session.rollback()
            return
        db.session.expire(run)
        adapter.proposals_from_result(run, result)
        db.session.commit()
    except RunStopped:
        db.session.rollback()
    except Exception as error:
        db.session.rollback()
        db.session.execute(
            update(MatchingRun).where(*mine(run_id, token))
            .values(state=MatchingRunState.FAILED, finished_at=utcnow(), phase="failed",
                    error=f"{type(error).__name__}: {error}"[:1000])
            .execution_options(synchronize_session=False))
        db.session.commit()
        raise


# --- what the page polls ----------------------------------------------------------------------

def status_of(run: MatchingRun) -> dict:
    """The progress row as the page's script reads it."""
    limit = float(run.options.get("time_limit_s", DEFAULT_TIME_LIMIT_S))
    elapsed = run.elapsed_s or 0.0
    if run.state == MatchingRunState.RUNNING and run.started_at is not None:
        elapsed = max(elapsed, (utcnow() - run.started_at).total_seconds())
    finished = run.state not in LIVE_RUN_STATES
    percent = 100 if finished else min(99, int(100 * elapsed / max(limit * 1.5, 1)))
    from marketplace.care.reasons import PHASE, RUN_STATE

    phase = run.phase or run.state.value
    return {"state": run.state.value, "state_label": str(RUN_STATE[run.state.value]),
            "phase": phase, "phase_label": str(PHASE.get(phase, phase)),
            "elapsed_s": round(elapsed, 1), "time_limit_s": limit,
            "best_score": run.best_score, "bound": run.bound, "percent": percent,
            "finished": finished, "error": run.error if run.state == MatchingRunState.FAILED
            else None}


def open_request_count(organization_id: int) -> int:
    return db.session.scalar(select(func.count(CareRequest.id)).join(Household).where(
        Household.organization_id == organization_id,
        CareRequest.state == CareRequestState.OPEN))
