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
    row_series: np.ndarray  # (rows,) row index of each input row
    row_column: np.ndarray  # (rows,) column of each input row


def _factorize(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct keys and the index of each element; a fast path for keys that are already sorted."""
    if keys.size and keys.dtype.kind in "iu" and bool(np.all(keys[1:] >= keys[:-1])):
        starts = np.empty(keys.size, dtype=bool)
        starts[0] = True
        np.not_equal(keys[1:], keys[:-1], out=starts[1:])
        codes = np.cumsum(starts, dtype=np.int64) - 1
        return keys[starts], codes
    uniques, codes = np.unique(keys, return_inverse=True)
    return uniques, codes.reshape(-1)


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
    periods = np.asarray(periods, dtype=np.int64)
    values = np.asarray(values, dtype=np.float64)
    series_ids, row_series = _factorize(series)
    first_period = int(periods.min()) if periods.size else 0
    last_period = int(periods.max()) if periods.size else -1
    width = last_period - first_period + 1
    row_column = periods - first_period
    flat = row_series * width + row_column
    cells = series_ids.size * width
    if np.bincount(flat, minlength=cells).max(initial=0) > 1:
        order = np.argsort(flat, kind="stable")
        repeated = np.flatnonzero(flat[order][1:] == flat[order][:-1])
        first_row, row = sorted((int(order[repeated[0]]), int(order[repeated[0] + 1])))
        raise DuplicatePeriodError(row, first_row)
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
        row_series=row_series,
        row_column=row_column,
    )
