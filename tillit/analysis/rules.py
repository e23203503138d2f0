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


def _windows_all(condition: np.ndarray, width: int) -> np.ndarray:
    """For each window start j: condition holds on all of columns j .. j + width - 1.

    Windows double in width at each step, so a width of 8 takes 3 array operations, not 7.
    """
    result = condition
    covered = 1
    while covered < width:
        step = min(covered, width - covered)
        count = result.shape[1] - step
        result = result[:, :count] & result[:, step : step + count]
        covered += step
    return result if result is not condition else condition.copy()


def _in_long_run(condition: np.ndarray, length: int, windows_ok: np.ndarray | None) -> np.ndarray:
    """True where a point belongs to a run of at least `length` True values (within a segment if given)."""
    if condition.shape[1] < length:
        return np.zeros_like(condition)
    starts = _windows_all(condition, length)
    if windows_ok is not None:
        starts &= windows_ok
    return _window_members(starts, length)


def _trend_points(steps: np.ndarray, length: int, windows_ok: np.ndarray | None) -> np.ndarray:
    """Points of a window of `length` points whose `length - 1` steps all go the same way."""
    periods = steps.shape[1] + 1
    if periods < length:
        return np.zeros((steps.shape[0], periods), dtype=bool)
    starts = _windows_all(steps, length - 1)
    if windows_ok is not None:
        starts &= windows_ok
    return _window_members(starts, length)


def _window_members(condition: np.ndarray, width: int) -> np.ndarray:
    """True where a point lies in at least one window of `width` columns whose start has `condition`."""
    member = np.zeros((condition.shape[0], condition.shape[1] + width - 1), dtype=bool)
    member[:, : condition.shape[1]] = condition
    covered = 1
    while covered < width:
        step = min(covered, width - covered)
        member[:, step:] |= member[:, :-step].copy()
        covered += step
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
    crossing = profile.rules_cross_segments

    def add(mask: np.ndarray, rule: Rule) -> None:
        flags[...] |= mask.astype(FLAG_DTYPE) * FLAG_DTYPE(rule)

    def windows(width: int) -> np.ndarray | None:
        return None if crossing else _windows_within_segment(segment_start, width)

    with np.errstate(invalid="ignore"):
        above = values > lines.centre
        below = values < lines.centre
        if profile.beyond_limits:
            add(values > lines.upper, Rule.BEYOND_HIGH)
            add(values < lines.lower, Rule.BEYOND_LOW)
        if profile.shift_length:
            shift_windows = windows(profile.shift_length)
            add(_in_long_run(above, profile.shift_length, shift_windows), Rule.SHIFT_HIGH)
            add(_in_long_run(below, profile.shift_length, shift_windows), Rule.SHIFT_LOW)
        if profile.trend_length:
            trend_windows = windows(profile.trend_length)
            rising = values[:, 1:] > values[:, :-1]
            falling = values[:, 1:] < values[:, :-1]
            add(_trend_points(rising, profile.trend_length, trend_windows), Rule.TREND_UP)
            add(_trend_points(falling, profile.trend_length, trend_windows), Rule.TREND_DOWN)
        if profile.two_of_three:
            high = values > lines.upper_2s
            low = values < lines.lower_2s
            if not profile.two_of_three_counts_beyond_limits:
                high &= ~(values > lines.upper)
                low &= ~(values < lines.lower)
            add(_k_of_m(high, above, 2, 3, windows(3)), Rule.TWO_OF_THREE_HIGH)
            add(_k_of_m(low, below, 2, 3, windows(3)), Rule.TWO_OF_THREE_LOW)
        if profile.western_two_of_three:
            add(_k_of_m(values > lines.upper_2s, None, 2, 3, windows(3)), Rule.TWO_OF_THREE_HIGH)
            add(_k_of_m(values < lines.lower_2s, None, 2, 3, windows(3)), Rule.TWO_OF_THREE_LOW)
        if profile.four_of_five:
            add(_k_of_m(values > lines.upper_1s, None, 4, 5, windows(5)), Rule.FOUR_OF_FIVE_HIGH)
            add(_k_of_m(values < lines.lower_1s, None, 4, 5, windows(5)), Rule.FOUR_OF_FIVE_LOW)
    return flags
