"""Spreadsheet exports for officials: formula-safe CSV (UTF-8 with BOM, for Excel) and XLSX
(openpyxl, every text cell a string). Tables are built once and written either way."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from sqlalchemy import func, select

from marketplace.auth.scopes import official_area
from marketplace.extensions import db
from marketplace.hours.models import HoursEntry, HoursKind
from marketplace.hours.services import counted_entries
from marketplace.orgs import labels as org_labels
from marketplace.orgs.models import Organization
from marketplace.tracking import kpis, labels
from marketplace.tracking.models import Contract

# A spreadsheet reads a cell starting with one of these as a formula (or a DDE call).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
KINDS = ("contracts", "kpis", "hours", "summary")


@dataclass(frozen=True)
class Table:
    name: str
    header: list[str]
    rows: list[list[object]]


def safe_text(value: object) -> object:
    """Text a spreadsheet shows as typed: a leading apostrophe-like quote for CSV cells that
    would start a formula. Numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(*tables: Table) -> bytes:
    """One table after another, a blank line between them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for number, table in enumerate(tables):
        if number:
            writer.writerow([])
        writer.writerow([safe_text(cell) for cell in table.header])
        for row in table.rows:
            writer.writerow([safe_text(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(*tables: Table) -> bytes:
    """One sheet a table."""
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(table.name[:31])
        for row in [table.header, *table.rows]:
            sheet.append([None if cell is None else (cell if isinstance(cell, int | float)
                                                      else str(cell)) for cell in row])
        # openpyxl turns text beginning with "=" into a formula: every text cell a string.
        for cells in sheet.iter_rows():
            for cell in cells:
                if isinstance(cell.value, str):
                    cell.data_type = TYPE_STRING
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _area_contracts(user) -> list[Contract]:
    from marketplace.tracking.access import contracts_of_official

    return list(db.session.scalars(contracts_of_official(user)))


def _shown_pct(pct: float | None) -> float | str:
    return "—" if pct is None else pct


def contracts_table(user, today: date) -> Table:
    rows = []
    for contract in _area_contracts(user):
        rows.append([
            contract.id, contract.title, contract.buyer_name, contract.organization.name,
            str(org_labels.DOMAIN[contract.domain]), float(contract.budget),
            contract.starts_on.isoformat(), contract.ends_on.isoformat(),
            str(labels.CONTRACT_STATE[contract.state]),
            _shown_pct(kpis.shown_overall_pct(kpis.progress(contract, today))),
        ])
    return Table(_("Contracts"), [
        _("Number"), _("Title"), _("Buyer"), _("Contractor"), _("Domain"), _("Budget (yuan)"),
        _("Starts"), _("Ends"), _("State"), _("KPI progress (%)"),
    ], rows)


def kpi_table(user, today: date, contracts: list[Contract] | None = None) -> Table:
    rows = []
    for contract in contracts if contracts is not None else _area_contracts(user):
        for row in kpis.progress(contract, today):
            rows.append([
                contract.id, contract.title, str(labels.KPI[row.kpi]), row.target,
                row.shown_actual, "—" if row.hidden else row.achieved_pct, row.elapsed_pct,
                _("Lagging") if row.lags else _("On track"),
            ])
    return Table(_("KPI progress"), [
        _("Contract"), _("Title"), _("KPI"), _("Target"), _("Actual"), _("Achieved (%)"),
        _("Period elapsed (%)"), _("Status"),
    ], rows)


def _area_organizations(user):
    area = official_area(user)
    return area.clause(Organization.street_id, Organization.district_id)


def hours_table(user, today: date) -> Table:
    rows = db.session.execute(
        select(Organization.id, Organization.name, HoursEntry.kind,
               func.sum(HoursEntry.minutes))
        .join(HoursEntry, HoursEntry.organization_id == Organization.id)
        .where(_area_organizations(user), counted_entries())
        .group_by(Organization.id, Organization.name, HoursEntry.kind)
        .order_by(Organization.name)
    ).all()
    by_org: dict[int, list] = {}
    for org_id, name, kind, minutes in rows:
        line = by_org.setdefault(org_id, [name, 0.0, 0.0])
        line[1 if kind == HoursKind.VOLUNTEER else 2] += round(int(minutes) / 60, 1)
    return Table(_("Hours by organization"), [
        _("Organization"), _("Verified volunteer hours"), _("Verified paid service hours"),
    ], list(by_org.values()))


def summary_table(user, today: date) -> Table:
    from marketplace.tracking.dashboard import street_rows

    rows = [[row.name, row.organizations, row.volunteers, row.verified_hours,
             row.held_shifts, row.contracts] for row in street_rows(user)]
    return Table(_("District summary"), [
        _("Street"), _("Organizations"), _("Volunteers"), _("Verified volunteer hours"),
        _("Activities held"), _("Contracts"),
    ], rows)


BUILDERS = {"contracts": contracts_table, "kpis": kpi_table, "hours": hours_table,
            "summary": summary_table}
