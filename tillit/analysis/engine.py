"""The batch SPC engine: many series at once, wide arrays in, codes and arrays out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from tillit.analysis.anhoej import runs_analysis
from tillit.analysis.codes import (
    CHART_CODE_OF,
    CHART_CODES,
    CHARTS_NEEDING_DENOMINATOR,
    HIGH_RULES,
    LOW_RULES,
    Assurance,
    Chart,
    Direction,
    PointClass,
    Rule,
    ValueKind,
    Variation,
)
from tillit.analysis.limits import (
    ChartLimits,
    Layout,
    Lines,
    build_lines,
    compute_limits,
    previous_kept_columns,
    segment_layout,
    segment_medians,
)
from tillit.analysis.profiles import DEFAULT_PROFILE, RULE_PRECEDENCE, Conflict, RuleProfile, get_profile
from tillit.analysis.rules import FLAG_DTYPE, profile_flags

# About half a megabyte of float64 per chunk array keeps the working set in cache.
CHUNK_POINTS = 1 << 16
NO_RUNS = -1


@dataclass(frozen=True, slots=True)
class BatchResult:
    """Result for S series x T periods.

    Per point arrays (S, T) are None when `points=False` was asked for. Lines are NaN where no limits are
    claimed; `point_class` is -1 where there is no value.
    """

    profile: str
    chart: np.ndarray  # (S,) int8, index into codes.CHART_CODES
    values: np.ndarray | None  # the plotted statistic (value, or numerator / denominator)
    centre: np.ndarray | None
    lower: np.ndarray | None
    upper: np.ndarray | None
    lower_2s: np.ndarray | None
    upper_2s: np.ndarray | None
    flags: np.ndarray | None  # uint16 bits of codes.Rule
    point_class: np.ndarray | None  # int8 codes.PointClass
    n: np.ndarray  # (S,) observed points
    n_baseline: np.ndarray  # (S,) points behind the latest limits
    limits_shown: np.ndarray  # (S,) bool
    latest: np.ndarray  # (S,) column of the latest judged point, -1 if none
    variation: np.ndarray  # (S,) int8 codes.Variation
    assurance: np.ndarray  # (S,) int8 codes.Assurance
    boundary_crossed: np.ndarray  # (S,) bool: the latest point is beyond a boundary
    runs_useful: np.ndarray  # (S,) runs analysis of the latest segment, -1 when not computed
    runs_longest: np.ndarray
    runs_longest_limit: np.ndarray
    runs_crossings: np.ndarray
    runs_crossings_limit: np.ndarray

    def chart_of(self, row: int) -> Chart:
        return CHART_CODES[int(self.chart[row])]


@dataclass(frozen=True, slots=True)
class SeriesResult:
    """One series; the per point arrays have length T."""

    profile: str
    chart: Chart
    values: np.ndarray
    centre: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    lower_2s: np.ndarray
    upper_2s: np.ndarray
    flags: np.ndarray
    point_class: np.ndarray
    n: int
    n_baseline: int
    limits_shown: bool
    latest: int
    variation: Variation
    assurance: Assurance
    boundary_crossed: bool
    runs_useful: int
    runs_longest: int
    runs_longest_limit: int
    runs_crossings: int
    runs_crossings_limit: int


# ---------------------------------------------------------------------------------------------- inputs


def first_points_mask(usable: np.ndarray, segments: np.ndarray | None, count: int) -> np.ndarray:
    """Baseline mask: the first `count` usable points of each segment (limits are frozen after them)."""
    layout_start = np.ones(usable.shape, dtype=bool)
    if segments is not None:
        layout_start[:, 1:] = segments[:, 1:] != segments[:, :-1]
    else:
        layout_start[:, 1:] = False
    running = np.cumsum(usable, axis=1, dtype=np.int64)
    before = running - usable
    columns = np.arange(usable.shape[1])
    start_column = np.maximum.accumulate(np.where(layout_start, columns, 0), axis=1)
    offset = np.take_along_axis(before, start_column, axis=1)
    return (running - offset <= count) & usable


def _as_rows(value, rows: int, dtype, fill) -> np.ndarray:
    if value is None:
        return np.full(rows, fill, dtype=dtype)
    array = np.asarray(value, dtype=dtype)
    if array.ndim == 0:
        return np.full(rows, array, dtype=dtype)
    if array.shape != (rows,):
        raise ValueError(f"expected a scalar or {rows} values, got shape {array.shape}")
    return array


def _as_matrix(value, shape: tuple[int, int], dtype, name: str) -> np.ndarray | None:
    if value is None:
        return None
    array = np.asarray(value, dtype=dtype)
    if array.shape != shape:
        raise ValueError(f"{name} must have shape {shape}, got {array.shape}")
    return array


# ------------------------------------------------------------------------------------- classification


def _precedence_sign(flags: np.ndarray) -> np.ndarray:
    sign = np.zeros(flags.shape, dtype=np.int8)
    for high, low in reversed(RULE_PRECEDENCE):
        sign = np.where((flags & FLAG_DTYPE(low)) != 0, np.int8(-1), sign)
        sign = np.where((flags & FLAG_DTYPE(high)) != 0, np.int8(1), sign)
    return sign


def _trend_from_the_right(flags: np.ndarray, values: np.ndarray) -> np.ndarray:
    """A point that ends one trend and starts the opposite one takes the direction of the trend it starts,
    as NHSRplotthedots labels it ("if a point is part of a trend either side, use right side")."""
    both = FLAG_DTYPE(Rule.TREND_UP | Rule.TREND_DOWN)
    peak_or_valley = (flags & both) == both
    if not peak_or_valley.any():
        return flags
    rising_next = np.zeros(flags.shape, dtype=bool)
    with np.errstate(invalid="ignore"):
        rising_next[:, :-1] = values[:, 1:] > values[:, :-1]
    resolved = flags.copy()
    resolved[peak_or_valley & rising_next] &= ~FLAG_DTYPE(Rule.TREND_DOWN)
    resolved[peak_or_valley & ~rising_next] &= ~FLAG_DTYPE(Rule.TREND_UP)
    return resolved


def classify(flags: np.ndarray, direction: np.ndarray, conflict: Conflict) -> np.ndarray:
    """Point classes from rule hits and each row's improvement direction (rows, 1)."""
    high = (flags & FLAG_DTYPE(HIGH_RULES)) != 0
    low = (flags & FLAG_DTYPE(LOW_RULES)) != 0
    hit = high | low
    up = direction > 0
    down = direction < 0
    if conflict is Conflict.PRECEDENCE:
        sign = _precedence_sign(flags)
        good = ((sign > 0) & up) | ((sign < 0) & down)
    elif conflict is Conflict.IMPROVEMENT:
        good = (high & up) | (low & down)
    else:
        bad = (low & up) | (high & down)
        good = hit & ~bad & (up | down)
    point_class = np.where(good, np.int8(PointClass.IMPROVEMENT), np.int8(PointClass.CONCERN))
    point_class = np.where(direction == 0, np.int8(PointClass.SPECIAL), point_class)
    return np.where(hit, point_class, np.int8(PointClass.COMMON))


