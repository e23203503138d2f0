"""A chart's words, in the active language: point classes, the status in words (the `<desc>` summary),
the legend and the data table's headers."""

from __future__ import annotations

import functools
import math

import numpy as np
from django.utils.translation import get_language, gettext, pgettext

from tillit.analysis import Assurance, Variation
from tillit.charts.spc.format import NBSP, format_number, long_period
from tillit.charts.spc.geometry import marker_path, triangle
from tillit.charts.spc.parts import LegendItem
from tillit.charts.spc.series import ChartSeries

CLASS_ORDER = ("common", "improvement", "concern", "special", "excluded")


@functools.cache
def _class_labels(language: str | None) -> dict[str, str]:
    return {
        "common": pgettext("chart point", "Routine variation"),
        "improvement": pgettext("chart point", "Signal: improvement"),
        "concern": pgettext("chart point", "Signal: concern"),
        "special": pgettext("chart point", "Signal without a direction"),
        "excluded": pgettext("chart point", "Excluded from the analysis"),
    }


def class_labels() -> dict[str, str]:
    """Point class → its words, in the active language."""
    return _class_labels(get_language())


def class_label(point_class: str) -> str:
    """The point class in words, in the active language."""
    return class_labels()[point_class]


@functools.cache
def _variation_texts(language: str | None) -> dict[int, str]:
    return {
        Variation.COMMON: gettext("Routine variation"),
        Variation.IMPROVEMENT_HIGH: gettext("Signal of improvement, high values"),
        Variation.IMPROVEMENT_LOW: gettext("Signal of improvement, low values"),
        Variation.CONCERN_HIGH: gettext("Signal of concern, high values"),
        Variation.CONCERN_LOW: gettext("Signal of concern, low values"),
        Variation.SPECIAL_HIGH: gettext("Signal, high values"),
        Variation.SPECIAL_LOW: gettext("Signal, low values"),
    }


def variation_text(variation: Variation) -> str:
    return _variation_texts(get_language()).get(variation, "")


def summary(series: ChartSeries, decimals: int, locale: str, unit_label: str) -> str:
    """One or two sentences for `<desc>`, from the engine's codes."""
    values = series.values
    finite = np.flatnonzero(np.isfinite(values))
    if finite.size == 0:
        return gettext("No values yet.")
    latest = series.latest if series.latest >= 0 else int(finite[-1])
    value = format_number(values[latest], decimals, locale) + (f"{NBSP}{unit_label}" if unit_label else "")
    when = long_period(series.periods[latest], series.frequency, locale)
    if not series.limits_shown or series.variation == Variation.NONE:
        status = gettext("Too few values for process limits yet")
        sentence = gettext("%(status)s; latest value %(value)s in %(period)s.") % {
            "status": status,
            "value": value,
            "period": when,
        }
    else:
        lower, upper = float(series.lower[latest]), float(series.upper[latest])
        if math.isfinite(upper) and values[latest] > upper:
            position = gettext("above the upper process limit")
        elif math.isfinite(lower) and values[latest] < lower:
            position = gettext("below the lower process limit")
        else:
            position = gettext("inside the process limits")
        sentence = gettext("%(status)s; latest value %(value)s in %(period)s, %(position)s.") % {
            "status": variation_text(series.variation),
            "value": value,
            "period": when,
            "position": position,
        }
    parts = [sentence]
    if series.boundary_crossed:
        parts.append(gettext("The latest value is beyond an agreed boundary."))
    assurance = {
        Assurance.INSIDE: gettext("The process is reliably inside the agreed boundaries."),
        Assurance.HIT_OR_MISS: gettext("The process may or may not stay inside the agreed boundaries."),
        Assurance.OUTSIDE: gettext("The process is reliably outside the agreed boundaries."),
    }.get(series.assurance)
    if assurance:
        parts.append(assurance)
    return " ".join(parts)


def boundary_label() -> str:
    """The word at the end of a boundary line."""
    return pgettext("chart boundary line", "Boundary")


def legend(
    *,
    present: set[str],
    has_centre: bool,
    has_limits: bool,
    boundary_values: list[tuple[str, float]],
    decimals: int,
    locale: str,
    unit_label: str,
    has_note_lines: bool,
) -> tuple[LegendItem, ...]:
    """The legend: each point class shown, the lines, each agreed boundary with its value, the notes."""
    items = []
    labels = class_labels()
    for name in CLASS_ORDER:
        if name in present:
            d = (
                triangle(5, 8, 8, True) + triangle(14, 8, 8, False)
                if name == "improvement"
                else marker_path(name, 8, 8)
            )
            items.append(LegendItem("point", f"chart__point chart__point--{name}", d, labels[name]))
    if has_centre:
        items.append(LegendItem("line", "chart__centre", "", pgettext("chart legend", "Centre line")))
    if has_limits:
        items.append(LegendItem("line", "chart__limit", "", pgettext("chart legend", "Process limits")))
    for side, value in boundary_values:
        text = format_number(value, decimals, locale) + (f"{NBSP}{unit_label}" if unit_label else "")
        label = (
            pgettext("chart legend", "Agreed boundary, lowest acceptable: %(value)s")
            if side == "low"
            else pgettext("chart legend", "Agreed boundary, highest acceptable: %(value)s")
        ) % {"value": text}
        items.append(LegendItem("line", "chart__boundary", "", label))
    if has_note_lines:
        items.append(LegendItem("line", "chart__note-line", "", pgettext("chart legend", "Numbered note")))
    return tuple(items)


def table_headers(*, unit_label: str, has_centre: bool, has_limits: bool, has_notes: bool) -> tuple[str, ...]:
    value_header = pgettext("chart table", "Value")
    if unit_label:
        value_header = f"{value_header} ({unit_label})"
    headers = [pgettext("chart table", "Period"), value_header]
    if has_centre:
        headers.append(pgettext("chart table", "Centre line"))
    if has_limits:
        headers += [
            pgettext("chart table", "Lower process limit"),
            pgettext("chart table", "Upper process limit"),
        ]
    headers.append(pgettext("chart table", "Classification"))
    if has_notes:
        headers.append(pgettext("chart table", "Note"))
    return tuple(headers)


def no_value() -> str:
    return pgettext("chart table", "no value")


def table_caption(title: str) -> str:
    return pgettext("chart table", "Data for %(title)s") % {"title": title}
