"""The certificate as an A4 PDF whose Chinese is real, searchable text: the TrueType font is
embedded (a subset), so the text can be copied and extracted, and the QR code is drawn as
vector squares."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import segno
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from marketplace.hours.models import Certificate
from marketplace.projects.localtime import format_local

DEFAULT_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"


@cache
def _font_name(path: str) -> str:
    """The embedded WenQuanYi Micro Hei when installed, else Adobe's STSong CID font (which
    readers supply, so nothing is embedded)."""
    if Path(path).exists():
        pdfmetrics.registerFont(TTFont("WQYMicroHei", path, subfontIndex=0))
        return "WQYMicroHei"
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Break Chinese text by character (it has no spaces) to fit ``width``."""
    lines, current = [], ""
    for char in text:
        if pdfmetrics.stringWidth(current + char, font, size) > width:
            lines.append(current)
            current = char
        else:
            current += char
    return [*lines, current] if current else lines


def _draw_qr(pdf: canvas.Canvas, url: str, x: float, y: float, size: float) -> None:
    qr = segno.make(url, error="m")
    rows = list(qr.matrix_iter(scale=1, border=0))
    cell = size / len(rows)
    for row_index, row in enumerate(rows):
        for col_index, dark in enumerate(row):
            if dark:
                pdf.rect(x + col_index * cell, y + size - (row_index + 1) * cell, cell, cell,
                         stroke=0, fill=1)


def certificate_pdf(certificate: Certificate, verify_url: str) -> bytes:
    """The certificate in Chinese, the official language of the record."""
    font = _font_name(current_app.config.get("CERTIFICATE_FONT") or DEFAULT_FONT)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    width, height = A4
    left, right = 25 * mm, width - 25 * mm
    volunteer, issuer = certificate.volunteer, certificate.organization
    with force_locale("zh"):
        pdf.setTitle(_("Volunteer service record certificate"))
        pdf.setAuthor(issuer.name)
        y = height - 35 * mm
        pdf.setFont(font, 22)
        pdf.drawCentredString(width / 2, y, _("Volunteer service record certificate"))
        y -= 18 * mm
        body = _(
            "This certifies that %(name)s (volunteer number %(number)s) served as a volunteer "
            "with %(issuer)s from %(start)s to %(end)s; the verified volunteer service time "
            "is %(hours)s hours in total.",
            name=volunteer.real_name, number=volunteer.volunteer_no, issuer=issuer.name,
            start=certificate.period_from.isoformat(), end=certificate.period_to.isoformat(),
            hours=f"{certificate.total_minutes / 60:g}",
        )
        pdf.setFont(font, 13)
        for line in _wrap(body, font, 13, right - left):
            pdf.drawString(left, y, line)
            y -= 8 * mm
        y -= 4 * mm
        pdf.setFont(font, 12)
        pdf.drawString(left, y, _("Service"))
        pdf.drawRightString(right, y, _("Hours"))
        y -= 2 * mm
        pdf.line(left, y, right, y)
        y -= 6 * mm
        for entry in certificate.lines:
            title = entry["title"] or _("Other service")
            pdf.drawString(left, y, _wrap(title, font, 12, right - left - 30 * mm)[0])
            pdf.drawRightString(right, y, f"{entry['minutes'] / 60:g}")
            y -= 7 * mm
            if y < 110 * mm:  # the rest is summed in the total above
                break
        y = 95 * mm
        pdf.setFont(font, 12)
        pdf.drawString(left, y, _("Issued by: %(issuer)s", issuer=issuer.name))
        pdf.drawString(left, y - 8 * mm, _("Issued on: %(day)s",
                                            day=format_local(certificate.issued_at, "%Y-%m-%d")))
        pdf.drawString(left, y - 16 * mm, _("Serial number: %(serial)s",
                                             serial=certificate.serial))
        pdf.drawString(left, y - 24 * mm, _("Check code: %(code)s", code=certificate.check_code))
        pdf.setFont(font, 10)
        for index, line in enumerate(_wrap(
            _("Scan the code, or open %(url)s, to check this certificate.", url=verify_url),
            font, 10, right - left - 45 * mm,
        )):
            pdf.drawString(left, y - 36 * mm - index * 5 * mm, line)
        pdf.drawString(left, 25 * mm, _("Issued free of charge; the ID number is never shown."))
        _draw_qr(pdf, verify_url, right - 38 * mm, y - 40 * mm, 38 * mm)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