def _variation(point_class: np.ndarray, high_side: np.ndarray, shown: np.ndarray) -> np.ndarray:
    variation = np.full(point_class.shape, Variation.COMMON, dtype=np.int8)
    for cls, high_code, low_code in (
        (PointClass.IMPROVEMENT, Variation.IMPROVEMENT_HIGH, Variation.IMPROVEMENT_LOW),
        (PointClass.CONCERN, Variation.CONCERN_HIGH, Variation.CONCERN_LOW),
        (PointClass.SPECIAL, Variation.SPECIAL_HIGH, Variation.SPECIAL_LOW),
    ):
        variation = np.where(point_class == cls, np.where(high_side, high_code, low_code), variation)
    return np.where(shown, variation, np.int8(Variation.NONE)).astype(np.int8)


def _assurance(lower, upper, boundary_low, boundary_high, shown) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        low_state = np.where(
            lower > boundary_low,
            Assurance.INSIDE,
            np.where(upper < boundary_low, Assurance.OUTSIDE, Assurance.HIT_OR_MISS),
        )
        high_state = np.where(
            upper < boundary_high,
            Assurance.INSIDE,
            np.where(lower > boundary_high, Assurance.OUTSIDE, Assurance.HIT_OR_MISS),
        )
    low_state = np.where(np.isnan(boundary_low), Assurance.NONE, low_state)
    high_state = np.where(np.isnan(boundary_high), Assurance.NONE, high_state)
    return np.where(shown, np.maximum(low_state, high_state), Assurance.NONE).astype(np.int8)


