"""Centre lines and process limits per segment, for every chart type, on a chunk of series at once.

Everything here works on wide arrays (series x periods). A group is one segment of one series; its key is
`row * n_segments + segment`, so that group statistics are `np.bincount` reductions without a Python loop.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tillit.analysis.codes import Chart
from tillit.analysis.profiles import RuleProfile

D2 = 1.128  # bias correction of the mean moving range for subgroups of two
MR_SCREEN = 3.267  # Nelson's moving-range screening limit, as a multiple of the mean moving range
MEDIAN_MR_LIMIT = 3.145  # Wheeler's constant for limits from the median moving range (3 / 0.954)
T_CHART_POWER = 3.6  # the t chart plots y ** (1 / 3.6), after Nelson


@dataclass(frozen=True, slots=True)
class Layout:
    """Segments of a chunk of series: a group key per point and whether neighbours share a segment."""

    key: np.ndarray  # (rows, periods) int64
    n_groups: int
    same_segment: np.ndarray  # (rows, periods - 1) bool
    segment_start: np.ndarray  # (rows, periods) bool: first column of each segment
    single: bool  # one segment per row: group statistics are plain row reductions


def segment_layout(segments: np.ndarray | None, rows: int, periods: int) -> Layout:
    if segments is None:
        key = np.broadcast_to(np.arange(rows, dtype=np.int64)[:, None], (rows, periods))
        same = np.ones((rows, max(periods - 1, 0)), dtype=bool)
        start = np.zeros((rows, periods), dtype=bool)
        start[:, :1] = True
        return Layout(key=key, n_groups=rows, same_segment=same, segment_start=start, single=True)
    same = segments[:, 1:] == segments[:, :-1]
    start = np.ones((rows, periods), dtype=bool)
    start[:, 1:] = ~same
    index = np.cumsum(start, axis=1, dtype=np.int64) - 1
    n_segments = int(index[:, -1].max()) + 1 if periods else 1
    key = np.arange(rows, dtype=np.int64)[:, None] * n_segments + index
    return Layout(
        key=key, n_groups=rows * n_segments, same_segment=same, segment_start=start, single=n_segments == 1
    )


@dataclass(frozen=True, slots=True)
class ChartLimits:
    """Per point: the centre line, the mean the limits are built around and the 3-sigma half-width."""

    centre: np.ndarray
    limit_mean: np.ndarray
    half_width: np.ndarray
    floor: float  # limits are clipped to [floor, ceiling]
    ceiling: float
    transformed: bool  # True for the t chart: lines are on the y ** (1 / 3.6) scale
    baseline_count: np.ndarray  # per group: usable baseline points


def group_sum(key: np.ndarray, mask: np.ndarray, values: np.ndarray, n_groups: int) -> np.ndarray:
    return np.bincount(key[mask], weights=values[mask], minlength=n_groups)


def group_count(key: np.ndarray, mask: np.ndarray, n_groups: int) -> np.ndarray:
    return np.bincount(key[mask], minlength=n_groups)


def group_median(keys: np.ndarray, values: np.ndarray, n_groups: int) -> np.ndarray:
    """Median per group of flat `keys`/`values`; NaN for empty groups."""
    order = np.lexsort((values, keys))
    sorted_values = values[order]
    counts = np.bincount(keys, minlength=n_groups)
    starts = np.cumsum(counts) - counts
    median = np.full(n_groups, np.nan)
    has = counts > 0
    low = starts[has] + (counts[has] - 1) // 2
    high = starts[has] + counts[has] // 2
    median[has] = (sorted_values[low] + sorted_values[high]) / 2
    return median


def segment_medians(values: np.ndarray, usable: np.ndarray, layout: Layout) -> np.ndarray:
    """Median of the usable values of every group (series x segment); NaN for empty groups.

    With few segments per row, a row-wise sort per segment index is much faster than one global
    lexsort over all points.
    """
    rows, periods = values.shape
    n_segments = layout.n_groups // max(rows, 1)
    if n_segments > 8 or rows == 0 or periods == 0:
        return group_median(layout.key[usable], values[usable], layout.n_groups)
    segment_index = layout.key - np.arange(rows, dtype=np.int64)[:, None] * n_segments
    medians = np.full((rows, n_segments), np.nan)
    row_index = np.arange(rows)
    for segment in range(n_segments):
        member = usable if n_segments == 1 else usable & (segment_index == segment)
        ordered = np.sort(np.where(member, values, np.nan), axis=1)  # NaN sorts last
        count = member.sum(axis=1)
        low = np.clip((count - 1) // 2, 0, periods - 1)
        high = np.clip(count // 2, 0, periods - 1)
        middle = (ordered[row_index, low] + ordered[row_index, high]) / 2
        medians[:, segment] = np.where(count > 0, middle, np.nan)
    return medians.reshape(-1)


def _divide(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return numerator / denominator


def moving_ranges(
    values: np.ndarray, usable: np.ndarray, layout: Layout, previous: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Moving ranges between consecutive usable points of one segment, as flat (group key, range) arrays.

    A gap or a non-baseline point breaks the chain: no range is taken across it. So does an excluded
    point, unless `previous` gives each point's partner column (the last non-excluded column before it,
    -1 for none), which bridges excluded points as qicharts2 does (decision D-5).
    """
    if previous is None:
        valid = usable[:, 1:] & usable[:, :-1] & layout.same_segment
        ranges = np.abs(values[:, 1:] - values[:, :-1])
        return layout.key[:, 1:][valid], ranges[valid]
    has_partner = previous >= 0
    partner = np.where(has_partner, previous, 0)
    same_group = np.take_along_axis(layout.key, partner, axis=1) == layout.key
    valid = usable & has_partner & np.take_along_axis(usable, partner, axis=1) & same_group
    ranges = np.abs(values - np.take_along_axis(values, partner, axis=1))
    return layout.key[valid], ranges[valid]


