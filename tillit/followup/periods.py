"""Periods of each frequency as consecutive integers (the engine's columns) and back, and their labels."""

from datetime import date, timedelta

from django.utils.translation import gettext

from tillit.indicators.enums import Frequency

_MONDAY_ZERO = date(1, 1, 1)  # a Monday: weeks count from here


def period_index(frequency: str, day: date) -> int:
    """The period containing `day` as an integer on a regular grid: consecutive periods differ by one."""
    if frequency == Frequency.MONTH:
        return day.year * 12 + day.month - 1
    if frequency == Frequency.QUARTER:
        return day.year * 4 + (day.month - 1) // 3
    if frequency == Frequency.YEAR:
        return day.year
    return (day - _MONDAY_ZERO).days // 7  # weeks


def period_start(frequency: str, index: int) -> date:
    """The first day of the period with this index."""
    if frequency == Frequency.MONTH:
        return date(index // 12, index % 12 + 1, 1)
    if frequency == Frequency.QUARTER:
        return date(index // 4, (index % 4) * 3 + 1, 1)
    if frequency == Frequency.YEAR:
        return date(index, 1, 1)
    return _MONDAY_ZERO + timedelta(weeks=index)


def chart_period(frequency: str, day: date) -> str:
    """The x label the chart component understands: "YYYY-MM" for months (it writes month names)."""
    if frequency == Frequency.MONTH:
        return f"{day:%Y-%m}"
    if frequency == Frequency.QUARTER:
        return gettext("Q%(quarter)d %(year)d") % {"quarter": (day.month - 1) // 3 + 1, "year": day.year}
    if frequency == Frequency.YEAR:
        return str(day.year)
    year, week, _weekday = day.isocalendar()
    return gettext("week %(week)d %(year)d") % {"week": week, "year": year}
