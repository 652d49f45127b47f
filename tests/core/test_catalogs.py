"""Every message a page or service can show has its Chinese translation.

Flask-Babel merges every package's catalog into one, so what a user sees is the merged
catalog: a package's message may be translated in the page frame's catalog ("Log in").
Each package with marked messages is found here, so a new one is covered without a new
test."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = sorted((ROOT / "marketplace").glob("*/translations/zh/LC_MESSAGES/messages.po"))
KEYWORDS = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None, "ngettext": (1, 2)}
# Flask-Login translates this one through localize_callback, so no _() marks it.
UNMARKED = {"auth": {"Please log in to open this page."}}
FRAME = "the page frame"  # marketplace/*.py and the top-level templates


def _extract(directory: Path, pattern: str, method: str) -> set[str]:
    if not directory.is_dir():
        return set()
    found = extract_from_dir(str(directory), method_map=[(pattern, method)], keywords=KEYWORDS)
    # A plural message is known by its singular form, as in the catalog.
    return {message if isinstance(message, str) else message[0]
            for _file, _line, message, _comments, _context in found}


def _frame_ids() -> set[str]:
    ids = set()
    for module in (ROOT / "marketplace").glob("*.py"):
        ids |= _extract(module.parent, module.name, "python")
    ids |= _extract(ROOT / "templates", "*.html", "jinja2")
    ids |= _extract(ROOT / "templates" / "errors", "**.html", "jinja2")
    return ids


def used_message_ids(package: str) -> set[str]:
    if package == FRAME:
        return _frame_ids()
    return (_extract(ROOT / "marketplace" / package, "**.py", "python")
            | _extract(ROOT / "templates" / package, "**.html", "jinja2")
            | UNMARKED.get(package, set()))


def _read(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def _is_translated(message) -> bool:
    return all(message.string) if isinstance(message.string, tuple) else bool(message.string)


@pytest.fixture(scope="module")
def translated() -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0]
            for path in CATALOGS for m in _read(path) if m.id and _is_translated(m)}


PACKAGES = [FRAME] + [path.parts[-5] for path in CATALOGS]


@pytest.mark.parametrize("package", PACKAGES)
def test_every_message_shown_is_translated(package, translated):
    assert sorted(used_message_ids(package) - translated) == []


def test_the_extractor_finds_the_messages_of_the_site():
    """Against an extractor that silently finds nothing: the site marks some 1,450."""
    assert len(set().union(*(used_message_ids(package) for package in PACKAGES))) > 1_200


@pytest.mark.parametrize("path", CATALOGS, ids=lambda path: path.parts[-5])
def test_no_catalog_keeps_an_entry_without_its_translation(path):
    catalog = _read(path)
    assert catalog.charset.upper() == "UTF-8"
    assert [m.id for m in catalog if m.id and not _is_translated(m)] == []


def test_no_two_catalogs_translate_one_message_differently():
    """A message id shared by two packages must read the same in both, or one package's
    wording silently replaces the other's on every page."""
    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    for path in CATALOGS:
        package = path.parts[-5]
        for message in _read(path):
            if not message.id:
                continue
            if message.id in seen and seen[message.id][1] != message.string:
                clashes.append((message.id, seen[message.id], (package, message.string)))
            seen.setdefault(message.id, (package, message.string))
    assert len(CATALOGS) >= 5
    assert clashes == []