# ---------------------------------------------------------------------------------------------- chunk


@dataclass(frozen=True, slots=True)
class _Block:
    """A block of rows that share one concrete chart."""

    values: np.ndarray  # the plotted statistic
    numerator: np.ndarray | None
    denominator: np.ndarray | None
    segments: np.ndarray | None
    baseline: np.ndarray | None
    excluded: np.ndarray | None
    direction: np.ndarray  # (rows,)
    boundary_low: np.ndarray
    boundary_high: np.ndarray


@dataclass(frozen=True, slots=True)
class _BlockResult:
    lines: Lines
    flags: np.ndarray
    point_class: np.ndarray
    per_series: dict[str, np.ndarray]


def _trial_lines(lines: Lines, trial_point: np.ndarray, median_centre: np.ndarray) -> Lines:
    def blank(line):
        return None if line is None else np.where(trial_point, np.nan, line)

    return Lines(
        centre=np.where(trial_point, median_centre, lines.centre),
        lower=blank(lines.lower),
        upper=blank(lines.upper),
        lower_2s=blank(lines.lower_2s),
        upper_2s=blank(lines.upper_2s),
        lower_1s=blank(lines.lower_1s),
        upper_1s=blank(lines.upper_1s),
    )


def _run_chart_lines(shape: tuple[int, int]) -> Lines:
    nan = np.full(shape, np.nan)
    return Lines(centre=nan, lower=nan, upper=nan, lower_2s=nan, upper_2s=nan, lower_1s=nan, upper_1s=nan)


