"""Follow-up: run the process behaviour engine over indicators and store one result per indicator.

One run reads the indicators, their observations, their phase changes and the boundaries in force (four
queries), gives the engine one batch per (frequency, data type), and writes only the results whose inputs
changed. The pages read the stored results; they never run the engine.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from tillit.agreements.selectors import boundaries_in_force
from tillit.analysis import Assurance, Direction, ValueKind, Variation, analyse, long_to_wide
from tillit.analysis.codes import CHART_CODES
from tillit.core.tasks import enqueue_on_commit
from tillit.dialogue.services import joint_looks_sync
from tillit.followup.models import AnalysisResult
from tillit.indicators.enums import WITH_DENOMINATOR, DataType
from tillit.indicators.models import Indicator, Observation, PhaseChange
from tillit.indicators.periods import period_from_index, period_index

# Bump when the engine or the stored shape changes: every result is then rewritten on the next run.
ANALYSIS_VERSION = "2"

VALUE_KIND = {
    DataType.MEASUREMENT: ValueKind.MEASUREMENT,
    DataType.COUNT: ValueKind.COUNT,
    DataType.PROPORTION: ValueKind.PROPORTION,
    DataType.RATE: ValueKind.RATE,
    DataType.DAYS_BETWEEN: ValueKind.DAYS_BETWEEN,
}
DIRECTION = {"up": Direction.UP, "down": Direction.DOWN, "neutral": Direction.NEUTRAL}
CONCERN = (Variation.CONCERN_HIGH, Variation.CONCERN_LOW)
UPDATED_FIELDS = [
    "unit",
    "unit_path",
    "chart",
    "n",
    "limits_shown",
    "variation",
    "assurance",
    "boundary_crossed",
    "needs_look",
    "latest_period",
    "latest_value",
    "boundary_low",
    "boundary_high",
    "points",
    "signature",
    "computed_at",
]


@dataclass(frozen=True)
class AnalysisRun:
    analysed: int  # series given to the engine (a series with unchanged inputs is skipped)
    written: int  # results created or changed
    removed: int  # results of indicators that no longer have data


def needs_joint_look(*, variation: int, assurance: int, boundary_crossed: bool) -> bool:
    """A crossed boundary, a boundary between the process limits, or a special cause of concern."""
    return boundary_crossed or assurance in (Assurance.HIT_OR_MISS, Assurance.OUTSIDE) or variation in CONCERN


def analysis_schedule(*, organisation_id: int, indicator_ids: list[int] | None = None) -> None:
    """Enqueue a recomputation once the current transaction commits (the task worker runs it)."""
    from tillit.followup.tasks import analyse_indicators  # the task module imports this one

    enqueue_on_commit(analyse_indicators, organisation_id=organisation_id, indicator_ids=indicator_ids)


def analysis_forget(*, organisation_id: int, indicator_ids: list[int]) -> None:
    """Remove the stored analysis of indicators no longer followed (retired): at once, not by the worker."""
    AnalysisResult.objects.filter(organisation_id=organisation_id, indicator_id__in=indicator_ids).delete()


def _unit_indicator_ids(unit, *, with_sub_units: bool = False) -> list[int]:
    indicators = Indicator.objects.filter(organisation_id=unit.organisation_id)
    if with_sub_units:
        indicators = indicators.filter(unit__path__startswith=unit.path)
    else:
        indicators = indicators.filter(unit=unit)
    return list(indicators.values_list("pk", flat=True))


def analysis_schedule_for_unit(*, unit, with_sub_units: bool = False) -> None:
    """Enqueue a recomputation of a unit's indicators (and its sub-units'): after its agreement comes
    into force (new boundaries) or it moves in the chain (new path, another agreement in force)."""
    indicator_ids = _unit_indicator_ids(unit, with_sub_units=with_sub_units)
    if indicator_ids:
        analysis_schedule(organisation_id=unit.organisation_id, indicator_ids=indicator_ids)


def _list(array: np.ndarray, digits: int = 8) -> list:
    """JSON-ready floats: NaN becomes None; rounding keeps the stored text short and stable."""
    rounded = np.round(array, digits)
    return [None if v != v else v for v in rounded.tolist()]  # v != v: NaN


@dataclass
class _Series:
    indicator: Indicator
    periods: list[int]
    values: list[float]
    denominators: list[float]


def _group_rows(indicators: dict[int, Indicator], rows) -> dict[tuple[str, str], list[_Series]]:
    series: dict[int, _Series] = {}
    for indicator_id, period, value, denominator in rows:
        entry = series.get(indicator_id)
        if entry is None:
            indicator = indicators[indicator_id]
            entry = series[indicator_id] = _Series(indicator, [], [], [])
        entry.periods.append(period_index(entry.indicator.frequency, period))
        entry.values.append(value)
        entry.denominators.append(np.nan if denominator is None else denominator)
    groups: dict[tuple[str, str], list[_Series]] = defaultdict(list)
    for entry in series.values():
        groups[entry.indicator.frequency, entry.indicator.data_type].append(entry)
    return groups


def _segments(wide_periods: np.ndarray, series: list[_Series], phases: dict[int, list]) -> np.ndarray | None:
    """Phase labels per column: a recorded phase change starts a new segment (limits recalculated)."""
    if not any(entry.indicator.pk in phases for entry in series):
        return None
    segments = np.zeros((len(series), wide_periods.size), dtype=np.int64)
    for row, entry in enumerate(series):
        starts = sorted(
            period_index(entry.indicator.frequency, day) for day in phases.get(entry.indicator.pk, ())
        )
        if starts:
            segments[row] = np.searchsorted(np.asarray(starts), wide_periods, side="right")
    return segments


def _analyse_group(frequency: str, data_type: str, series: list[_Series], phases, boundaries) -> list[dict]:
    """Run the engine on one group and return the stored fields of every series."""
    series.sort(key=lambda entry: entry.indicator.pk)
    ids = np.concatenate([np.full(len(entry.periods), entry.indicator.pk) for entry in series])
    periods = np.concatenate([np.asarray(entry.periods, dtype=np.int64) for entry in series])
    values = np.concatenate([np.asarray(entry.values, dtype=np.float64) for entry in series])
    with_denominator = data_type in WITH_DENOMINATOR
    denominators = (
        np.concatenate([np.asarray(entry.denominators, dtype=np.float64) for entry in series])
        if with_denominator
        else None
    )
    wide = long_to_wide(ids, periods, values, denominators)
    scales = np.array([entry.indicator.scale if with_denominator else 1.0 for entry in series])
    lows = np.full(len(series), np.nan)
    highs = np.full(len(series), np.nan)
    for row, entry in enumerate(series):
        low, high = boundaries.get(entry.indicator.pk, (None, None))
        lows[row] = np.nan if low is None else low / scales[row]
        highs[row] = np.nan if high is None else high / scales[row]
    segments = _segments(wide.periods, series, phases)
    result = analyse(
        wide.values,
        denominators=wide.denominators,
        kind=VALUE_KIND[data_type],
        direction=np.array([DIRECTION[entry.indicator.direction] for entry in series], dtype=np.int8),
        segments=segments,
        boundary_low=lows,
        boundary_high=highs,
    )
    out = []
    for row, entry in enumerate(series):
        observed = ~np.isnan(wide.values[row])
        first, last = int(np.argmax(observed)), int(observed.size - 1 - np.argmax(observed[::-1]))
        span = slice(first, last + 1)
        scale = scales[row]
        latest = int(result.latest[row])
        points = {
            "periods": [period_from_index(frequency, int(p)).isoformat() for p in wide.periods[span]],
            "values": _list(result.values[row, span] * scale),
            "centre": _list(result.centre[row, span] * scale),
            "lower": _list(result.lower[row, span] * scale),
            "upper": _list(result.upper[row, span] * scale),
            "lower_2s": _list(result.lower_2s[row, span] * scale),
            "upper_2s": _list(result.upper_2s[row, span] * scale),
            "class": [int(c) for c in result.point_class[row, span]],
            "flags": [int(f) for f in result.flags[row, span]],
            "segment": [0] * (last - first + 1)
            if segments is None
            else [int(s) for s in segments[row, span]],
        }
        fields = {
            "chart": CHART_CODES[int(result.chart[row])].value,
            "n": int(result.n[row]),
            "limits_shown": bool(result.limits_shown[row]),
            "variation": int(result.variation[row]),
            "assurance": int(result.assurance[row]),
            "boundary_crossed": bool(result.boundary_crossed[row]),
            "latest_period": period_from_index(frequency, int(wide.periods[latest])) if latest >= 0 else None,
            "latest_value": float(result.values[row, latest] * scale) if latest >= 0 else None,
            "boundary_low": None if np.isnan(lows[row]) else float(lows[row] * scale),
            "boundary_high": None if np.isnan(highs[row]) else float(highs[row] * scale),
            "points": points,
        }
        fields["needs_look"] = needs_joint_look(
            variation=fields["variation"],
            assurance=fields["assurance"],
            boundary_crossed=fields["boundary_crossed"],
        )
        out.append({"indicator": entry.indicator, "fields": fields})
    return out


def _input_signature(entry: _Series, phases: dict[int, list], boundaries: dict) -> str:
    """A hash of everything the stored result depends on: equal hash, nothing to compute or write."""
    indicator = entry.indicator
    digest = hashlib.sha256(ANALYSIS_VERSION.encode())
    digest.update(
        repr(
            (
                indicator.unit_id,
                indicator.unit.path,
                indicator.scale,
                indicator.direction,
                indicator.data_type,
                indicator.frequency,
                boundaries.get(indicator.pk),
                sorted(phases.get(indicator.pk, ())),
                entry.periods,
                entry.values,
                entry.denominators,
            )
        ).encode()
    )
    return digest.hexdigest()


@transaction.atomic
def analysis_run(*, organisation_id: int, indicator_ids: list[int] | None = None) -> AnalysisRun:
    """Recompute the analysis of an organisation's indicators (or of the given ones) and store it."""
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
    indicators = {indicator.pk: indicator for indicator in indicators_qs.select_related("unit")}
    rows = observations.order_by("indicator_id", "period").values_list(
        "indicator_id", "period", "value", "denominator"
    )
    phases: dict[int, list] = defaultdict(list)
    for indicator_id, period in phase_changes.values_list("indicator_id", "period"):
        phases[indicator_id].append(period)
    boundaries = boundaries_in_force(organisation_id=organisation_id, indicator_ids=indicator_ids)
    stored = {result.indicator_id: result for result in existing.only("pk", "indicator_id", "signature")}

    now = timezone.now()
    to_create, to_update, analysed = [], [], 0
    for (frequency, data_type), series in _group_rows(indicators, rows).items():
        # Series whose inputs are unchanged keep their stored result: they are not even analysed.
        changed, signatures = [], {}
        for entry in series:
            signature = _input_signature(entry, phases, boundaries)
            current = stored.pop(entry.indicator.pk, None)
            if current is None or current.signature != signature:
                changed.append(entry)
                signatures[entry.indicator.pk] = (signature, current)
        if not changed:
            continue
        analysed += len(changed)
        for item in _analyse_group(frequency, data_type, changed, phases, boundaries):
            indicator, fields = item["indicator"], item["fields"]
            signature, current = signatures[indicator.pk]
            fields |= {
                "unit_id": indicator.unit_id,
                "unit_path": indicator.unit.path,
                "signature": signature,
                "computed_at": now,
            }
            if current is None:
                to_create.append(
                    AnalysisResult(organisation_id=organisation_id, indicator_id=indicator.pk, **fields)
                )
            else:
                for name, value in fields.items():
                    setattr(current, name, value)
                to_update.append(current)
    AnalysisResult.objects.bulk_create(to_create, batch_size=500)
    AnalysisResult.objects.bulk_update(to_update, UPDATED_FIELDS, batch_size=500)
    # What is left in `stored` has no data any more (retired, or its observations removed).
    removed = AnalysisResult.objects.filter(pk__in=[result.pk for result in stored.values()]).delete()[0]
    # A signal opens a joint look once per episode; a series back inside its frame ends its episode.
    joint_looks_sync(organisation_id=organisation_id, indicator_ids=indicator_ids)
    return AnalysisRun(analysed=analysed, written=len(to_create) + len(to_update), removed=removed)


def analysis_run_for_unit(*, access, unit) -> AnalysisRun:
    """On demand: recompute the analysis of a unit's own indicators (its own people may ask). Derived
    data only, so nothing is audited."""
    if not access.can_write(unit):
        raise PermissionDenied
    return analysis_run(organisation_id=unit.organisation_id, indicator_ids=_unit_indicator_ids(unit))
