"""Free text people type that the site stores or shows: names, reasons, purposes, profiles.

Refused everywhere: control characters (NUL included; tabs and line breaks only where the
field is multi-line) and the bidirectional embeddings, overrides and isolates that make a
name display reversed or hide what follows. Text made only of invisible characters
(zero-width spaces, joiners, fillers) counts as empty, so a required reason needs something
a reader can see. ``CleanText`` is the WTForms validator every such field uses.
"""

from __future__ import annotations

import unicodedata

from flask_babel import gettext as _
from wtforms.validators import StopValidation

# LRE RLE PDF LRO RLO and LRI RLI FSI PDI. The marks LRM, RLM and ALM stay allowed: they only
# nudge punctuation in mixed Chinese, Uyghur and Latin text.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
MULTILINE_CONTROLS = frozenset("\t\n\r")
# Letters and symbols that draw nothing: Hangul fillers, the Braille blank, the Mongolian
# vowel separator. Format characters (zero-width space, joiners, BOM) are caught by category.
BLANK_CHARACTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e")


def forbidden_character(text: str, multiline: bool = False) -> str | None:
    """The first control or direction-override character in ``text``, or None."""
    for char in text:
        if char in BIDI_CONTROLS:
            return char
        category = unicodedata.category(char)
        if category in ("Cc", "Cs") and not (multiline and char in MULTILINE_CONTROLS):
            return char
    return None


def is_visible(char: str) -> bool:
    return not (
        char in BLANK_CHARACTERS or unicodedata.category(char) in ("Cc", "Cf", "Zs", "Zl", "Zp")
    )


def visible_length(text: str | None) -> int:
    """How many characters of ``text`` a reader sees."""
    return sum(1 for char in text or "" if is_visible(char))


class CleanText:
    """Refuses control characters and direction overrides, and text with nothing visible in
    it. ``required`` also refuses empty text; ``multiline`` allows tabs and line breaks."""

    def __init__(self, required: bool = False, multiline: bool = False):
        self.required = required
        self.multiline = multiline
        self.field_flags = {"required": True} if required else {}

    def __call__(self, form, field) -> None:
        value = field.data or ""
        if not isinstance(value, str):
            return
        if forbidden_character(value, self.multiline) is not None:
            raise StopValidation(_(
                "%(field)s: remove the invisible control or text-direction characters.",
                field=field.label.text,
            ))
        # Spaces alone in an optional field are just empty; zero-width characters are not.
        if visible_length(value) == 0 and (self.required or value.strip()):
            raise StopValidation(_(
                "%(field)s: enter text that can be read, not only spaces or invisible "
                "characters.",
                field=field.label.text,
            ))
