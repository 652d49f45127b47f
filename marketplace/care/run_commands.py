"""``flask match export SCOPE``, ``flask match run SCOPE [--time-limit S]``, ``flask match apply
RUN``. SCOPE is ``district:ID``, ``street:ID``, ``organization:ID`` or ``request:ID``. The
exported problem and a run's result pass ``python -m marketplace.matching check``."""

from __future__ import annotations

import json
import sys

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from marketplace.care import adapter, review, runs
from marketplace.care.adapter import Scope
from marketplace.care.run_models import MatchingRun, MatchingRunState, ScopeKind
from marketplace.errors import DomainError
from marketplace.extensions import db


class ScopeParam(click.ParamType):
    name = "scope"

    def convert(self, value, param, ctx):
        if isinstance(value, Scope):
            return value
        kind, _sep, number = str(value).partition(":")
        try:
            scope = Scope(ScopeKind(kind), int(number))
        except ValueError:
            self.fail(f"{value!r}: write district:ID, street:ID, organization:ID or "
                      "request:ID", param, ctx)
        if not 1 <= scope.id <= 2**31 - 1:
            self.fail(f"{value!r}: no such id", param, ctx)
        return scope


def _write(data: dict, out: str | None) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=1)
    if out is None:
        click.echo(text)
    else:
        with open(out, "w", encoding="utf-8") as handle:
            handle.write(text)


@click.group("match")
def match() -> None:
    """Matching runs from the command line."""


@match.command("export")
@click.argument("scope", type=ScopeParam())
@click.option("--out", type=click.Path(dir_okay=False, writable=True), default=None,
              help="File to write (default: standard output).")
@with_appcontext
def export_command(scope: Scope, out: str | None) -> None:
    """Write the problem SCOPE would be matched on, in the matching format."""
    problem, _snapshot = adapter.build_problem(scope)
    _write(problem, out)


@match.command("run")
@click.argument("scope", type=ScopeParam())
@click.option("--time-limit", "time_limit", type=click.IntRange(runs.MIN_TIME_LIMIT_S,
                                                                 runs.MAX_TIME_LIMIT_S),
              default=runs.DEFAULT_TIME_LIMIT_S, show_default=True)
@click.option("--problem-out", type=click.Path(dir_okay=False, writable=True), default=None)
@click.option("--result-out", type=click.Path(dir_okay=False, writable=True), default=None)
@with_appcontext
def run_command(scope: Scope, time_limit: int, problem_out, result_out) -> None:
    """Snapshot SCOPE and solve it here, as the background job would; proposals are kept
    for review (apply them with `flask match apply RUN`)."""
    try:
        run = runs.create_run(scope, started_by=None, role="command", time_limit_s=time_limit)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    run_id = run.id
    try:
        runs.execute_run(run_id)
    except Exception as error:  # the row says failed; the command says why
        raise click.ClickException(f"run {run_id} failed: {error}") from None
    run = db.session.get(MatchingRun, run_id)
    if problem_out:
        _write(run.problem, problem_out)
    if result_out and run.result:
        _write(run.result, result_out)
    summary = (f"run {run.id}: {run.state.value}")
    if run.result:
        summary += (f"; {len(run.result['teams'])} teams, {len(run.result['open'])} open; "
                    f"{len(run.proposals)} proposals to review")
    click.echo(summary)
    if run.state != MatchingRunState.SUCCEEDED:
        sys.exit(1)


@match.command("apply")
@click.argument("run_id", type=click.IntRange(1, 2**31 - 1))
@with_appcontext
def apply_command(run_id: int) -> None:
    """Offer every pending proposal of RUN to its volunteers (one transaction; refused when
    the snapshot is stale)."""
    run = db.session.get(MatchingRun, run_id)
    if run is None:
        raise click.ClickException(f"no matching run {run_id}")
    try:
        # Messages and notification links need a request: the command speaks English.
        with current_app.test_request_context(headers={"Accept-Language": "en"}):
            count = review.offer_all(None, run, as_system=True)
    except review.StaleProposals as error:
        db.session.commit()  # the stale marks stay
        raise click.ClickException(error.message) from None
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"run {run_id}: {count} team(s) offered")


def register(app: Flask) -> None:
    app.cli.add_command(match)
