"""Reminders and recurring schedules follow China's calendar (domain §8.32)."""

from __future__ import annotations

import logging
from datetime import date, datetime

from marketplace.notifications import calendar
from marketplace.notifications.calendar import recurring_dates, reminder_times


def test_reminder_goes_at_six_the_evening_before_in_beijing_time():
    # A Wednesday shift at 09:00 北京时间 = 01:00 UTC; 18:00 北京时间 on Tuesday = 10:00 UTC.
    assert reminder_times(datetime(2025, 11, 12, 1, 0)) == [datetime(2025, 11, 11, 10, 0)]


def test_shift_on_first_day_after_national_day_is_also_reminded_before_the_holiday():
    # 国庆 2025: 1–8 October off; Thursday 9 October is the first working day after it, and
    # Tuesday 30 September the last one before it.
    shift = datetime(2025, 10, 9, 1, 0)  # 09:00 北京时间
    assert reminder_times(shift) == [
        datetime(2025, 9, 30, 10, 0),  # 18:00 北京时间 on 30 September
        datetime(2025, 10, 8, 10, 0),  # 18:00 北京时间 the evening before
    ]


def test_spring_festival_2026_counts_as_a_long_holiday_too():
    # 春节 2026: 15–23 February off; Tuesday 24 February is the first day after it and the
    # 调休 Saturday 14 February is the last working day before it.
    assert reminder_times(datetime(2026, 2, 24, 2, 0)) == [
        datetime(2026, 2, 14, 10, 0),
        datetime(2026, 2, 23, 10, 0),
    ]


def test_a_monday_after_an_ordinary_weekend_gets_one_reminder():
    assert reminder_times(datetime(2025, 11, 17, 1, 0)) == [datetime(2025, 11, 16, 10, 0)]


def test_an_early_morning_shift_is_dated_in_beijing_not_utc():
    # 07:00 北京时间 on 9 October is still 8 October in UTC.
    shift = datetime(2025, 10, 8, 23, 0)
    assert reminder_times(shift)[0] == datetime(2025, 9, 30, 10, 0)


def test_weekly_shift_keeps_the_tiaoxiu_saturday_and_skips_the_holiday_one():
    # Saturdays around 春节 2026: the 14th and the 28th are 调休 working days, the 21st is in
    # the holiday.
    dates = recurring_dates(date(2026, 2, 7), date(2026, 3, 7))
    assert dates == [date(2026, 2, 7), date(2026, 2, 14), date(2026, 2, 28), date(2026, 3, 7)]


def test_weekly_shift_across_national_day_skips_the_holiday_week():
    dates = recurring_dates(date(2025, 9, 24), date(2025, 10, 15))  # Wednesdays
    assert dates == [date(2025, 9, 24), date(2025, 10, 15)]


def test_weekly_shift_may_keep_holidays_when_asked():
    dates = recurring_dates(date(2025, 9, 24), date(2025, 10, 15), skip_holidays=False)
    assert len(dates) == 4


def test_working_day_schedule_includes_the_tiaoxiu_saturday():
    # 2025-10-11 (Saturday) is a working day making up for 国庆; Sunday the 12th is not.
    dates = recurring_dates(date(2025, 10, 8), date(2025, 10, 13), weekly=False)
    assert dates == [date(2025, 10, 9), date(2025, 10, 10), date(2025, 10, 11), date(2025, 10, 13)]


def test_unknown_year_falls_back_to_weekends_and_logs_once(caplog):
    calendar._warn_unknown_year.cache_clear()
    with caplog.at_level(logging.WARNING, logger="marketplace.notifications.calendar"):
        dates = recurring_dates(date(2099, 1, 1), date(2099, 1, 11), weekly=False)
        recurring_dates(date(2099, 1, 1), date(2099, 1, 31))
        reminder_times(datetime(2099, 1, 5, 1, 0))
    # 2099-01-01 is a Thursday: Thu, Fri, Mon … Fri, no holiday known.
    assert dates == [date(2099, 1, d) for d in (1, 2, 5, 6, 7, 8, 9)]
    warnings = [r for r in caplog.records if "2099" in r.getMessage()]
    assert len(warnings) == 1
