"""Process behaviour (SPC) charts as hand-written SVG: the geometry is computed here, the markup is
`charts/spc_chart.html`. See docs/charts.md.

`spc_chart(series=ChartSeries(...), ...)` turns one series (its periods as dates with a frequency, its
values and what the analysis found) into a frozen `SpcChart`: scaled coordinates, the data polyline
(broken at gaps), centre and limit lines per phase, point markers whose *shape* carries the point class
(colour only repeats it), agreed boundaries, numbered annotations, axis ticks, a legend, a one-sentence
summary for screen readers and the rows of the data table. All text is translated with the active
language; numbers and month names follow `locale`.

The package along its seams: `series` (the input), `format` (numbers and periods in words), `geometry`
(scales, ticks, lines, markers), `texts` (the words), `markup` (escaped SVG and table rows), `chart`
(the steps that put them together).
"""

from tillit.charts.spc.chart import SpcChart, spc_chart
from tillit.charts.spc.format import auto_decimals, chart_locale, format_number
from tillit.charts.spc.geometry import Tick, marker_path, nice_ticks
from tillit.charts.spc.series import ChartSeries
from tillit.charts.spc.texts import class_label, variation_text

__all__ = [
    "ChartSeries",
    "SpcChart",
    "Tick",
    "auto_decimals",
    "chart_locale",
    "class_label",
    "format_number",
    "marker_path",
    "nice_ticks",
    "spc_chart",
    "variation_text",
]
