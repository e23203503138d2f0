"""Long table (series, period, value[, denominator]) to wide arrays (series x periods) and back."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


class DuplicatePeriodError(ValueError):
    """Two rows give the same period for the same series."""

    def __init__(self, row: int, first_row: int) -> None:
        super().__init__(f"row {row} repeats the period of row {first_row} for the same series")
        self.row = row
        self.first_row = first_row


@dataclass(frozen=True, slots=True)
class WideTable:
    series: np.ndarray  # (S,) distinct series ids, sorted
    periods: np.ndarray  # (T,) consecutive integer periods: the columns
    values: np.ndarray  # (S, T) float64, NaN for gaps
    denominators: np.ndarray | None  # (S, T) float64, NaN for gaps


def _factorize(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Distinct keys, the index of each element and, when the keys were already sorted (the usual
    ORDER BY series, period), the mask of rows that start a new key."""
    if keys.size and keys.dtype.kind in "iu" and bool(np.all(keys[1:] >= keys[:-1])):
        starts = np.empty(keys.size, dtype=bool)
        starts[0] = True
        np.not_equal(keys[1:], keys[:-1], out=starts[1:])
        codes = np.cumsum(starts, dtype=np.int64)
        codes -= 1
        return keys[starts], codes, starts
    uniques, codes = np.unique(keys, return_inverse=True)
    return uniques, codes.reshape(-1), None


def _first_duplicate(flat: np.ndarray) -> tuple[int, int] | None:
    order = np.argsort(flat, kind="stable")
    repeated = np.flatnonzero(flat[order][1:] == flat[order][:-1])
    if not repeated.size:
        return None
    first_row, row = sorted((int(order[repeated[0]]), int(order[repeated[0] + 1])))
    return first_row, row


def long_to_wide(
    series: np.ndarray,
    periods: np.ndarray,
    values: np.ndarray,
    denominators: np.ndarray | None = None,
) -> WideTable:
    """Pivot a long table to wide arrays; rows may come in any order.

    `periods` are integers on a regular grid (months since year 0, week numbers, years...); every integer
    between the first and the last period becomes a column, so a missing period is a gap (NaN).
    Raises DuplicatePeriodError (with 0-based row indexes) when a series repeats a period.
    """
    series = np.asarray(series)
    periods = np.asarray(periods)
    if periods.dtype.kind not in "iu":
        periods = periods.astype(np.int64)
    values = np.asarray(values, dtype=np.float64)
    series_ids, flat, starts = _factorize(series)
    first_period = int(periods.min()) if periods.size else 0
    last_period = int(periods.max()) if periods.size else -1
    width = last_period - first_period + 1
    flat *= width
    flat += periods
    flat -= first_period
    cells = series_ids.size * width
    # Sorted input cannot repeat a period if periods rise strictly within each series.
    rising = starts is not None and bool(np.all(starts[1:] | (periods[1:] > periods[:-1])))
    if not rising:
        duplicate = _first_duplicate(flat)
        if duplicate is not None:
            raise DuplicatePeriodError(duplicate[1], duplicate[0])
    wide = np.full(cells, np.nan)
    wide[flat] = values
    wide_denominators = None
    if denominators is not None:
        wide_denominators = np.full(cells, np.nan)
        wide_denominators[flat] = np.asarray(denominators, dtype=np.float64)
        wide_denominators = wide_denominators.reshape(series_ids.size, width)
    return WideTable(
        series=series_ids,
        periods=np.arange(first_period, last_period + 1),
        values=wide.reshape(series_ids.size, width),
        denominators=wide_denominators,
    )
