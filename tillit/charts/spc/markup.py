"""The chart's repeated SVG elements and table rows as escaped markup, built in Python: a page of 100
charts would otherwise spend most of its time in the template engine's loops. The rest of the markup is
`charts/spc_chart.html`."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

from tillit.charts.spc.parts import Annotation, Boundary, Line, Marker, Row, Tick


def plot_markup(
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


def table_markup(rows: Sequence[Row], has_notes: bool) -> SafeString:
    out = []
    for row in rows:
        # The numbers are format_number's own output (digits, separators, a minus sign): nothing to escape.
        numbers = "".join([f'<td class="chart__num">{number}</td>' for number in row.numbers])
        note = f"<td>{escape(row.note)}</td>" if has_notes else ""
        out.append(
            f'<tr><th scope="row">{escape(row.period)}</th>{numbers}<td>{escape(row.label)}</td>{note}</tr>\n'
        )
    return mark_safe("".join(out))  # noqa: S308 - every text above is escaped
