"""Every message of the API package and its pages has its Chinese translation."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None}


def test_every_api_message_is_translated():
    used = set()
    for directory, method_map in ((ROOT / "marketplace" / "api", [("**.py", "python")]),
                                  (ROOT / "templates" / "api", [("**.html", "jinja2")])):
        for _name, _line, message, _comments, _context in extract_from_dir(
            str(directory), method_map, keywords=KEYWORDS
        ):
            used.add(message if isinstance(message, str) else message[0])
    translated = set()
    for path in (ROOT / "marketplace").glob("*/translations/zh/LC_MESSAGES/messages.po"):
        with path.open("rb") as handle:
            translated |= {m.id for m in read_po(handle) if m.id and m.string}
    assert len(used) > 20
    assert sorted(used - translated) == []
