"""Every message of the registry's code and pages has a Chinese translation."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None}


def _message_ids(directory: Path, method: str) -> set[str]:
    found = extract_from_dir(str(directory), method_map=[(f"**.{method[1]}", method[0])],
                             keywords=KEYWORDS)
    return {message for _file, _line, message, _comments, _context in found
            if isinstance(message, str)}


def test_every_registry_message_is_translated_to_chinese():
    """The registry's packages (organizations and teams) each translate their own messages."""
    counted = set()
    for package in ("orgs", "teams"):
        wanted = _message_ids(ROOT / "marketplace" / package, ("python", "py"))
        wanted |= _message_ids(ROOT / "templates" / package, ("jinja2", "html"))
        counted |= wanted
        path = ROOT / f"marketplace/{package}/translations/zh/LC_MESSAGES/messages.po"
        with open(path, "rb") as f:
            catalog = read_po(f)
        missing = sorted(m for m in wanted if not (catalog.get(m) and catalog.get(m).string))
        assert missing == [], package
    assert len(counted) > 150


def test_chinese_pages_show_no_english_labels(client, make_org):
    org_id = make_org(status="approved", domains=["elder_care"], communities=[0])
    html = client.get(f"/orgs/{org_id}", headers={"Accept-Language": "zh-CN"}).text
    html += client.get("/orgs", headers={"Accept-Language": "zh-CN"}).text
    for english in ("Unified social credit code", "Service domains", "Open projects",
                    "Private non-enterprise unit", "Elder care", "Registered", "Search"):
        assert english not in html
