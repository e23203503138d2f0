"""Speed of the SPC chart component: 100 charts x 36 monthly points through the template, as a unit's
follow-up page with 100 indicators would render them (analysis excluded: it runs in batch beforehand).

    .venv/bin/python benchmarks/charts.py [--charts 100] [--points 36] [--repeat 7]

Prints the milliseconds per page-worth of charts (best and median of the repeats), split into building
the geometry (`spc_chart`) and rendering the template, and the HTML size.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SEED = 20261123


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--charts", type=int, default=100)
    parser.add_argument("--points", type=int, default=36)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
    import django

    django.setup()
    from django.template.loader import get_template
    from django.utils import translation

    from tillit.analysis import Direction, analyse
    from tillit.charts.spc import ChartSeries, spc_chart

    rng = np.random.default_rng(SEED)
    values = np.round(rng.normal(100, 10, (args.charts, args.points)), 1)
    values[: args.charts // 5, -12:] += 15  # a real shift in a fifth of the series
    values[rng.random(values.shape) < 0.02] = np.nan  # a few gaps
    segments = np.zeros(values.shape, dtype=np.int64)
    segments[: args.charts // 10, args.points // 2 :] = 1  # a recalculation in a tenth
    batch = analyse(values, segments=segments, direction=Direction.UP, boundary_low=75.0)
    from tillit.analysis.engine import SeriesResult

    def one(row: int) -> SeriesResult:
        return SeriesResult(
            profile=batch.profile,
            chart=batch.chart_of(row),
            values=batch.values[row],
            centre=batch.centre[row],
            lower=batch.lower[row],
            upper=batch.upper[row],
            lower_2s=batch.lower_2s[row],
            upper_2s=batch.upper_2s[row],
            flags=batch.flags[row],
            point_class=batch.point_class[row],
            n=int(batch.n[row]),
            n_baseline=int(batch.n_baseline[row]),
            limits_shown=bool(batch.limits_shown[row]),
            latest=int(batch.latest[row]),
            variation=int(batch.variation[row]),
            assurance=int(batch.assurance[row]),
            boundary_crossed=bool(batch.boundary_crossed[row]),
            runs_useful=int(batch.runs_useful[row]),
            runs_longest=int(batch.runs_longest[row]),
            runs_longest_limit=int(batch.runs_longest_limit[row]),
            runs_crossings=int(batch.runs_crossings[row]),
            runs_crossings_limit=int(batch.runs_crossings_limit[row]),
        )

    results = [one(row) for row in range(args.charts)]
    periods = [date(2023 + i // 12, i % 12 + 1, 1) for i in range(args.points)]
    template = get_template("charts/spc_chart.html")

    build_times, render_times, size = [], [], 0
    with translation.override("sv"):
        for _ in range(args.repeat):
            start = time.perf_counter()
            charts = [
                spc_chart(
                    series=ChartSeries.from_result(periods=periods, frequency="month", result=results[row]),
                    title=f"Indikator {row + 1}",
                    unit_label="dagar",
                    boundary_low=75.0,
                    annotations=[(periods[12], "Ny rutin")] if row % 7 == 0 else (),
                    chart_id=f"indicator-{row + 1}",
                )
                for row in range(args.charts)
            ]
            built = time.perf_counter()
            html = "".join(template.render({"chart": chart}) for chart in charts)
            rendered = time.perf_counter()
            build_times.append((built - start) * 1000)
            render_times.append((rendered - built) * 1000)
            size = len(html.encode())

    totals = [b + r for b, r in zip(build_times, render_times, strict=True)]
    print(f"{args.charts} charts x {args.points} points, {args.repeat} repeats (the first warms the caches)")
    print(
        f"  geometry (spc_chart): best {min(build_times):6.1f} ms, median {statistics.median(build_times):6.1f} ms"
    )
    print(
        f"  template render:      best {min(render_times):6.1f} ms, median {statistics.median(render_times):6.1f} ms"
    )
    print(f"  total per page-worth: best {min(totals):6.1f} ms, median {statistics.median(totals):6.1f} ms")
    print(f"  HTML: {size / 1024:.0f} KiB ({size / args.charts / 1024:.1f} KiB per chart)")


if __name__ == "__main__":
    main()
