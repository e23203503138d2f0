"""Reading observation files (CSV and XLSX) into rows, every problem with the file's line number.

Pure parsing: no database. The file's first line names the columns (in Swedish or English):
`indikator`, `period`, `värde`, optional `nämnare` and `kommentar`. CSV may use semicolons or commas,
decimal commas, UTF-8 with or without BOM, or Windows-1252. The header is line 1; in an XLSX file the
line is the sheet's row number.
"""

import csv
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000
# An xlsx is a zip: its unpacked size is checked before it is opened (a small file can unpack to gigabytes).
MAX_XLSX_UNPACKED_BYTES = 100 * 1024 * 1024
# Blank lines are skipped but still counted, so a file of endless empty rows ends too.
MAX_LINES = 2 * MAX_ROWS

XLSX_MAGIC = b"PK\x03\x04"
OLD_EXCEL_MAGIC = b"\xd0\xcf\x11\xe0"

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

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")


@dataclass(frozen=True)
class LineProblem:
    line: int
    message: str


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


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


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


def _normalise_header(cell) -> str:
    return "".join(str(cell or "").replace("\ufeff", "").split()).lower()


def column_map(
    header: list, problems: list[LineProblem], *, columns: dict, required, header_names, label
) -> dict[str, int] | None:
    """Where each known column is in a file's first line (`columns`: name → its normalised aliases);
    unknown, doubled and missing columns are line-1 problems, `label(name)` naming a missing one."""
    found: dict[str, int] = {}
    for position, cell in enumerate(header):
        name = _normalise_header(cell)
        if not name:
            continue
        column = next((key for key, aliases in columns.items() if name in aliases), None)
        if column is None:
            problems.append(
                LineProblem(
                    1,
                    _("Unknown column %(name)s. The columns are: %(columns)s.")
                    % {"name": str(cell).strip(), "columns": ", ".join(header_names)},
                )
            )
        elif column in found:
            problems.append(
                LineProblem(1, _("The column %(name)s appears twice.") % {"name": str(cell).strip()})
            )
        else:
            found[column] = position
    missing = [label(column) for column in required if column not in found]
    if missing:
        problems.append(
            LineProblem(
                1,
                ngettext(
                    "The column %(columns)s is missing: the first line names the columns.",
                    "The columns %(columns)s are missing: the first line names the columns.",
                    len(missing),
                )
                % {"columns": ", ".join(missing)},
            )
        )
    return None if problems else found


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
    iterator = iter(lines)
    header = next(iterator, None)
    if header is None:
        result.problems.append(LineProblem(1, _("The file is empty.")))
        return
    columns = column_map(
        list(header[1]),
        result.problems,
        columns=COLUMNS,
        required=REQUIRED_COLUMNS,
        header_names=SWEDISH_HEADER,
        label=lambda column: COLUMNS[column][0],
    )
    if columns is None:
        return
    result.has_comment_column = "comment" in columns
    width = max(columns.values()) + 1
    count = 0
    for line, cells in iterator:
        cells = list(cells)
        blank = all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)
        if blank and line <= MAX_LINES:
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


def _decode(content: bytes) -> str | None:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError:
        return None


def _delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    counts = {delimiter: header.count(delimiter) for delimiter in (";", "\t", ",")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    if counts[best]:
        return best
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=";,\t").delimiter
    except csv.Error:
        return ";"


def _csv_lines(text: str):
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    start = 1
    for cells in reader:
        yield start, cells
        start = reader.line_num + 1


class UnpackedTooLargeError(ValueError):
    pass


def _xlsx_lines(content: bytes):
    from openpyxl import load_workbook

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        if sum(member.file_size for member in archive.infolist()) > MAX_XLSX_UNPACKED_BYTES:
            raise UnpackedTooLargeError
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        yield from enumerate(sheet.iter_rows(values_only=True), start=1)
    finally:
        workbook.close()


def parse_file(*, filename: str, content: bytes) -> ParsedFile:
    """Read an observation file. Every problem is reported with its line; nothing is checked against
    the unit's indicators yet (that needs the database)."""
    result = ParsedFile()
    read_table_file(filename=filename, content=content, result=result, read_rows=_read_rows)
    return result


def read_table_file(*, filename: str, content: bytes, result, read_rows) -> None:
    """Read a CSV or XLSX file's lines into `result` with `read_rows(lines, result)`, or record why the
    file as a whole cannot be read. `result` has `rows`, `problems` and `kind` (shared by every import)."""
    if len(content) > MAX_FILE_BYTES:
        result.problems.append(
            LineProblem(
                0,
                _("The file is larger than %(limit)d MB. Split it into smaller files.")
                % {"limit": MAX_FILE_BYTES // (1024 * 1024)},
            )
        )
        return
    if not content.replace(b"\xef\xbb\xbf", b"").strip():
        result.problems.append(LineProblem(1, _("The file is empty.")))
        return
    if content.startswith(OLD_EXCEL_MAGIC) or filename.lower().endswith(".xls"):
        result.problems.append(
            LineProblem(0, _("This is an old Excel file (xls). Save it as xlsx or CSV and try again."))
        )
        return
    if content.startswith(XLSX_MAGIC):
        result.kind = "xlsx"
        try:
            read_rows(_xlsx_lines(content), result)
        except UnpackedTooLargeError:
            result.rows.clear()
            result.problems[:] = [
                LineProblem(
                    0,
                    _("The Excel file unpacks to more than %(limit)d MB. Split it into smaller files.")
                    % {"limit": MAX_XLSX_UNPACKED_BYTES // (1024 * 1024)},
                )
            ]
        except Exception:  # a damaged or foreign zip file: openpyxl raises many kinds of errors
            result.rows.clear()
            result.problems[:] = [
                LineProblem(0, _("The file could not be read as an Excel file (xlsx). Is it damaged?"))
            ]
        return
    text = _decode(content)
    if text is None or "\x00" in text:
        result.problems.append(
            LineProblem(0, _("The file is not a text file (CSV). Save it as CSV (UTF-8) or xlsx."))
        )
        return
    try:
        read_rows(_csv_lines(text), result)
    except csv.Error as error:
        result.problems.append(
            LineProblem(0, _("The file could not be read as CSV: %(reason)s") % {"reason": error})
        )


def template_csv(*, rows: list[tuple[str, str]], swedish: bool) -> bytes:
    """A CSV to fill in: a header and one line per (indicator name, period). Semicolons and a BOM,
    which is what Excel in Swedish expects."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(SWEDISH_HEADER if swedish else ENGLISH_HEADER)
    for name, period in rows:
        writer.writerow([name, period, "", "", ""])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
