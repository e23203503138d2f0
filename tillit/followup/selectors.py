"""Reads of stored analysis results: a unit's follow-up, and what needs a joint look in a sub-tree.

Every function takes the unit (already checked readable) or the caller's Access, and a fixed number of
queries whatever the number of indicators.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
from django.db.models import Count, Q
from django.http import Http404

from tillit.agreements.models import BoundaryReport
from tillit.agreements.selectors import boundaries_in_force
from tillit.chain.access import Access
from tillit.charts.spc import ChartSeries
from tillit.core.clock import today
from tillit.followup.models import AnalysisResult
from tillit.indicators.models import Indicator, Narrative, Observation, PhaseChange

# Reports of qualitative boundaries stay on the joint-look view this long.
REPORTS_SHOWN_FOR = timedelta(days=92)


def chart_series(result: AnalysisResult, *, frequency: str) -> ChartSeries:
    """What the chart draws of a stored result: its points, as dates, with the engine's codes."""
    points = result.points
    periods = [date.fromisoformat(day) for day in points["periods"]]
    latest = -1
    if result.latest_period is not None:
        latest = periods.index(result.latest_period)
    return ChartSeries(
        periods=periods,
        frequency=frequency,
        values=points["values"],
        centre=points["centre"],
        lower=points["lower"],
        upper=points["upper"],
        point_class=np.array(points["class"], dtype=np.int8),
        latest=latest,
        limits_shown=result.limits_shown,
        variation=result.variation,
        assurance=result.assurance,
        boundary_crossed=result.boundary_crossed,
        segments=points["segment"],
    )


@dataclass
class IndicatorFollowup:
    indicator: Indicator
    result: AnalysisResult | None
    phase_changes: list = field(default_factory=list)
    # Closed joint looks, drawn on the chart at their period: the dialogue fills them in
    # (dialogue.selectors.unit_followup_with_notes), follow-up knows nothing of looks.
    look_notes: list = field(default_factory=list)


@dataclass
class UnitFollowup:
    items: list[IndicatorFollowup]
    narratives: list[Narrative]

    @property
    def needing_look(self) -> list[IndicatorFollowup]:
        return [item for item in self.items if item.result is not None and item.result.needs_look]

    @property
    def within_frame(self) -> list[IndicatorFollowup]:
        return [
            item
            for item in self.items
            if item.result is not None and not item.result.needs_look and item.result.limits_shown
        ]


def unit_followup(*, unit, narratives: int = 3) -> UnitFollowup:
    """The unit's own indicators with their stored analysis, those needing a look first (3 queries)."""
    indicators = list(
        Indicator.objects.filter(organisation_id=unit.organisation_id, unit=unit, retired_at__isnull=True)
        .select_related("analysis")
        .defer("analysis__points")  # the charts come from the chart cache; misses load points at once
        .order_by("name")
    )
    phases: dict[int, list] = {}
    for phase in PhaseChange.objects.filter(
        organisation_id=unit.organisation_id, indicator__unit=unit, indicator__retired_at__isnull=True
    ).order_by("period"):
        phases.setdefault(phase.indicator_id, []).append(phase)
    items = [
        IndicatorFollowup(indicator, getattr(indicator, "analysis", None), phases.get(indicator.pk, []))
        for indicator in indicators
    ]
    items.sort(key=lambda item: (not (item.result and item.result.needs_look), item.result is None))
    recent = list(
        Narrative.objects.filter(organisation_id=unit.organisation_id, unit=unit)
        .select_related("author")
        .order_by("-period")[:narratives]
    )
    return UnitFollowup(items=items, narratives=recent)


@dataclass
class JointLookOverview:
    items: list[AnalysisResult]  # what needs a joint look, most serious first
    reports: list[BoundaryReport]  # qualitative boundaries reported as crossed, recently
    within_frame: int  # series with limits and nothing to look at
    too_little_data: int  # series still without process limits


def _most_serious_first(result: AnalysisResult) -> tuple:
    """The stored severity (see followup.reasons), then the chain's order and the indicator's name."""
    return (-result.severity, result.unit_path, result.indicator.name)


def joint_look_overview(*, access: Access, unit) -> JointLookOverview:
    """What needs a joint look across the unit's sub-tree, and a count of the rest (3 queries)."""
    readable = access.subtree_filter(unit, path="unit_path", unit_id="unit_id")
    items = sorted(
        AnalysisResult.objects.filter(readable, needs_look=True)
        .select_related("indicator", "unit", "unit__level")
        .defer("points"),
        key=_most_serious_first,
    )
    counts = _look_counts(readable)
    report_filter = access.subtree_filter(unit, path="unit__path", unit_id="unit_id")
    reports = list(
        BoundaryReport.objects.filter(report_filter, occurred_on__gte=today() - REPORTS_SHOWN_FOR)
        .select_related("boundary", "unit", "reported_by")
        .order_by("-occurred_on")
    )
    return JointLookOverview(
        items=items,
        reports=reports,
        within_frame=counts["within"],
        too_little_data=counts["trial"],
    )


