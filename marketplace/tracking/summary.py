"""Monthly verified volunteer hours by home street and domain, precomputed for the
dashboards. ``refresh`` rebuilds ``HoursSummary`` (nightly from cron: ``flask
tracking refresh-summary``; the demo seeder once); ``monthly_minutes`` adds to it what was
verified since, and takes off what a correction verified since superseded. Verified entries
never change otherwise (the ledger is append-only), so the figures are exact at any time and
a request reads only the summary and the few entries verified since the last refresh.
Each contract's KPI progress (the budget chart) is stored with the time it was computed, at
the refresh and when its targets or links change; the contract's own page is always live."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import String, delete, func, insert, or_, select
from sqlalchemy.orm import aliased

from marketplace.clock import local_today, utcnow
from marketplace.extensions import db
from marketplace.geo.models import Community
from marketplace.hours.models import HoursEntry, HoursKind, HoursState
from marketplace.hours.services import counted_entries
from marketplace.projects.localtime import local_date
from marketplace.projects.models import Project
from marketplace.tracking import kpis
from marketplace.tracking.models import SIGNED_STATES, Contract, HoursSummary, SummaryRefresh
from marketplace.volunteers.models import VolunteerProfile

Key = tuple[int, str, str | None]  # street, "YYYY-MM", domain code (None: no project)


def _grouped(*where):
    month = func.substr(func.cast(HoursEntry.service_date, String), 1, 7)
    return (
        select(Community.street_id, month, Project.domain, func.sum(HoursEntry.minutes))
        .select_from(HoursEntry)
        .join(VolunteerProfile, VolunteerProfile.id == HoursEntry.volunteer_id)
        .join(Community, Community.id == VolunteerProfile.community_id)
        .outerjoin(Project, Project.id == HoursEntry.project_id)
        .where(HoursEntry.kind == HoursKind.VOLUNTEER, *where)
        .group_by(Community.street_id, month, Project.domain)
    )


def _rows(statement) -> dict[Key, int]:
    found: dict[Key, int] = defaultdict(int)
    for street_id, month, domain, minutes in db.session.execute(statement):
        found[(street_id, month, getattr(domain, "value", domain))] += int(minutes or 0)
    return found


def refresh_contract(contract: Contract, today: date | None = None) -> None:
    """Store the contract's KPI progress for the dashboards; the caller commits."""
    today = today or local_today()
    contract.kpi_progress_pct = kpis.shown_overall_pct(kpis.progress(contract, today))
    contract.kpi_progress_at = utcnow()


def refresh() -> int:
    """Rebuild the summary from the whole ledger, and every signed contract's KPI progress;
    the caller commits. Returns the summary's rows."""
    refreshed_at = utcnow()
    today = local_date(refreshed_at)
    for contract in db.session.scalars(select(Contract).where(
            Contract.state.in_(SIGNED_STATES))):
        refresh_contract(contract, today)
    rows = _rows(_grouped(counted_entries()))
    db.session.execute(delete(HoursSummary))
    if rows:
        db.session.execute(insert(HoursSummary), [
            {"street_id": street_id, "month": month, "domain": domain, "minutes": minutes}
            for (street_id, month, domain), minutes in rows.items()])
    db.session.execute(delete(SummaryRefresh))
    db.session.add(SummaryRefresh(refreshed_at=refreshed_at, rows=len(rows)))
    db.session.flush()
    return len(rows)


def last_refresh() -> datetime | None:
    return db.session.scalar(select(func.max(SummaryRefresh.refreshed_at)))


def _summarized(entry, since: datetime):
    return or_(entry.verified_at <= since, entry.verified_at.is_(None))


def monthly_minutes(street_ids: list[int], since_month: str = "") -> dict[Key, int]:
    """Counted volunteer minutes by (street, month, domain) for the given home streets, from
    ``since_month`` ("YYYY-MM") on."""
    if not street_ids:
        return {}
    in_streets = Community.street_id.in_(street_ids)
    refreshed_at = last_refresh()
    if refreshed_at is None:  # never refreshed: everything is computed here
        return _rows(_grouped(counted_entries(), in_streets,
                              func.substr(func.cast(HoursEntry.service_date, String), 1, 7)
                              >= since_month))
    totals: dict[Key, int] = defaultdict(int)
    for street_id, month, domain, minutes in db.session.execute(
            select(HoursSummary.street_id, HoursSummary.month, HoursSummary.domain,
                   HoursSummary.minutes)
            .where(HoursSummary.street_id.in_(street_ids), HoursSummary.month >= since_month)):
        totals[(street_id, month, domain)] += minutes
    # The entries verified since, found by their index first, so the grouped queries below
    # never walk the ledger.
    recent = list(db.session.scalars(select(HoursEntry.id).where(
        HoursEntry.verified_at > refreshed_at, HoursEntry.state == HoursState.VERIFIED)))
    if not recent:
        return dict(totals)
    for key, minutes in _rows(_grouped(counted_entries(), in_streets,
                                       HoursEntry.id.in_(recent))).items():
        if key[1] >= since_month:
            totals[key] += minutes
    # An entry summarized as counted that a correction verified since now supersedes.
    superseded = list(db.session.scalars(select(HoursEntry.corrects_id).where(
        HoursEntry.id.in_(recent), HoursEntry.corrects_id.is_not(None))))
    if superseded:
        earlier = aliased(HoursEntry)
        superseded_before = select(earlier.id).where(
            earlier.corrects_id == HoursEntry.id, earlier.state == HoursState.VERIFIED,
            _summarized(earlier, refreshed_at)).exists()
        for key, minutes in _rows(_grouped(
                in_streets, HoursEntry.id.in_(superseded),
                HoursEntry.state == HoursState.VERIFIED,
                _summarized(HoursEntry, refreshed_at), ~superseded_before)).items():
            if key[1] >= since_month:
                totals[key] -= minutes
    return {key: minutes for key, minutes in totals.items() if minutes}
