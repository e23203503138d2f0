"""`tillit spc INPUT.csv ...`: process behaviour charts for every series of a CSV file.

The input has the columns series,period,value[,denominator]; the output is one JSON object per series
(JSON Lines) or one CSV row per point. See docs/spc-cli.md for the schema. Malformed input stops with the
file's line number and the reason on stderr, and exit status 2.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import math
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from tillit.analysis.codes import (
    ASSURANCE_NAMES,
    CHART_CODES,
    POINT_CLASS_NAMES,
    VARIATION_NAMES,
    Chart,
    Direction,
    ValueKind,
    rule_names,
)
from tillit.analysis.engine import BatchResult, analyse
from tillit.analysis.profiles import DEFAULT_PROFILE, PROFILES

EXIT_OK = 0
EXIT_MALFORMED = 2
REQUIRED_COLUMNS = ("series", "period", "value")
MAX_PERIODS = 100_000  # a wider grid means the periods are not on a regular grid (e.g. timestamps)
PROPORTION_CHARTS = frozenset({Chart.P, Chart.P_PRIME})
DIRECTIONS = {"up": Direction.UP, "down": Direction.DOWN, "neutral": Direction.NEUTRAL}


class InputError(Exception):
    """Malformed input; `line` is the 1-based line of the file, or None for a command-line argument."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line

    def message(self, path: str) -> str:
        where = f"{path}:{self.line}: " if self.line is not None else f"{path}: "
        return f"{where}{self.reason}"


# ------------------------------------------------------------------------------------------- periods


class PeriodKind(StrEnum):
    DATE = "date"  # YYYY-MM-DD
    MONTH = "month"  # YYYY-MM
    INTEGER = "integer"


_PERIOD_PATTERNS = (
    (PeriodKind.DATE, re.compile(r"\d{4}-\d{2}-\d{2}")),
    (PeriodKind.MONTH, re.compile(r"\d{4}-\d{2}")),
    (PeriodKind.INTEGER, re.compile(r"[+-]?\d+")),
)


def period_kind(text: str) -> PeriodKind | None:
    for kind, pattern in _PERIOD_PATTERNS:
        if pattern.fullmatch(text):
            return kind
    return None


def parse_period(text: str, kind: PeriodKind) -> int:
    """A period as an integer: a day ordinal for dates, months since year 0 for YYYY-MM, or the integer."""
    if kind is PeriodKind.INTEGER:
        return int(text)
    if kind is PeriodKind.MONTH:
        year, month = int(text[:4]), int(text[5:7])
        if not 1 <= month <= 12:
            raise ValueError(f"month {month} out of range")
        return year * 12 + month - 1
    return dt.date.fromisoformat(text).toordinal()


def date_grid(day_ordinals: np.ndarray) -> Callable[[int], int]:
    """The regular grid of a file's dates: monthly if all are first days, weekly if all share a weekday."""
    dates = [dt.date.fromordinal(int(day)) for day in np.unique(day_ordinals)]
    if all(date.day == 1 for date in dates):
        return lambda day: (lambda date: date.year * 12 + date.month - 1)(dt.date.fromordinal(day))
    if len({date.weekday() for date in dates}) == 1:
        return lambda day: day // 7
    return lambda day: day


# ------------------------------------------------------------------------------------------ reading


@dataclass(frozen=True, slots=True)
class Table:
    series: list[str]  # in order of first appearance
    period_texts: dict[tuple[int, int], str]  # (row, column) -> the period as written
    periods: np.ndarray  # (T,) grid positions of the columns
    period_kind: PeriodKind
    to_grid: Callable[[int], int]
    values: np.ndarray  # (S, T)
    denominators: np.ndarray | None


def _number(text: str, what: str, line: int) -> float:
    try:
        number = float(text)
    except ValueError:
        raise InputError(f"{what} {text!r} is not a number", line) from None
    if not math.isfinite(number):
        raise InputError(f"{what} {text!r} is not a finite number", line)
    return number


def _records(handle: io.TextIOBase) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(handle)
    for record in reader:
        if record and any(field.strip() for field in record):
            yield reader.line_num, [field.strip() for field in record]


