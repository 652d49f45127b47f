"""Integers from outside (URL paths, query strings, form fields) bounded to what a database id
column holds.

Ids are 32-bit on PostgreSQL and 64-bit on SQLite; a larger number sent to either makes the
driver raise ("int too large", "integer out of range"), which would be a 500. So every id is
checked here, once: the app-wide ``int`` URL converter answers 404 above ``MAX_ID``, query
string ids above it count as absent, form ids give the field's error, and ``page=`` clamps.
"""

from __future__ import annotations

from flask import request
from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter
from wtforms import IntegerField

from marketplace.extensions import db

MAX_ID = 2**31 - 1  # PostgreSQL INTEGER, the smaller of the two engines' id columns
# A page number beyond this is never real (it would hold row 20 billion); clamping first keeps
# the offset small before the page count is known.
MAX_PAGE = 100_000


def parse_id(value) -> int | None:
    """``value`` as an id (1 … MAX_ID, ASCII digits only), or None."""
    text = str(value).strip() if value is not None else ""
    if not text.isascii() or not text.isdigit() or len(text) > len(str(MAX_ID)):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


class IdConverter(IntegerConverter):
    """``<int:…>`` for the whole app: ASCII digits up to ``MAX_ID``; anything larger does not
    match the rule, so the request is a 404 like any id that does not exist."""

    regex = r"[0-9]+"  # Werkzeug's \d+ also matches Arabic-Indic and other digits

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)


def query_id(name: str) -> int | None:
    """An id from the query string; out of range or not a number counts as not given."""
    return parse_id(request.args.get(name))


def requested_page() -> int:
    """``page=`` from the query string, at least 1 and at most ``MAX_PAGE``."""
    raw = request.args.get("page", "")
    if not raw.isascii() or not raw.isdigit():
        return 1
    return max(1, min(int(raw[:7]), MAX_PAGE))


def paginate(statement, per_page: int):
    """One page of ``statement``; a page past the end shows the last page."""
    page = db.paginate(statement, page=requested_page(), per_page=per_page, error_out=False,
                       count=True)
    if page.pages and page.page > page.pages:
        page = db.paginate(statement, page=page.pages, per_page=per_page, error_out=False,
                           count=True)
    return page


def form_id(value):
    """``coerce`` for select fields holding ids: empty means none chosen; an out-of-range or
    malformed value raises ValueError, which the field shows as its ``invalid_value_message``."""
    if value in (None, "", "None"):
        return None
    if isinstance(value, int):
        number = value if 1 <= value <= MAX_ID else None
    else:
        number = parse_id(value)
    if number is None:
        raise ValueError("not an id")
    return number


NOT_AN_ID = _l("This choice does not exist: choose one from the list.")


class IdField(IntegerField):
    """A (usually hidden) id field: a value that is no id is a field error, never a query."""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        number = parse_id(valuelist[0])
        if number is None:
            self.data = None
            raise ValueError(self.invalid_value_message or NOT_AN_ID)
        self.data = number
