"""Process behaviour (SPC) charts as hand-written SVG: the geometry is computed here, the markup is
`charts/spc_chart.html`.

`spc_chart(...)` turns one series and the engine's `SeriesResult` for it into a frozen `SpcChart`: scaled
coordinates, the data polyline (broken at gaps), centre and limit lines per phase, point markers whose
*shape* carries the point class (colour only repeats it), agreed boundaries, numbered annotations, axis
ticks, a legend, a one-sentence summary for screen readers and the rows of the data table. All text is
translated with the active language; numbers and month names follow `locale`. See docs/charts.md.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any, NamedTuple

import numpy as np
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, pgettext

from tillit.analysis import Assurance, PointClass, SeriesResult, Variation

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

MONTH_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")
MAX_X_LABELS = 12
MONTH_STEPS = (1, 2, 3, 4, 6, 12, 24, 36, 60, 120)
CHAR_WIDTH = 7.7  # px of a digit at the 12 px chart font (DejaVu Sans: 0.636 em), a safe estimate
NBSP = "\u00a0"
MINUS = "\u2212"

# Marker sizes in user units (the viewBox is `width` x `height`).
RADIUS = 3.6
RING_RADIUS = 4.6
TRIANGLE = 6.0
DIAMOND = 5.8
CROSS = 4.0

CLASS_NAMES = {
    PointClass.COMMON: "common",
    PointClass.IMPROVEMENT: "improvement",
    PointClass.CONCERN: "concern",
    PointClass.SPECIAL: "special",
}
CLASS_ORDER = ("common", "improvement", "concern", "special", "excluded")

_ids = itertools.count(1)


# --------------------------------------------------------------------------------------------- results


class Tick(NamedTuple):
    position: float  # x for the x axis, y for the y axis
    label: str
    label2: str = ""  # a second line (the year under a month)


class Marker(NamedTuple):
    css: str
    d: str
    point_class: str  # common, improvement, concern, special, excluded
    index: int  # the period's position


class Line(NamedTuple):
    css: str
    points: str
    kind: str  # centre, lower or upper
    phase: int


class Boundary(NamedTuple):
    y: float
    value: float
    label: str
    side: str  # low or high


class Annotation(NamedTuple):
    number: int
    x: float | None  # None when the period is not on the chart
    period_label: str
    text: str


class LegendItem(NamedTuple):
    kind: str  # point or line
    css: str
    d: str  # the icon's path (points) or empty (lines)
    label: str


class Row(NamedTuple):
    period: str
    numbers: tuple[str, ...]  # value, centre[, lower, upper]
    label: str  # the point class
    note: str


@dataclass(frozen=True, slots=True)
class SpcChart:
    chart_id: str
    title: str
    unit_label: str
    locale: str
    width: int
    height: int
    left: float
    top: float
    right: float
    bottom: float
    desc: str
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]
    data_lines: tuple[str, ...]  # polyline points, one per unbroken run
    markers: tuple[Marker, ...]
    phase_lines: tuple[Line, ...]
    boundaries: tuple[Boundary, ...]
    annotations: tuple[Annotation, ...]
    legend: tuple[LegendItem, ...]
    table_caption: str
    table_headers: tuple[str, ...]
    rows: tuple[Row, ...]
    has_notes: bool
    plot_markup: SafeString  # the repeated SVG elements (axes, lines, markers), escaped, built in Python
    table_markup: SafeString  # the table's body rows

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def title_id(self) -> str:
        return f"{self.chart_id}-title"

    @property
    def desc_id(self) -> str:
        return f"{self.chart_id}-desc"

    @property
    def labelled_by(self) -> str:
        return f"{self.title_id} {self.desc_id}"

    @property
    def y_label_x(self) -> float:
        return round(self.left - 6, 1)

    @property
    def x_label_y(self) -> float:
        return self.bottom + 16

    @property
    def x_tick_end(self) -> float:
        return self.bottom + 4

    @property
    def boundary_label_x(self) -> float:
        return round(self.right + 4, 1)

    @property
    def note_number_y(self) -> float:
        return self.top - 5


# ------------------------------------------------------------------------------------------ formatting


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


def nice_ticks(low: float, high: float, target: int = 5) -> tuple[list[float], int]:
    """Round tick values covering [low, high] (steps of 1, 2, 2.5 or 5 × 10ⁿ) and their decimals."""
    if not (math.isfinite(low) and math.isfinite(high)):
        low, high = 0.0, 1.0
    if high - low <= 1e-9 * max(1.0, abs(low), abs(high)):
        pad = abs(low) * 0.1 or 1.0
        low, high = low - pad, high + pad
    raw = (high - low) / max(1, target - 1)
    exponent = math.floor(math.log10(raw))
    magnitude = 10.0**exponent
    for mantissa in (1.0, 2.0, 2.5, 5.0, 10.0):
        if mantissa * magnitude >= raw * (1 - 1e-9):
            break
    step = mantissa * magnitude
    if mantissa == 10.0:
        exponent += 1
    decimals = max(0, -exponent) + (1 if mantissa == 2.5 else 0)
    first = math.floor(low / step + 1e-9)
    last = math.ceil(high / step - 1e-9)
    return [round(k * step, decimals + 2) for k in range(first, last + 1)], decimals


def month_of(period: str) -> tuple[int, int] | None:
    match = MONTH_PERIOD.match(period)
    if match:
        year, month = int(match[1]), int(match[2])
        if 1 <= month <= 12:
            return year, month
    return None


def period_label(period: str, locale: str) -> str:
    """The long form for the table and the summary: "januari 2025"; other periods as given."""
    month = month_of(period)
    if month is None:
        return period
    return f"{MONTHS[locale][month[1] - 1][1]} {month[0]}"


def _f(value: float) -> str:
    return f"{value:.1f}"


# ------------------------------------------------------------------------------------------- markers


def _circle(x: float, y: float, r: float) -> str:
    return f"M{x - r:.1f},{y:.1f}a{r},{r} 0 1,0 {2 * r},0a{r},{r} 0 1,0 {-2 * r},0Z"


def _triangle(x: float, y: float, size: float, up: bool) -> str:
    h = size * 0.866
    tip, base = (y - h * 2 / 3, y + h / 3) if up else (y + h * 2 / 3, y - h / 3)
    half = size / 2
    return f"M{x:.1f},{tip:.1f}L{x + half:.1f},{base:.1f}L{x - half:.1f},{base:.1f}Z"


def _diamond(x: float, y: float, r: float) -> str:
    return f"M{x:.1f},{y - r:.1f}L{x + r:.1f},{y:.1f}L{x:.1f},{y + r:.1f}L{x - r:.1f},{y:.1f}Z"


def _cross(x: float, y: float, r: float) -> str:
    return f"M{x - r:.1f},{y - r:.1f}L{x + r:.1f},{y + r:.1f}M{x - r:.1f},{y + r:.1f}L{x + r:.1f},{y - r:.1f}"


def marker_path(point_class: str, x: float, y: float, above: bool = True) -> str:
    """The marker's outline: circle (common), triangle towards its side of the centre line
    (improvement), diamond (concern), ring (special; hollow by CSS), cross (excluded)."""
    if point_class == "improvement":
        return _triangle(x, y, TRIANGLE * 1.5, above)
    if point_class == "concern":
        return _diamond(x, y, DIAMOND)
    if point_class == "special":
        return _circle(x, y, RING_RADIUS)
    if point_class == "excluded":
        return _cross(x, y, CROSS)
    return _circle(x, y, RADIUS)


# ---------------------------------------------------------------------------------------------- texts


@functools.cache
def _class_labels(language: str | None) -> dict[str, str]:
    return {
        "common": pgettext("chart point", "Routine variation"),
        "improvement": pgettext("chart point", "Signal: improvement"),
        "concern": pgettext("chart point", "Signal: concern"),
        "special": pgettext("chart point", "Signal without a direction"),
        "excluded": pgettext("chart point", "Excluded from the analysis"),
    }


def class_label(point_class: str) -> str:
    """The point class in words, in the active language."""
    return _class_labels(get_language())[point_class]


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


def summary(
    result: SeriesResult | None,
    values: np.ndarray,
    periods: Sequence[str],
    decimals: int,
    locale: str,
    unit_label: str,
) -> str:
    """One or two sentences for `<desc>`, from the engine's codes."""
    finite = np.flatnonzero(np.isfinite(values))
    if finite.size == 0:
        return gettext("No values yet.")
    latest = result.latest if result is not None and result.latest >= 0 else int(finite[-1])
    value = format_number(values[latest], decimals, locale) + (f"{NBSP}{unit_label}" if unit_label else "")
    when = period_label(periods[latest], locale)
    if result is None or not result.limits_shown or result.variation == Variation.NONE:
        status = gettext("Too few values for process limits yet")
        sentence = gettext("%(status)s; latest value %(value)s in %(period)s.") % {
            "status": status,
            "value": value,
            "period": when,
        }
    else:
        lower, upper = float(result.lower[latest]), float(result.upper[latest])
        if math.isfinite(upper) and values[latest] > upper:
            position = gettext("above the upper process limit")
        elif math.isfinite(lower) and values[latest] < lower:
            position = gettext("below the lower process limit")
        else:
            position = gettext("inside the process limits")
        sentence = gettext("%(status)s; latest value %(value)s in %(period)s, %(position)s.") % {
            "status": variation_text(result.variation),
            "value": value,
            "period": when,
            "position": position,
        }
    parts = [sentence]
    if result is not None:
        if result.boundary_crossed:
            parts.append(gettext("The latest value is beyond an agreed boundary."))
        assurance = {
            Assurance.INSIDE: gettext("The process is reliably inside the agreed boundaries."),
            Assurance.HIT_OR_MISS: gettext("The process may or may not stay inside the agreed boundaries."),
            Assurance.OUTSIDE: gettext("The process is reliably outside the agreed boundaries."),
        }.get(result.assurance)
        if assurance:
            parts.append(assurance)
    return " ".join(parts)


