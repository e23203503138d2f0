"""What a chart draws: the narrow input of `spc_chart`, whoever computed it (the engine, a stored result)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

# The period lengths a chart knows (the values of tillit.indicators.enums.Frequency).
WEEK, MONTH, QUARTER, YEAR = "week", "month", "quarter", "year"


def _floats(values: Any, n: int) -> np.ndarray:
    if values is None:
        return np.full(n, np.nan)
    array = np.asarray([np.nan if v is None else v for v in values], dtype=np.float64)
    if array.shape != (n,):
        raise ValueError(f"expected {n} values, one per period, got shape {array.shape}")
    return array


@dataclass(frozen=True)
class ChartSeries:
    """One series on a regular grid of periods, each given by its first day, with what the analysis
    found (all optional: values alone draw a plain run of points).

    `centre`, `lower` and `upper` are the process lines (NaN where there are none); `point_class` the
    engine's PointClass per period; `latest` the index of the period the status speaks of (-1: the last
    value); `variation`, `assurance` and `boundary_crossed` the engine's codes for the series;
    `segments` the phase of each period (None: phases read from the centre line); `excluded` marks
    points shown but not judged.
    """

    periods: tuple[date, ...]
    frequency: str
    values: np.ndarray
    centre: np.ndarray | None = None
    lower: np.ndarray | None = None
    upper: np.ndarray | None = None
    point_class: np.ndarray | None = None
    latest: int = -1
    limits_shown: bool = False
    variation: int = 0
    assurance: int = 0
    boundary_crossed: bool = False
    segments: Sequence[Any] | None = None
    excluded: np.ndarray | None = field(default=None)

    def __post_init__(self) -> None:
        n = len(self.periods)
        object.__setattr__(self, "periods", tuple(self.periods))
        for name in ("values", "centre", "lower", "upper"):
            object.__setattr__(self, name, _floats(getattr(self, name), n))
        classes = np.zeros(n, dtype=np.int8) if self.point_class is None else np.asarray(self.point_class)
        object.__setattr__(self, "point_class", classes)
        excluded = np.zeros(n, dtype=bool) if self.excluded is None else np.asarray(self.excluded, dtype=bool)
        object.__setattr__(self, "excluded", excluded)

    @classmethod
    def from_result(
        cls,
        *,
        periods: Sequence[date],
        frequency: str,
        result,
        values: Any = None,
        segments: Sequence[Any] | None = None,
        excluded: Any = None,
    ) -> ChartSeries:
        """From the engine's `SeriesResult` of one series (its values, unless others are given)."""
        return cls(
            periods=tuple(periods),
            frequency=frequency,
            values=result.values if values is None else values,
            centre=result.centre,
            lower=result.lower,
            upper=result.upper,
            point_class=result.point_class,
            latest=int(result.latest),
            limits_shown=bool(result.limits_shown),
            variation=int(result.variation),
            assurance=int(result.assurance),
            boundary_crossed=bool(result.boundary_crossed),
            segments=segments,
            excluded=excluded,
        )
