"""Every message of the tracking code and pages has a Chinese translation."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None}


def _message_ids(directory: Path, pattern: str, method: str) -> set[str]:
    found = extract_from_dir(str(directory), method_map=[(pattern, method)], keywords=KEYWORDS)
    return {message for _file, _line, message, _comments, _context in found
            if isinstance(message, str)}


def test_every_tracking_message_is_translated_to_chinese():
    wanted = _message_ids(ROOT / "marketplace" / "tracking", "**.py", "python")
    wanted |= _message_ids(ROOT / "templates" / "tracking", "**.html", "jinja2")
    assert len(wanted) > 100
    with open(ROOT / "marketplace/tracking/translations/zh/LC_MESSAGES/messages.po", "rb") as f:
        catalog = read_po(f)
    missing = sorted(m for m in wanted if not (catalog.get(m) and catalog.get(m).string))
    assert missing == []
