"""The SVG process behaviour chart: geometry from spc_chart and the markup of charts/spc_chart.html."""

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from django.template.loader import render_to_string
from django.utils import translation

from tillit.analysis import Direction, analyse_series
from tillit.charts.spc import ChartSeries, Tick, format_number, marker_path, nice_ticks, spc_chart

pytestmark = pytest.mark.unit

SVG = "{http://www.w3.org/2000/svg}"
STABLE = [20, 24, 20, 26, 22, 16, 18, 16, 31, 28, 34, 26, 30, 19, 18]


def months(count, start_year=2023):
    return [date(start_year + i // 12, i % 12 + 1, 1) for i in range(count)]


def draw(*, periods, result=None, values=None, frequency="month", segments=None, excluded=None, **options):
    """The chart of an engine result (or of values alone) over these periods."""
    if result is None:
        series = ChartSeries(
            periods=periods, frequency=frequency, values=values, segments=segments, excluded=excluded
        )
    else:
        series = ChartSeries.from_result(
            periods=periods,
            frequency=frequency,
            result=result,
            values=values,
            segments=segments,
            excluded=excluded,
        )
    return spc_chart(series=series, **options)


@pytest.fixture(autouse=True)
def swedish():
    with translation.override("sv"):
        yield


def render(chart) -> str:
    return render_to_string("charts/spc_chart.html", {"chart": chart})


def parse(chart) -> ET.Element:
    """The rendered figure as XML (the template writes well-formed XHTML-compatible markup)."""
    html = render(chart).replace("&nbsp;", "\u00a0")
    return ET.fromstring(html)  # noqa: S314 - our own markup


def svg_of(figure: ET.Element) -> ET.Element:
    return next(e for e in figure if e.tag in ("svg", f"{SVG}svg"))


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def elements(root: ET.Element, tag: str, css: str | None = None) -> list[ET.Element]:
    found = [e for e in root.iter() if local(e.tag) == tag]
    if css is not None:
        found = [e for e in found if css in e.get("class", "").split()]
    return found


def points_of(polyline: ET.Element) -> list[tuple[float, float]]:
    return [tuple(map(float, pair.split(","))) for pair in polyline.get("points").split()]


# --- the accessible structure --------------------------------------------------------------------------


def test_svg_parses_and_is_an_image_with_title_and_description():
    result = analyse_series(STABLE, direction=Direction.UP)
    figure = parse(draw(periods=months(15), result=result, title="Fall", chart_id="fall"))
    assert figure.tag == "figure"
    assert "chart" in figure.get("class")
    svg = svg_of(figure)
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "fall-title fall-desc"
    assert svg.get("viewBox") == "0 0 640 240"
    title = next(e for e in svg if local(e.tag) == "title")
    desc = next(e for e in svg if local(e.tag) == "desc")
    assert (title.get("id"), title.text) == ("fall-title", "Fall")
    assert desc.get("id") == "fall-desc"
    assert desc.text.startswith("Rutinvariation; senaste värdet 18 i mars 2024, inom processgränserna")
    assert elements(figure, "figcaption")[0].text.strip() == "Fall"
    summary = elements(figure, "summary")[0]
    assert summary.text == "Visa data som tabell"
    table = elements(figure, "table")[0]
    assert elements(table, "caption")[0].text == "Data för Fall"
    assert all(th.get("scope") == "col" for th in elements(elements(table, "thead")[0], "th"))


def test_ids_are_unique_per_chart_and_no_inline_style():
    result = analyse_series(STABLE)
    first = render(draw(periods=months(15), result=result, title="A"))
    second = render(draw(periods=months(15), result=result, title="B"))
    ids = re.findall(r'\bid="([^"]+)"', first + second)
    assert len(ids) == len(set(ids)) == 6
    assert "style=" not in first
    assert "<script" not in first


def test_chart_id_is_cleaned_for_use_as_an_id():
    chart = draw(
        periods=[date(2024, 1, 1)], frequency="year", values=[1.0], title="x", chart_id="12 fall/vecka"
    )
    assert chart.chart_id == "chart-12-fall-vecka"


def test_text_is_escaped():
    result = analyse_series(STABLE)
    html = render(
        draw(
            periods=months(15),
            result=result,
            title="<b>Fall</b>",
            unit_label="<i>",
            annotations=[(date(2023, 2, 1), "<script>alert(1)</script>")],
        )
    )
    assert "<b>" not in html
    assert "<i>" not in html
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


# --- markers ---------------------------------------------------------------------------------------------


def test_one_marker_per_observed_point():
    values = [*STABLE[:5], np.nan, *STABLE[5:], np.nan]
    result = analyse_series(values)
    chart = draw(periods=months(17), result=result, title="Fall")
    svg = svg_of(parse(chart))
    assert len(elements(svg, "path", "chart__point")) == len(chart.markers) == 15
    assert [m.index for m in chart.markers] == [i for i in range(17) if i not in (5, 16)]


def shape(d: str) -> str:
    if "a" in d:
        return "circle"
    vertices = len(re.findall(r"[ML]", d))
    return {3: "triangle", 4: "diamond or cross"}[vertices]


def test_marker_shape_differs_by_class_not_only_colour():
    values = [10, 11, 9, 10, 12, 10, 11, 9, 10, 11, 10, 9, 11, 30, -10]
    up = analyse_series(values, direction=Direction.UP)
    chart = draw(periods=months(15), result=up, title="x")
    by_class = {m.point_class: m for m in chart.markers}
    assert set(by_class) == {"common", "improvement", "concern"}
    assert shape(by_class["common"].d) == "circle"
    assert shape(by_class["improvement"].d) == "triangle"
    assert by_class["concern"].d.count("L") == 3
    assert "M" in by_class["concern"].d
    neutral = analyse_series(values, direction=Direction.NEUTRAL)
    special = list(draw(periods=months(15), result=neutral, title="x").markers)
    assert {m.point_class for m in special} == {"common", "special"}
    ring = next(m for m in special if m.point_class == "special")
    assert "chart__point--special" in ring.css  # hollow by CSS: a ring, larger than the common dot
    assert marker_path("special", 0, 0) != marker_path("common", 0, 0)
    # Every class has its own outline at the same spot, and the legend explains each one shown.
    outlines = {name: marker_path(name, 50, 50) for name in ("common", "improvement", "concern", "special")}
    assert len(set(outlines.values())) == 4
    legend = [item.label for item in chart.legend if item.kind == "point"]
    assert legend == ["Rutinvariation", "Signal: förbättring", "Signal: försämring"]


def test_improvement_triangle_points_to_its_side_of_the_centre_line():
    high = marker_path("improvement", 100, 100, above=True)
    low = marker_path("improvement", 100, 100, above=False)
    assert float(high.split(",")[1].split("L")[0]) < 100 < float(low.split(",")[1].split("L")[0])


def test_excluded_points_are_crosses_and_labelled_in_the_table():
    excluded = [False] * 15
    excluded[3] = True
    result = analyse_series(STABLE, excluded=excluded)
    chart = draw(periods=months(15), result=result, title="x", excluded=excluded)
    assert chart.markers[3].point_class == "excluded"
    assert chart.rows[3].label == "Utesluten från analysen"


# --- lines -----------------------------------------------------------------------------------------------


def test_a_gap_breaks_the_data_line_in_two():
    values = [*STABLE[:7], np.nan, *STABLE[7:]]
    chart = draw(periods=months(16), result=analyse_series(values), title="x")
    lines = elements(svg_of(parse(chart)), "polyline", "chart__data")
    assert len(lines) == len(chart.data_lines) == 2
    assert [len(points_of(line)) for line in lines] == [7, 8]
    assert points_of(lines[0])[-1][0] < points_of(lines[1])[0][0]


def test_a_lone_point_between_gaps_is_only_a_marker():
    values = [*STABLE[:5], np.nan, 20, np.nan, *STABLE[5:]]
    chart = draw(periods=months(18), result=analyse_series(values), title="x")
    assert [len(line.split()) for line in chart.data_lines] == [5, 10]
    assert len(chart.markers) == 16


def test_centre_and_limits_are_drawn_per_phase():
    values = STABLE + [v + 20 for v in STABLE]
    segments = [0] * 15 + [1] * 15
    result = analyse_series(values, segments=segments)
    chart = draw(periods=months(30), result=result, title="x")
    svg = svg_of(parse(chart))
    centres = elements(svg, "polyline", "chart__centre")
    limits = elements(svg, "polyline", "chart__limit")
    assert len(centres) == 2
    assert len(limits) == 4
    assert {(line.kind, line.phase) for line in chart.phase_lines} == {
        (kind, phase) for kind in ("centre", "lower", "upper") for phase in (0, 1)
    }
    first, second = (points_of(line) for line in centres)
    assert first[0][1] == first[-1][1]
    assert second[0][1] == second[-1][1]
    assert second[0][1] < first[0][1]  # the second phase's centre is higher (smaller y)
    assert first[-1][0] < second[0][0]  # separate segments, not one line across the recalculation
    # Limits are dashed by CSS class, the centre line solid.
    css = (Path(__file__).parents[2] / "tillit/static/css/charts.css").read_text()
    assert re.search(r"\.chart__limit \{[^}]*stroke-dasharray", css)
    assert not re.search(r"\.chart__centre \{[^}]*stroke-dasharray", css)


def test_explicit_segments_override_the_phases_read_from_the_centre():
    result = analyse_series(STABLE)
    chart = draw(periods=months(15), result=result, title="x", segments=[0] * 7 + [1] * 8)
    assert {line.phase for line in chart.phase_lines} == {0, 1}


def test_varying_limits_are_stepped():
    numerators = [5, 8, 6, 7, 9, 4, 6, 5, 7, 8, 6, 5, 7, 6, 8]
    denominators = [50, 80, 60, 100, 90, 40, 70, 50, 75, 85, 60, 55, 70, 65, 90]
    result = analyse_series(numerators, denominators=denominators, chart="p")
    chart = draw(periods=months(15), result=result, title="x")
    upper = next(line for line in chart.phase_lines if line.kind == "upper")
    assert len(upper.points.split()) == 30  # two points per period: a step


def test_run_chart_has_centre_but_no_limits():
    result = analyse_series(STABLE[:8])
    chart = draw(periods=months(8), result=result, title="x")
    assert {line.kind for line in chart.phase_lines} == {"centre"}
    assert chart.table_headers == ("Period", "Värde", "Centrallinje", "Bedömning")
    assert "för få värden" in chart.desc.lower()


def test_boundary_lines_are_at_the_boundary_values():
    result = analyse_series(STABLE, boundary_low=10, boundary_high=40)
    chart = draw(periods=months(15), result=result, title="x", boundary_low=10, boundary_high=40)
    ticks = {float(t.label.replace(",", ".")): t.position for t in chart.y_ticks}
    (v0, y0), (v1, y1) = sorted(ticks.items())[:2]
    per_unit = (y0 - y1) / (v1 - v0)

    def y_of(value):
        return y0 - (value - v0) * per_unit

    assert [(b.side, b.value) for b in chart.boundaries] == [("low", 10.0), ("high", 40.0)]
    for boundary in chart.boundaries:
        assert boundary.y == pytest.approx(y_of(boundary.value), abs=0.1)
    svg = svg_of(parse(chart))
    lines = elements(svg, "line", "chart__boundary")
    assert [float(line.get("y1")) for line in lines] == [b.y for b in chart.boundaries]
    assert [t.text for t in elements(svg, "text", "chart__boundary-label")] == ["Gräns", "Gräns"]
    assert "lägsta godtagbara: 10" in " ".join(item.label for item in chart.legend)
    # The y axis covers the boundaries even when the data do not reach them.
    assert min(ticks) <= 10
    assert max(ticks) >= 40


def test_annotations_are_numbered_markers_listed_under_the_chart():
    result = analyse_series(STABLE)
    chart = draw(
        periods=months(15),
        result=result,
        title="x",
        annotations=[
            (date(2023, 4, 1), "Ny rutin"),
            {"period": date(2024, 2, 1), "text": "Gemensam genomgång"},
        ],
    )
    figure = parse(chart)
    numbers = elements(svg_of(figure), "text", "chart__note-number")
    assert [n.text for n in numbers] == ["1", "2"]
    assert float(numbers[0].get("x")) == pytest.approx(chart.markers[3].d and chart.annotations[0].x)
    items = elements(elements(figure, "ol")[0], "li")
    assert ["".join(li.itertext()) for li in items] == [
        "april 2023: Ny rutin",
        "februari 2024: Gemensam genomgång",
    ]
    assert chart.rows[3].note == "1. Ny rutin"
    assert chart.table_headers[-1] == "Anteckning"


# --- axes and formats ------------------------------------------------------------------------------------


def test_swedish_month_labels_thinned_to_twelve():
    periods = months(36)
    chart = draw(periods=periods, values=np.arange(36.0), title="x", locale="sv")
    labels = [t.label for t in chart.x_ticks]
    assert len(labels) <= 12
    assert labels[:5] == ["jan", "apr", "jul", "okt", "jan"]
    assert [t.label2 for t in chart.x_ticks if t.label2] == ["2023", "2024", "2025"]
    every_month = draw(periods=months(12), values=np.arange(12.0), title="x", locale="sv")
    assert [t.label for t in every_month.x_ticks] == [
        "jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
    ]  # fmt: skip
    english = draw(periods=months(12), values=np.arange(12.0), title="x", locale="en")
    assert english.x_ticks[4].label == "May"
    assert english.x_ticks[9].label == "Oct"
    long = draw(periods=months(120), values=np.arange(120.0), title="x")
    assert len(long.x_ticks) <= 12


def test_other_periods_are_shown_in_their_short_form():
    periods = [date(2024, 12, 30) + timedelta(weeks=w) for w in range(52)]  # ISO weeks 2025-W01 to W52
    chart = draw(periods=periods, frequency="week", values=np.arange(52.0), title="x")
    assert 1 <= len(chart.x_ticks) <= 12
    assert chart.x_ticks[0] == Tick(chart.x_ticks[0].position, "2025-V01")


def test_decimal_comma_and_swedish_number_format():
    assert format_number(1234.5, 1, "sv") == "1\u00a0234,5"
    assert format_number(-0.25, 2, "sv") == "\u22120,25"
    assert format_number(-0.04, 1, "sv") == "0,0"
    assert format_number(1234.5, 1, "en") == "1,234.5"
    assert format_number(float("nan"), 1, "sv") == ""
    chart = draw(periods=months(4), values=[0.5, 0.75, 1.25, 1.0], title="x", locale="sv")
    assert all("." not in t.label for t in chart.y_ticks)
    assert any("," in t.label for t in chart.y_ticks)


def test_nice_ticks():
    assert nice_ticks(13, 47) == ([10.0, 20.0, 30.0, 40.0, 50.0], 0)
    ticks, decimals = nice_ticks(0.12, 0.19)
    assert ticks[0] <= 0.12
    assert ticks[-1] >= 0.19
    assert decimals == 2
    assert nice_ticks(5, 5)[0][0] < 5 < nice_ticks(5, 5)[0][-1]


def test_data_table_has_one_row_per_period_with_formatted_values():
    values = [*[v + 0.5 for v in STABLE], np.nan]
    result = analyse_series(values)
    chart = draw(periods=months(16), result=result, title="Fall", unit_label="dagar")
    table = elements(parse(chart), "table")[0]
    rows = elements(elements(table, "tbody")[0], "tr")
    assert len(rows) == len(chart.rows) == 16
    header = [th.text for th in elements(elements(table, "thead")[0], "th")]
    assert header == [
        "Period", "Värde (dagar)", "Centrallinje", "Nedre processgräns", "Övre processgräns", "Bedömning",
    ]  # fmt: skip
    first = rows[0]
    assert first[0].tag == "th"
    assert first[0].get("scope") == "row"
    assert first[0].text == "januari 2023"
    assert [td.text for td in first[1:]] == ["20,5", "23,70", "9,26", "38,14", "Rutinvariation"]
    assert [td.text for td in rows[-1][1:3]] == ["inget värde", "23,70"]


def test_english_texts_follow_the_active_language():
    result = analyse_series(STABLE)
    with translation.override("en"):
        chart = draw(periods=months(15), result=result, title="Falls")
    assert chart.locale == "en"
    assert chart.desc.startswith("Routine variation; latest value 18 in March 2024")
    assert chart.rows[0].period == "January 2023"


def test_summary_names_signals_and_boundaries():
    values = [*STABLE, 60]
    result = analyse_series(values, direction=Direction.DOWN, boundary_high=50)
    chart = draw(periods=months(16), result=result, title="x", boundary_high=50)
    assert chart.desc.startswith("Signal om försämring, höga värden; senaste värdet 60 i april 2024")
    assert "över den övre processgränsen" in chart.desc
    assert "Det senaste värdet ligger utanför en överenskommen gräns." in chart.desc


def test_no_values():
    chart = draw(periods=months(3), values=[np.nan] * 3, title="x")
    assert chart.markers == ()
    assert chart.data_lines == ()
    assert chart.desc == "Inga värden än."
    parse(chart)
