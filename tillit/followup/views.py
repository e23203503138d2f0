"""Pages of follow-up: a unit's charts, and what needs a joint look across a sub-tree."""

from datetime import date

import numpy as np
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillit.analysis import Assurance, Variation
from tillit.chain import selectors as chain_selectors
from tillit.charts.spc import auto_decimals, chart_locale, format_number, spc_chart
from tillit.followup import selectors, services
from tillit.followup.labels import ASSURANCE_LABELS, VARIATION_LABELS, reasons_for_look
from tillit.followup.periods import chart_period


def _decimals(indicator, values) -> int:
    """As many decimals as the data need; ratios shown per cent or per thousand get one."""
    found = auto_decimals(np.array([np.nan if v is None else v for v in values], dtype=np.float64))
    return min(found, 1) if indicator.scale != 1 else found


def _chart(item):
    indicator, result = item.indicator, item.result
    points = result.points
    label = indicator.measure_label
    if label and label.casefold() in indicator.name.casefold():
        label = ""  # "Fall per 1 000 vårddygn (fall per 1 000 vårddygn)" says it twice
    periods = [chart_period(indicator.frequency, date.fromisoformat(day)) for day in points["periods"]]
    return spc_chart(
        periods=periods,
        result_for_one_series=selectors.series_result(result),
        title=indicator.name,
        unit_label=label,
        decimals=_decimals(indicator, points["values"]),
        boundary_low=result.boundary_low,
        boundary_high=result.boundary_high,
        segments=points["segment"],
        annotations=[
            (chart_period(indicator.frequency, phase.period), phase.label) for phase in item.phase_changes
        ],
        chart_id=f"indicator-{indicator.pk}",
    )


def _latest_text(result, indicator) -> str:
    if result.latest_value is None:
        return ""
    # Decimals from the value itself: the joint-look list must not load every series' points.
    text = format_number(result.latest_value, _decimals(indicator, [result.latest_value]), chart_locale(None))
    measure_label = indicator.measure_label
    return f"{text}\u00a0{measure_label}" if measure_label else text


@login_required
def unit_followup(request, unit_id: int):
    unit = chain_selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    followup = selectors.unit_followup(unit=unit)
    rows = []
    for item in followup.items:
        result = item.result
        rows.append(
            {
                "item": item,
                "chart": _chart(item) if result is not None else None,
                "variation": VARIATION_LABELS[Variation(result.variation)] if result else "",
                "assurance": ASSURANCE_LABELS[Assurance(result.assurance)] if result else "",
                "reasons": reasons_for_look(result) if result is not None and result.needs_look else [],
                "latest": _latest_text(result, item.indicator) if result else "",
            }
        )
    latest_periods = [
        item.result.latest_period for item in followup.items if item.result and item.result.latest_period
    ]
    return render(
        request,
        "followup/unit_followup.html",
        {
            "latest_period": max(latest_periods, default=None),
            "unit": unit,
            "chain": chain_selectors.unit_chain(unit=unit),
            "rows": rows,
            "followup": followup,
            "can_write": request.access.can_write(unit) and unit.closed_at is None,
        },
    )


@login_required
@require_POST
def unit_analyse(request, unit_id: int):
    """Recompute the unit's analysis now, rather than waiting for the task worker."""
    unit = chain_selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    if not request.access.can_write(unit):
        raise PermissionDenied
    services.analysis_run_for_unit(actor=request.user, access=request.access, unit=unit)
    messages.success(request, _("The analysis is up to date."))
    return redirect("followup:unit-followup", unit_id=unit.pk)


@login_required
def joint_look(request, unit_id: int):
    unit = chain_selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    overview = selectors.joint_look_overview(access=request.access, unit=unit)
    items = [
        {
            "result": result,
            "reasons": reasons_for_look(result),
            "latest": _latest_text(result, result.indicator),
        }
        for result in overview.items
    ]
    return render(
        request,
        "followup/joint_look.html",
        {
            "unit": unit,
            "chain": chain_selectors.unit_chain(unit=unit),
            "overview": overview,
            "items": items,
        },
    )