def read_table(handle: io.TextIOBase, *, needs_denominator: bool, proportions: bool) -> Table:
    records = _records(handle)
    try:
        header_line, header = next(records)
    except StopIteration:
        raise InputError("the file is empty", 1) from None
    names = [name.lower() for name in header]
    for column in (*REQUIRED_COLUMNS, *(("denominator",) if needs_denominator else ())):
        if column not in names:
            raise InputError(f"missing column {column!r}", header_line)
    index = {name: names.index(name) for name in (*REQUIRED_COLUMNS, "denominator") if name in names}
    has_denominator = "denominator" in index

    series_row: dict[str, int] = {}
    seen: dict[tuple[int, int], int] = {}
    rows: list[tuple[int, int, float, float, str, int]] = []
    kind: PeriodKind | None = None
    kind_line = 0
    for line, record in records:
        if len(record) < len(names):
            raise InputError(f"expected {len(names)} fields, found {len(record)}", line)
        series = record[index["series"]]
        if not series:
            raise InputError("empty series", line)
        period_text = record[index["period"]]
        this_kind = period_kind(period_text)
        if this_kind is None:
            raise InputError(f"period {period_text!r} is not YYYY-MM-DD, YYYY-MM or an integer", line)
        if kind is None:
            kind, kind_line = this_kind, line
        elif this_kind is not kind:
            raise InputError(
                f"period {period_text!r} is not a {kind} like the period on line {kind_line}", line
            )
        try:
            period = parse_period(period_text, kind)
        except ValueError as error:
            raise InputError(f"period {period_text!r} is not a valid {kind}: {error}", line) from None
        value_text = record[index["value"]]
        value = math.nan if value_text == "" else _number(value_text, "value", line)
        denominator = math.nan
        if has_denominator:
            denominator_text = record[index["denominator"]]
            if denominator_text == "":
                if value_text != "":
                    raise InputError("missing denominator", line)
            else:
                denominator = _number(denominator_text, "denominator", line)
                if denominator < 0:
                    raise InputError(f"negative denominator {denominator_text}", line)
                if denominator == 0 and value_text != "":
                    raise InputError("denominator is zero", line)
                if value < 0 and needs_denominator:
                    raise InputError(f"negative numerator {value_text}", line)
                if proportions and value > denominator:
                    raise InputError(f"numerator {value_text} is above denominator {denominator_text}", line)
        row = series_row.setdefault(series, len(series_row))
        key = (row, period)
        if key in seen:
            raise InputError(
                f"duplicate period {period_text} for series {series!r} (first on line {seen[key]})", line
            )
        seen[key] = line
        rows.append((row, period, value, denominator, period_text, line))
    if not rows:
        raise InputError("no data rows", header_line)

    raw_periods = np.array([row[1] for row in rows], dtype=np.int64)
    to_grid: Callable[[int], int] = (
        (lambda period: period) if kind is not PeriodKind.DATE else date_grid(raw_periods)
    )
    grid = np.array([to_grid(int(period)) for period in raw_periods], dtype=np.int64)
    first, last = int(grid.min()), int(grid.max())
    if last - first >= MAX_PERIODS:
        line = rows[int(np.argmax(grid))][5]
        raise InputError(
            f"the periods span {last - first + 1} steps (more than {MAX_PERIODS}); "
            "periods must lie on a regular grid such as consecutive months or integers",
            line,
        )
    grid_seen: dict[tuple[int, int], int] = {}
    for (row, _, _, _, period_text, line), position in zip(rows, grid, strict=True):
        key = (row, int(position))
        if key in grid_seen:
            raise InputError(
                f"period {period_text} falls in the same period as line {grid_seen[key]} for this series",
                line,
            )
        grid_seen[key] = line
    shape = (len(series_row), last - first + 1)
    values = np.full(shape, np.nan)
    denominators = np.full(shape, np.nan) if has_denominator else None
    texts: dict[tuple[int, int], str] = {}
    for (row, _, value, denominator, period_text, _), position in zip(rows, grid, strict=True):
        column = int(position) - first
        values[row, column] = value
        if denominators is not None:
            denominators[row, column] = denominator
        texts[(row, column)] = period_text
    return Table(
        series=list(series_row),
        period_texts=texts,
        periods=np.arange(first, last + 1),
        period_kind=kind,
        to_grid=to_grid,
        values=values,
        denominators=denominators,
    )


