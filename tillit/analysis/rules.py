"""Special-cause rules, vectorised along the period axis for every series at once.

`values` holds NaN for points that are not judged (gaps and excluded points): every comparison with NaN is
False, so a gap ends every run, trend and window (decision D-6).
"""

from __future__ import annotations

import numpy as np

from tillit.analysis.codes import Rule
from tillit.analysis.limits import Lines
from tillit.analysis.profiles import RuleProfile

FLAG_DTYPE = np.uint16


def run_length(condition: np.ndarray, breaks: np.ndarray | None) -> np.ndarray:
    """Length of the run of True that each True element belongs to (0 where False).

    `breaks[:, i]` True means a run cannot continue from column i - 1 to column i.
    """
    rows, periods = condition.shape
    columns = np.arange(periods)
    start = condition.copy()
    start[:, 1:] &= ~condition[:, :-1] if breaks is None else ~condition[:, :-1] | breaks[:, 1:]
    end = condition.copy()
    end[:, :-1] &= ~condition[:, 1:] if breaks is None else ~condition[:, 1:] | breaks[:, 1:]
    last_start = np.maximum.accumulate(np.where(start, columns, -1), axis=1)
    next_end = np.minimum.accumulate(np.where(end, columns, periods)[:, ::-1], axis=1)[:, ::-1]
    return np.where(condition, next_end - last_start + 1, 0)


def _in_long_run(condition: np.ndarray, length: int, breaks: np.ndarray | None) -> np.ndarray:
    if condition.shape[1] < length:
        return np.zeros_like(condition)
    return run_length(condition, breaks) >= length


def _trend_points(steps: np.ndarray, length: int) -> np.ndarray:
    """Points at either end of a step that belongs to a run of `length - 1` steps."""
    in_trend = _in_long_run(steps, length - 1, None)
    points = np.zeros((steps.shape[0], steps.shape[1] + 1), dtype=bool)
    points[:, :-1] |= in_trend
    points[:, 1:] |= in_trend
    return points


def _window_members(condition: np.ndarray, width: int) -> np.ndarray:
    """True where a point lies in at least one window of `width` columns whose start has `condition`."""
    member = np.zeros((condition.shape[0], condition.shape[1] + width - 1), dtype=bool)
    for offset in range(width):
        member[:, offset : offset + condition.shape[1]] |= condition
    return member


def _k_of_m(beyond: np.ndarray, side: np.ndarray | None, k: int, m: int, windows_ok: np.ndarray | None):
    """Points beyond a line that lie in a window of m points with >= k beyond it (all on one side if given)."""
    periods = beyond.shape[1]
    if periods < m:
        return np.zeros_like(beyond)
    count = np.zeros((beyond.shape[0], periods - m + 1), dtype=np.int8)
    for offset in range(m):
        count += beyond[:, offset : offset + periods - m + 1]
    condition = count >= k
    if side is not None:
        all_on_side = side[:, : periods - m + 1].copy()
        for offset in range(1, m):
            all_on_side &= side[:, offset : offset + periods - m + 1]
        condition &= all_on_side
    if windows_ok is not None:
        condition &= windows_ok[:, : periods - m + 1]
    return beyond & _window_members(condition, m)


def _windows_within_segment(segment_start: np.ndarray, m: int) -> np.ndarray:
    """True for window starts whose m columns lie in one segment."""
    periods = segment_start.shape[1]
    ok = np.ones((segment_start.shape[0], max(periods - m + 1, 0)), dtype=bool)
    for offset in range(1, m):
        ok &= ~segment_start[:, offset : offset + periods - m + 1]
    return ok


def profile_flags(
    values: np.ndarray, lines: Lines, profile: RuleProfile, segment_start: np.ndarray
) -> np.ndarray:
    """Rule hits of a profile's Shewhart-type rules (everything except the Anhøj runs analysis)."""
    flags = np.zeros(values.shape, dtype=FLAG_DTYPE)
    with np.errstate(invalid="ignore"):
        above = values > lines.centre
        below = values < lines.centre
        breaks = None if profile.rules_cross_segments else segment_start

        def add(mask: np.ndarray, rule: Rule) -> None:
            flags[mask] |= FLAG_DTYPE(rule)

        if profile.beyond_limits:
            add(values > lines.upper, Rule.BEYOND_HIGH)
            add(values < lines.lower, Rule.BEYOND_LOW)
        if profile.shift_length:
            add(_in_long_run(above, profile.shift_length, breaks), Rule.SHIFT_HIGH)
            add(_in_long_run(below, profile.shift_length, breaks), Rule.SHIFT_LOW)
        if profile.trend_length:
            rising = values[:, 1:] > values[:, :-1]
            falling = values[:, 1:] < values[:, :-1]
            if breaks is not None:
                rising &= ~breaks[:, 1:]
                falling &= ~breaks[:, 1:]
            add(_trend_points(rising, profile.trend_length), Rule.TREND_UP)
            add(_trend_points(falling, profile.trend_length), Rule.TREND_DOWN)
        windows3 = None if profile.rules_cross_segments else _windows_within_segment(segment_start, 3)
        if profile.two_of_three:
            high = values > lines.upper_2s
            low = values < lines.lower_2s
            if not profile.two_of_three_counts_beyond_limits:
                high &= ~(values > lines.upper)
                low &= ~(values < lines.lower)
            add(_k_of_m(high, above, 2, 3, windows3), Rule.TWO_OF_THREE_HIGH)
            add(_k_of_m(low, below, 2, 3, windows3), Rule.TWO_OF_THREE_LOW)
        if profile.western_two_of_three:
            add(_k_of_m(values > lines.upper_2s, None, 2, 3, windows3), Rule.TWO_OF_THREE_HIGH)
            add(_k_of_m(values < lines.lower_2s, None, 2, 3, windows3), Rule.TWO_OF_THREE_LOW)
        if profile.four_of_five:
            windows5 = None if profile.rules_cross_segments else _windows_within_segment(segment_start, 5)
            add(_k_of_m(values > lines.upper_1s, None, 4, 5, windows5), Rule.FOUR_OF_FIVE_HIGH)
            add(_k_of_m(values < lines.lower_1s, None, 4, 5, windows5), Rule.FOUR_OF_FIVE_LOW)
    return flags
