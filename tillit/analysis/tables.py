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


def _complete_grid(series, periods, values, denominators, first_period: int, width: int) -> WideTable | None:
    """The common case of a sorted table with every period of every series present: the wide arrays are
    reshaped views of the input columns (no copy). None when the table is not like that."""
    if not periods.size or periods.size % width:
        return None
    rows = periods.size // width
    grid = periods.reshape(rows, width)
    if not np.array_equal(grid[0], np.arange(first_period, first_period + width)):
        return None
    if not (grid == grid[0]).all():
        return None
    keys = series.reshape(rows, width)
    if not (keys == keys[:, :1]).all():
        return None
    ids = keys[:, 0]
    increasing = ids[1:] > ids[:-1]
    if not bool(increasing.all()):
        return None
    wide_denominators = None
    if denominators is not None:
        wide_denominators = np.asarray(denominators, dtype=np.float64).reshape(rows, width)
    return WideTable(
        series=ids.copy(),
        periods=grid[0].astype(np.int64),
        values=values.reshape(rows, width),
        denominators=wide_denominators,
    )


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
    A table sorted by series and period with no row missing is returned as views of its columns.
    """
    series = np.asarray(series)
    periods = np.asarray(periods)
    if periods.dtype.kind not in "iu":
        periods = periods.astype(np.int64)
    values = np.asarray(values, dtype=np.float64)
    first_period = int(periods.min()) if periods.size else 0
    last_period = int(periods.max()) if periods.size else -1
    width = last_period - first_period + 1
    complete = _complete_grid(series, periods, values, denominators, first_period, width)
    if complete is not None:
        return complete
    series_ids, flat, starts = _factorize(series)
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