def _argument_columns(texts: list[str], table: Table, option: str) -> list[int]:
    """Grid positions of periods given on the command line, in the file's period format."""
    positions = []
    for text in texts:
        if period_kind(text) is not table.period_kind:
            raise InputError(f"{option} {text!r} is not a {table.period_kind} like the file's periods")
        try:
            positions.append(table.to_grid(parse_period(text, table.period_kind)))
        except ValueError as error:
            raise InputError(f"{option} {text!r}: {error}") from None
    return positions


# ------------------------------------------------------------------------------------------ writing


def _number_or_none(value: float) -> float | None:
    # 12 significant digits hide float noise such as 8.759999999999998 without losing information.
    return None if math.isnan(value) else float(f"{value:.12g}")


def _points(result: BatchResult, table: Table, row: int, excluded_columns: np.ndarray) -> list[dict]:
    points = []
    for column in sorted(column for (r, column) in table.period_texts if r == row):
        point = {
            "period": table.period_texts[(row, column)],
            "value": _number_or_none(result.values[row, column]),
        }
        if table.denominators is not None:
            point["numerator"] = _number_or_none(table.values[row, column])
            point["denominator"] = _number_or_none(table.denominators[row, column])
        for name in ("centre", "lower", "upper", "lower_2s", "upper_2s"):
            point[name] = _number_or_none(getattr(result, name)[row, column])
        point["rules"] = rule_names(int(result.flags[row, column]))
        point["class"] = POINT_CLASS_NAMES[int(result.point_class[row, column])]
        point["excluded"] = bool(excluded_columns[column])
        points.append(point)
    return points


def series_objects(result: BatchResult, table: Table, excluded_columns: np.ndarray) -> Iterator[dict]:
    for row, series in enumerate(table.series):
        latest = int(result.latest[row])
        runs = None
        if result.runs_useful[row] >= 0:
            runs = {
                "useful": int(result.runs_useful[row]),
                "longest_run": int(result.runs_longest[row]),
                "longest_run_limit": int(result.runs_longest_limit[row]),
                "crossings": int(result.runs_crossings[row]),
                "crossings_limit": int(result.runs_crossings_limit[row]),
            }
        yield {
            "series": series,
            "chart": str(CHART_CODES[int(result.chart[row])]),
            "profile": result.profile,
            "n": int(result.n[row]),
            "n_baseline": int(result.n_baseline[row]),
            "limits_shown": bool(result.limits_shown[row]),
            "variation": VARIATION_NAMES[int(result.variation[row])],
            "assurance": ASSURANCE_NAMES[int(result.assurance[row])],
            "boundary_crossed": bool(result.boundary_crossed[row]),
            "latest_period": table.period_texts.get((row, latest)) if latest >= 0 else None,
            "runs": runs,
            "points": _points(result, table, row, excluded_columns),
        }


CSV_SERIES_FIELDS = (
    "series",
    "chart",
    "profile",
    "n",
    "limits_shown",
    "variation",
    "assurance",
    "boundary_crossed",
)
CSV_POINT_FIELDS = (
    "period",
    "value",
    "centre",
    "lower",
    "upper",
    "lower_2s",
    "upper_2s",
    "rules",
    "class",
    "excluded",
)


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(value)
    return str(value)


def write_json_lines(objects: Iterator[dict], out) -> None:
    for obj in objects:
        out.write(json.dumps(obj, allow_nan=False, ensure_ascii=False))
        out.write("\n")


def write_csv(objects: Iterator[dict], out) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow((*CSV_SERIES_FIELDS, *CSV_POINT_FIELDS))
    for obj in objects:
        head = [_csv_cell(obj[name]) for name in CSV_SERIES_FIELDS]
        for point in obj["points"]:
            writer.writerow(head + [_csv_cell(point[name]) for name in CSV_POINT_FIELDS])


