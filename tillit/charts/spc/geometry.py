"""Where things go on a chart: round ticks, the x axis's labels, phases and runs, stepped lines, and the
point markers whose shape carries the point class."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from typing import Any, NamedTuple

import numpy as np

from tillit.charts.spc.format import MONTHS, short_period
from tillit.charts.spc.series import MONTH

MAX_X_LABELS = 12
MONTH_STEPS = (1, 2, 3, 4, 6, 12, 24, 36, 60, 120)
CHAR_WIDTH = 7.7  # px of a digit at the 12 px chart font (DejaVu Sans: 0.636 em), a safe estimate

# Marker sizes in user units (the viewBox is `width` x `height`).
RADIUS = 3.6
RING_RADIUS = 4.6
TRIANGLE = 6.0
DIAMOND = 5.8
CROSS = 4.0


class Tick(NamedTuple):
    position: float  # x for the x axis, y for the y axis
    label: str
    label2: str = ""  # a second line (the year under a month)


def nice_ticks(low: float, high: float, target: int = 5) -> tuple[list[float], int]:
    """Round tick values covering [low, high] (steps of 1, 2, 2.5 or 5 × 10ⁿ) and their decimals."""
    if not (math.isfinite(low) and math.isfinite(high)):
        low, high = 0.0, 1.0
    if high - low <= 1e-9 * max(1.0, abs(low), abs(high)):
        pad = abs(low) * 0.1 or 1.0
        low, high = low - pad, high + pad
    raw = (high - low) / max(1, target - 1)
    exponent = math.floor(math.log10(raw))
    magnitude = 10.0**exponent
    for mantissa in (1.0, 2.0, 2.5, 5.0, 10.0):
        if mantissa * magnitude >= raw * (1 - 1e-9):
            break
    step = mantissa * magnitude
    if mantissa == 10.0:
        exponent += 1
    decimals = max(0, -exponent) + (1 if mantissa == 2.5 else 0)
    first = math.floor(low / step + 1e-9)
    last = math.ceil(high / step - 1e-9)
    return [round(k * step, decimals + 2) for k in range(first, last + 1)], decimals


def x_ticks(
    periods: Sequence[date], frequency: str, xs: np.ndarray, plot_width: float, locale: str
) -> tuple[Tick, ...]:
    """The x axis's labels, thinned to what fits: months as "jan" with the year under January (or
    years alone on long series), other periods in their short form."""
    n = len(periods)
    if n == 0:
        return ()
    monthly = frequency == MONTH
    labels = [] if monthly else [short_period(day, frequency) for day in periods]
    chars = 4 if monthly else max(len(label) for label in labels)
    fits = max(1, min(MAX_X_LABELS, int(plot_width // (chars * CHAR_WIDTH + 10))))
    if monthly:
        step = next((k for k in MONTH_STEPS if math.ceil(n / k) <= fits), math.ceil(n / fits))
        absolute = [day.year * 12 + day.month - 1 for day in periods]
        offset = next((i for i in range(min(step, n)) if absolute[i] % step == 0), 0)
    else:
        step, offset = math.ceil(n / fits), 0
    ticks = []
    previous_year = None
    for i in range(offset, n, step):
        x = round(float(xs[i]), 1)
        if not monthly:
            ticks.append(Tick(x, labels[i]))
            continue
        year, month = periods[i].year, periods[i].month
        if step >= 12:
            ticks.append(Tick(x, str(year)))
        else:
            ticks.append(Tick(x, MONTHS[locale][month - 1][0], str(year) if year != previous_year else ""))
        previous_year = year
    return tuple(ticks)


def phases(centre: np.ndarray, segments: Sequence[Any] | None) -> list[tuple[int, int]]:
    """[start, stop) of each phase: from the given segment labels, else where the centre line changes."""
    n = centre.size
    if n == 0:
        return []
    if segments is not None:
        labels = list(segments)
        change = [i for i in range(1, n) if labels[i] != labels[i - 1]]
    else:
        same = (centre[1:] == centre[:-1]) | (np.isnan(centre[1:]) & np.isnan(centre[:-1]))
        change = (np.flatnonzero(~same) + 1).tolist()
    starts = [0, *change]
    return list(zip(starts, [*change, n], strict=True))


def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """[start, stop) of each run of True."""
    padded = np.concatenate(([False], mask, [False]))
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def _f(value: float) -> str:
    return f"{value:.1f}"


def line_points(xs: np.ndarray, ys: np.ndarray, start: int, stop: int, half: float) -> list[str]:
    """One polyline per run of finite values in [start, stop): flat, or stepped where it varies."""
    out = []
    segment = ys[start:stop]
    for a, b in runs(np.isfinite(segment)):
        a, b = a + start, b + start
        part = ys[a:b]
        if np.all(part == part[0]):
            x0, x1 = (xs[a], xs[b - 1]) if b - a > 1 else (xs[a] - half, xs[a] + half)
            out.append(f"{_f(x0)},{_f(part[0])} {_f(x1)},{_f(part[0])}")
            continue
        coords = []
        for i in range(a, b):
            left = xs[a] if i == a else xs[i] - half
            right = xs[b - 1] if i == b - 1 else xs[i] + half
            coords.append(f"{_f(left)},{_f(ys[i])} {_f(right)},{_f(ys[i])}")
        out.append(" ".join(coords))
    return out


# --------------------------------------------------------------------------------------------- markers


def _circle(x: float, y: float, r: float) -> str:
    return f"M{x - r:.1f},{y:.1f}a{r},{r} 0 1,0 {2 * r},0a{r},{r} 0 1,0 {-2 * r},0Z"


def triangle(x: float, y: float, size: float, up: bool) -> str:
    h = size * 0.866
    tip, base = (y - h * 2 / 3, y + h / 3) if up else (y + h * 2 / 3, y - h / 3)
    half = size / 2
    return f"M{x:.1f},{tip:.1f}L{x + half:.1f},{base:.1f}L{x - half:.1f},{base:.1f}Z"


def _diamond(x: float, y: float, r: float) -> str:
    return f"M{x:.1f},{y - r:.1f}L{x + r:.1f},{y:.1f}L{x:.1f},{y + r:.1f}L{x - r:.1f},{y:.1f}Z"


def _cross(x: float, y: float, r: float) -> str:
    return f"M{x - r:.1f},{y - r:.1f}L{x + r:.1f},{y + r:.1f}M{x - r:.1f},{y + r:.1f}L{x + r:.1f},{y - r:.1f}"


def marker_path(point_class: str, x: float, y: float, above: bool = True) -> str:
    """The marker's outline: circle (common), triangle towards its side of the centre line
    (improvement), diamond (concern), ring (special; hollow by CSS), cross (excluded)."""
    if point_class == "improvement":
        return triangle(x, y, TRIANGLE * 1.5, above)
    if point_class == "concern":
        return _diamond(x, y, DIAMOND)
    if point_class == "special":
        return _circle(x, y, RING_RADIUS)
    if point_class == "excluded":
        return _cross(x, y, CROSS)
    return _circle(x, y, RADIUS)
