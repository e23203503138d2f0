"""Pages of the indicators room. Readers of a unit see its indicators and data; its writers change them.

Outside the person's chain every page answers 404; inside it without the right to write, 403.
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillit.burden import selectors as burden_selectors
from tillit.burden import services as burden_services
from tillit.burden.enums import UsageKind
from tillit.chain import selectors as chain_selectors
from tillit.core.clock import today
from tillit.core.forms import add_service_errors, apply_service
from tillit.core.imports import problems_context, upload_store
from tillit.core.permissions import require
from tillit.core.views import can_change, require_change, unit_context, unit_get_changeable
from tillit.indicators import rules, selectors
from tillit.indicators.enums import WITH_DENOMINATOR, ChangeSource, Frequency
from tillit.indicators.forms import (
    ImportForm,
    IndicatorForm,
    NarrativeForm,
    ObservationForm,
    PhaseChangeForm,
)
from tillit.indicators.imports import template_csv
from tillit.indicators.periods import PeriodError, parse_period, period_label, period_start
from tillit.indicators.selectors.imports import observation_import_preview
from tillit.indicators.services import imports as import_services
from tillit.indicators.services import indicators as indicator_services
from tillit.indicators.services import narratives as narrative_services
from tillit.indicators.services import observations as observation_services
from tillit.indicators.services import phases as phase_services


def _readable_indicator(request, indicator_id: int, *, write: bool = False):
    indicator = selectors.indicator_get_readable(access=request.access, indicator_id=indicator_id)
    if write:
        require_change(request, indicator.unit)
    return indicator


def _format_number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.6g}".replace(",", "\u00a0") if abs(value) >= 10000 else f"{value:.6g}"


def observation_display(indicator, value: float | None, denominator: float | None) -> str:
    """A value as people read it: a ratio with its parts and its scaled share."""
    if value is None:
        return "–"
    if indicator.data_type in WITH_DENOMINATOR and denominator:
        ratio = value / denominator * indicator.scale
        suffix = {100.0: " %", 1000.0: " ‰"}.get(indicator.scale, "")
        shown = f"{ratio:.1f}{suffix}" if suffix else f"{ratio:.3g}"
        return f"{_format_number(value)} / {_format_number(denominator)} ({shown})"
    return _format_number(value)


def _localised(text: str) -> str:
    # Numbers in Swedish use a decimal comma.
    return text.replace(".", ",") if translation.get_language() == "sv" else text


# --- Indicators ---------------------------------------------------------------------------------


@login_required
def indicator_list(request, unit_id: int):
    unit = chain_selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    indicators = list(selectors.indicator_list(unit=unit))
    for indicator in indicators:
        indicator.latest_label = (
            period_label(indicator.frequency, indicator.latest_period) if indicator.latest_period else ""
        )
    return render(
        request,
        "indicators/indicator_list.html",
        unit_context(
            unit,
            indicators=indicators,
            narratives=selectors.narrative_list(unit=unit),
            can_write=can_change(request.access, unit),
        ),
    )


@login_required
def indicator_create(request, unit_id: int):
    unit = unit_get_changeable(request, unit_id)
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        indicator = apply_service(
            form,
            indicator_services.indicator_create,
            actor=request.user,
            access=request.access,
            unit=unit,
            **form.cleaned_data,
        )
        if indicator is not None:
            messages.success(request, _("The indicator is created. Enter its data or import a file."))
            return redirect(indicator)
    return render(
        request,
        "indicators/indicator_form.html",
        unit_context(unit, form=form, title=_("New indicator for %(unit)s") % {"unit": unit.name}),
    )


@login_required
def indicator_edit(request, indicator_id: int):
    indicator = _readable_indicator(request, indicator_id, write=True)
    require(rules.can_edit_indicator(request.access, indicator))
    fixed = selectors.indicator_has_data(indicator=indicator)
    initial = {name: getattr(indicator, name) for name in indicator_services.INDICATOR_FIELDS}
    form = IndicatorForm(request.POST or None, initial=initial, fixed_type=fixed)
    if request.method == "POST" and form.is_valid():
        updated = apply_service(
            form,
            indicator_services.indicator_update,
            actor=request.user,
            access=request.access,
            indicator=indicator,
            **form.cleaned_data,
        )
        if updated is not None:
            messages.success(request, _("The indicator is saved."))
            return redirect(updated)
    return render(
        request,
        "indicators/indicator_form.html",
        unit_context(
            indicator.unit,
            form=form,
            indicator=indicator,
            title=_("Edit %(name)s") % {"name": indicator.name},
        ),
    )


@login_required
def indicator_retire(request, indicator_id: int):
    indicator = _readable_indicator(request, indicator_id, write=True)
    if request.method == "POST":
        try:
            indicator_services.indicator_retire(
                actor=request.user, access=request.access, indicator=indicator
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The indicator is retired. Its data is kept."))
        return redirect(indicator)
    return render(
        request, "indicators/indicator_retire.html", unit_context(indicator.unit, indicator=indicator)
    )


@login_required
def indicator_detail(request, indicator_id: int):
    indicator = _readable_indicator(request, indicator_id)
    observations = list(selectors.indicator_observations(indicator=indicator))
    rows = []
    for observation in reversed(observations):
        rows.append(
            {
                "observation": observation,
                "label": period_label(indicator.frequency, observation.period),
                "shown": _localised(
                    observation_display(indicator, observation.value, observation.denominator)
                ),
                "changes": [
                    {
                        "change": change,
                        "before": _localised(
                            observation_display(indicator, change.value_before, change.denominator_before)
                        ),
                        "after": _localised(
                            observation_display(indicator, change.value_after, change.denominator_after)
                        ),
                    }
                    for change in observation.changes.all()
                ],
            }
        )
    phase_changes = [
        {"phase_change": phase, "label": period_label(indicator.frequency, phase.period)}
        for phase in selectors.indicator_phase_changes(indicator=indicator)
    ]
    unit = indicator.unit
    # Read before counting this view, so "last used" tells of others' use too; one query, one upsert.
    usage = burden_selectors.indicator_usage(indicator=indicator)
    burden_services.usage_record(
        indicator_ids=[indicator.pk],
        kind=UsageKind.INDICATOR_PAGE_VIEW,
        unit=request.access.viewer_unit(unit),
    )
    return render(
        request,
        "indicators/indicator_detail.html",
        unit_context(
            unit,
            indicator=indicator,
            rows=rows,
            phase_changes=phase_changes,
            usage=usage,
            with_denominator=indicator.data_type in WITH_DENOMINATOR,
            can_write=can_change(request.access, unit)
            and rules.can_edit_indicator(request.access, indicator),
        ),
    )


# --- Observations -------------------------------------------------------------------------------


@login_required
def observation_record(request, indicator_id: int):
    indicator = _readable_indicator(request, indicator_id, write=True)
    require(rules.can_record_observations(request.access, indicator))
    existing = None
    initial = {}
    asked = request.GET.get("period", "")
    if asked:
        try:
            existing = selectors.observation_get(
                indicator=indicator, period=parse_period(asked, indicator.frequency)
            )
        except PeriodError:
            existing = None
    if existing is not None:
        initial = {
            "period": period_label(indicator.frequency, existing.period),
            "value": _localised(_format_number(existing.value)),
            "denominator": _localised(_format_number(existing.denominator)),
            "comment": existing.comment,
        }
    else:
        last = period_start(indicator.frequency, today())
        initial = {"period": period_label(indicator.frequency, last)}
    form = ObservationForm(request.POST or None, initial=initial, indicator=indicator)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        row = observation_services.ObservationInput(
            period=data["period"],
            value=data["value"],
            denominator=data.get("denominator"),
            comment=data.get("comment", ""),
        )
        try:
            summary = observation_services.observations_record(
                actor=request.user,
                access=request.access,
                indicator=indicator,
                rows=[row],
                source=ChangeSource.FORM,
            )
        except observation_services.ObservationsInvalidError as error:
            # One row: show its reasons without a row number.
            add_service_errors(form, ValidationError([problem.message for problem in error.problems]))
        else:
            label = period_label(indicator.frequency, row.period)
            if summary.created:
                messages.success(request, _("The value for %(period)s is saved.") % {"period": label})
            elif summary.changed:
                messages.success(
                    request,
                    _("The value for %(period)s is corrected; the earlier value is kept in its history.")
                    % {"period": label},
                )
            else:
                messages.info(request, _("Nothing changed for %(period)s.") % {"period": label})
            return redirect(indicator)
    return render(
        request,
        "indicators/observation_form.html",
        unit_context(indicator.unit, indicator=indicator, form=form, existing=existing),
    )


# --- Phase changes ------------------------------------------------------------------------------


@login_required
def phase_change_create(request, indicator_id: int):
    indicator = _readable_indicator(request, indicator_id, write=True)
    form = PhaseChangeForm(request.POST or None, indicator=indicator)
    if request.method == "POST" and form.is_valid():
        phase_change = apply_service(
            form,
            phase_services.phase_change_create,
            actor=request.user,
            access=request.access,
            indicator=indicator,
            **form.cleaned_data,
        )
        if phase_change is not None:
            messages.success(request, _("The change is recorded: the chart's limits restart there."))
            return redirect(indicator)
    return render(
        request,
        "indicators/phase_change_form.html",
        unit_context(indicator.unit, indicator=indicator, form=form),
    )


@login_required
@require_POST
def phase_change_delete(request, phase_change_id: int):
    phase_change = selectors.phase_change_get_readable(access=request.access, phase_change_id=phase_change_id)
    indicator = phase_change.indicator
    require_change(request, indicator.unit)
    phase_services.phase_change_delete(actor=request.user, access=request.access, phase_change=phase_change)
    messages.success(request, _("The recorded change is removed."))
    return redirect(indicator)


# --- Narratives ---------------------------------------------------------------------------------


@login_required
def narrative_edit(request, unit_id: int):
    unit = unit_get_changeable(request, unit_id)
    asked = request.GET.get("period") or period_label(Frequency.MONTH, today())
    try:
        period = parse_period(asked, Frequency.MONTH)
    except PeriodError:
        period = today().replace(day=1)
    current = selectors.narrative_get(unit=unit, period=period)
    initial = {"period": period_label(Frequency.MONTH, period), "text": current.text if current else ""}
    form = NarrativeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            narrative = narrative_services.narrative_write(
                actor=request.user, access=request.access, unit=unit, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            label = period_label(Frequency.MONTH, form.cleaned_data["period"])
            messages.success(
                request,
                _("What you see in %(period)s is saved.") % {"period": label}
                if narrative
                else _("The text for %(period)s is removed.") % {"period": label},
            )
            return redirect("indicators:indicator-list", unit_id=unit.pk)
    return render(request, "indicators/narrative_form.html", unit_context(unit, form=form, current=current))


# --- Import -------------------------------------------------------------------------------------


@login_required
def import_upload(request, unit_id: int):
    unit = unit_get_changeable(request, unit_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    observation_import = upload_store(request, form, import_services.observation_import_create, unit=unit)
    if observation_import is not None:
        return redirect("indicators:import-detail", import_id=observation_import.pk)
    return render(
        request,
        "indicators/import_upload.html",
        unit_context(
            unit,
            form=form,
            indicators=selectors.indicator_list(unit=unit, include_retired=False),
            recent=selectors.observation_import_recent(unit=unit),
        ),
    )


@login_required
def import_detail(request, import_id: int):
    observation_import = selectors.observation_import_get_readable(access=request.access, import_id=import_id)
    unit = observation_import.unit
    require_change(request, unit)
    context = unit_context(unit, observation_import=observation_import)
    if observation_import.applied_at is None:
        preview = observation_import_preview(observation_import=observation_import)
        context |= {
            "preview": preview,
            **problems_context(preview.problems),
            "changes": [
                {
                    "indicator": item.indicator,
                    "label": period_label(item.indicator.frequency, observation.period),
                    "before": _localised(
                        observation_display(item.indicator, observation.value, observation.denominator)
                    ),
                    "after": _localised(observation_display(item.indicator, row.value, row.denominator)),
                }
                for item in preview.indicators
                for observation, row in item.changes[:200]
            ],
            "earlier": selectors.observation_import_earlier_application(
                observation_import=observation_import
            ),
        }
    return render(request, "indicators/import_detail.html", context)


@login_required
@require_POST
def import_apply(request, import_id: int):
    observation_import = selectors.observation_import_get_readable(access=request.access, import_id=import_id)
    require_change(request, observation_import.unit)
    try:
        import_services.observation_import_apply(
            actor=request.user, access=request.access, observation_import=observation_import
        )
    except ValidationError as error:
        for message in error.messages[:20]:
            messages.error(request, message)
    else:
        messages.success(request, _("The file is applied."))
    return redirect("indicators:import-detail", import_id=observation_import.pk)


@login_required
def import_template(request, unit_id: int):
    unit = chain_selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    on = today()
    rows = []
    for indicator in selectors.indicator_list(unit=unit, include_retired=False):
        # The latest complete period: what is usually reported next.
        latest = period_start(indicator.frequency, period_start(indicator.frequency, on) - timedelta(days=1))
        rows.append((indicator.name, period_label(indicator.frequency, latest)))
    swedish = translation.get_language() == "sv"
    response = HttpResponse(template_csv(rows=rows, swedish=swedish), content_type="text/csv; charset=utf-8")
    filename = ("import-mall" if swedish else "import-template") + f"-{unit.pk}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
