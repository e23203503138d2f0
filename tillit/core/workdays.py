"""Swedish working days: weekdays that are not public holidays nor the eves treated as holidays.

`holidays.Sweden` is asked without Sundays (it can count every Sunday as a holiday); weekends are
skipped by weekday. Midsommarafton, julafton and nyårsafton are not public holidays by law, but
municipal offices are closed then (they count as holidays in semesterlagen and most agreements).
"""

from datetime import date, timedelta
from functools import cache

import holidays


@cache
def _closed_days(year: int) -> frozenset[date]:
    public = holidays.Sweden(years=year, include_sundays=False)
    days = set(public)
    midsummer = next(
        day for day, name in public.items() if day.month == 6 and day.weekday() == 5 and day.day >= 20
    )
    days |= {midsummer - timedelta(days=1), date(year, 12, 24), date(year, 12, 31)}
    return frozenset(days)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _closed_days(day.year)


def add_working_days(start: date, count: int) -> date:
    """The date `count` working days after `start` (start itself not counted)."""
    day = start
    added = 0
    while added < count:
        day += timedelta(days=1)
        if is_working_day(day):
            added += 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    if end <= start:
        return 0
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