def previous_kept_columns(excluded: np.ndarray) -> np.ndarray:
    """For every column, the last column before it that is not excluded (-1 for none)."""
    columns = np.arange(excluded.shape[1])
    last_kept = np.maximum.accumulate(np.where(~excluded, columns, -1), axis=1)
    previous = np.empty_like(last_kept)
    previous[:, 0] = -1
    previous[:, 1:] = last_kept[:, :-1]
    return previous


def mean_moving_range(keys: np.ndarray, ranges: np.ndarray, n_groups: int, screen: bool) -> np.ndarray:
    counts = np.bincount(keys, minlength=n_groups)
    mean = _divide(np.bincount(keys, weights=ranges, minlength=n_groups), counts)
    if not screen:
        return mean
    threshold = MR_SCREEN * mean[keys]
    keep = (ranges < threshold) | (threshold <= 0)
    counts = np.bincount(keys[keep], minlength=n_groups)
    return _divide(np.bincount(keys[keep], weights=ranges[keep], minlength=n_groups), counts)


def _xmr_rows(values, usable, profile, screen):
    """XmR statistics when every row is one segment: row reductions, no group keys."""
    count = usable.sum(axis=1)
    mean = _divide(np.where(usable, values, 0.0).sum(axis=1), count)
    valid = usable[:, 1:] & usable[:, :-1]
    ranges = np.abs(values[:, 1:] - values[:, :-1])
    mean_range = _divide(np.where(valid, ranges, 0.0).sum(axis=1), valid.sum(axis=1))
    if screen:
        threshold = MR_SCREEN * mean_range[:, None]
        valid &= (ranges < threshold) | (threshold <= 0)
        mean_range = _divide(np.where(valid, ranges, 0.0).sum(axis=1), valid.sum(axis=1))
    return mean, profile.limit_constant * mean_range, count


def _xmr(values, usable, layout, profile, screen, median, previous=None):
    n_groups = layout.n_groups
    count = group_count(layout.key, usable, n_groups)
    mean = _divide(group_sum(layout.key, usable, values, n_groups), count)
    keys, ranges = moving_ranges(values, usable, layout, previous)
    if median:
        half_width = MEDIAN_MR_LIMIT * group_median(keys, ranges, n_groups)
    else:
        half_width = profile.limit_constant * mean_moving_range(keys, ranges, n_groups, screen)
    return mean, half_width, count


def _laney_sigma_z(z, usable, layout, screen, previous=None):
    keys, ranges = moving_ranges(z, usable, layout, previous)
    return mean_moving_range(keys, ranges, layout.n_groups, screen) / D2


