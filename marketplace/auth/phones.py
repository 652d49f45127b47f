"""Mainland China mobile numbers as people type them.

Phones arrive with full-width digits from Chinese input methods, with a country prefix
(+86, 86, 0086) copied from a contact card, or grouped with spaces and dashes. They are
stored as the bare 11 digits so one person cannot register twice in different spellings.
"""

from __future__ import annotations

import re
import unicodedata

MOBILE_PATTERN = re.compile(r"^1[3-9]\d{9}$", re.ASCII)  # ASCII: no Arabic-Indic digits
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―]+")
_COUNTRY_PREFIXES = ("+86", "0086", "86")


def normalise_phone(raw: str | None) -> str | None:
    """Return the 11-digit mobile number, or None when ``raw`` is not one."""
    if not raw:
        return None
    # NFKC turns full-width digits, plus signs and spaces into their ASCII forms.
    text = _SEPARATORS.sub("", unicodedata.normalize("NFKC", raw))
    for prefix in _COUNTRY_PREFIXES:
        # "86" alone is only a prefix when eleven digits follow; a bare number never starts 86.
        if text.startswith(prefix) and len(text) == len(prefix) + 11:
            text = text[len(prefix):]
            break
    return text if MOBILE_PATTERN.fullmatch(text) else None
