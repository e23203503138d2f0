"""Follow-up: run the process behaviour engine over indicators and store one result per indicator.

One run reads the indicators, their observations, their phase changes and the boundaries in force (four
queries, `selectors.analysis_inputs`), gives the engine one batch per (frequency, data type), and writes
only the results whose inputs changed, each with the reasons it needs a joint look (`reasons`). The pages
read the stored results; they never run the engine. Opening the joint looks a run calls for is the
dialogue's work, after the run (`tasks.followup_refresh`): follow-up's services never import the dialogue.

`analysis_run` is system work: it takes an organisation's id, like the task that calls it, and no
person's access (what a person asks for, `tasks.unit_followup_refresh`, checks their access first).
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from django.db import transaction

from tillit.analysis import Direction, ValueKind, analyse, long_to_wide
from tillit.analysis.codes import CHART_CODES
from tillit.core.clock import now
from tillit.core.tasks import enqueue_on_commit
from tillit.followup import selectors
from tillit.followup.models import AnalysisResult
from tillit.followup.reasons import look_reasons, severity
from tillit.indicators.enums import WITH_DENOMINATOR, DataType
from tillit.indicators.models import Indicator
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
    "reasons",
    "severity",
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


def analysis_schedule(*, organisation_id: int, indicator_ids: list[int] | None = None) -> None:
    """Enqueue a recomputation once the current transaction commits (the task worker runs it)."""
    from tillit.followup.tasks import analyse_indicators  # the task module imports this one

    enqueue_on_commit(analyse_indicators, organisation_id=organisation_id, indicator_ids=indicator_ids)


def analysis_forget(*, organisation_id: int, indicator_ids: list[int]) -> None:
    """Remove the stored analysis of indicators no longer followed (retired): at once, not by the worker."""
    AnalysisResult.objects.filter(organisation_id=organisation_id, indicator_id__in=indicator_ids).delete()


def analysis_schedule_for_unit(*, unit, with_sub_units: bool = False) -> None:
    """Enqueue a recomputation of a unit's indicators (and its sub-units'): after its agreement comes
    into force (new boundaries) or it moves in the chain (new path, another agreement in force)."""
    indicator_ids = selectors.unit_indicator_ids(unit=unit, with_sub_units=with_sub_units)
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
        reasons = look_reasons(
            variation=fields["variation"],
            assurance=fields["assurance"],
            boundary_crossed=fields["boundary_crossed"],
        )
        fields |= {
            "needs_look": bool(reasons),
            "reasons": [reason.value for reason in reasons],
            "severity": severity(reasons),
        }
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
    inputs = selectors.analysis_inputs(organisation_id=organisation_id, indicator_ids=indicator_ids)
    phases, boundaries, stored = inputs.phases, inputs.boundaries, inputs.stored
    moment = now()
    to_create, to_update, analysed = [], [], 0
    for (frequency, data_type), series in _group_rows(inputs.indicators, inputs.rows).items():
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
                "computed_at": moment,
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
    return AnalysisRun(analysed=analysed, written=len(to_create) + len(to_update), removed=removed)
