"""Times are stored as naive UTC and shown and scheduled in Beijing time (domain §8.30)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from marketplace.clock import BEIJING


def to_local(moment: datetime) -> datetime:
    """Naive UTC → aware Beijing time."""
    return moment.replace(tzinfo=UTC).astimezone(BEIJING)


def to_utc(local: datetime) -> datetime:
    """Naive (or aware) Beijing time → naive UTC."""
    if local.tzinfo is None:
        local = local.replace(tzinfo=BEIJING)
    return local.astimezone(UTC).replace(tzinfo=None)


def local_date(moment: datetime) -> date:
    return to_local(moment).date()


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The Beijing calendar day ``day`` as a [start, end) range in naive UTC."""
    start = to_utc(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def week_bounds(moment: datetime) -> tuple[datetime, datetime]:
    """Monday 00:00 to the next Monday of the Beijing week holding ``moment``, in naive UTC."""
    day = local_date(moment)
    monday = day - timedelta(days=day.weekday())
    start = to_utc(datetime.combine(monday, time.min))
    return start, start + timedelta(days=7)


def format_local(moment: datetime, pattern: str = "%Y-%m-%d %H:%M") -> str:
    return to_local(moment).strftime(pattern)
