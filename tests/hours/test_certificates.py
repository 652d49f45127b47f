"""Certificates: free on request, real Chinese text in the PDF, a public check that needs
serial and code and shows a masked name, period, total and issuer only."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader
from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.hours.models import Certificate

ZH = {"Accept-Language": "zh-CN"}


def _issue(client, org_id, start="2025-01-01", end="2025-12-31"):
    return client.post("/me/certificates", headers=ZH, data={
        "organization_id": str(org_id), "period_from": start, "period_to": end})


def _only_certificate(app) -> Certificate:
    with app.app_context():
        certificate = db.session.scalars(select(Certificate)).one()
        db.session.expunge(certificate)
        return certificate


def test_volunteer_gets_a_certificate_with_the_verified_volunteer_hours(app, world, verified):
    page = verified.get("/me/hours", headers=ZH).text
    assert "乐龄社会工作服务社" in page and "百花社区居民委员会" in page
    response = _issue(verified, world.org)
    assert response.status_code == 302
    certificate = _only_certificate(app)
    assert certificate.total_minutes == 330  # paid work left out
    assert re.fullmatch(rf"{world.org:06d}-\d{{4}}-000001", certificate.serial)
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{6}", certificate.check_code)
    html = verified.get(response.headers["Location"], headers=ZH).text
    assert "志愿服务记录证明" in html and "5.5 小时" in html
    assert "ZY650203" in html and "王小明" in html
    assert "65020319800501" not in html  # never the ID number
    assert "<svg" in html  # the QR code


def test_a_residents_committee_issues_for_the_hours_it_recorded(app, world, verified):
    _issue(verified, world.committee)
    certificate = _only_certificate(app)
    assert (certificate.organization_id, certificate.total_minutes) == (world.committee, 60)


def test_asking_twice_gives_the_same_certificate(app, world, verified):
    first, second = _issue(verified, world.org), _issue(verified, world.org)
    assert first.headers["Location"] == second.headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Certificate)) == 1


def test_a_period_without_verified_hours_or_an_unrelated_issuer_is_refused(app, world, verified):
    empty = _issue(verified, world.org, "2024-01-01", "2024-12-31")
    assert "该组织在这一时段没有核实过" in verified.get(empty.headers["Location"]).text
    stranger = _issue(verified, world.other_org)
    assert stranger.status_code == 302
    backwards = _issue(verified, world.org, "2025-12-31", "2025-01-01")
    assert "结束日期早于开始日期" in verified.get(backwards.headers["Location"], headers=ZH).text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Certificate)) == 0


def test_the_pdf_holds_real_chinese_text(app, world, verified):
    _issue(verified, world.org)
    certificate = _only_certificate(app)
    response = verified.get(f"/me/certificates/{certificate.id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    flat = re.sub(r"\s+", "", text)
    assert "志愿服务记录证明" in flat
    assert "王小明" in flat and "乐龄社会工作服务社" in flat
    assert "5.5小时" in flat and "重阳节敬老活动" in flat
    assert certificate.serial in flat and certificate.check_code in flat
    assert "65020319800501" not in flat


def test_the_public_check_accepts_the_serial_and_refuses_an_altered_one(
    app, world, verified
):
    _issue(verified, world.org)
    certificate = _only_certificate(app)
    public = app.test_client()
    good = public.get("/certificates/check", headers=ZH, query_string={
        "serial": certificate.serial, "code": certificate.check_code.lower()})
    assert good.status_code == 200
    assert "证明真实有效" in good.text and "王*明" in good.text and "5.5" in good.text
    assert "乐龄社会工作服务社" in good.text and "2025-01-01" in good.text
    for hidden in ("王小明", "ZY650203", "重阳节敬老活动"):
        assert hidden not in good.text
    altered_serial = certificate.serial[:-1] + ("2" if certificate.serial[-1] != "2" else "3")
    altered_code = ("A" if certificate.check_code[0] != "A" else "B") + certificate.check_code[1:]
    for serial, code in ((altered_serial, certificate.check_code),
                         (certificate.serial, altered_code), (certificate.serial, ""),
                         ("9" * 40, "ABCDEF"), ("' OR 1=1 --", certificate.check_code)):
        refused = public.get("/certificates/check", headers=ZH,
                             query_string={"serial": serial, "code": code})
        assert refused.status_code == 404
        assert "没有与该编号和校验码相符的证明" in refused.text or not code
        assert "王*明" not in refused.text


def test_the_qr_code_points_at_the_public_check(app, world, verified):
    _issue(verified, world.org)
    certificate = _only_certificate(app)
    html = verified.get(f"/me/certificates/{certificate.id}").text
    assert (f"/certificates/check?serial={certificate.serial}&amp;code="
            f"{certificate.check_code}") in html


def test_someone_elses_certificate_and_huge_ids_answer_404(app, login_as, world, verified):
    _issue(verified, world.org)
    certificate = _only_certificate(app)
    other = app.test_client()
    login_as(other, world.second_user)
    assert other.get(f"/me/certificates/{certificate.id}").status_code == 404
    assert other.get(f"/me/certificates/{certificate.id}.pdf").status_code == 404
    assert verified.get(f"/me/certificates/{'9' * 20}").status_code == 404
    assert verified.get(f"/me/certificates/{'9' * 20}.pdf").status_code == 404


def test_the_public_check_is_throttled(app, world):
    public = app.test_client()
    statuses = [public.get("/certificates/check",
                           query_string={"serial": f"000001-2025-{n:06d}", "code": "ABCDEF"}
                           ).status_code for n in range(35)]
    assert statuses.count(429) >= 5


def test_concurrent_requests_get_distinct_sequence_numbers(app, login_as, world, verified):
    import threading

    periods = [(f"2025-0{month}-01", "2025-12-31") for month in range(1, 6)]
    errors = []

    def request(period):
        client = app.test_client()
        login_as(client, world.volunteer_user)
        try:
            assert _issue(client, world.org, *period).status_code == 302
        except Exception as exc:  # any failure fails the test below
            errors.append(exc)

    threads = [threading.Thread(target=request, args=(period,)) for period in periods]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with app.app_context():
        sequences = sorted(db.session.scalars(select(Certificate.sequence)))
        assert sequences == [1, 2, 3, 4, 5]
