"""China's calendar for reminders and recurring schedules (domain §8.32).

``chinese-calendar`` knows each year's 法定节假日 and 调休 working days once the State Council
publishes them (in November or December for the next year); for a year it does not know yet
it raises, and we fall back to Saturday and Sunday as the rest days, logging that once per
year.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta
from functools import cache

import chinese_calendar

from marketplace.clock import BEIJING

REMINDER_AT = time(18, 0)
LONG_HOLIDAY_DAYS = 3

logger = logging.getLogger(__name__)


@cache
def _warn_unknown_year(year: int) -> None:  # cached: logged once per year and process
    logger.warning("chinese-calendar has no holiday plan for %s: Saturday and Sunday are "
                   "taken as the rest days", year)


def _known(day: date) -> bool:
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        _warn_unknown_year(day.year)
        return False
    return True


def is_workday(day: date) -> bool:
    """A working day: Monday to Friday outside holidays, plus 调休 working weekends."""
    if _known(day):
        return chinese_calendar.is_workday(day)
    return day.weekday() < 5


def is_statutory_holiday(day: date) -> bool:
    """A day off of a 法定节假日 (its bridging weekend included), not an ordinary weekend."""
    if not _known(day):
        return False
    on_holiday, name = chinese_calendar.get_holiday_detail(day)
    return bool(on_holiday and name)


def _rest_run_before(day: date) -> tuple[date, int, bool]:
    """The run of rest days ending the day before ``day``: its first day, its length and
    whether a statutory holiday is in it."""
    first, length, has_holiday = day, 0, False
    cursor = day - timedelta(days=1)
    while not is_workday(cursor) and length < 60:
        has_holiday = has_holiday or is_statutory_holiday(cursor)
        first, length = cursor, length + 1
        cursor -= timedelta(days=1)
    return first, length, has_holiday


def _at_evening(day: date) -> datetime:
    local = datetime.combine(day, REMINDER_AT, tzinfo=BEIJING)
    return local.astimezone(UTC).replace(tzinfo=None)


def reminder_times(shift_starts_at: datetime) -> list[datetime]:
    """When to remind volunteers of a shift starting at ``shift_starts_at`` (naive UTC).

    18:00 北京时间 the evening before; a shift on the first day after a holiday of three days
    or more (春节, 国庆) also at 18:00 on the last working day before that holiday. Naive UTC,
    earliest first; times already past are the caller's to drop or send at once.
    """
    if shift_starts_at.tzinfo is not None:
        shift_starts_at = shift_starts_at.astimezone(UTC).replace(tzinfo=None)
    local_day = shift_starts_at.replace(tzinfo=UTC).astimezone(BEIJING).date()
    times = [_at_evening(local_day - timedelta(days=1))]
    first_rest, length, has_holiday = _rest_run_before(local_day)
    if has_holiday and length >= LONG_HOLIDAY_DAYS:
        times.insert(0, _at_evening(first_rest - timedelta(days=1)))
    return [moment for moment in times if moment < shift_starts_at]


def recurring_dates(first: date, until: date, *, weekly: bool = True,
                    skip_holidays: bool = True) -> list[date]:
    """The dates of a recurring schedule from ``first`` to ``until`` (both included).

    ``weekly``: the weekday of ``first`` every week; with ``skip_holidays`` the dates that
    fall in a 法定节假日 are left out, a 调休 working Saturday or Sunday stays in.
    Not ``weekly``: every working day, so 调休 working weekends are in and holidays out;
    without ``skip_holidays``, every day.
    """
    step = timedelta(days=7 if weekly else 1)
    dates, day = [], first
    while day <= until:
        if weekly:
            keep = not (skip_holidays and is_statutory_holiday(day))
        else:
            keep = is_workday(day) if skip_holidays else True
        if keep:
            dates.append(day)
        day += step
    return dates
