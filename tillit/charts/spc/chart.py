"""`spc_chart`: one `ChartSeries` in, one frozen `SpcChart` out (coordinates, texts and escaped markup),
in steps: the scales, the data, the process lines, the notes, the legend and the table."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.utils.safestring import SafeString

from tillit.analysis import PointClass
from tillit.charts.spc import texts
from tillit.charts.spc.format import auto_decimals, chart_locale, format_number, long_period
from tillit.charts.spc.geometry import (
    CHAR_WIDTH,
    Tick,
    line_points,
    marker_path,
    nice_ticks,
    phases,
    runs,
    x_ticks,
)
from tillit.charts.spc.markup import plot_markup, table_markup
from tillit.charts.spc.parts import Annotation, Boundary, LegendItem, Line, Marker, Row
from tillit.charts.spc.series import ChartSeries

CLASS_NAMES = {
    PointClass.COMMON: "common",
    PointClass.IMPROVEMENT: "improvement",
    PointClass.CONCERN: "concern",
    PointClass.SPECIAL: "special",
}

_ids = itertools.count(1)


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


@dataclass(frozen=True)
class _Frame:
    """The plot area and the scales: x per period, y per value."""

    left: float
    right: float
    top: float
    bottom: float
    domain_low: float
    scale: float
    xs: np.ndarray
    half: float  # half the spacing between periods
    y_ticks: tuple[Tick, ...]

    def y_of(self, value):
        return self.bottom - (value - self.domain_low) * self.scale


def _frame(
    series: ChartSeries, boundary_values: list[tuple[str, float]], width: int, height: int, locale: str
) -> _Frame:
    """The y domain covers the values, the lines and the boundaries; the margins fit the labels."""
    everything = np.concatenate(
        (series.values, series.centre, series.lower, series.upper, [b for _, b in boundary_values])
    )
    everything = everything[np.isfinite(everything)]
    low, high = (float(everything.min()), float(everything.max())) if everything.size else (0.0, 1.0)
    tick_values, tick_decimals = nice_ticks(low, high, target=5 if height >= 180 else 3)
    y_labels = [format_number(v, tick_decimals, locale) for v in tick_values]
    left = 14 + CHAR_WIDTH * max(len(label) for label in y_labels)
    right = width - (12 + CHAR_WIDTH * len(texts.boundary_label()) if boundary_values else 14)
    top, bottom = 30.0, height - 36.0
    domain_low = tick_values[0]
    scale = (bottom - top) / (tick_values[-1] - domain_low)
    n, pad = len(series.periods), 8.0
    if n > 1:
        spacing = (right - left - 2 * pad) / (n - 1)
        xs = left + pad + spacing * np.arange(n)
    else:
        spacing = right - left
        xs = np.full(n, (left + right) / 2)
    y_ticks = tuple(
        Tick(round(float(bottom - (v - domain_low) * scale), 1), label)
        for v, label in zip(tick_values, y_labels, strict=True)
    )
    return _Frame(left, right, top, bottom, domain_low, scale, xs, spacing / 2, y_ticks)


def _data(series: ChartSeries, frame: _Frame, names: list[str]) -> tuple[tuple[str, ...], tuple[Marker, ...]]:
    """The data broken at gaps (a lone point between gaps is only its marker), and a marker per value.
    Python lists in the loops: indexing numpy arrays one element at a time is slow."""
    values = series.values
    finite = np.isfinite(values)
    xs_list, ys_list = frame.xs.tolist(), frame.y_of(values).tolist()
    below_centre = (values < series.centre).tolist()  # False where either is NaN
    data_lines = tuple(
        " ".join(f"{xs_list[i]:.1f},{ys_list[i]:.1f}" for i in range(a, b))
        for a, b in runs(finite)
        if b - a > 1
    )
    markers = tuple(
        Marker(
            f"chart__point chart__point--{names[i]}",
            marker_path(names[i], xs_list[i], ys_list[i], not below_centre[i]),
            names[i],
            i,
        )
        for i in np.flatnonzero(finite).tolist()
    )
    return data_lines, markers


def _process_lines(series: ChartSeries, frame: _Frame) -> tuple[Line, ...]:
    """Centre and limits per phase: a recalculation starts new segments."""
    lines = []
    y_lines = (
        ("centre", frame.y_of(series.centre)),
        ("lower", frame.y_of(series.lower)),
        ("upper", frame.y_of(series.upper)),
    )
    for phase, (a, b) in enumerate(phases(series.centre, series.segments)):
        for kind, ys_line in y_lines:
            css = "chart__centre" if kind == "centre" else "chart__limit"
            lines.extend(
                Line(css, points, kind, phase) for points in line_points(frame.xs, ys_line, a, b, frame.half)
            )
    return tuple(lines)


def _annotation_items(annotations: Iterable[Any]) -> list[tuple[Any, str]]:
    items = []
    for note in annotations:
        if isinstance(note, dict):
            items.append((note["period"], str(note["text"])))
        elif isinstance(note, tuple | list):
            items.append((note[0], str(note[1])))
        else:
            items.append((note.period, str(note.text)))
    return items


def _notes(
    series: ChartSeries, frame: _Frame, annotations: Iterable[Any], locale: str
) -> tuple[tuple[Annotation, ...], dict[int, list[str]]]:
    """Numbered notes at their period (a date), and the notes of each period for the table."""
    index_of = {day: i for i, day in enumerate(series.periods)}
    notes = []
    note_by_index: dict[int, list[str]] = {}
    for number, (day, text) in enumerate(_annotation_items(annotations), start=1):
        i = index_of.get(day)
        x = None if i is None else round(float(frame.xs[i]), 1)
        notes.append(Annotation(number, x, long_period(day, series.frequency, locale), text))
        if i is not None:
            note_by_index.setdefault(i, []).append(f"{number}. {text}")
    return tuple(notes), note_by_index


def _rows(
    series: ChartSeries,
    names: list[str],
    columns: list[list[float]],
    note_by_index: dict[int, list[str]],
    decimals: int,
    locale: str,
) -> tuple[Row, ...]:
    """The data table: one row per period, the value and the process lines."""
    line_decimals = min(decimals + 1, 3)
    no_value = texts.no_value()
    labels = texts.class_labels()
    formatted: dict[float, str] = {}  # the lines repeat one value per phase

    def line_text(value: float) -> str:
        text = formatted.get(value)
        if text is None:
            text = formatted[value] = format_number(value, line_decimals, locale) or "–"
        return text

    finite_list, values_list = np.isfinite(series.values).tolist(), series.values.tolist()
    rows = []
    for i, day in enumerate(series.periods):
        if finite_list[i]:
            numbers = [format_number(values_list[i], decimals, locale)]
            label = labels[names[i]]
        else:
            numbers = [no_value]
            label = ""
        numbers.extend(line_text(column[i]) for column in columns)
        note = " ".join(note_by_index[i]) if i in note_by_index else ""
        rows.append(Row(long_period(day, series.frequency, locale), tuple(numbers), label, note))
    return tuple(rows)


def _clean_id(value: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "-", value).strip("-")
    return cleaned if cleaned and cleaned[0].isalpha() else f"chart-{cleaned}"


def spc_chart(
    *,
    series: ChartSeries,
    title: str,
    unit_label: str = "",
    boundary_low: float | None = None,
    boundary_high: float | None = None,
    annotations: Iterable[Any] = (),
    width: int = 640,
    height: int = 240,
    locale: str | None = None,
    chart_id: str | None = None,
    decimals: int | None = None,
) -> SpcChart:
    """Build the geometry and texts of one process behaviour chart.

    `series` holds the periods (dates and a frequency: months get Swedish or English month names), the
    values (NaN for gaps) and what the analysis found. `boundary_low` and `boundary_high` are the agreed
    boundaries (values below / above are off-limits), drawn as labelled lines; give the engine the same
    ones so the summary's assurance agrees. `annotations` are `(period, text)` pairs, dicts or objects
    with `.period` and `.text`, the period a date. `locale` ("sv" or "en", default the active language)
    sets month names and number format; `chart_id` prefixes the element ids (default a fresh "chart-N");
    `decimals` fixes the number of decimals (default: as many as the data need).
    """
    locale = chart_locale(locale)
    if decimals is None:
        decimals = auto_decimals(series.values)
    boundary_values = [
        (side, float(b))
        for side, b in (("low", boundary_low), ("high", boundary_high))
        if b is not None and math.isfinite(float(b))
    ]
    chart_id = _clean_id(chart_id) if chart_id else f"chart-{next(_ids)}"

    frame = _frame(series, boundary_values, width, height, locale)
    names = [
        "excluded" if excluded else CLASS_NAMES.get(code, "common")
        for code, excluded in zip(series.point_class.tolist(), series.excluded.tolist(), strict=True)
    ]
    data_lines, markers = _data(series, frame, names)
    lines = _process_lines(series, frame)
    has_limits = bool(np.isfinite(series.lower).any() or np.isfinite(series.upper).any())
    has_centre = bool(np.isfinite(series.centre).any())
    boundaries = tuple(
        Boundary(round(float(frame.y_of(value)), 1), value, texts.boundary_label(), side)
        for side, value in boundary_values
    )
    notes, note_by_index = _notes(series, frame, annotations, locale)
    legend = texts.legend(
        present={marker.point_class for marker in markers},
        has_centre=has_centre,
        has_limits=has_limits,
        boundary_values=boundary_values,
        decimals=decimals,
        locale=locale,
        unit_label=unit_label,
        has_note_lines=any(note.x is not None for note in notes),
    )
    columns = [series.centre.tolist()] if has_centre else []
    if has_limits:
        columns += [series.lower.tolist(), series.upper.tolist()]
    rows = _rows(series, names, columns, note_by_index, decimals, locale)
    has_notes = bool(note_by_index)
    x_axis = x_ticks(series.periods, series.frequency, frame.xs, frame.right - frame.left, locale)
    return SpcChart(
        chart_id=chart_id,
        title=title,
        unit_label=unit_label,
        locale=locale,
        width=width,
        height=height,
        left=round(frame.left, 1),
        top=frame.top,
        right=round(frame.right, 1),
        bottom=frame.bottom,
        desc=texts.summary(series, decimals, locale, unit_label),
        y_ticks=frame.y_ticks,
        x_ticks=x_axis,
        data_lines=data_lines,
        markers=markers,
        phase_lines=lines,
        boundaries=boundaries,
        annotations=notes,
        legend=legend,
        table_caption=texts.table_caption(title),
        table_headers=texts.table_headers(
            unit_label=unit_label, has_centre=has_centre, has_limits=has_limits, has_notes=has_notes
        ),
        rows=rows,
        has_notes=has_notes,
        plot_markup=plot_markup(
            left=frame.left,
            right=frame.right,
            top=frame.top,
            bottom=frame.bottom,
            unit_label=unit_label,
            y_ticks=frame.y_ticks,
            x_ticks=x_axis,
            lines=lines,
            boundaries=boundaries,
            notes=notes,
            data_lines=data_lines,
            markers=markers,
        ),
        table_markup=table_markup(rows, has_notes),
    )
