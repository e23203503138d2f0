"""Reads of the indicators room, always scoped by the caller's Access or the unit's organisation."""

from django.db.models import Count, Max, Prefetch, QuerySet
from django.http import Http404

from tillit.chain.access import Access
from tillit.indicators.models import (
    Indicator,
    Narrative,
    Observation,
    ObservationChange,
    ObservationImport,
    PhaseChange,
)


def unit_indicators(*, unit) -> QuerySet[Indicator]:
    """Every indicator of the unit, retired ones too."""
    return Indicator.objects.filter(unit=unit, organisation_id=unit.organisation_id)


def unit_live_indicators(*, unit) -> QuerySet[Indicator]:
    """The indicators the unit follows now (not retired), by name: the choices of every form that
    picks one of a unit's indicators."""
    return unit_indicators(unit=unit).filter(retired_at__isnull=True).order_by("name")


def indicator_list(*, unit, include_retired: bool = True) -> QuerySet[Indicator]:
    """The unit's indicators with how much data each has and its latest period (one query)."""
    indicators = unit_indicators(unit=unit) if include_retired else unit_live_indicators(unit=unit)
    return indicators.annotate(
        observation_count=Count("observations"), latest_period=Max("observations__period")
    ).order_by("retired_at", "name")


def unit_has_indicator_named(*, unit, name: str, other_than: int | None = None) -> bool:
    """Whether another of the unit's indicators has this name (any case)."""
    return unit_indicators(unit=unit).filter(name__iexact=name).exclude(pk=other_than).exists()


def indicator_has_data(*, indicator: Indicator) -> bool:
    """Whether any value is recorded: then its data type and frequency are fixed."""
    return Observation.objects.filter(indicator=indicator, organisation_id=indicator.organisation_id).exists()


def indicator_get_readable(*, access: Access, indicator_id: int) -> Indicator:
    """The indicator, if the person may read its unit; otherwise 404 (never 403)."""
    indicator = (
        Indicator.objects.filter(pk=indicator_id, organisation_id=access.organisation_id)
        .select_related("unit__level", "unit__organisation", "unit__parent", "created_by")
        .first()
    )
    if indicator is None or not access.can_read(indicator.unit):
        raise Http404
    return indicator


def indicator_observations(*, indicator: Indicator) -> QuerySet[Observation]:
    """The indicator's observations, oldest first, each with its corrections (two queries)."""
    return (
        Observation.objects.filter(indicator=indicator, organisation_id=indicator.organisation_id)
        .select_related("recorded_by")
        .prefetch_related(
            Prefetch("changes", queryset=ObservationChange.objects.select_related("changed_by"))
        )
        .order_by("period")
    )


def observation_get(*, indicator: Indicator, period) -> Observation | None:
    return Observation.objects.filter(
        indicator=indicator, organisation_id=indicator.organisation_id, period=period
    ).first()


def indicator_phase_changes(*, indicator: Indicator) -> QuerySet[PhaseChange]:
    return PhaseChange.objects.filter(
        indicator=indicator, organisation_id=indicator.organisation_id
    ).select_related("created_by")


def phase_change_get_readable(*, access: Access, phase_change_id: int) -> PhaseChange:
    phase_change = (
        PhaseChange.objects.filter(pk=phase_change_id, organisation_id=access.organisation_id)
        .select_related("indicator__unit__organisation")
        .first()
    )
    if phase_change is None or not access.can_read(phase_change.indicator.unit):
        raise Http404
    return phase_change


def narrative_get(*, unit, period) -> Narrative | None:
    return (
        Narrative.objects.filter(unit=unit, organisation_id=unit.organisation_id, period=period)
        .select_related("author")
        .first()
    )


def narrative_list(*, unit, limit: int = 12) -> QuerySet[Narrative]:
    return (
        Narrative.objects.filter(unit=unit, organisation_id=unit.organisation_id)
        .select_related("author")
        .order_by("-period")[:limit]
    )


def observation_import_get_readable(*, access: Access, import_id: int) -> ObservationImport:
    observation_import = (
        ObservationImport.objects.filter(pk=import_id, organisation_id=access.organisation_id)
        .select_related("unit__level", "unit__organisation", "unit__parent", "uploaded_by", "applied_by")
        .first()
    )
    if observation_import is None or not access.can_read(observation_import.unit):
        raise Http404
    return observation_import


def observation_import_earlier_application(*, observation_import: ObservationImport):
    """An earlier import of the same file (same content) in the unit that was applied, if any."""
    return (
        ObservationImport.objects.filter(
            unit_id=observation_import.unit_id,
            organisation_id=observation_import.organisation_id,
            sha256=observation_import.sha256,
            applied_at__isnull=False,
        )
        .exclude(pk=observation_import.pk)
        .select_related("applied_by")
        .order_by("-applied_at")
        .first()
    )


def observation_import_recent(*, unit, limit: int = 10) -> QuerySet[ObservationImport]:
    return (
        ObservationImport.objects.filter(unit=unit, organisation_id=unit.organisation_id)
        .select_related("uploaded_by")
        .defer("content")
        .order_by("-created_at", "-pk")[:limit]
    )
