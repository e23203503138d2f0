"""The follow-up page's charts as HTML, cached per series and language.

A chart's markup depends only on the stored result (its input signature), the indicator's words and the
phase labels, the language, and the chart code. Keyed on all of them, a cached chart is never stale, and
a page of 100 charts costs one cache read instead of building and rendering 100 SVGs.
"""

import hashlib
from functools import cache
from pathlib import Path

import numpy as np
from django.core.cache import caches
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tillit.charts import spc as spc_package
from tillit.charts.spc import auto_decimals, spc_chart
from tillit.followup import selectors

CHART_CACHE = "charts"
CHART_TEMPLATE = "charts/spc_chart.html"
KEEP_FOR = 60 * 60 * 24 * 30  # a month: the key changes whenever the chart would


@cache
def _code_version() -> str:
    """A hash of the code that draws a chart: a new release never serves an old drawing."""
    digest = hashlib.sha256()
    package = sorted(Path(spc_package.__file__).parent.glob("*.py"))
    for path in (*package, get_template(CHART_TEMPLATE).origin.name, __file__):
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()[:16]


def decimals_for(indicator, values) -> int:
    """As many decimals as the data need; ratios shown per cent or per thousand get one."""
    found = auto_decimals(np.array([np.nan if v is None else v for v in values], dtype=np.float64))
    return min(found, 1) if indicator.scale != 1 else found


def _key(item, language: str) -> str:
    indicator, result = item.indicator, item.result
    parts = (
        _code_version(),
        language,
        indicator.pk,
        result.signature,
        indicator.name,
        indicator.measure_label,
        indicator.scale,
        tuple((phase.period.isoformat(), phase.label) for phase in item.phase_changes),
        tuple((look.pk, look.period.isoformat(), look.summary) for look in item.look_notes),
    )
    return "chart:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _annotations(item) -> list[tuple]:
    """Process changes and the summaries of closed joint looks, (period, text) in period order."""
    notes = [(phase.period, phase.label) for phase in item.phase_changes]
    notes += [
        (look.period, _("Joint look: %(summary)s") % {"summary": look.summary}) for look in item.look_notes
    ]
    notes.sort(key=lambda note: note[0])
    return notes


def _chart(item):
    indicator, result = item.indicator, item.result
    points = result.points
    label = indicator.measure_label
    if label and label.casefold() in indicator.name.casefold():
        label = ""  # "Fall per 1 000 vårddygn (fall per 1 000 vårddygn)" says it twice
    return spc_chart(
        series=selectors.chart_series(result, frequency=indicator.frequency),
        title=indicator.name,
        unit_label=label,
        decimals=decimals_for(indicator, points["values"]),
        boundary_low=result.boundary_low,
        boundary_high=result.boundary_high,
        annotations=_annotations(item),
        chart_id=f"indicator-{indicator.pk}",
    )


def charts_markup(items) -> dict[int, SafeString]:
    """indicator id -> the chart's HTML, for every item with a result (one cache read, one write)."""
    language = get_language() or ""
    keys = {item.indicator.pk: _key(item, language) for item in items if item.result is not None}
    store = caches[CHART_CACHE]
    found = store.get_many(list(keys.values()))
    missing = [item for item in items if item.result is not None and keys[item.indicator.pk] not in found]
    selectors.results_load_points([item.result for item in missing])
    template = get_template(CHART_TEMPLATE)
    fresh = {keys[item.indicator.pk]: template.render({"chart": _chart(item)}) for item in missing}
    if fresh:
        store.set_many(fresh, timeout=KEEP_FOR)
    found |= fresh
    return {pk: mark_safe(found[key]) for pk, key in keys.items()}  # noqa: S308 -- our own rendered template
