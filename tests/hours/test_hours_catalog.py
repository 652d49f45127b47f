"""Every message of the hours and notifications code and pages has a Chinese translation."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from marketplace.notifications.kinds import KINDS, render

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None}


def _message_ids(directory: Path, pattern: str, method: str) -> set[str]:
    found = extract_from_dir(str(directory), method_map=[(pattern, method)], keywords=KEYWORDS)
    return {message for _file, _line, message, _comments, _context in found
            if isinstance(message, str)}


@pytest.mark.parametrize("package", ["hours", "notifications"])
def test_every_message_is_translated_to_chinese(package):
    wanted = _message_ids(ROOT / "marketplace" / package, "**.py", "python")
    wanted |= _message_ids(ROOT / "templates" / package, "**.html", "jinja2")
    assert len(wanted) > 15
    with open(ROOT / f"marketplace/{package}/translations/zh/LC_MESSAGES/messages.po", "rb") as f:
        catalog = read_po(f)
    missing = sorted(m for m in wanted if not (catalog.get(m) and catalog.get(m).string))
    assert missing == []


def test_every_notification_kind_has_its_own_sentence(app):
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        generic = render("unknown.kind", {})
        sentences = {kind: render(kind, {"title": "敬老活动"}) for kind in KINDS}
    assert generic == "您有一条新通知。"
    assert all(sentence != generic for sentence in sentences.values())
    assert len(set(sentences.values())) == len(KINDS)
