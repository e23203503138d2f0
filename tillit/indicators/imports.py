"""Reading observation files (CSV and XLSX) into rows, every problem with the file's line number.

Pure parsing: no database. The file's first line names the columns (in Swedish or English):
`indikator`, `period`, `värde`, optional `nämnare` and `kommentar`. CSV may use semicolons or commas,
decimal commas, UTF-8 with or without BOM, or Windows-1252. The header is line 1; in an XLSX file the
line is the sheet's row number.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.translation import gettext as _

from tillit.core import imports
from tillit.core.imports import MAX_LINES, ColumnSchema, LineProblem, data_lines, is_blank, read_table_file

MAX_ROWS = 50_000


# Column → the names it is known by, normalised (lower case, no spaces).
COLUMNS = {
    "indicator": ("indikator", "indicator"),
    "period": ("period",),
    "value": ("värde", "varde", "value"),
    "denominator": ("nämnare", "namnare", "denominator"),
    "comment": ("kommentar", "comment"),
}
REQUIRED_COLUMNS = ("indicator", "period", "value")
SWEDISH_HEADER = ("indikator", "period", "värde", "nämnare", "kommentar")
ENGLISH_HEADER = ("indicator", "period", "value", "denominator", "comment")
SCHEMA = ColumnSchema(
    columns=COLUMNS,
    required=REQUIRED_COLUMNS,
    swedish_header=SWEDISH_HEADER,
    english_header=ENGLISH_HEADER,
    label=lambda column: COLUMNS[column][0],
)

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")


@dataclass(frozen=True)
class FileRow:
    """One data line of the file, its cells read but not yet checked against the unit's indicators."""

    line: int
    indicator: str
    period: str | date
    value: float | None
    denominator: float | None
    comment: str


@dataclass
class ParsedFile:
    rows: list[FileRow] = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)
    skipped_lines: list[int] = field(default_factory=list)  # a name and period but nothing to record
    has_comment_column: bool = False
    kind: str = "csv"


class NumberError(ValueError):
    pass


def parse_number(text) -> float | None:
    """A number as people write it: 12,5 or 12.5, 1 234 (spaces between thousands); empty is None."""
    if text is None:
        return None
    if isinstance(text, bool):
        raise NumberError(_("%(value)s is not a number.") % {"value": text})
    if isinstance(text, int | float):
        return float(text)
    if isinstance(text, date):
        raise NumberError(_("%(value)s is a date, not a number.") % {"value": text.isoformat()[:10]})
    raw = str(text).strip()
    if not raw:
        return None
    cleaned = _SPACES.sub("", raw).replace("\u2212", "-")
    if "," in cleaned and "." in cleaned:
        raise NumberError(
            _("%(value)s mixes decimal comma and point: write the number without thousands separators.")
            % {"value": raw}
        )
    if cleaned.count(",") == 1:
        cleaned = cleaned.replace(",", ".")
    if not _NUMBER.match(cleaned):
        raise NumberError(_("%(value)s is not a number.") % {"value": raw})
    return float(cleaned)


def _cell(cells: list, position: int | None):
    if position is None or position >= len(cells):
        return None
    value = cells[position]
    return value.strip() if isinstance(value, str) else value


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _read_rows(lines, result: ParsedFile) -> None:
    """Turn (line number, cells) pairs into rows; the first pair is the header."""
    read = data_lines(lines, result.problems, SCHEMA)
    if read is None:
        return
    columns, iterator = read
    result.has_comment_column = "comment" in columns
    width = max(columns.values()) + 1
    count = 0
    for line, cells in iterator:
        cells = list(cells)
        if is_blank(cells) and line <= MAX_LINES:
            continue
        count += 1
        if count > MAX_ROWS or line > MAX_LINES:
            result.problems.append(
                LineProblem(
                    line,
                    _("The file has more than %(limit)s rows of data. Split it into smaller files.")
                    % {"limit": f"{MAX_ROWS:,}".replace(",", " ")},
                )
            )
            return
        extra = [cell for cell in cells[width:] if cell not in (None, "")]
        if extra:
            result.problems.append(
                LineProblem(line, _("The line has more cells than the first line has columns."))
            )
            continue
        problems: list[str] = []
        indicator = _text(_cell(cells, columns["indicator"]))
        period = _cell(cells, columns["period"])
        period = period.date() if isinstance(period, datetime) else period
        period = period if isinstance(period, date) else _text(period)
        if not indicator:
            problems.append(_("The indicator's name is missing."))
        if not period:
            problems.append(_("The period is missing."))
        numbers = {}
        for name in ("value", "denominator"):
            try:
                numbers[name] = parse_number(_cell(cells, columns.get(name)))
            except NumberError as error:
                numbers[name] = None
                problems.append(str(error))
        raw_comment = _cell(cells, columns.get("comment"))
        comment = raw_comment if isinstance(raw_comment, str) else _text(raw_comment)
        if not problems and numbers["value"] is None:
            if numbers["denominator"] is None and not comment:
                result.skipped_lines.append(line)
                continue
            problems.append(_("The value is missing."))
        if problems:
            result.problems.extend(LineProblem(line, message) for message in problems)
            continue
        result.rows.append(
            FileRow(
                line=line,
                indicator=indicator,
                period=period,
                value=numbers["value"],
                denominator=numbers["denominator"],
                comment=comment,
            )
        )


def parse_file(*, filename: str, content: bytes) -> ParsedFile:
    """Read an observation file. Every problem is reported with its line; nothing is checked against
    the unit's indicators yet (that needs the database)."""
    result = ParsedFile()
    read_table_file(filename=filename, content=content, result=result, read_rows=_read_rows)
    return result


def template_csv(*, rows: list[tuple[str, str]], swedish: bool) -> bytes:
    """A CSV to fill in: a header and one line per (indicator name, period)."""
    return imports.template_csv(
        header=SCHEMA.header(swedish=swedish),
        rows=[[name, period, "", "", ""] for name, period in rows],
    )
