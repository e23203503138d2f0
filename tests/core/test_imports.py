"""The import pipeline of core: reading a table file, the upload form, the problem list and the
all-or-nothing, once-only apply, apart from any app's columns (tests/indicators and tests/delegation
test the two imports through it)."""

import io
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from tillit.core import imports
from tillit.core.clock import frozen_at
from tillit.core.imports import (
    MAX_FILE_BYTES,
    ApplyRefusals,
    ColumnSchema,
    LineProblem,
    TableFileForm,
    data_lines,
    problems_context,
    read_table_file,
    template_csv,
    upload_apply,
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


SCHEMA = ColumnSchema(
    columns={"name": ("namn", "name"), "count": ("antal", "count")},
    required=("name",),
    swedish_header=("namn", "antal"),
    english_header=("name", "count"),
    label=lambda column: column,
)


@dataclass
class Read:
    rows: list = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)
    kind: str = "csv"


def read(content: bytes, filename: str = "fil.csv") -> Read:
    def read_rows(lines, result):
        found = data_lines(lines, result.problems, SCHEMA)
        if found is not None:
            columns, iterator = found
            result.rows += [(line, cells[columns["name"]]) for line, cells in iterator]

    result = Read()
    read_table_file(filename=filename, content=content, result=result, read_rows=read_rows)
    return result


def test_csv_is_read_by_its_first_line_with_any_delimiter():
    assert read(b"antal;namn\n1;Anna\n2;Bo\n").rows == [(2, "Anna"), (3, "Bo")]
    assert read(b"name,count\nAnna,1\n").rows == [(2, "Anna")]


def test_a_wrong_first_line_and_whole_file_problems_are_reported_with_their_line():
    assert read("antal;okänd\n1;x\n".encode()).problems == [
        LineProblem(1, "Unknown column okänd. The columns are: namn, antal."),
        LineProblem(1, "The column name is missing: the first line names the columns."),
    ]
    assert read(b"\xef\xbb\xbf  \n").problems == [LineProblem(1, "The file is empty.")]
    assert read(b"\xd0\xcf\x11\xe0rest", "gammal.xls").problems == [
        LineProblem(0, "This is an old Excel file (xls). Save it as xlsx or CSV and try again.")
    ]
    assert read(b"PK\x03\x04not a zip", "trasig.xlsx").problems == [
        LineProblem(0, "The file could not be read as an Excel file (xlsx). Is it damaged?")
    ]


def test_an_xlsx_that_unpacks_to_too_much_is_refused_before_it_is_opened(monkeypatch):
    monkeypatch.setattr(imports, "MAX_XLSX_UNPACKED_BYTES", 2 * 1024 * 1024)  # 100 MB in production
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (3 * 1024 * 1024))

    assert len(buffer.getvalue()) < 10_000
    assert read(buffer.getvalue(), "bomb.xlsx").problems == [
        LineProblem(0, "The Excel file unpacks to more than 2 MB. Split it into smaller files.")
    ]


def test_the_template_is_a_semicolon_csv_with_a_bom_for_excel():
    content = template_csv(header=SCHEMA.header(swedish=True), rows=[["Anna", ""]])

    assert content == "\ufeffnamn;antal\r\nAnna;\r\n".encode()


def test_the_upload_form_refuses_a_file_over_the_limit():
    small = TableFileForm(files={"file": SimpleUploadedFile("a.csv", b"namn\nAnna\n")})
    large = TableFileForm(files={"file": SimpleUploadedFile("b.csv", b"x" * (MAX_FILE_BYTES + 1))})

    assert small.is_valid()
    assert large.errors["file"] == ["The file is larger than 5 MB. Split it into smaller files."]


def test_the_problem_list_shows_the_first_problems_and_counts_the_rest():
    problems = [LineProblem(line, "Fel") for line in range(1, 503)]

    context = problems_context(problems)

    assert len(context["problems"]) == 500
    assert context["problems_not_shown"] == 2


@dataclass
class Upload:
    applied_at: datetime | None = None


@dataclass
class Preview:
    problems: list[LineProblem]
    rows: list

    @property
    def can_apply(self) -> bool:
        return not self.problems and bool(self.rows)


REFUSALS = ApplyRefusals(
    applied="Already applied.", empty="Nothing to apply.", line=lambda p: f"{p.line}: {p.message}"
)


def test_apply_runs_once_and_marks_the_upload_applied_at_the_clocks_moment():
    upload, applied = Upload(), []
    moment = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    with frozen_at(moment):
        result = upload_apply(
            upload=upload,
            preview_of=lambda: Preview([], ["rad"]),
            apply=lambda preview: applied.append(preview.rows) or "klart",
            refusals=REFUSALS,
        )
    with pytest.raises(ValidationError) as again:
        upload_apply(
            upload=upload, preview_of=lambda: Preview([], ["rad"]), apply=applied.append, refusals=REFUSALS
        )

    assert result == "klart"
    assert upload.applied_at == moment
    assert applied == [["rad"]]
    assert again.value.messages == ["Already applied."]


def test_apply_refuses_a_file_with_any_problem_or_nothing_to_apply_and_applies_nothing():
    applied = []

    def attempt(preview, before_check=None):
        with pytest.raises(ValidationError) as refused:
            upload_apply(
                upload=Upload(),
                preview_of=lambda: preview,
                apply=applied.append,
                refusals=REFUSALS,
                before_check=before_check,
            )
        return refused.value

    def no_decision():
        raise ValidationError({"decision": "Write the decision."})

    assert attempt(Preview([LineProblem(3, "Fel"), LineProblem(0, "Hela")], ["rad"])).messages == [
        "3: Fel",
        "0: Hela",
    ]
    assert attempt(Preview([], [])).messages == ["Nothing to apply."]
    assert attempt(Preview([LineProblem(3, "Fel")], []), before_check=no_decision).message_dict == {
        "decision": ["Write the decision."]
    }
    assert applied == []