def _analyse_block(block: _Block, chart: Chart, profile: RuleProfile, screen: bool) -> _BlockResult:
    """Limits, rule hits, classes and per-series status for a block of rows that share one chart.

    Groups (segments) with fewer than `profile.min_points` usable points claim no limits: their centre is
    the median and they are judged by the Anhøj runs analysis, as a run chart.
    """
    values = block.values
    rows, periods = values.shape
    layout: Layout = segment_layout(block.segments, rows, periods)
    observed = ~np.isnan(values)
    judged = observed if block.excluded is None else observed & ~block.excluded
    usable = judged if block.baseline is None else judged & block.baseline
    judged_values = values if block.excluded is None else np.where(judged, values, np.nan)

    if chart is Chart.RUN:
        lines = _run_chart_lines(values.shape)
        baseline_count = np.bincount(layout.key[usable], minlength=layout.n_groups)
        trial_group = np.ones(layout.n_groups, dtype=bool)
    else:
        previous = None
        if profile.bridge_excluded_points and block.excluded is not None:
            previous = previous_kept_columns(block.excluded)
        limits: ChartLimits = compute_limits(
            chart, values, block.numerator, block.denominator, usable, layout, profile, screen, previous
        )
        lines = build_lines(limits, with_one_sigma=profile.four_of_five)
        baseline_count = limits.baseline_count
        trial_group = baseline_count < profile.min_points
    any_trial = bool(trial_group.any())
    trial_point = trial_group[layout.key] if any_trial else None
    if any_trial:
        median = segment_medians(values, usable, layout)
        if lines.centre.shape[1] == 1 and layout.single:  # per-row lines stay (rows, 1)
            lines = _trial_lines(lines, trial_group[:, None], median[:, None])
        else:
            lines = _trial_lines(lines, trial_point, median[layout.key])

    flags = profile_flags(judged_values, lines, profile, layout.segment_start)
    if any_trial:
        flags[trial_point] = 0

    latest = _latest_columns(judged)
    latest_group = layout.key[np.arange(rows), np.maximum(latest, 0)]
    runs_fields = {name: np.full(rows, NO_RUNS, dtype=np.int32) for name in _RUNS_FIELDS}
    if profile.anhoej or any_trial:
        # The runs analysis is the rule set of Anhøj charts and of run charts (short segments).
        applies = np.ones(layout.n_groups, dtype=bool) if profile.anhoej else trial_group
        runs_fields = _add_runs_signals(
            flags, judged_values, lines.centre, layout, applies, latest, latest_group
        )

    class_flags = flags
    if profile.conflict is Conflict.PRECEDENCE:
        class_flags = _trend_from_the_right(flags, judged_values)
    point_class = classify(class_flags, block.direction[:, None], profile.conflict)
    point_class = np.where(judged, point_class, np.int8(PointClass.NONE))
    if block.excluded is not None:
        point_class = np.where(observed & block.excluded, np.int8(PointClass.COMMON), point_class)

    per_series = {
        "n": observed.sum(axis=1, dtype=np.int32),
        "n_baseline": np.where(latest >= 0, baseline_count[latest_group], 0).astype(np.int32),
        **_latest_status(block, values, lines, point_class, latest, ~trial_group[latest_group]),
        **runs_fields,
    }
    return _BlockResult(lines=lines, flags=flags, point_class=point_class, per_series=per_series)


_RUNS_FIELDS = ("runs_useful", "runs_longest", "runs_longest_limit", "runs_crossings", "runs_crossings_limit")


def _latest_columns(judged: np.ndarray) -> np.ndarray:
    """Column of each row's last judged point, -1 for a row without one."""
    periods = judged.shape[1]
    last = periods - 1 - np.argmax(judged[:, ::-1], axis=1)
    return np.where(judged.any(axis=1), last, -1).astype(np.int32)


def _add_runs_signals(flags, judged_values, centre, layout: Layout, applies, latest, latest_group):
    """Add the Anhøj runs signals of the groups where they apply; return the latest segment's summary."""
    with np.errstate(invalid="ignore"):
        side = np.sign(judged_values - centre)
    side = np.nan_to_num(side, nan=0.0).astype(np.int8)
    runs = runs_analysis(side, np.ascontiguousarray(layout.key), layout.n_groups)
    long_point = (applies & runs.longest_run_signal)[layout.key]
    few_point = (applies & runs.crossings_signal)[layout.key]
    flags[long_point & (side > 0)] |= FLAG_DTYPE(Rule.LONGEST_RUN_HIGH)
    flags[long_point & (side < 0)] |= FLAG_DTYPE(Rule.LONGEST_RUN_LOW)
    flags[few_point & (side > 0)] |= FLAG_DTYPE(Rule.CROSSINGS_HIGH)
    flags[few_point & (side < 0)] |= FLAG_DTYPE(Rule.CROSSINGS_LOW)
    # Reported only where the runs analysis is the chart's own rule set, whatever else is in the chunk.
    reported = (latest >= 0) & applies[latest_group]
    per_group = (runs.useful, runs.longest_run, runs.longest_run_limit, runs.crossings, runs.crossings_limit)
    return {
        name: np.where(reported, values[latest_group], NO_RUNS).astype(np.int32)
        for name, values in zip(_RUNS_FIELDS, per_group, strict=True)
    }


