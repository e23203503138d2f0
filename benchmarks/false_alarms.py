"""False alarms and detection delay of every rule profile, by simulation.

For each profile and chart length (24, 36, 60 monthly points):

* stable processes (independent N(0, 1)): the share of charts with at least one special-cause point, and
  the share whose latest point is special cause (that point drives the variation status, and so the
  monthly "joint look");
* a sustained shift of 1 sigma or 2 sigma in the last 12 months: month by month, the chart is recomputed on
  the data so far (as a monthly dashboard would), and the delay is the number of shifted months until the
  latest point is first special cause. Reported: the share detected within 12 months and the median delay.

    .venv/bin/python benchmarks/false_alarms.py [--stable 20000] [--shifted 10000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

import numpy as np

from tillit.analysis import PROFILES, PointClass, analyse

LENGTHS = (24, 36, 60)
SHIFT_MONTHS = 12
SEED = 20261123


def stable_rates(profile: str, periods: int, count: int, rng) -> tuple[float, float]:
    values = rng.normal(0.0, 1.0, (count, periods))
    result = analyse(values, chart="xmr", profile=profile, direction=1)
    special = result.point_class > PointClass.COMMON
    return float(special.any(axis=1).mean()), float(special[:, -1].mean())


def detection(profile: str, periods: int, shift: float, count: int, rng) -> tuple[float, float]:
    values = rng.normal(0.0, 1.0, (count, periods))
    start = periods - SHIFT_MONTHS
    values[:, start:] += shift
    delay = np.full(count, np.inf)
    for month in range(1, SHIFT_MONTHS + 1):
        result = analyse(values[:, : start + month], chart="xmr", profile=profile, direction=1, points=False)
        flagged = result.variation >= 2  # any special-cause variation status on the latest point
        delay = np.where(np.isinf(delay) & flagged, month, delay)
    detected = np.isfinite(delay)
    median = float(np.median(delay[detected])) if detected.any() else float("nan")
    return float(detected.mean()), median


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stable", type=int, default=20_000, help="stable series per cell")
    parser.add_argument("--shifted", type=int, default=10_000, help="shifted series per cell")
    parser.add_argument("--joint-look-series", type=int, default=10_000)
    options = parser.parse_args()
    rng = np.random.default_rng(SEED)
    print(f"# False alarms and detection delay, {dt.datetime.now(dt.UTC):%Y-%m-%d} UTC, seed {SEED}")
    print(f"# {options.stable:,} stable series and {options.shifted:,} shifted series per cell; XmR charts")
    print()
    print(
        "| profile | points | charts with a signal | latest point special | false looks / month per "
        f"{options.joint_look_series:,} | 1σ shift: found in 12 months | median delay | "
        "2σ shift: found in 12 months | median delay |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for profile in PROFILES:
        for periods in LENGTHS:
            any_signal, latest = stable_rates(profile, periods, options.stable, rng)
            found_1, delay_1 = detection(profile, periods, 1.0, options.shifted, rng)
            found_2, delay_2 = detection(profile, periods, 2.0, options.shifted, rng)
            looks = latest * options.joint_look_series
            print(
                f"| `{profile}` | {periods} | {any_signal:.1%} | {latest:.2%} | {looks:,.0f} | "
                f"{found_1:.0%} | {delay_1:.0f} | {found_2:.0%} | {delay_2:.0f} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
