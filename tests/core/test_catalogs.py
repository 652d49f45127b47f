"""Every message the account and home pages show has its Chinese translation."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None}
# Flask-Login translates this one through localize_callback, so no _() marks it.
UNMARKED = {"auth": {"Please log in to open this page."}, "home": set()}


def _used_ids(package: str) -> set[str]:
    ids = set(UNMARKED[package])
    sources = [
        (ROOT / "marketplace" / package, [("**.py", "python")]),
        (ROOT / "templates" / package, [("**.html", "jinja2")]),
    ]
    for directory, method_map in sources:
        for _filename, _lineno, message, _comments, _context in extract_from_dir(
            str(directory), method_map, keywords=KEYWORDS
        ):
            ids.add(message if isinstance(message, str) else message[0])
    return ids


@pytest.mark.parametrize("package", ["auth", "home"])
def test_every_message_is_translated(package):
    path = ROOT / "marketplace" / package / "translations/zh/LC_MESSAGES/messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    assert catalog.charset.upper() == "UTF-8"
    translated = {m.id for m in catalog if m.id and m.string}
    all_translated = set()
    for other in (ROOT / "marketplace").glob("*/translations/zh/LC_MESSAGES/messages.po"):
        with other.open("rb") as handle:
            all_translated |= {m.id for m in read_po(handle) if m.id and m.string}
    used = _used_ids(package)
    # Shared page words ("Log in") may live in the page frame's catalog.
    assert sorted(used - all_translated) == []
    assert translated, "the catalog is not empty"


def test_no_two_catalogs_translate_one_message_differently():
    """Flask-Babel merges every package's catalog into one: a message id shared by two
    packages must read the same in both, or one package's wording silently replaces the
    other's on every page."""
    catalogs = {}
    for path in sorted((ROOT / "marketplace").glob("*/translations/zh/LC_MESSAGES/messages.po")):
        with path.open("rb") as handle:
            catalogs[path.parts[-5]] = {m.id: m.string for m in read_po(handle) if m.id}
    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    for package, catalog in catalogs.items():
        for message_id, translated in catalog.items():
            if message_id in seen and seen[message_id][1] != translated:
                clashes.append((message_id, seen[message_id], (package, translated)))
            seen.setdefault(message_id, (package, translated))
    assert len(catalogs) >= 5
    assert clashes == []
