"""Phase changes: a change in the work from a period on, where the chart's limits restart."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tillit.audit.enums import AuditAction
from tillit.audit.services import audit_record
from tillit.chain.access import Access
from tillit.core.clock import today
from tillit.core.rows import locked
from tillit.core.text import clean_line
from tillit.followup.services import analysis_schedule
from tillit.indicators.models import Indicator, PhaseChange
from tillit.indicators.periods import is_aligned, period_start
from tillit.indicators.services.indicators import require_indicator_change


@transaction.atomic
def phase_change_create(
    *, actor, access: Access, indicator: Indicator, period: date, label: str
) -> PhaseChange:
    """Record a change in the process from this period on: the chart's limits are recalculated there."""
    indicator = locked(Indicator.objects.select_related("unit__organisation"), pk=indicator.pk)
    require_indicator_change(access, indicator.unit)
    errors: dict[str, list[str]] = {}
    label = clean_line(label)
    if not label:
        errors["label"] = [_("Say what changed in the work.")]
    elif len(label) > 200:
        errors["label"] = [_("Keep it under 200 characters.")]
    if not isinstance(period, date) or not is_aligned(indicator.frequency, period):
        errors["period"] = [_("Choose the first period after the change.")]
    elif period > period_start(indicator.frequency, today()):
        errors["period"] = [_("The period has not started yet.")]
    elif PhaseChange.objects.filter(indicator=indicator, period=period).exists():
        errors["period"] = [_("A change is already recorded from this period.")]
    if errors:
        raise ValidationError(errors)
    phase_change = PhaseChange.objects.create(
        organisation_id=indicator.organisation_id,
        indicator=indicator,
        period=period,
        label=label,
        created_by=actor if actor is not None and actor.pk else None,
    )
    audit_record(
        actor=actor,
        organisation=indicator.unit.organisation,
        unit=indicator.unit,
        action=AuditAction.PHASE_CHANGE_CREATED,
        target=phase_change,
        after={"indicator": indicator.name, "period": period.isoformat(), "label": label},
    )
    analysis_schedule(organisation_id=indicator.organisation_id, indicator_ids=[indicator.pk])
    return phase_change


@transaction.atomic
def phase_change_delete(*, actor, access: Access, phase_change: PhaseChange) -> None:
    """Remove a recorded change: the chart's limits run on across that period again."""
    phase_change = PhaseChange.objects.select_related("indicator__unit__organisation").get(pk=phase_change.pk)
    indicator = phase_change.indicator
    require_indicator_change(access, indicator.unit)
    audit_record(
        actor=actor,
        organisation=indicator.unit.organisation,
        unit=indicator.unit,
        action=AuditAction.PHASE_CHANGE_DELETED,
        target=phase_change,
        before={
            "indicator": indicator.name,
            "period": phase_change.period.isoformat(),
            "label": phase_change.label,
        },
    )
    phase_change.delete()
    analysis_schedule(organisation_id=indicator.organisation_id, indicator_ids=[indicator.pk])
