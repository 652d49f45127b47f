"""Free text from forms: one check for every projects field."""

from __future__ import annotations

import unicodedata

from flask_babel import gettext as _

from marketplace.errors import DomainError


def clean_text(field_name: str, value: str | None, *, max_length: int, required: bool = False,
               multiline: bool = False) -> str:
    """Trimmed text without control or invisible format characters (zero-width spaces,
    direction overrides), which would make a title look empty or read differently."""
    text = (value or "").strip()
    allowed = {"\n", "\r", "\t"} if multiline else set()
    if any(unicodedata.category(ch) in ("Cc", "Cf") and ch not in allowed for ch in text):
        raise DomainError(field_name, _("Remove the invisible or control characters."))
    if required and not text:
        raise DomainError(field_name, _("This field is required."))
    if len(text) > max_length:
        raise DomainError(
            field_name, _("At most %(count)s characters.", count=max_length)
        )
    return text