def _latest_status(block: _Block, values, lines: Lines, point_class, latest, has_limits) -> dict:
    """Variation, assurance and boundary crossing from each row's latest judged point."""
    rows, _ = values.shape
    rows_index = np.arange(rows)
    column = np.maximum(latest, 0)

    def at_latest(array: np.ndarray) -> np.ndarray:
        return np.broadcast_to(array, values.shape)[rows_index, column]

    has_latest = latest >= 0
    value = values[rows_index, column]
    shown = has_latest & has_limits
    variation = _variation(at_latest(point_class), value >= at_latest(lines.centre), shown)
    lower, upper = at_latest(lines.lower), at_latest(lines.upper)
    return {
        "limits_shown": shown,
        "latest": latest,
        "variation": variation,
        "assurance": _assurance(lower, upper, block.boundary_low, block.boundary_high, shown),
        "boundary_crossed": has_latest & ((value < block.boundary_low) | (value > block.boundary_high)),
    }


# ---------------------------------------------------------------------------------------- chart choice


def _single_chart(chart: Chart, kind: ValueKind | None, has_denominator: bool) -> Chart | None:
    """The one chart for every series, or None when `auto` chooses per series (ratios)."""
    if chart is not Chart.AUTO:
        return chart
    if kind in (ValueKind.PROPORTION, ValueKind.RATE) or (kind is None and has_denominator):
        return None
    return {ValueKind.COUNT: Chart.C, ValueKind.DAYS_BETWEEN: Chart.T}.get(kind, Chart.XMR)


