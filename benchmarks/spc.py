"""Speed of the SPC engine: long table in, per-series status out, on one core.

Runs 10 000, 100 000 and 1 000 000 series x 36 monthly points with the full `mdc` profile, the same
10 000-series job with Python peers from PyPI (in their own interpreter, see requirements-peers.txt),
and the peak memory of the 1 000 000-series job in a fresh process.

    .venv/bin/python benchmarks/spc.py [--peer-series 10000] [--skip-peers]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

PERIODS = 36
SEED = 20261123
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PEERS_PYTHON = "/tmp/peers-venv/bin/python"  # noqa: S108 - a benchmark-only venv
PEERS = ("shewhart", "controlchartspy")


def pin_to_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


def long_table(series: int, periods: int = PERIODS, seed: int = SEED, missing: float = 0.0):
    """N(100, 10^2) rounded to 0.1, with a +-15 step in the last 12 months for 20% of the series,
    ordered by series and period as a database query would return it; `missing` drops that share of rows
    (gaps), which takes the general pivot instead of the zero-copy one."""
    rng = np.random.default_rng(seed)
    values = np.round(rng.normal(100.0, 10.0, (series, periods)), 1)
    stepped = rng.random(series) < 0.2
    values[stepped, -12:] += np.where(rng.random(int(stepped.sum())) < 0.5, 15.0, -15.0)[:, None]
    ids = np.repeat(np.arange(series, dtype=np.int32), periods)
    period = np.tile(np.arange(periods, dtype=np.int16), series)
    if missing:
        keep = rng.random(ids.size) >= missing
        return ids[keep], period[keep], values.reshape(-1)[keep]
    return ids, period, values.reshape(-1)


def tillit_job(ids, period, values, points: bool, recalc_at: int | None = None):
    from tillit.analysis import analyse, long_to_wide

    wide = long_to_wide(ids, period, values)
    segments = None
    if recalc_at is not None:  # per-point lines then differ along the row and are stored in full
        segments = np.broadcast_to(np.arange(wide.values.shape[1]) >= recalc_at, wide.values.shape)
    result = analyse(wide.values, chart="xmr", profile="mdc", direction=1, points=points, segments=segments)
    return result.variation


def time_tillit(series: int, points: bool, repeats: int, missing: float = 0.0) -> float:
    ids, period, values = long_table(series, missing=missing)
    tillit_job(*long_table(1000), points=points)  # warm up imports and caches
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        tillit_job(ids, period, values, points=points)
        best = min(best, time.perf_counter() - start)
    return best


# ----------------------------------------------------------------------------------------- peers


def _split_series(ids, values):
    boundaries = np.flatnonzero(np.diff(ids)) + 1
    return np.split(values, boundaries)


def peer_shewhart(ids, period, values) -> int:
    import shewhart

    flagged = 0
    for series in _split_series(ids, values):
        result = shewhart.imr(series, rules="western_electric")
        last = len(series) - 1
        flagged += any(signal.chart == "i" and last in signal.points for signal in result.signals)
    return flagged


def peer_controlchartspy(ids, period, values) -> int:
    import controlchartspy

    keys = [f"p{index:02d}" for index in range(PERIODS)]
    outliers = {
        "astronomical": True,
        "shift": True,
        "shift_n": 6,
        "trend": True,
        "trend_n": 6,
        "two_in_three": True,
    }
    flagged = 0
    for series in _split_series(ids, values):
        chart = controlchartspy.spc(
            {"k": keys, "y": series.tolist()},
            keys="k",
            numerators="y",
            spc_settings={"chart_type": "i"},
            outlier_settings=outliers,
            return_objs="limits",
        )
        last = chart.limits[-1]
        flagged += any(last[rule] != "none" for rule in ("astpoint", "trend", "shift", "two_in_three"))
    return flagged


def run_peer_child(name: str, series: int) -> None:
    pin_to_one_core()
    ids, period, values = long_table(series)
    job = {"shewhart": peer_shewhart, "controlchartspy": peer_controlchartspy}[name]
    job(*long_table(20))  # warm up
    start = time.perf_counter()
    job(ids, period, values)
    seconds = time.perf_counter() - start
    version = _version(name)
    print(json.dumps({"peer": name, "version": version, "series": series, "seconds": seconds}))


def _version(name: str) -> str:
    from importlib.metadata import version

    return version(name)


def time_peer(name: str, series: int, python: str) -> dict | None:
    command = [python, str(Path(__file__).resolve()), "--peer-child", name, "--series", str(series)]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        print(f"  {name}: skipped ({completed.stderr.strip().splitlines()[-1:]})")
        return None
    return json.loads(completed.stdout.strip().splitlines()[-1])


# -------------------------------------------------------------------------------------- memory


def run_memory_child(series: int, points: bool, recalc_at: int | None) -> None:
    """Time a cold run (fresh process: every page is touched for the first time) and a warm run."""
    pin_to_one_core()
    ids, period, values = long_table(series)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    timings = []
    for _ in range(2):
        start = time.perf_counter()
        tillit_job(ids, period, values, points=points, recalc_at=recalc_at)
        timings.append(time.perf_counter() - start)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "series": series,
                "cold": timings[0],
                "seconds": timings[1],
                "input_kib": before,
                "peak_kib": peak,
            }
        )
    )


def measure_in_child(series: int, points: bool, recalc_at: int | None = None) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--memory-child", str(series)]
    if points:
        command.append("--points")
    if recalc_at is not None:
        command += ["--recalc-at", str(recalc_at)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    completed = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
    return json.loads(completed.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------------------- main


def machine() -> str:
    model = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{model}, {os.cpu_count()} logical CPUs (pinned to one), Python {platform.python_version()}, "
        f"numpy {np.__version__}, {platform.system()} {platform.release()}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peer-series", type=int, default=10_000)
    parser.add_argument("--skip-peers", action="store_true")
    parser.add_argument("--peers-python", default=os.environ.get("PEERS_PYTHON", DEFAULT_PEERS_PYTHON))
    parser.add_argument("--peer-child", choices=PEERS, help=argparse.SUPPRESS)
    parser.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--series", type=int, default=10_000, help=argparse.SUPPRESS)
    parser.add_argument("--points", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--recalc-at", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.peer_child:
        run_peer_child(options.peer_child, options.series)
        return 0
    if options.memory_child:
        run_memory_child(options.memory_child, options.points, options.recalc_at)
        return 0

    pin_to_one_core()
    print(f"# SPC engine benchmark, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")
    print(f"# {machine()}")
    print("# job: long table (series, period, value) -> wide -> XmR + full mdc profile -> variation status")
    print()
    print("| series | output | seconds | series/s |")
    print("| ---: | --- | ---: | ---: |")
    rates = {}
    for series, repeats in ((10_000, 7), (100_000, 3)):
        for points in (False, True):
            seconds = time_tillit(series, points, repeats)
            rates[(series, points)] = series / seconds
            label = "status + per-point arrays" if points else "per-series status"
            print(f"| {series:,} | {label} | {seconds:.3f} | {series / seconds:,.0f} |")
        seconds = time_tillit(series, False, repeats, missing=0.02)
        print(
            f"| {series:,} | per-series status, 2% of rows missing | {seconds:.3f} | {series / seconds:,.0f} |"
        )
    memory = {}
    jobs = (
        ("per-series status", False, None),
        ("status + per-point arrays", True, None),
        ("status + per-point arrays, recalculation at month 14", True, 13),
    )
    for label, points, recalc_at in jobs:
        child = measure_in_child(1_000_000, points, recalc_at)
        memory[label] = child
        print(f"| 1,000,000 | {label} | {child['seconds']:.3f} | {1_000_000 / child['seconds']:,.0f} |")
        print(
            f"| 1,000,000 | {label}, first run in a fresh process | {child['cold']:.3f} | "
            f"{1_000_000 / child['cold']:,.0f} |"
        )
    print()
    print("| 1,000,000 series | peak RSS (whole process) | of which the input long table and interpreter |")
    print("| --- | ---: | ---: |")
    for label, child in memory.items():
        print(f"| {label} | {child['peak_kib'] / 1024**2:.2f} GiB | {child['input_kib'] / 1024**2:.2f} GiB |")

    if options.skip_peers:
        return 0
    print()
    print(
        f"| peer (10k job: {options.peer_series:,} series) | version | seconds | series/s | Tillit is faster by |"
    )
    print("| --- | --- | ---: | ---: | ---: |")
    ours = rates[(10_000, False)]
    for name in PEERS:
        peer = time_peer(name, options.peer_series, options.peers_python)
        if peer is None:
            continue
        rate = peer["series"] / peer["seconds"]
        print(f"| {name} | {peer['version']} | {peer['seconds']:.1f} | {rate:,.0f} | {ours / rate:,.0f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