def _look_counts(condition: Q) -> dict:
    """One query: of the results matching `condition`, how many need a look (`needing`), are within the
    frame (`within`), have no limits yet (`trial`), and in all (`total`)."""
    return AnalysisResult.objects.filter(condition).aggregate(
        needing=Count("pk", filter=Q(needs_look=True)),
        within=Count("pk", filter=Q(needs_look=False, limits_shown=True)),
        trial=Count("pk", filter=Q(needs_look=False, limits_shown=False)),
        total=Count("pk"),
    )


def unit_followup_summary(*, unit) -> dict:
    """For the unit page: how many of the unit's own indicators need a look, and how many are fine."""
    return _look_counts(Q(organisation_id=unit.organisation_id, unit=unit))


def results_load_points(results: list[AnalysisResult]) -> None:
    """Fill in the deferred `points` of these results with one query."""
    if not results:
        return
    points = dict(AnalysisResult.objects.filter(pk__in=[r.pk for r in results]).values_list("pk", "points"))
    for result in results:
        result.points = points[result.pk]


def indicator_analysis_readable(
    *, access: Access, indicator_id: int
) -> tuple[Indicator, AnalysisResult | None]:
    """An indicator the person may read (404 otherwise, as for its unit) and its stored analysis."""
    indicator = (
        Indicator.objects.filter(pk=indicator_id, organisation_id=access.organisation_id)
        .select_related("unit", "analysis")
        .first()
    )
    if indicator is None or not access.can_read(indicator.unit):
        raise Http404
    return indicator, getattr(indicator, "analysis", None)


def subtree_look_counts(*, access: Access, unit) -> dict:
    """How many readable series in the unit's sub-tree need a joint look, and how many are fine (1 query)."""
    return _look_counts(access.subtree_filter(unit, path="unit_path", unit_id="unit_id"))


def unit_indicator_ids(*, unit, with_sub_units: bool = False) -> list[int]:
    """The ids of the unit's indicators (and its sub-units', if asked), retired ones included."""
    indicators = Indicator.objects.filter(organisation_id=unit.organisation_id)
    if with_sub_units:
        indicators = indicators.filter(unit__path__startswith=unit.path)
    else:
        indicators = indicators.filter(unit=unit)
    return list(indicators.values_list("pk", flat=True))


@dataclass(frozen=True)
class AnalysisInputs:
    indicators: dict[int, Indicator]  # the followed (not retired) indicators, with their unit
    rows: list[tuple]  # (indicator id, period, value, denominator), by indicator and period
    phases: dict[int, list[date]]  # indicator id -> the periods where a phase change starts
    boundaries: dict  # indicator id -> (low, high) of the boundaries in force
    stored: dict[int, AnalysisResult]  # indicator id -> its stored result (pk, signature only)


def analysis_inputs(*, organisation_id: int, indicator_ids: list[int] | None = None) -> AnalysisInputs:
    """Everything an analysis run reads, for an organisation's indicators or the given ones (5 queries)."""
    indicators_qs = Indicator.objects.filter(organisation_id=organisation_id, retired_at__isnull=True)
    observations = Observation.objects.filter(
        organisation_id=organisation_id, indicator__retired_at__isnull=True
    )
    phase_changes = PhaseChange.objects.filter(organisation_id=organisation_id)
    existing = AnalysisResult.objects.filter(organisation_id=organisation_id)
    if indicator_ids is not None:
        indicators_qs = indicators_qs.filter(pk__in=indicator_ids)
        observations = observations.filter(indicator_id__in=indicator_ids)
        phase_changes = phase_changes.filter(indicator_id__in=indicator_ids)
        existing = existing.filter(indicator_id__in=indicator_ids)
    phases: dict[int, list] = defaultdict(list)
    for indicator_id, period in phase_changes.values_list("indicator_id", "period"):
        phases[indicator_id].append(period)
    return AnalysisInputs(
        indicators={indicator.pk: indicator for indicator in indicators_qs.select_related("unit")},
        rows=list(
            observations.order_by("indicator_id", "period").values_list(
                "indicator_id", "period", "value", "denominator"
            )
        ),
        phases=phases,
        boundaries=boundaries_in_force(organisation_id=organisation_id, indicator_ids=indicator_ids),
        stored={result.indicator_id: result for result in existing.only("pk", "indicator_id", "signature")},
    )


def results_needing_look(
    *, organisation_id: int, indicator_ids: list[int] | None = None
) -> list[AnalysisResult]:
    """The stored results that need a joint look, with their indicator, unit and its parent (1 query)."""
    results = AnalysisResult.objects.filter(organisation_id=organisation_id, needs_look=True)
    if indicator_ids is not None:
        results = results.filter(indicator_id__in=indicator_ids)
    return list(results.select_related("indicator", "unit__organisation", "unit__parent").defer("points"))