def _ratio_family(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """True for series whose every numerator fits in its denominator (proportions), else rates."""
    with np.errstate(invalid="ignore"):
        over = numerator > denominator
    return ~over.any(axis=1)


# ----------------------------------------------------------------------------------------------- batch

_PER_SERIES_FIELDS = {
    "n": np.int32,
    "n_baseline": np.int32,
    "limits_shown": bool,
    "latest": np.int32,
    "variation": np.int8,
    "assurance": np.int8,
    "boundary_crossed": bool,
    "runs_useful": np.int32,
    "runs_longest": np.int32,
    "runs_longest_limit": np.int32,
    "runs_crossings": np.int32,
    "runs_crossings_limit": np.int32,
}
_LINE_FIELDS = ("centre", "lower", "upper", "lower_2s", "upper_2s")


def analyse(
    values: np.ndarray,
    *,
    denominators: np.ndarray | None = None,
    chart: Chart | str = Chart.AUTO,
    kind: ValueKind | str | None = None,
    profile: RuleProfile | str = DEFAULT_PROFILE,
    direction: Direction | int | Sequence[int] | np.ndarray = Direction.NEUTRAL,
    segments: np.ndarray | None = None,
    baseline: np.ndarray | None = None,
    baseline_points: int | None = None,
    excluded: np.ndarray | None = None,
    boundary_low: float | np.ndarray | None = None,
    boundary_high: float | np.ndarray | None = None,
    screen_moving_ranges: bool | None = None,
    points: bool = True,
) -> BatchResult:
    """Analyse S series x T periods at once.

    `values` is (S, T) float with NaN for gaps; with `denominators` the values are numerators and the
    plotted statistic is their ratio. `segments` (S, T) labels phases: a new label starts a recalculation.
    `baseline` marks the points that define their segment's limits; `baseline_points` instead takes the
    first N usable points of each segment. `excluded` points are shown but never used or judged.
    `direction` is +1 (higher is better), -1 (lower is better) or 0, per series or for all.
    Boundaries are off-limits values (NaN or None for none), per series or for all.
    """
    profile = get_profile(profile)
    chart = Chart(chart)
    kind = None if kind is None else ValueKind(kind)
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 2:
        raise ValueError(f"values must be a 2-D array (series x periods), got {values.ndim} dimensions")
    shape = values.shape
    rows, periods = shape
    denominators = _as_matrix(denominators, shape, np.float64, "denominators")
    segments = _as_matrix(segments, shape, None, "segments")
    if segments is not None and segments.dtype.kind not in "biu":
        segments = segments.astype(np.int64)
    excluded = _as_matrix(excluded, shape, bool, "excluded")
    baseline = _as_matrix(baseline, shape, bool, "baseline")
    single = _single_chart(chart, kind, denominators is not None)
    if (single is None or single in CHARTS_NEEDING_DENOMINATOR) and denominators is None:
        raise ValueError(f"chart {chart} with values of kind {kind} needs denominators")
    if baseline_points is not None:
        with np.errstate(invalid="ignore"):
            judged = ~np.isnan(values) if excluded is None else ~np.isnan(values) & ~excluded
        first = first_points_mask(judged, segments, baseline_points)
        baseline = first if baseline is None else baseline & first
    screen = profile.screen_moving_ranges if screen_moving_ranges is None else screen_moving_ranges
    direction_rows = _as_rows(direction, rows, np.int8, 0)
    low_rows = _as_rows(boundary_low, rows, np.float64, np.nan)
    high_rows = _as_rows(boundary_high, rows, np.float64, np.nan)

    chart_codes = np.zeros(rows, dtype=np.int8)
    per_series = {name: np.empty(rows, dtype=dtype) for name, dtype in _PER_SERIES_FIELDS.items()}
    outputs: dict[str, np.ndarray] = {}
    if points:
        outputs["flags"] = np.empty(shape, dtype=FLAG_DTYPE)
        outputs["point_class"] = np.empty(shape, dtype=np.int8)
    plotted = values
    if denominators is not None:
        with np.errstate(divide="ignore", invalid="ignore"):
            plotted = values / denominators
        plotted[~np.isfinite(plotted)] = np.nan

    chunk_rows = max(1, CHUNK_POINTS // max(periods, 1))
    for start in range(0, rows, chunk_rows):
        chunk = slice(start, min(rows, start + chunk_rows))
        for block_chart, selector in _chart_blocks(
            single, kind, plotted, values, denominators, chunk, profile, screen
        ):
            block = _Block(
                values=plotted[selector],
                numerator=None if denominators is None else values[selector],
                denominator=None if denominators is None else denominators[selector],
                segments=None if segments is None else segments[selector],
                baseline=None if baseline is None else baseline[selector],
                excluded=None if excluded is None else excluded[selector],
                direction=direction_rows[selector],
                boundary_low=low_rows[selector],
                boundary_high=high_rows[selector],
            )
            result = _analyse_block(block, block_chart, profile, screen)
            # A series whose latest segment has too few points for limits is shown as a run chart.
            chart_codes[selector] = np.where(
                result.per_series["limits_shown"] | ~(result.per_series["latest"] >= 0),
                CHART_CODE_OF[block_chart],
                CHART_CODE_OF[Chart.RUN],
            )
            for name, array in result.per_series.items():
                per_series[name][selector] = array
            if points:
                for name in _LINE_FIELDS:
                    _store_line(outputs, name, selector, getattr(result.lines, name), shape)
                outputs["flags"][selector] = result.flags
                outputs["point_class"][selector] = result.point_class
    for name in _LINE_FIELDS if points else ():
        # Lines constant along every row were stored once per series: return read-only (S, T) views.
        outputs[name] = np.broadcast_to(outputs.get(name, np.full((rows, 1), np.nan)), shape)
    return BatchResult(
        profile=profile.name,
        chart=chart_codes,
        values=plotted if points else None,
        centre=outputs.get("centre"),
        lower=outputs.get("lower"),
        upper=outputs.get("upper"),
        lower_2s=outputs.get("lower_2s"),
        upper_2s=outputs.get("upper_2s"),
        flags=outputs.get("flags"),
        point_class=outputs.get("point_class"),
        **per_series,
    )


def _store_line(outputs: dict, name: str, selector, line: np.ndarray, shape: tuple[int, int]) -> None:
    """Write a block's line into the result, one value per series while every block gives (rows, 1).

    XmR charts with one segment per series have lines that are constant along the row; storing them once
    per series takes 40 MB for a million series instead of 1.4 GB.
    """
    store = outputs.get(name)
    if store is None:
        store = outputs[name] = np.empty((shape[0], 1) if line.shape[1] == 1 else shape)
    elif store.shape[1] == 1 and line.shape[1] != 1:
        store = outputs[name] = np.broadcast_to(store, shape).copy()
    store[selector] = line


def _chart_blocks(single, kind, plotted, numerator, denominator, chunk: slice, profile, screen):
    """Rows of a chunk grouped by their concrete chart, as (chart, row selector) pairs."""
    if single is not None:
        yield single, chunk
        return
    if kind is ValueKind.PROPORTION:
        proportion = np.ones(chunk.stop - chunk.start, dtype=bool)
    elif kind is ValueKind.RATE:
        proportion = np.zeros(chunk.stop - chunk.start, dtype=bool)
    else:
        proportion = _ratio_family(numerator[chunk], denominator[chunk])
    for prime, plain, rows_mask in (
        (Chart.P_PRIME, Chart.P, proportion),
        (Chart.U_PRIME, Chart.U, ~proportion),
    ):
        if not rows_mask.any():
            continue
        rows = np.flatnonzero(rows_mask) + chunk.start
        over = _overdispersed(plotted[rows], numerator[rows], denominator[rows], prime, profile, screen)
        if over.any():
            yield prime, rows[over]
        if (~over).any():
            yield plain, rows[~over]


def _overdispersed(plotted, numerator, denominator, prime, profile, screen) -> np.ndarray:
    """Laney's test for `auto`: sigma_z > 1 in any segment of the series."""
    rows, periods = plotted.shape
    layout = segment_layout(None, rows, periods)
    usable = ~np.isnan(plotted)
    limits = compute_limits(prime, plotted, numerator, denominator, usable, layout, profile, screen)
    plain = Chart.P if prime is Chart.P_PRIME else Chart.U
    plain_limits = compute_limits(plain, plotted, numerator, denominator, usable, layout, profile, screen)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = limits.half_width / plain_limits.half_width
    return np.nanmax(np.where(np.isfinite(ratio), ratio, 0.0), axis=1) > 1


# ---------------------------------------------------------------------------------------------- single


def analyse_series(
    values: Sequence[float] | np.ndarray,
    *,
    denominators: Sequence[float] | np.ndarray | None = None,
    segments: Sequence[int] | np.ndarray | None = None,
    baseline: Sequence[bool] | np.ndarray | None = None,
    excluded: Sequence[bool] | np.ndarray | None = None,
    **options,
) -> SeriesResult:
    """Analyse one series; the same options as `analyse`, with 1-D inputs."""

    def row(array):
        return None if array is None else np.asarray(array)[None, :]

    batch = analyse(
        np.asarray(values, dtype=np.float64)[None, :],
        denominators=row(denominators),
        segments=row(segments),
        baseline=row(baseline),
        excluded=row(excluded),
        **options,
    )
    return SeriesResult(
        profile=batch.profile,
        chart=batch.chart_of(0),
        values=batch.values[0],
        centre=batch.centre[0],
        lower=batch.lower[0],
        upper=batch.upper[0],
        lower_2s=batch.lower_2s[0],
        upper_2s=batch.upper_2s[0],
        flags=batch.flags[0],
        point_class=batch.point_class[0],
        n=int(batch.n[0]),
        n_baseline=int(batch.n_baseline[0]),
        limits_shown=bool(batch.limits_shown[0]),
        latest=int(batch.latest[0]),
        variation=Variation(int(batch.variation[0])),
        assurance=Assurance(int(batch.assurance[0])),
        boundary_crossed=bool(batch.boundary_crossed[0]),
        runs_useful=int(batch.runs_useful[0]),
        runs_longest=int(batch.runs_longest[0]),
        runs_longest_limit=int(batch.runs_longest_limit[0]),
        runs_crossings=int(batch.runs_crossings[0]),
        runs_crossings_limit=int(batch.runs_crossings_limit[0]),
    )