# ------------------------------------------------------------------------------------------- geometry


def _x_ticks(
    periods: Sequence[str],
    months: Sequence[tuple[int, int] | None],
    xs: np.ndarray,
    plot_width: float,
    locale: str,
) -> tuple[Tick, ...]:
    n = len(periods)
    if n == 0:
        return ()
    monthly = all(m is not None for m in months)
    chars = 4 if monthly else max(len(p) for p in periods)
    fits = max(1, min(MAX_X_LABELS, int(plot_width // (chars * CHAR_WIDTH + 10))))
    if monthly:
        step = next((k for k in MONTH_STEPS if math.ceil(n / k) <= fits), math.ceil(n / fits))
        absolute = [m[0] * 12 + m[1] - 1 for m in months]
        offset = next((i for i in range(min(step, n)) if absolute[i] % step == 0), 0)
    else:
        step, offset = math.ceil(n / fits), 0
    ticks = []
    previous_year = None
    for i in range(offset, n, step):
        if monthly:
            year, month = months[i]
            if step >= 12:
                ticks.append(Tick(round(float(xs[i]), 1), str(year)))
            else:
                ticks.append(
                    Tick(
                        round(float(xs[i]), 1),
                        MONTHS[locale][month - 1][0],
                        str(year) if year != previous_year else "",
                    )
                )
            previous_year = year
        else:
            ticks.append(Tick(round(float(xs[i]), 1), periods[i]))
    return tuple(ticks)


def _phases(centre: np.ndarray, segments: Sequence[Any] | None) -> list[tuple[int, int]]:
    n = centre.size
    if n == 0:
        return []
    if segments is not None:
        labels = list(segments)
        change = [i for i in range(1, n) if labels[i] != labels[i - 1]]
    else:
        same = (centre[1:] == centre[:-1]) | (np.isnan(centre[1:]) & np.isnan(centre[:-1]))
        change = (np.flatnonzero(~same) + 1).tolist()
    starts = [0, *change]
    return list(zip(starts, [*change, n], strict=True))


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """[start, stop) of each run of True."""
    padded = np.concatenate(([False], mask, [False]))
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def _line_points(xs: np.ndarray, ys: np.ndarray, start: int, stop: int, half: float) -> list[str]:
    """One polyline per run of finite values in [start, stop): flat, or stepped where it varies."""
    out = []
    segment = ys[start:stop]
    for a, b in _runs(np.isfinite(segment)):
        a, b = a + start, b + start
        part = ys[a:b]
        if np.all(part == part[0]):
            x0, x1 = (xs[a], xs[b - 1]) if b - a > 1 else (xs[a] - half, xs[a] + half)
            out.append(f"{_f(x0)},{_f(part[0])} {_f(x1)},{_f(part[0])}")
            continue
        coords = []
        for i in range(a, b):
            left = xs[a] if i == a else xs[i] - half
            right = xs[b - 1] if i == b - 1 else xs[i] + half
            coords.append(f"{_f(left)},{_f(ys[i])} {_f(right)},{_f(ys[i])}")
        out.append(" ".join(coords))
    return out


def _annotation_items(annotations: Iterable[Any]) -> list[tuple[str, str]]:
    items = []
    for note in annotations:
        if isinstance(note, dict):
            items.append((str(note["period"]), str(note["text"])))
        elif isinstance(note, tuple | list):
            items.append((str(note[0]), str(note[1])))
        else:
            items.append((str(note.period), str(note.text)))
    return items


def _clean_id(value: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "-", value).strip("-")
    return cleaned if cleaned and cleaned[0].isalpha() else f"chart-{cleaned}"


def _array(values: Any, n: int) -> np.ndarray:
    if values is None:
        return np.full(n, np.nan)
    array = np.asarray(values, dtype=np.float64)
    if array.shape != (n,):
        raise ValueError(f"expected {n} values, one per period, got shape {array.shape}")
    return array


def _plot_markup(
    *,
    left: float,
    right: float,
    top: float,
    bottom: float,
    unit_label: str,
    y_ticks: Sequence[Tick],
    x_ticks: Sequence[Tick],
    lines: Sequence[Line],
    boundaries: Sequence[Boundary],
    notes: Sequence[Annotation],
    data_lines: Sequence[str],
    markers: Sequence[Marker],
) -> SafeString:
    """The SVG elements repeated per tick, line and point. Built here rather than in template loops: a
    page of 100 charts would otherwise spend most of its time in the template engine."""
    out = ['<g class="chart__axes">']
    for tick in y_ticks:
        y = f"{tick.position:.1f}"
        out.append(
            f'<line class="chart__gridline" x1="{left:.1f}" x2="{right:.1f}" y1="{y}" y2="{y}"/>'
            f'<text class="chart__tick chart__tick--y" x="{left - 6:.1f}" y="{y}" dy="4">{escape(tick.label)}</text>'
        )
    out.append(
        f'<line class="chart__axis" x1="{left:.1f}" x2="{right:.1f}" y1="{bottom:.1f}" y2="{bottom:.1f}"/>'
    )
    for tick in x_ticks:
        x = f"{tick.position:.1f}"
        second = f'<tspan x="{x}" dy="14">{escape(tick.label2)}</tspan>' if tick.label2 else ""
        out.append(
            f'<line class="chart__axis" x1="{x}" x2="{x}" y1="{bottom:.1f}" y2="{bottom + 4:.1f}"/>'
            f'<text class="chart__tick chart__tick--x" x="{x}" y="{bottom + 16:.1f}">{escape(tick.label)}{second}</text>'
        )
    if unit_label:
        out.append(f'<text class="chart__axis-label" x="2" y="12">{escape(unit_label)}</text>')
    out.append('</g><g class="chart__lines">')
    out.extend(f'<polyline class="{line.css}" points="{line.points}"/>' for line in lines)
    for boundary in boundaries:
        y = f"{boundary.y:.1f}"
        out.append(
            f'<line class="chart__boundary" x1="{left:.1f}" x2="{right:.1f}" y1="{y}" y2="{y}"/>'
            f'<text class="chart__boundary-label" x="{right + 4:.1f}" y="{y}" dy="4">{escape(boundary.label)}</text>'
        )
    for note in notes:
        if note.x is not None:
            x = f"{note.x:.1f}"
            out.append(
                f'<line class="chart__note-line" x1="{x}" x2="{x}" y1="{top:.1f}" y2="{bottom:.1f}"/>'
                f'<text class="chart__note-number" x="{x}" y="{top - 5:.1f}">{note.number}</text>'
            )
    out.append('</g><g class="chart__series">')
    out.extend(f'<polyline class="chart__data" points="{points}"/>' for points in data_lines)
    out.extend(f'<path class="{marker.css}" d="{marker.d}"/>' for marker in markers)
    out.append("</g>")
    return mark_safe("".join(out))  # noqa: S308 - every text above is escaped, the rest are numbers


def _table_markup(rows: Sequence[Row], has_notes: bool) -> SafeString:
    out = []
    for row in rows:
        # The numbers are format_number's own output (digits, separators, a minus sign): nothing to escape.
        numbers = "".join([f'<td class="chart__num">{number}</td>' for number in row.numbers])
        note = f"<td>{escape(row.note)}</td>" if has_notes else ""
        out.append(
            f'<tr><th scope="row">{escape(row.period)}</th>{numbers}<td>{escape(row.label)}</td>{note}</tr>\n'
        )
    return mark_safe("".join(out))  # noqa: S308 - every text above is escaped


def spc_chart(
    *,
    periods: Sequence[str],
    values: Sequence[float] | np.ndarray | None = None,
    result_for_one_series: SeriesResult | None = None,
    title: str,
    unit_label: str = "",
    boundary_low: float | None = None,
    boundary_high: float | None = None,
    annotations: Iterable[Any] = (),
    width: int = 640,
    height: int = 240,
    locale: str | None = None,
    chart_id: str | None = None,
    segments: Sequence[Any] | None = None,
    excluded: Sequence[bool] | np.ndarray | None = None,
    decimals: int | None = None,
) -> SpcChart:
    """Build the geometry and texts of one process behaviour chart.

    `periods` are the x values as strings ("2025-03" gets Swedish or English month names); `values` the
    plotted statistic (default: `result_for_one_series.values`), NaN for gaps. `boundary_low` and
    `boundary_high` are the agreed boundaries (values below / above are off-limits), drawn as labelled
    lines; pass the same ones to the engine so the summary's assurance agrees. `annotations` are
    `(period, text)` pairs, dicts or objects with `.period` and `.text`. `locale` ("sv" or "en", default
    the active language) sets month names and number format; `chart_id` prefixes the element ids (default
    a fresh "chart-N"); `segments` overrides the phases read from the centre line; `excluded` marks points
    shown but not judged; `decimals` fixes the number of decimals (default: as many as the data need).
    """
    locale = chart_locale(locale)
    periods = [str(p) for p in periods]
    n = len(periods)
    result = result_for_one_series
    if values is None:
        if result is None:
            raise ValueError("pass values, a result, or both")
        values = result.values
    values = _array(values, n)
    if result is not None:
        centre, lower, upper = _array(result.centre, n), _array(result.lower, n), _array(result.upper, n)
        classes = np.asarray(result.point_class)
    else:
        centre = lower = upper = np.full(n, np.nan)
        classes = np.zeros(n, dtype=np.int8)
    excluded_mask = np.zeros(n, dtype=bool) if excluded is None else np.asarray(excluded, dtype=bool)
    if decimals is None:
        decimals = auto_decimals(values)
    line_decimals = min(decimals + 1, 3)
    boundary_values = [
        (side, float(b))
        for side, b in (("low", boundary_low), ("high", boundary_high))
        if b is not None and math.isfinite(float(b))
    ]
    chart_id = _clean_id(chart_id) if chart_id else f"chart-{next(_ids)}"

    # Scales: the y domain covers the values, the lines and the boundaries.
    everything = np.concatenate((values, centre, lower, upper, [b for _, b in boundary_values]))
    everything = everything[np.isfinite(everything)]
    low, high = (float(everything.min()), float(everything.max())) if everything.size else (0.0, 1.0)
    tick_values, tick_decimals = nice_ticks(low, high, target=5 if height >= 180 else 3)
    y_labels = [format_number(v, tick_decimals, locale) for v in tick_values]

    boundary_text = pgettext("chart boundary line", "Boundary")
    left = 14 + CHAR_WIDTH * max(len(label) for label in y_labels)
    right = width - (12 + CHAR_WIDTH * len(boundary_text) if boundary_values else 14)
    top = 30.0
    bottom = height - 36.0
    domain_low, domain_high = tick_values[0], tick_values[-1]
    scale = (bottom - top) / (domain_high - domain_low)

    def y_of(v):
        return bottom - (v - domain_low) * scale

    pad = 8.0
    if n > 1:
        spacing = (right - left - 2 * pad) / (n - 1)
        xs = left + pad + spacing * np.arange(n)
    else:
        spacing = right - left
        xs = np.full(n, (left + right) / 2)
    half = spacing / 2
    ys = y_of(values)

    y_ticks = tuple(
        Tick(round(float(y_of(v)), 1), label) for v, label in zip(tick_values, y_labels, strict=True)
    )
    months = [month_of(p) for p in periods]
    long_labels = [
        p if m is None else f"{MONTHS[locale][m[1] - 1][1]} {m[0]}"
        for p, m in zip(periods, months, strict=True)
    ]
    x_ticks = _x_ticks(periods, months, xs, right - left, locale)

    # The data: broken at gaps; a lone point between gaps is only its marker. Python lists in the loops:
    # indexing numpy arrays one element at a time is slow.
    finite = np.isfinite(values)
    xs_list, ys_list, values_list = xs.tolist(), ys.tolist(), values.tolist()
    finite_list, excluded_list = finite.tolist(), excluded_mask.tolist()
    below_centre = (values < centre).tolist()  # False where either is NaN
    names = [
        "excluded" if excluded_list[i] else CLASS_NAMES.get(code, "common")
        for i, code in enumerate(classes.tolist())
    ]
    data_lines = tuple(
        " ".join(f"{xs_list[i]:.1f},{ys_list[i]:.1f}" for i in range(a, b))
        for a, b in _runs(finite)
        if b - a > 1
    )

    markers = []
    present = set()
    for i in np.flatnonzero(finite).tolist():
        name = names[i]
        present.add(name)
        markers.append(
            Marker(
                f"chart__point chart__point--{name}",
                marker_path(name, xs_list[i], ys_list[i], not below_centre[i]),
                name,
                i,
            )
        )

    # Centre and limits per phase: a recalculation starts new segments.
    lines = []
    y_centre, y_lower, y_upper = y_of(centre), y_of(lower), y_of(upper)
    for phase, (a, b) in enumerate(_phases(centre, segments)):
        for kind, ys_line in (("centre", y_centre), ("lower", y_lower), ("upper", y_upper)):
            css = "chart__centre" if kind == "centre" else "chart__limit"
            lines.extend(Line(css, points, kind, phase) for points in _line_points(xs, ys_line, a, b, half))
    has_limits = bool(np.isfinite(lower).any() or np.isfinite(upper).any())
    has_centre = bool(np.isfinite(centre).any())

    boundaries = tuple(
        Boundary(round(float(y_of(value)), 1), value, boundary_text, side) for side, value in boundary_values
    )

    index_of = {p: i for i, p in enumerate(periods)}
    notes = []
    note_by_index: dict[int, list[str]] = {}
    for number, (period, text) in enumerate(_annotation_items(annotations), start=1):
        i = index_of.get(period)
        notes.append(
            Annotation(
                number, None if i is None else round(float(xs[i]), 1), period_label(period, locale), text
            )
        )
        if i is not None:
            note_by_index.setdefault(i, []).append(f"{number}. {text}")

    legend = []
    for name in CLASS_ORDER:
        if name in present:
            d = (
                _triangle(5, 8, 8, True) + _triangle(14, 8, 8, False)
                if name == "improvement"
                else marker_path(name, 8, 8)
            )
            legend.append(
                LegendItem(
                    "point", f"chart__point chart__point--{name}", d, _class_labels(get_language())[name]
                )
            )
    if has_centre:
        legend.append(LegendItem("line", "chart__centre", "", pgettext("chart legend", "Centre line")))
    if has_limits:
        legend.append(LegendItem("line", "chart__limit", "", pgettext("chart legend", "Process limits")))
    for side, value in boundary_values:
        text = format_number(value, decimals, locale) + (f"{NBSP}{unit_label}" if unit_label else "")
        label = (
            pgettext("chart legend", "Agreed boundary, lowest acceptable: %(value)s")
            if side == "low"
            else pgettext("chart legend", "Agreed boundary, highest acceptable: %(value)s")
        ) % {"value": text}
        legend.append(LegendItem("line", "chart__boundary", "", label))
    if any(note.x is not None for note in notes):
        legend.append(LegendItem("line", "chart__note-line", "", pgettext("chart legend", "Numbered note")))

    # The data table: one row per period.
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
    if note_by_index:
        headers.append(pgettext("chart table", "Note"))
    no_value = pgettext("chart table", "no value")
    labels = _class_labels(get_language())
    formatted: dict[float, str] = {}  # the lines repeat one value per phase

    def line_text(value: float) -> str:
        text = formatted.get(value)
        if text is None:
            text = formatted[value] = format_number(value, line_decimals, locale) or "–"
        return text

    columns = [centre.tolist()] if has_centre else []
    if has_limits:
        columns += [lower.tolist(), upper.tolist()]
    rows = []
    for i in range(n):
        if finite_list[i]:
            numbers = [format_number(values_list[i], decimals, locale)]
            label = labels[names[i]]
        else:
            numbers = [no_value]
            label = ""
        numbers.extend(line_text(column[i]) for column in columns)
        rows.append(
            Row(long_labels[i], tuple(numbers), label, " ".join(note_by_index.get(i, ())))
            if i in note_by_index
            else Row(long_labels[i], tuple(numbers), label, "")
        )

    markers = tuple(markers)
    lines = tuple(lines)
    notes = tuple(notes)
    rows = tuple(rows)
    has_notes = bool(note_by_index)
    plot_markup = _plot_markup(
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        unit_label=unit_label,
        y_ticks=y_ticks,
        x_ticks=x_ticks,
        lines=lines,
        boundaries=boundaries,
        notes=notes,
        data_lines=data_lines,
        markers=markers,
    )
    return SpcChart(
        chart_id=chart_id,
        title=title,
        unit_label=unit_label,
        locale=locale,
        width=width,
        height=height,
        left=round(left, 1),
        top=top,
        right=round(right, 1),
        bottom=bottom,
        desc=summary(result, values, periods, decimals, locale, unit_label),
        y_ticks=y_ticks,
        x_ticks=x_ticks,
        data_lines=data_lines,
        markers=markers,
        phase_lines=lines,
        boundaries=boundaries,
        annotations=notes,
        legend=tuple(legend),
        table_caption=pgettext("chart table", "Data for %(title)s") % {"title": title},
        table_headers=tuple(headers),
        rows=rows,
        has_notes=has_notes,
        plot_markup=plot_markup,
        table_markup=_table_markup(rows, has_notes),
    )
