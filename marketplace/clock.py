"""The one source of "now" and "today", so timestamps default to a callable and tests can reason
about time.

Moments are stored as naive UTC; days are Beijing days (domain §8.30). Between 00:00 and 08:00 in
Beijing the UTC date is still yesterday, so "today" is always asked of Beijing, never of UTC or of
the server's own zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")


def utcnow() -> datetime:
    """Naive UTC, stored the same way on SQLite and PostgreSQL."""
    return datetime.now(UTC).replace(tzinfo=None)


def local_today() -> date:
    """The Beijing calendar day: what a user means by "today" in a date field or a rule."""
    return utcnow().replace(tzinfo=UTC).astimezone(BEIJING).date()


def utc_iso(moment: datetime | None) -> str | None:
    """A stored (naive UTC) moment as ISO 8601 with its offset, so no reader of a file takes it
    for Beijing time."""
    return moment.replace(tzinfo=UTC).isoformat() if moment else None
