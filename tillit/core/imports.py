"""One pipeline for importing a file: upload → check → preview → apply.

Every import of Tillit (an indicator's observations, a delegation register) goes the same way, and only
its row schema, its check and its apply are its own:

1. **Upload**: `TableFileForm` takes the file (at most `MAX_FILE_BYTES`); the app's service stores it
   (`upload_refusal` says why a file is refused before it is stored).
2. **Check**: `read_table_file` reads a CSV or XLSX file line by line; the app's `read_rows` reads its
   columns (`column_map`) and reports every problem as a `LineProblem` (line 0: the file as a whole).
3. **Preview**: a read (the app's selector) of what applying would do; the page shows its problems with
   the shared partial `core/_import_problems.html`.
4. **Apply**: `upload_apply` inside the app's transaction, all or nothing: the stored file is checked
   again, an applied file is never applied twice.
"""

import csv
import hashlib
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tillit.core.clock import now
from tillit.core.forms import apply_service

MAX_FILE_BYTES = 5 * 1024 * 1024
# An xlsx is a zip: its unpacked size is checked before it is opened (a small file can unpack to gigabytes).
MAX_XLSX_UNPACKED_BYTES = 100 * 1024 * 1024
# Blank lines are skipped but still counted, so a file of endless empty rows ends too.
MAX_LINES = 100_000

XLSX_MAGIC = b"PK\x03\x04"
OLD_EXCEL_MAGIC = b"\xd0\xcf\x11\xe0"


@dataclass(frozen=True)
class LineProblem:
    line: int
    message: str


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _normalise_header(cell) -> str:
    return "".join(str(cell or "").replace("\ufeff", "").split()).lower()


@dataclass(frozen=True)
class ColumnSchema:
    """An import's columns: each by the names it is known by (normalised: lower case, no spaces), the
    required ones, the header the template writes (Swedish and English) and how a message names a
    column."""

    columns: dict[str, tuple[str, ...]]
    required: tuple[str, ...]
    swedish_header: tuple[str, ...]
    english_header: tuple[str, ...]
    label: Callable[[str], str]

    def header(self, *, swedish: bool) -> tuple[str, ...]:
        return self.swedish_header if swedish else self.english_header


def data_lines(lines, problems: list[LineProblem], schema: ColumnSchema):
    """The file's columns, read from its first line, and an iterator over the (line, cells) pairs after
    it; None, with the problems recorded, when the first line is missing or names wrong columns."""
    iterator = iter(lines)
    header = next(iterator, None)
    if header is None:
        problems.append(LineProblem(1, _("The file is empty.")))
        return None
    columns = column_map(
        list(header[1]),
        problems,
        columns=schema.columns,
        required=schema.required,
        header_names=schema.swedish_header,
        label=schema.label,
    )
    return None if columns is None else (columns, iterator)


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


def read_table_file(*, filename: str, content: bytes, result, read_rows) -> None:
    """Read a CSV or XLSX file's lines into `result` with `read_rows(lines, result)`, or record why the
    file as a whole cannot be read. `result` has `rows`, `problems` and `kind` (shared by every import)."""
    if len(content) > MAX_FILE_BYTES:
        result.problems.append(LineProblem(0, too_large_message()))
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


def too_large_message() -> str:
    return _("The file is larger than %(limit)d MB. Split it into smaller files.") % {
        "limit": MAX_FILE_BYTES // (1024 * 1024)
    }


def template_csv(*, header, rows) -> bytes:
    """A CSV to fill in: the header and the given lines. Semicolons and a BOM, which is what Excel in
    Swedish expects."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def is_blank(cells) -> bool:
    """A line with no cell written (a spreadsheet's empty row)."""
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


# --- Upload -------------------------------------------------------------------------------------------


class TableFileForm(forms.Form):
    """The upload of an import: one CSV or XLSX file of at most `MAX_FILE_BYTES`. A subclass says in
    `help_text` which columns its file has."""

    help_text = ""

    file = forms.FileField(
        label=gettext_lazy("File (CSV or Excel xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx,text/csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = self.help_text

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError(too_large_message())
        return upload


def upload_store(request, form: TableFileForm, service, /, **kwargs):
    """The upload step of an import page: a valid form's file handed to the app's service, which keeps
    it (its refusals land on the form). The stored upload, or None when the form is shown again."""
    if request.method != "POST" or not form.is_valid():
        return None
    upload = form.cleaned_data["file"]
    return apply_service(
        form,
        service,
        actor=request.user,
        access=request.access,
        filename=upload.name,
        content=upload.read(),
        **kwargs,
    )


# --- Preview ------------------------------------------------------------------------------------------

MAX_PROBLEMS_SHOWN = 500  # a file that is wrong on every line: the first ones tell what to fix


def problems_context(problems: list[LineProblem]) -> dict:
    """What the partial `core/_import_problems.html` shows: the first problems and how many more."""
    return {
        "problems": problems[:MAX_PROBLEMS_SHOWN],
        "problems_not_shown": max(0, len(problems) - MAX_PROBLEMS_SHOWN),
    }


# --- Apply --------------------------------------------------------------------------------------------


class StoredUpload(Protocol):
    applied_at: Any


class ImportPreview(Protocol):
    problems: list[LineProblem]

    @property
    def can_apply(self) -> bool: ...


@dataclass(frozen=True)
class ApplyRefusals:
    """What an import says when a stored file cannot be applied (each import words it its own way)."""

    applied: str
    empty: str
    line: Callable[[LineProblem], str]


def upload_apply[P: ImportPreview, R](
    *,
    upload: StoredUpload,
    preview_of: Callable[[], P],
    apply: Callable[[P], R],
    refusals: ApplyRefusals,
    before_check: Callable[[], None] | None = None,
) -> R:
    """Apply a stored upload once, all or nothing: call inside the app's transaction with the upload's
    row locked. The stored content is checked again (`preview_of`); any problem refuses the whole file,
    with its line. `before_check` checks what the person gave besides the file (a decision, say).
    `upload.applied_at` is set; `apply` writes and saves the upload."""
    if upload.applied_at is not None:
        raise ValidationError(refusals.applied)
    if before_check is not None:
        before_check()
    preview = preview_of()
    if preview.problems:
        raise ValidationError([refusals.line(problem) for problem in preview.problems])
    if not preview.can_apply:
        raise ValidationError(refusals.empty)
    upload.applied_at = now()
    return apply(preview)
