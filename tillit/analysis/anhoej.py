"""Anhøj runs analysis (qicharts2 `runs.analysis`), vectorised over many segments at once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from math import comb, log2

import numpy as np


def longest_run_limit(useful_points: int) -> int:
    """A longest run above this is a signal: round(log2(n) + 3)."""
    return round(log2(useful_points) + 3)


def crossings_limit(useful_points: int) -> int:
    """Fewer crossings than this is a signal: qbinom(0.05, n - 1, 0.5), computed exactly."""
    trials = useful_points - 1
    total = 2**trials
    cumulative = 0
    for k in range(trials + 1):
        cumulative += comb(trials, k)
        if 20 * cumulative >= total:  # P(X <= k) >= 0.05
            return k
    return trials


@lru_cache(maxsize=64)
def threshold_tables(max_points: int) -> tuple[np.ndarray, np.ndarray]:
    """Longest-run and crossings limits indexed by the number of useful points (index 0 unused)."""
    longest = np.zeros(max_points + 1, dtype=np.int64)
    crossings = np.zeros(max_points + 1, dtype=np.int64)
    for n in range(1, max_points + 1):
        longest[n] = longest_run_limit(n)
        crossings[n] = crossings_limit(n)
    longest.flags.writeable = False
    crossings.flags.writeable = False
    return longest, crossings


@dataclass(frozen=True, slots=True)
class RunsAnalysis:
    """Per group (series x segment): useful points, the longest run, crossings and whether they signal."""

    useful: np.ndarray
    longest_run: np.ndarray
    longest_run_limit: np.ndarray
    crossings: np.ndarray
    crossings_limit: np.ndarray
    longest_run_signal: np.ndarray
    crossings_signal: np.ndarray


def runs_analysis(side: np.ndarray, group: np.ndarray, n_groups: int) -> RunsAnalysis:
    """Runs analysis of every group at once.

    `side` is +1 above, -1 below and 0 for points that are not useful (on the centre line, missing or
    excluded; qicharts2 removes them, so a run continues across them). `group` gives each point's group key;
    groups must be contiguous along each row and rows must not share keys, as for `row * n_segments + segment`.
    """
    _rows, periods = side.shape
    useful = side != 0
    columns = np.broadcast_to(np.arange(periods), side.shape)
    last_useful = np.maximum.accumulate(np.where(useful, columns, -1), axis=1)
    previous_useful = np.empty_like(last_useful)
    previous_useful[:, 0] = -1
    previous_useful[:, 1:] = last_useful[:, :-1]
    has_previous = previous_useful >= 0
    safe_previous = np.where(has_previous, previous_useful, 0)
    previous_side = np.take_along_axis(side, safe_previous, axis=1)
    previous_group = np.take_along_axis(group, safe_previous, axis=1)
    continues = useful & has_previous & (previous_group == group)
    crossing = continues & (previous_side != side)
    run_start = useful & ~(continues & (previous_side == side))

    useful_count = np.bincount(group[useful], minlength=n_groups)
    crossings = np.bincount(group[crossing], minlength=n_groups)
    run_id = np.cumsum(run_start.ravel()) - 1
    useful_flat = useful.ravel()
    run_lengths = np.bincount(run_id[useful_flat])
    run_group = group.ravel()[run_start.ravel()]
    longest = np.zeros(n_groups, dtype=np.int64)
    if run_lengths.size:
        boundaries = np.flatnonzero(np.r_[True, run_group[1:] != run_group[:-1]])
        longest[run_group[boundaries]] = np.maximum.reduceat(run_lengths, boundaries)

    longest_table, crossings_table = threshold_tables(max(int(useful_count.max(initial=0)), 1))
    longest_limit = longest_table[useful_count]
    crossing_limit = crossings_table[useful_count]
    has_points = useful_count > 0
    return RunsAnalysis(
        useful=useful_count,
        longest_run=longest,
        longest_run_limit=longest_limit,
        crossings=crossings,
        crossings_limit=crossing_limit,
        longest_run_signal=has_points & (longest > longest_limit),
        crossings_signal=has_points & (crossings < crossing_limit),
    )
