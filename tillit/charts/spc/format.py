"""Numbers and periods in words for a chart, in Swedish or English: "1 234,5", "mars 2025", "2025-V05"."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
from django.utils.translation import get_language, gettext

from tillit.charts.spc.series import MONTH, QUARTER, WEEK, YEAR

MONTHS: dict[str, tuple[tuple[str, str], ...]] = {
    "sv": (
        ("jan", "januari"),
        ("feb", "februari"),
        ("mar", "mars"),
        ("apr", "april"),
        ("maj", "maj"),
        ("jun", "juni"),
        ("jul", "juli"),
        ("aug", "augusti"),
        ("sep", "september"),
        ("okt", "oktober"),
        ("nov", "november"),
        ("dec", "december"),
    ),
    "en": (
        ("Jan", "January"),
        ("Feb", "February"),
        ("Mar", "March"),
        ("Apr", "April"),
        ("May", "May"),
        ("Jun", "June"),
        ("Jul", "July"),
        ("Aug", "August"),
        ("Sep", "September"),
        ("Oct", "October"),
        ("Nov", "November"),
        ("Dec", "December"),
    ),
}

NBSP = "\u00a0"
MINUS = "\u2212"


def chart_locale(locale: str | None) -> str:
    """ "sv" or "en": the given locale, else the active language; anything not English is Swedish."""
    code = (locale or get_language() or "sv").lower()
    return "en" if code.startswith("en") else "sv"


def format_number(value: float, decimals: int, locale: str = "sv") -> str:
    """`1234.5` → "1 234,5" in Swedish (no-break space, decimal comma, a real minus sign), "1,234.5" in
    English; empty for NaN."""
    if value is None or not math.isfinite(value):
        return ""
    rounded = round(float(value), decimals)
    text = f"{abs(rounded):,.{decimals}f}"
    if locale == "sv":
        text = text.replace(",", NBSP).replace(".", ",")
    return MINUS + text if rounded < 0 else text


def auto_decimals(values: np.ndarray, most: int = 3) -> int:
    """The fewest decimals (up to `most`) that show every finite value exactly."""
    finite = values[np.isfinite(values)]
    for decimals in range(most):
        scaled = finite * 10**decimals
        if np.all(np.abs(scaled - np.round(scaled)) <= 1e-6 * np.maximum(1.0, np.abs(scaled))):
            return decimals
    return most


def short_period(day: date, frequency: str) -> str:
    """A period as written under the x axis when it is not a month: "2025-V05", "2025-KV1", "2025"
    (the same words as the indicators' periods)."""
    if frequency == WEEK:
        year, week, _weekday = day.isocalendar()
        return gettext("%(year)d-W%(week)02d") % {"year": year, "week": week}
    if frequency == QUARTER:
        return gettext("%(year)d-Q%(quarter)d") % {"year": day.year, "quarter": (day.month - 1) // 3 + 1}
    if frequency == YEAR:
        return str(day.year)
    return f"{day.year:04d}-{day.month:02d}"


def long_period(day: date, frequency: str, locale: str) -> str:
    """The long form for the table and the summary: "januari 2025"; other periods in their short form."""
    if frequency == MONTH:
        return f"{MONTHS[locale][day.month - 1][1]} {day.year}"
    return short_period(day, frequency)
