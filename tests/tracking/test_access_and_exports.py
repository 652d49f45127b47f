"""Who sees what: another district's official, another street's, staff and strangers get 404;
exports are formula-safe, open in openpyxl with their headers, and are audited once."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from marketplace.audit.models import AuditRecord
from marketplace.extensions import db
from marketplace.tracking.exports import Table, to_csv, to_xlsx

DANGEROUS = ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def _audits(app, prefix):
    with app.app_context():
        return db.session.scalar(select(func.count(AuditRecord.id)).where(
            AuditRecord.action.startswith(prefix)))


@pytest.mark.parametrize("who", ["other_district_official", "other_street_official",
                                 "social_worker", "stranger"])
def test_out_of_scope_users_get_404_on_contract_pages(client, login_as, world, make_contract,
                                                      who):
    contract_id = make_contract("in_progress")
    login_as(client, world[who])
    for url in (f"/contracts/{contract_id}", f"/contracts/{contract_id}/report",
                f"/contracts/{contract_id}/kpis.xlsx", f"/contracts/{contract_id}/edit"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/contracts/{contract_id}/sign").status_code == 404
    assert client.post(f"/contracts/{contract_id}/evaluations",
                       data={"comment": "x", "score": "1"}).status_code == 404


def test_another_districts_official_sees_none_of_this_districts_figures(
        app, client, login_as, world, make_contract, geo):
    make_contract("signed")
    login_as(client, world["other_district_official"])
    assert "空巢老人关爱服务" not in client.get("/contracts").get_data(as_text=True)
    book = load_workbook(io.BytesIO(client.get("/tracking/exports/contracts.xlsx").data))
    assert book.active.max_row == 1  # the header only
    assert client.get(f"/tracking/dashboard?street={geo['street_a']}").status_code == 404
    page = client.get("/tracking/dashboard").get_data(as_text=True)
    assert "胜利路街道" not in page


def test_a_street_official_sees_their_streets_contracts_only(client, login_as, world,
                                                             make_contract):
    street_contract = make_contract("signed", street="street_a")
    district_contract = make_contract("signed")
    login_as(client, world["street_official"])
    assert client.get(f"/contracts/{street_contract}").status_code == 200
    assert client.get(f"/contracts/{district_contract}").status_code == 404


def test_a_20_digit_id_is_a_404(client, login_as, world):
    login_as(client, world["official"])
    assert client.get("/contracts/" + "9" * 20).status_code == 404
    assert client.get("/tracking/dashboard?street=" + "9" * 20).status_code in (200, 404)


def test_csv_and_xlsx_keep_formula_text_as_text():
    table = Table("测试", ["名称", "数"], [[text, 1] for text in DANGEROUS])
    raw = to_csv(table)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["名称", "数"]
    assert all(not row[0].startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows[1:])
    book = load_workbook(io.BytesIO(to_xlsx(table)))
    cells = [row[0] for row in book.active.iter_rows(min_row=2)]
    # XML stores a carriage return as a line feed; the cell stays text either way.
    assert [cell.value for cell in cells] == [text.replace("\r", "\n") for text in DANGEROUS]
    assert all(cell.data_type == "s" for cell in cells)
    assert book.active["B2"].value == 1


@pytest.mark.parametrize("kind, header", [
    ("contracts", "购买方"), ("kpis", "绩效指标"), ("hours", "社会组织"), ("summary", "街道"),
])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_each_export_opens_with_its_headers_and_is_audited_once(
        app, client, login_as, world, make_contract, kind, header, fmt):
    contract_id = make_contract("in_progress")
    with app.app_context():
        from marketplace.tracking.models import Contract
        db.session.get(Contract, contract_id).title = "=cmd|' /C calc'!A0"
        db.session.commit()
    login_as(client, world["official"])
    response = client.get(f"/tracking/exports/{kind}.{fmt}", headers={"Accept-Language": "zh-CN"})
    assert response.status_code == 200
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(response.data)).active
        rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
        formulas = [cell for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
        assert formulas == []
    else:
        assert response.data.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert header in rows[0]
    if kind in ("contracts", "kpis"):
        titles = [row[1] for row in rows[1:]]
        assert titles and all(not str(t).startswith("=") or fmt == "xlsx" for t in titles)
    assert _audits(app, f"export.{kind}") == 1


def test_the_audit_log_export_holds_the_areas_records_and_is_audited(app, client, login_as,
                                                                     world, make_contract):
    make_contract("signed")
    login_as(client, world["official"])
    rows = list(csv.reader(io.StringIO(
        client.get("/tracking/audit.csv").data.decode("utf-8-sig"))))
    actions = {row[3] for row in rows[1:]}
    assert {"contract.create", "contract.sign"} <= actions
    assert _audits(app, "export.audit") == 1
    other = app.test_client()
    login_as(other, world["other_district_official"])
    rows = list(csv.reader(io.StringIO(other.get("/tracking/audit.csv").data.decode("utf-8-sig"))))
    assert all(not row[3].startswith("contract.") for row in rows[1:])


def test_the_public_list_shows_signed_contracts_without_personal_data(
        app, client, world, make_contract, records):
    contract_id = make_contract("in_progress")
    _household, team_id = records.household(contract_id)
    records.visit(team_id, date(2026, 6, 1))
    page = client.get("/purchased-services", headers={"Accept-Language": "zh-CN"}).get_data(
        as_text=True)
    assert "空巢老人关爱服务" in page and "克拉玛依区" in page and "200,000.00" in page
    assert "<5" in page or "&lt;5" in page  # one household served: a small count
    for private in ("13912345678", "张丽", "王小明", "组织管理员"):
        assert private not in page


def test_the_org_admin_sees_own_signed_contracts_only(client, login_as, world, make_contract):
    draft = make_contract()
    signed = make_contract("signed")
    login_as(client, world["org_admin"])
    assert client.get(f"/contracts/{signed}").status_code == 200
    assert client.get(f"/contracts/{draft}").status_code in (200, 404)
    assert client.get(f"/contracts/{signed}/report").status_code == 404
