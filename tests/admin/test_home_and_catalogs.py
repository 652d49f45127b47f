"""Home cards for the admin and officials, and the Chinese catalogs of both packages."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None}


def test_platform_admin_home_offers_audit_log_and_accounts_with_counts(
    client, login_as, people, trail
):
    login_as(client, people["admin"])
    page = client.get("/").get_data(as_text=True)
    assert "暂时没有待办事项" not in page
    assert 'href="/audit"' in page and "审计日志" in page
    assert 'href="/admin/accounts"' in page and "账号" in page
    assert '<span class="badge">6</span>' in page  # the six audit records
    assert '<span class="badge">7</span>' in page  # the seven accounts


def test_official_home_offers_the_audit_log_only(client, login_as, people):
    login_as(client, people["district_official"])
    page = client.get("/").get_data(as_text=True)
    assert 'href="/audit"' in page
    assert 'href="/admin/accounts"' not in page


def test_volunteer_home_offers_neither(client, login_as, people):
    login_as(client, people["volunteer"])
    page = client.get("/").get_data(as_text=True)
    assert 'href="/audit"' not in page and 'href="/admin/accounts"' not in page


@pytest.mark.parametrize("package", ["audit", "admin"])
def test_every_message_has_its_chinese_translation(package):
    used = set()
    for directory, method_map in [
        (ROOT / "marketplace" / package, [("**.py", "python")]),
        (ROOT / "templates" / package, [("**.html", "jinja2")]),
    ]:
        for _f, _l, message, _c, _ctx in extract_from_dir(str(directory), method_map,
                                                          keywords=KEYWORDS):
            used.add(message if isinstance(message, str) else message[0])
    path = ROOT / "marketplace" / package / "translations/zh/LC_MESSAGES/messages.po"
    with path.open("rb") as handle:
        translated = {m.id for m in read_po(handle) if m.id and m.string}
    assert used and sorted(used - translated) == []
