"""The SVG process behaviour chart in Chromium: axe WCAG 2.1 AA finds nothing, the data table opens from
the keyboard, and printing shows the figure with its table.

The chart is rendered by the template outside any page (`page.set_content`), with the stylesheets
served by the live server, so the component is checked on its own before a page uses it.
"""

from datetime import date

import numpy as np
import pytest
from axe_playwright_python.sync_playwright import Axe
from django.template.loader import render_to_string
from django.utils import translation

from tillit.analysis import Direction, analyse_series
from tillit.charts.spc import ChartSeries, spc_chart

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WCAG21AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def charts_html() -> str:
    periods = [date(2023 + i // 12, i % 12 + 1, 1) for i in range(36)]
    values = [
        *[20, 24, 20, 26, 22, 16, 18, 16, 31, 28, 34, 26, 30, 19, 18],  # the first phase
        np.nan,  # a gap
        *[40, 42, 41, 39, 45, 43, 41, 40, 44, 42, 43, 41, 40, 39, 55, 41, 43, 44, 45, 12.5],  # after a change
    ]
    segments = [0] * 15 + [1] * 21
    signals = analyse_series(values, segments=segments, direction=Direction.UP, boundary_low=15)
    neutral = analyse_series(
        [10, 11, 9, 10, 12, 10, 11, 9, 10, 11, 10, 9, 11, 30, 10], excluded=[False] * 14 + [True]
    )
    with translation.override("sv"):
        first = spc_chart(
            series=ChartSeries.from_result(periods=periods, frequency="month", result=signals),
            title="Fall per 1 000 vårddygn",
            unit_label="fall",
            boundary_low=15,
            annotations=[
                (date(2024, 3, 1), "Ny rutin för tillsyn"),
                (date(2025, 1, 1), "Gemensam genomgång"),
            ],
            chart_id="fall",
        )
        second = spc_chart(
            series=ChartSeries.from_result(
                periods=periods[:15], frequency="month", result=neutral, excluded=[False] * 14 + [True]
            ),
            title="Väntetid",
            unit_label="dagar",
            chart_id="vantetid",
        )
        return render_to_string("charts/spc_chart.html", {"chart": first}) + render_to_string(
            "charts/spc_chart.html", {"chart": second}
        )


@pytest.fixture
def chart_page(page, live_server):
    page.set_content(
        '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Diagram</title>'
        f'<link rel="stylesheet" href="{live_server.url}/static/css/app.css">'
        f'<link rel="stylesheet" href="{live_server.url}/static/css/charts.css">'
        f"</head><body><main><h1>Uppföljning</h1>{charts_html()}</main></body></html>",
        wait_until="load",
    )
    return page


def test_chart_has_no_axe_violations_and_names_the_image(chart_page):
    page = chart_page
    results = Axe().run(page, options=WCAG21AA)
    assert results.violations_count == 0, results.generate_report()
    image = page.get_by_role("img", name="Fall per 1 000 vårddygn")
    assert image.count() == 1
    description = image.evaluate("svg => svg.querySelector('desc').textContent")
    assert description.startswith("Signal om försämring")
    # The stylesheet is applied: the limits are dashed.
    dash = page.locator("#fall .chart__limit").first.evaluate("e => getComputedStyle(e).strokeDasharray")
    assert dash not in ("", "none")


def test_data_table_opens_from_the_keyboard(chart_page):
    page = chart_page
    table = page.locator("#fall table")
    assert not table.is_visible()
    page.locator("#fall summary").focus()
    page.keyboard.press("Enter")
    assert table.is_visible()
    assert table.locator("tbody tr").count() == 36
    results = Axe().run(page, options=WCAG21AA)
    assert results.violations_count == 0, results.generate_report()


def test_printing_shows_the_figure_and_the_table(chart_page):
    page = chart_page
    page.emulate_media(media="print")
    assert page.locator("#fall svg.chart__svg").is_visible()
    assert page.locator("#fall table").is_visible()