def compute_limits(
    chart: Chart,
    values: np.ndarray,
    numerator: np.ndarray | None,
    denominator: np.ndarray | None,
    usable: np.ndarray,
    layout: Layout,
    profile: RuleProfile,
    screen: bool,
    previous: np.ndarray | None = None,
) -> ChartLimits:
    """Limits of one concrete chart (not AUTO, not RUN) for a chunk of series.

    `previous` (see `previous_kept_columns`) makes moving ranges bridge excluded points.
    """
    key, n_groups = layout.key, layout.n_groups
    floor, ceiling, transformed = -np.inf, np.inf, False
    if chart in (Chart.XMR, Chart.XMR_MEDIAN, Chart.T):
        transformed = chart is Chart.T
        statistic = np.power(values, 1 / T_CHART_POWER) if transformed else values
        if layout.single and chart is not Chart.XMR_MEDIAN and previous is None:
            # Per-row constants stay (rows, 1) and broadcast, which saves writing (rows, periods) arrays.
            mean, half_width, count = _xmr_rows(statistic, usable, profile, screen)
            centre = limit_mean = mean[:, None]
            half_width = half_width[:, None]
        else:
            mean, half_width, count = _xmr(
                statistic, usable, layout, profile, screen, chart is Chart.XMR_MEDIAN, previous
            )
            centre = limit_mean = mean[key]
            half_width = half_width[key]
        if transformed:
            floor = 0.0
    elif chart in (Chart.P, Chart.P_PRIME, Chart.U, Chart.U_PRIME):
        count = group_count(key, usable, n_groups)
        rate = _divide(
            group_sum(key, usable, numerator, n_groups), group_sum(key, usable, denominator, n_groups)
        )
        centre = limit_mean = rate[key]
        if chart in (Chart.P, Chart.P_PRIME):
            sigma = np.sqrt(_divide(centre * (1 - centre), denominator))
            floor, ceiling = 0.0, 1.0
        else:
            sigma = np.sqrt(_divide(centre, denominator))
            floor = 0.0
        if chart in (Chart.P_PRIME, Chart.U_PRIME):
            z = np.where(sigma > 0, _divide(values - centre, sigma), 0.0)
            sigma = sigma * _laney_sigma_z(z, usable, layout, screen, previous)[key]
        half_width = 3 * sigma
    elif chart is Chart.C:
        count = group_count(key, usable, n_groups)
        mean = _divide(group_sum(key, usable, values, n_groups), count)
        centre = limit_mean = mean[key]
        half_width = 3 * np.sqrt(limit_mean)
        floor = 0.0
    elif chart is Chart.G:
        count = group_count(key, usable, n_groups)
        mean = _divide(group_sum(key, usable, values, n_groups), count)
        limit_mean = mean[key]
        half_width = 3 * np.sqrt(limit_mean * (limit_mean + 1))
        centre = segment_medians(values, usable, layout)[key]
        floor = 0.0
    else:
        raise ValueError(f"no limits for chart {chart}")
    return ChartLimits(
        centre=centre,
        limit_mean=limit_mean,
        half_width=half_width,
        floor=floor,
        ceiling=ceiling,
        transformed=transformed,
        baseline_count=count,
    )


@dataclass(frozen=True, slots=True)
class Lines:
    """Per point lines on the scale of the plotted values; NaN where no limits are claimed."""

    centre: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    lower_2s: np.ndarray
    upper_2s: np.ndarray
    lower_1s: np.ndarray | None
    upper_1s: np.ndarray | None


def _line(limits: ChartLimits, sigmas: float) -> np.ndarray:
    line = limits.limit_mean + (sigmas / 3) * limits.half_width
    if sigmas < 0 and limits.floor > -np.inf:
        np.maximum(line, limits.floor, out=line)
    if sigmas > 0 and limits.ceiling < np.inf:
        np.minimum(line, limits.ceiling, out=line)
    if limits.transformed:
        np.power(line, T_CHART_POWER, out=line)
    return line


def build_lines(limits: ChartLimits, with_one_sigma: bool) -> Lines:
    centre = limits.centre
    if limits.transformed:
        centre = np.power(centre, T_CHART_POWER)
    return Lines(
        centre=centre,
        lower=_line(limits, -3),
        upper=_line(limits, 3),
        lower_2s=_line(limits, -2),
        upper_2s=_line(limits, 2),
        lower_1s=_line(limits, -1) if with_one_sigma else None,
        upper_1s=_line(limits, 1) if with_one_sigma else None,
    )
