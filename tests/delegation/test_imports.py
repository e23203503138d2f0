"""Reading register files: columns, line-level problems with their line numbers, CSV and XLSX."""

import io

import pytest
from django.utils import translation
from openpyxl import Workbook

from tests.delegation.factories import HEADER, csv_file
from tillit.delegation.imports import parse_register_file, register_csv, template_csv

pytestmark = pytest.mark.unit

GOOD = "1.1;Bistånd;Beslut om bistånd i form av hemtjänst;Biståndshandläggare;4 kap. 1 § SoL;nej;Månadsvis;Enhetschef;"


def parse(content: bytes, filename: str = "register.csv"):
    with translation.override("en"):
        return parse_register_file(filename=filename, content=content)


def problems(content: bytes) -> list[tuple[int, str]]:
    return [(problem.line, problem.message) for problem in parse(content).problems]


def test_a_good_file_gives_its_entries_with_line_numbers():
    parsed = parse(
        csv_file(GOOD, "1.2;Bistånd;Beslut om trygghetslarm;Biståndshandläggare;;ja;;;Inom riktlinjerna")
    )

    assert parsed.problems == []
    first, second = parsed.rows
    assert (first.line, first.code, first.matter_group, first.delegate) == (
        2,
        "1.1",
        "Bistånd",
        "Biståndshandläggare",
    )
    assert (first.legal_basis, first.redelegation_allowed, first.reporting, first.substitute) == (
        "4 kap. 1 § SoL",
        False,
        "Månadsvis",
        "Enhetschef",
    )
    assert (second.line, second.redelegation_allowed, second.note) == (3, True, "Inom riktlinjerna")


def test_commas_an_excel_bom_and_english_headers_in_any_case_are_read():
    content = "\ufeffNUMBER,Matter group,MATTER,delegate,Redelegation\n7,Ekonomi,Inköp,Enhetschef,yes\n"

    parsed = parse(content.encode("utf-8"))

    assert parsed.problems == []
    assert [(row.code, row.matter, row.redelegation_allowed) for row in parsed.rows] == [("7", "Inköp", True)]


@pytest.mark.parametrize(
    ("value", "allowed"),
    [("ja", True), ("JA", True), ("x", True), ("yes", True), ("nej", False), ("no", False), ("", False)],
)
def test_vidaredelegering_is_ja_or_nej_in_several_spellings(value, allowed):
    parsed = parse(csv_file(f"1;Personal;Anställning;Enhetschef;;{value};;;"))

    assert parsed.problems == []
    assert parsed.rows[0].redelegation_allowed is allowed


def test_each_problem_is_reported_with_its_line_and_nothing_is_kept():
    content = csv_file(
        GOOD,
        "1.2;;Beslut om trygghetslarm;Biståndshandläggare;;nej;;;",  # no ärendegrupp
        "1.3;Bistånd;;Biståndshandläggare;;nej;;;",  # no ärende
        "1.4;Bistånd;Beslut om dagverksamhet;;;nej;;;",  # no delegat
        "1.5;Bistånd;Beslut om korttidsvistelse;Biståndshandläggare;;kanske;;;",  # bad vidaredelegering
        "1.1;Bistånd;Beslut om matdistribution;Biståndshandläggare;;nej;;;",  # duplicate Nr
        "1.6;Bistånd;" + "Lång " * 250 + ";Biståndshandläggare;;nej;;;",  # too long
    )

    parsed = parse(content)

    assert [(problem.line, problem.message) for problem in parsed.problems] == [
        (3, "The group of matters (ärendegrupp) is missing."),
        (4, "The matter (ärende) is missing."),
        (5, "The delegate (delegat) is missing."),
        (6, "Vidaredelegering is kanske: write ja or nej (or leave it empty for nej)."),
        (7, "Nr 1.1 is already used on line 2."),
        (8, "Ärende is longer than 1000 characters."),
    ]


def test_the_problems_are_in_swedish_when_the_language_is_swedish():
    with translation.override("sv"):
        parsed = parse_register_file(
            filename="register.csv", content=csv_file("1;Bistånd;;Biståndshandläggare;;nej;;;")
        )

    assert [(problem.line, problem.message) for problem in parsed.problems] == [(2, "Ärendet saknas.")]


def test_an_empty_file_and_a_file_with_only_the_header_are_refused():
    assert problems(b"") == [(1, "The file is empty.")]
    assert problems(b"\xef\xbb\xbf\n") == [(1, "The file is empty.")]
    assert problems(csv_file()) == [(2, "The file has no matters: only the line of column names.")]


def test_unknown_and_missing_columns_are_named():
    found = problems(b"Nr;Arende;Handlaggare;Lagrum\n1;Inkop;Enhetschef;KL\n")

    assert found == [
        (
            1,
            "Unknown column Handlaggare. The columns are: Nr, Ärendegrupp, Ärende, Delegat, Lagrum, "
            "Vidaredelegering, Anmälan, Ersättare, Kommentar.",
        ),
        (1, "The columns Ärendegrupp, Delegat are missing: the first line names the columns."),
    ]


def test_an_xlsx_file_is_read_like_a_csv_file():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(";"))
    sheet.append([1.0, "Personal", "Anställning av medarbetare", "Enhetschef", "6 kap. 37 § KL", "nej"])
    sheet.append([2, "Personal", None, "Enhetschef"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    parsed = parse(buffer.getvalue(), "register.xlsx")

    assert parsed.kind == "xlsx"
    assert [(row.line, row.code, row.matter) for row in parsed.rows] == [
        (2, "1", "Anställning av medarbetare")
    ]
    assert [(problem.line, problem.message) for problem in parsed.problems] == [
        (3, "The matter (ärende) is missing.")
    ]


def test_the_template_and_a_written_back_register_read_back_without_problems():
    template = template_csv(swedish=True, rows=[GOOD.split(";")])
    parsed = parse(template)

    assert template.startswith("\ufeffNr;Ärendegrupp;Ärende".encode())
    assert parsed.problems == []
    assert parse(register_csv(entries=parsed.rows)).rows[0].content() == parsed.rows[0].content()


def test_a_file_with_more_matters_than_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr("tillit.delegation.imports.MAX_ENTRIES", 3)

    found = problems(csv_file(*[f"{n};Personal;Ärende {n};Enhetschef;;nej;;;" for n in range(1, 6)]))

    assert found == [(5, "The file has more than 3 matters. Split the register into smaller files.")]


def test_a_downloaded_register_quotes_what_excel_would_run_as_a_formula_and_reads_back_the_same():
    from types import SimpleNamespace

    entry = SimpleNamespace(
        code="1.1",
        matter_group="Ekonomi",
        matter='=HYPERLINK("http://example.invalid","Klicka")',
        delegate="Enhetschef",
        legal_basis="-",
        redelegation_allowed=False,
        reporting="@anmälan",
        substitute="+Avdelningschef",
        note="",
    )

    content = register_csv(entries=[entry])
    parsed = parse_register_file(filename="register.csv", content=content)

    text = content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert ";'-;" in text
    assert parsed.problems == []
    row = parsed.rows[0]
    assert (row.matter, row.legal_basis, row.reporting, row.substitute) == (
        entry.matter,
        "-",
        "@anmälan",
        "+Avdelningschef",
    )
