"""Pages of follow-up: a unit's charts, and what needs a joint look across a sub-tree."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillit.analysis import Assurance
from tillit.burden.enums import UsageKind
from tillit.burden.services import usage_record
from tillit.chain import selectors as chain_selectors
from tillit.charts.spc import chart_locale, format_number
from tillit.core.views import can_change, unit_context
from tillit.dialogue.selectors import open_looks_by_indicator, unit_followup_with_notes
from tillit.followup import rules, selectors, tasks
from tillit.followup.chart_markup import charts_markup, decimals_for
from tillit.followup.labels import ASSURANCE_LABELS, variation_label
from tillit.followup.reasons import reason_labels


def _latest_text(result, indicator) -> str:
    if result.latest_value is None:
        return ""
    # Decimals from the value itself: the joint-look list must not load every series' points.
    text = format_number(
        result.latest_value, decimals_for(indicator, [result.latest_value]), chart_locale(None)
    )
    measure_label = indicator.measure_label
    return f"{text}\u00a0{measure_label}" if measure_label else text


@login_required
def unit_followup(request, unit_id: int):
    unit = chain_selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    followup = unit_followup_with_notes(unit=unit)
    charts = charts_markup(followup.items)
    rows = []
    for item in followup.items:
        result = item.result
        rows.append(
            {
                "item": item,
                "chart": charts.get(item.indicator.pk),
                "variation": variation_label(result.variation) if result else "",
                "assurance": ASSURANCE_LABELS[Assurance(result.assurance)] if result else "",
                "reasons": reason_labels(result.reasons) if result is not None else [],
                "latest": _latest_text(result, item.indicator) if result else "",
            }
        )
    # One upsert for the whole page: each indicator whose chart is shown counts one chart view today.
    usage_record(
        indicator_ids=[row["item"].indicator.pk for row in rows if row["chart"]],
        kind=UsageKind.CHART_VIEW,
        unit=request.access.viewer_unit(unit),
    )
    latest_periods = [
        item.result.latest_period for item in followup.items if item.result and item.result.latest_period
    ]
    return render(
        request,
        "followup/unit_followup.html",
        unit_context(
            unit,
            latest_period=max(latest_periods, default=None),
            rows=rows,
            followup=followup,
            can_write=can_change(request.access, unit),
            can_analyse=can_change(request.access, unit) and rules.can_analyse_unit(request.access, unit),
        ),
    )


@login_required
@require_POST
def unit_analyse(request, unit_id: int):
    """Recompute the unit's analysis now, rather than waiting for the task worker."""
    unit = chain_selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    tasks.unit_followup_refresh(access=request.access, unit=unit)  # 403 for others in the chain
    messages.success(request, _("The analysis is up to date."))
    return redirect("followup:unit-followup", unit_id=unit.pk)


@login_required
def joint_look(request, unit_id: int):
    unit = chain_selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    overview = selectors.joint_look_overview(access=request.access, unit=unit)
    looks = open_looks_by_indicator(access=request.access, unit=unit)
    items = [
        {
            "result": result,
            "reasons": reason_labels(result.reasons),
            "latest": _latest_text(result, result.indicator),
            "look": looks.get(result.indicator_id),
        }
        for result in overview.items
    ]
    return render(
        request,
        "followup/joint_look.html",
        unit_context(
            unit,
            overview=overview,
            items=items,
        ),
    )
