"""Periods of an indicator: each is stored as its first day (a Monday, the 1st of a month, a quarter, a year).

Pure functions: parsing what people type or put in a file, checking alignment, and labelling.
"""

import re
from datetime import date, datetime, timedelta

from django.utils.translation import gettext as _

from tillit.indicators.enums import Frequency

QUARTER_START_MONTHS = (1, 4, 7, 10)

# What people write: 2024-03, 2024-03-01, 2024-Q1 / 2024-KV1, 2024, 2024-W05 / 2024-V05.
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})\s*-?\s*(?:Q|KV|K)\s*([1-4])$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})$")
_WEEK = re.compile(r"^(\d{4})\s*-?\s*(?:W|V)\s*(\d{1,2})$", re.IGNORECASE)


class PeriodError(ValueError):
    """The text is not a period; the message says why, translated."""


def is_aligned(frequency: str, day: date) -> bool:
    """Whether the date is the first day of a period of this frequency."""
    if frequency == Frequency.WEEK:
        return day.weekday() == 0
    if frequency == Frequency.MONTH:
        return day.day == 1
    if frequency == Frequency.QUARTER:
        return day.day == 1 and day.month in QUARTER_START_MONTHS
    if frequency == Frequency.YEAR:
        return day.day == 1 and day.month == 1
    return False


def period_start(frequency: str, day: date) -> date:
    """The first day of the period of this frequency that contains the date."""
    if frequency == Frequency.WEEK:
        return day - timedelta(days=day.weekday())
    if frequency == Frequency.MONTH:
        return day.replace(day=1)
    if frequency == Frequency.QUARTER:
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return date(day.year, 1, 1)


def alignment_hint(frequency: str) -> str:
    return {
        Frequency.WEEK: _("a week starts on a Monday"),
        Frequency.MONTH: _("a month starts on its first day"),
        Frequency.QUARTER: _("a quarter starts on 1 January, 1 April, 1 July or 1 October"),
        Frequency.YEAR: _("a year starts on 1 January"),
    }.get(frequency, "")


def parse_period(text, frequency: str) -> date:
    """The first day of the period the text names, for an indicator of this frequency.

    A month, quarter, year or week written out must match the indicator's frequency (2024-Q1 is not
    a month); a full date is accepted for any frequency if it is the first day of a period.
    """
    if isinstance(text, datetime):
        text = text.date()
    if isinstance(text, date):
        return _aligned_or_error(text, frequency)
    value = " ".join(str(text or "").split())
    if not value:
        raise PeriodError(_("Enter a period."))
    if match := _DAY.match(value):
        year, month, day = (int(part) for part in match.groups())
        return _aligned_or_error(_date_or_error(year, month, day, value), frequency)
    if match := _MONTH.match(value):
        year, month = (int(part) for part in match.groups())
        return _expect(frequency, Frequency.MONTH, _date_or_error(year, month, 1, value), value)
    if match := _QUARTER.match(value):
        year, quarter = int(match.group(1)), int(match.group(2))
        return _expect(frequency, Frequency.QUARTER, date(year, 3 * quarter - 2, 1), value)
    if match := _WEEK.match(value):
        year, week = int(match.group(1)), int(match.group(2))
        try:
            monday = date.fromisocalendar(year, week, 1)
        except ValueError:
            raise PeriodError(
                _("%(value)s is not a week: the year %(year)d has no week %(week)d.")
                % {"value": value, "year": year, "week": week}
            ) from None
        return _expect(frequency, Frequency.WEEK, monday, value)
    if match := _YEAR.match(value):
        return _expect(frequency, Frequency.YEAR, date(int(match.group(1)), 1, 1), value)
    raise PeriodError(
        _("%(value)s is not a period. Write it as %(example)s.")
        % {"value": value, "example": period_example(frequency)}
    )


def _date_or_error(year: int, month: int, day: int, value: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise PeriodError(_("%(value)s is not a valid date.") % {"value": value}) from None


def _aligned_or_error(day: date, frequency: str) -> date:
    if not is_aligned(frequency, day):
        raise PeriodError(
            _("%(date)s is not the first day of a period: %(hint)s.")
            % {"date": day.isoformat(), "hint": alignment_hint(frequency)}
        )
    return day


def _expect(frequency: str, written: str, day: date, value: str) -> date:
    if frequency != written:
        raise PeriodError(
            _("%(value)s is a %(written)s, but the indicator is followed per %(frequency)s.")
            % {
                "value": value,
                "written": Frequency(written).label.lower(),
                "frequency": Frequency(frequency).label.lower(),
            }
        )
    return day


_EXAMPLES = {
    Frequency.WEEK: date(2024, 1, 29),
    Frequency.MONTH: date(2024, 3, 1),
    Frequency.QUARTER: date(2024, 1, 1),
    Frequency.YEAR: date(2024, 1, 1),
}


def period_example(frequency: str) -> str:
    """An example period as people of the active language write it (2024-V05 in Swedish)."""
    return period_label(frequency, _EXAMPLES.get(frequency, _EXAMPLES[Frequency.MONTH]))


def period_label(frequency: str, day: date) -> str:
    """How a period is written for people, in a form the parser reads back."""
    if frequency == Frequency.WEEK:
        year, week, _weekday = day.isocalendar()
        return _("%(year)d-W%(week)02d") % {"year": year, "week": week}
    if frequency == Frequency.QUARTER:
        return _("%(year)d-Q%(quarter)d") % {"year": day.year, "quarter": (day.month - 1) // 3 + 1}
    if frequency == Frequency.YEAR:
        return str(day.year)
    return f"{day.year:04d}-{day.month:02d}"


# --- Periods as the engine's columns ---------------------------------------------------------------

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


def period_from_index(frequency: str, index: int) -> date:
    """The first day of the period with this index (the inverse of `period_index`)."""
    if frequency == Frequency.MONTH:
        return date(index // 12, index % 12 + 1, 1)
    if frequency == Frequency.QUARTER:
        return date(index // 4, (index % 4) * 3 + 1, 1)
    if frequency == Frequency.YEAR:
        return date(index, 1, 1)
    return _MONDAY_ZERO + timedelta(weeks=index)
