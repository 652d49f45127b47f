"""marshmallow's messages about refused input, in the reader's language.

marshmallow writes its messages in English and formats them before the API sees them, so
each one is matched against the English forms it can take and said again from our
catalog. A message not listed here (a rule of our own already speaks the reader's
language) is passed on as it came."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask_babel import gettext as _

_NUMBER = r"(-?[\d.e+]+)"


def _forms() -> list[tuple[re.Pattern, Callable[..., str]]]:
    forms = [
        ("Missing data for required field.", lambda: _("This field is required.")),
        ("Field may not be null.", lambda: _("This field may not be empty (null).")),
        ("Unknown field.", lambda: _("Unknown field: leave it out.")),
        ("Invalid input type.", lambda: _("Send a JSON object.")),
        ("Invalid type.", lambda: _("Send a JSON object.")),
        ("Invalid value.", lambda: _("This value is not accepted.")),
        ("Not a valid integer.", lambda: _("Enter a whole number.")),
        ("Not a valid number.", lambda: _("Enter a number.")),
        ("Number too large.", lambda: _("The number is too large.")),
        ("Special numeric values (nan or infinity) are not permitted.",
         lambda: _("Enter a finite number.")),
        ("Not a valid string.", lambda: _("Enter text.")),
        ("Not a valid boolean.", lambda: _("Enter true or false.")),
        ("Not a valid date.", lambda: _("Enter a date as YYYY-MM-DD.")),
        ("Not a valid datetime.",
         lambda: _("Enter a time as RFC 3339 with its offset, e.g. 2026-05-01T09:00:00+08:00.")),
        ("Not a valid list.", lambda: _("Send a list.")),
        ("Not a valid mapping type.", lambda: _("Send a JSON object.")),
    ]
    patterns = [(re.compile(re.escape(english) + "$"), say) for english, say in forms]
    patterns += [
        (re.compile(rf"Must be greater than or equal to {_NUMBER} and less than or equal to "
                    rf"{_NUMBER}\.$"),
         lambda low, high: _("Enter a number from %(min)s to %(max)s.", min=low, max=high)),
        (re.compile(rf"Must be greater than or equal to {_NUMBER}\.$"),
         lambda low: _("Enter a number of at least %(min)s.", min=low)),
        (re.compile(rf"Must be less than or equal to {_NUMBER}\.$"),
         lambda high: _("Enter a number of at most %(max)s.", max=high)),
        (re.compile(r"Length must be between (\d+) and (\d+)\.$"),
         lambda low, high: _("Enter from %(min)s to %(max)s characters.", min=low, max=high)),
        (re.compile(r"Longer than maximum length (\d+)\.$"),
         lambda high: _("At most %(count)s characters.", count=high)),
        (re.compile(r"Shorter than minimum length (\d+)\.$"),
         lambda low: _("At least %(count)s characters.", count=low)),
        (re.compile(r"Must be one of: (.*)\.$"),
         lambda choices: _("Choose one of: %(choices)s.", choices=choices)),
    ]
    return patterns


_PATTERNS = _forms()


def in_reader_language(message: str) -> str:
    """``message`` from our catalog when it is one of marshmallow's own, else unchanged."""
    for pattern, say in _PATTERNS:
        found = pattern.match(message)
        if found:
            return say(*found.groups())
    return message