# ------------------------------------------------------------------------------------------- main


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tillit spc",
        description="Process behaviour charts (SPC) for every series of a CSV file "
        "with the columns series,period,value[,denominator].",
    )
    parser.add_argument("input", metavar="INPUT.csv", help="the CSV file ('-' reads standard input)")
    parser.add_argument("--chart", choices=[chart.value for chart in Chart], default=Chart.AUTO.value)
    parser.add_argument(
        "--kind",
        choices=[kind.value for kind in ValueKind],
        help="what the values measure; lets --chart auto choose c or t charts",
    )
    parser.add_argument("--profile", choices=sorted(PROFILES), default=DEFAULT_PROFILE)
    parser.add_argument("--direction", choices=list(DIRECTIONS), default="neutral")
    parser.add_argument(
        "--baseline", type=int, metavar="N", help="freeze the limits after N points per segment"
    )
    parser.add_argument(
        "--recalc-at", action="append", default=[], metavar="PERIOD", help="start a new segment"
    )
    parser.add_argument(
        "--exclude", action="append", default=[], metavar="PERIOD", help="leave out of limits"
    )
    parser.add_argument("--boundary-low", type=float, metavar="X", help="values below X are off-limits")
    parser.add_argument("--boundary-high", type=float, metavar="Y", help="values above Y are off-limits")
    parser.add_argument("--screen-mr", action="store_true", help="screen moving ranges (Nelson)")
    parser.add_argument("--format", choices=("json", "csv"), default="json")
    return parser


def _open(path: str):
    if path == "-":
        return sys.stdin
    return open(path, encoding="utf-8-sig", newline="")


def run(options: argparse.Namespace, out) -> None:
    chart = Chart(options.chart)
    kind = None if options.kind is None else ValueKind(options.kind)
    if options.baseline is not None and options.baseline < 1:
        raise InputError("--baseline must be at least 1")
    needs_denominator = chart in (Chart.P, Chart.P_PRIME, Chart.U, Chart.U_PRIME) or kind in (
        ValueKind.PROPORTION,
        ValueKind.RATE,
    )
    proportions = chart in PROPORTION_CHARTS or (chart is Chart.AUTO and kind is ValueKind.PROPORTION)
    try:
        handle = _open(options.input)
    except OSError as error:
        raise InputError(f"cannot read the file: {error.strerror}") from None
    try:
        table = read_table(handle, needs_denominator=needs_denominator, proportions=proportions)
    except UnicodeDecodeError:
        raise InputError("the file is not UTF-8 text") from None
    finally:
        if handle is not sys.stdin:
            handle.close()

    rows, periods = table.values.shape
    recalc = _argument_columns(options.recalc_at, table, "--recalc-at")
    excluded_positions = _argument_columns(options.exclude, table, "--exclude")
    column_segment = np.searchsorted(np.sort(np.array(recalc, dtype=np.int64)), table.periods, side="right")
    excluded_columns = np.isin(table.periods, np.array(excluded_positions, dtype=np.int64))
    result = analyse(
        table.values,
        denominators=table.denominators,
        chart=chart,
        kind=kind,
        profile=options.profile,
        direction=DIRECTIONS[options.direction],
        segments=np.broadcast_to(column_segment, (rows, periods)) if recalc else None,
        excluded=np.broadcast_to(excluded_columns, (rows, periods)) if excluded_positions else None,
        baseline_points=options.baseline,
        boundary_low=options.boundary_low,
        boundary_high=options.boundary_high,
        screen_moving_ranges=True if options.screen_mr else None,
    )
    objects = series_objects(result, table, excluded_columns)
    if options.format == "csv":
        write_csv(objects, out)
    else:
        write_json_lines(objects, out)


def main(argv: list[str] | None = None) -> int:
    """Entry point of `tillit spc`; `argv` excludes the leading "spc"."""
    parser = build_parser()
    try:
        options = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        run(options, sys.stdout)
    except InputError as error:
        print(f"tillit spc: {error.message(options.input)}", file=sys.stderr)
        return EXIT_MALFORMED
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
