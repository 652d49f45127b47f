"""The services' own check of free text (forms check it too, with ``marketplace.text``'s
``CleanText``; a service never trusts that its caller was a form)."""

from __future__ import annotations

from flask_babel import gettext as _

from marketplace.errors import DomainError
from marketplace.text import forbidden_character, visible_length


def clean_text(field_name: str, value: str | None, *, max_length: int, required: bool = False,
               multiline: bool = False) -> str:
    """Trimmed text without control characters or direction overrides, and with something
    visible in it when there is any text (or when ``required``)."""
    text = (value or "").strip()
    if forbidden_character(text, multiline) is not None:
        raise DomainError(field_name, _("Remove the invisible or control characters."))
    if visible_length(text) == 0 and (required or text):
        raise DomainError(field_name, _("This field is required.") if required else
                          _("Remove the invisible or control characters."))
    if len(text) > max_length:
        raise DomainError(
            field_name, _("At most %(count)s characters.", count=max_length)
        )
    return text
