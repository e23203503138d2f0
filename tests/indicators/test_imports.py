"""Reading observation files: delimiters, decimal commas, encodings, XLSX, and every problem by line."""

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from tillit.chain.access import Access
from tillit.indicators.imports import MAX_ROWS, parse_file, parse_number, template_csv
from tillit.indicators.models import Observation
from tillit.indicators.selectors.imports import observation_file_preview, observation_import_preview
from tillit.indicators.services import (
    observation_import_apply,
    observation_import_create,
)

pytestmark = pytest.mark.integration


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    return text.replace("\n", "\r\n").encode(encoding)


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def problems(parsed_or_preview):
    return [(problem.line, problem.message) for problem in parsed_or_preview.problems]


# --- Numbers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12,5", 12.5), ("12.5", 12.5), ("1 234", 1234.0), ("1\u00a0234,75", 1234.75), ("-3", -3.0), ("", None)],
)
def test_numbers_are_read_as_people_write_them(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["12,5,3", "abc", "nan", "inf", "1,234.5", "12 %"])
def test_text_that_is_not_a_number_is_refused(text):
    with pytest.raises(ValueError, match="number"):
        parse_number(text)


# --- CSV -------------------------------------------------------------------------------------------


def test_semicolon_csv_with_decimal_commas_and_swedish_headers():
    parsed = parse_file(
        filename="data.csv",
        content=csv_bytes("indikator;period;värde;nämnare;kommentar\nKontinuitet;2024-01;8,5;10;Bra\n"),
    )

    assert problems(parsed) == []
    row = parsed.rows[0]
    assert (row.line, row.indicator, row.period, row.value, row.denominator, row.comment) == (
        2,
        "Kontinuitet",
        "2024-01",
        8.5,
        10.0,
        "Bra",
    )
    assert parsed.has_comment_column


def test_comma_csv_with_english_headers_and_quoted_decimal_comma():
    parsed = parse_file(
        filename="data.csv",
        content=csv_bytes('indicator,period,value\nFalls,2024-01,"3,0"\nFalls,2024-02,4\n'),
    )

    assert problems(parsed) == []
    assert [(row.line, row.value) for row in parsed.rows] == [(2, 3.0), (3, 4.0)]
    assert not parsed.has_comment_column


def test_utf8_with_bom_is_read():
    parsed = parse_file(
        filename="data.csv", content=csv_bytes("\ufeffindikator;period;värde\nFall i hemmet;2024-01;3\n")
    )

    assert problems(parsed) == []
    assert parsed.rows[0].indicator == "Fall i hemmet"


def test_windows_1252_is_read_when_the_file_is_not_utf8():
    parsed = parse_file(
        filename="data.csv",
        content=csv_bytes("indikator;period;värde\nNöjdhet på äldreboende;2024;4\n", "cp1252"),
    )

    assert problems(parsed) == []
    assert parsed.rows[0].indicator == "Nöjdhet på äldreboende"


def test_line_numbers_count_the_header_as_line_one_and_skip_blank_lines():
    parsed = parse_file(
        filename="data.csv",
        content=csv_bytes("indikator;period;värde\nFall;2024-01;3\n\nFall;2024-02;x\nFall;;3\n"),
    )

    assert problems(parsed) == [(4, "x is not a number."), (5, "The period is missing.")]


def test_a_quoted_comment_over_two_lines_keeps_the_next_rows_line_number():
    parsed = parse_file(
        filename="data.csv",
        content=csv_bytes(
            'indikator;period;värde;kommentar\nFall;2024-01;3;"Rad ett\nrad två"\nFall;2024-02;y;\n'
        ),
    )

    assert parsed.rows[0].comment == "Rad ett\r\nrad två"
    assert problems(parsed) == [(4, "y is not a number.")]


def test_missing_and_unknown_columns_are_reported_on_line_one():
    parsed = parse_file(filename="data.csv", content=csv_bytes("indikator;månad;antal\nFall;2024-01;3\n"))

    assert problems(parsed) == [
        (1, "Unknown column månad. The columns are: indikator, period, värde, nämnare, kommentar."),
        (1, "Unknown column antal. The columns are: indikator, period, värde, nämnare, kommentar."),
        (1, "The columns period, värde are missing: the first line names the columns."),
    ]
    assert parsed.rows == []


def test_rows_with_a_name_and_period_but_no_value_are_skipped_and_listed():
    parsed = parse_file(
        filename="data.csv", content=csv_bytes("indikator;period;värde\nFall;2024-01;\nFall;2024-02;2\n")
    )

    assert parsed.skipped_lines == [2]
    assert [row.line for row in parsed.rows] == [3]


def test_a_line_with_more_cells_than_columns_is_refused():
    parsed = parse_file(
        filename="data.csv", content=csv_bytes("indikator;period;värde\nFall;2024-01;3;extra\n")
    )

    assert problems(parsed) == [(2, "The line has more cells than the first line has columns.")]


def test_empty_binary_old_excel_and_oversized_files_are_refused_with_a_reason():
    assert problems(parse_file(filename="a.csv", content=b"  \n")) == [(1, "The file is empty.")]
    assert problems(parse_file(filename="a.csv", content=b"\x00\x01\x02\xff\xfe\x81")) == [
        (0, "The file is not a text file (CSV). Save it as CSV (UTF-8) or xlsx.")
    ]
    assert problems(parse_file(filename="a.xls", content=b"\xd0\xcf\x11\xe0rest")) == [
        (0, "This is an old Excel file (xls). Save it as xlsx or CSV and try again.")
    ]
    assert problems(parse_file(filename="a.csv", content=b"x" * (5 * 1024 * 1024 + 1))) == [
        (0, "The file is larger than 5 MB. Split it into smaller files.")
    ]


def test_too_many_rows_are_refused_with_the_limit():
    text = "indikator;period;värde\n" + "Fall;2024-01;1\n" * (MAX_ROWS + 1)

    parsed = parse_file(filename="big.csv", content=text.encode())

    assert problems(parsed)[-1] == (
        MAX_ROWS + 2,
        "The file has more than 50 000 rows of data. Split it into smaller files.",
    )


# --- XLSX ------------------------------------------------------------------------------------------


def test_xlsx_built_with_openpyxl_is_read_with_dates_numbers_and_row_numbers():
    content = xlsx_bytes(
        [
            ("Indikator", "Period", "Värde", "Nämnare"),
            ("Kontinuitet", datetime(2024, 1, 1), 8, 10),  # noqa: DTZ001 (Excel dates are naive)
            ("Kontinuitet", "2024-02", "7,5", 10),
            (None, None, None, None),
            ("Kontinuitet", 2024, "fel", 10),
        ]
    )

    parsed = parse_file(filename="data.xlsx", content=content)

    assert parsed.kind == "xlsx"
    assert [(row.line, row.period, row.value) for row in parsed.rows] == [
        (2, date(2024, 1, 1), 8.0),
        (3, "2024-02", 7.5),
    ]
    assert problems(parsed) == [(5, "fel is not a number.")]


def test_a_damaged_xlsx_is_refused():
    content = xlsx_bytes([("indikator", "period", "värde")])[:200]

    assert problems(parse_file(filename="broken.xlsx", content=content)) == [
        (0, "The file could not be read as an Excel file (xlsx). Is it damaged?")
    ]


# --- Against the unit's indicators -----------------------------------------------------------------


def test_check_reports_unknown_indicators_wrong_periods_and_rule_breaks_by_line(
    falls, continuity, satisfaction, home_care_north
):
    content = csv_bytes(
        "indikator;period;värde;nämnare\n"
        f"{falls.name};2024-01;3;\n"  # 2: fine
        "Okänd indikator;2024-01;3;\n"  # 3: no such indicator
        f"{falls.name};2024-Q1;3;\n"  # 4: a quarter for a monthly indicator
        f"{continuity.name};2024-01;11;10\n"  # 5: numerator above denominator
        f"{satisfaction.name};2024-KV2;4,2;\n"  # 6: fine (quarter)
        f"{falls.name.upper()};2024-01;5;\n"  # 7: the same period again (names ignore case)
        f"{falls.name};2024-02-15;1;\n"  # 8: not the first day
    )

    preview = observation_file_preview(
        unit=home_care_north, parsed=parse_file(filename="a.csv", content=content)
    )

    assert problems(preview) == [
        (3, "The unit has no indicator called Okänd indikator."),
        (4, "2024-Q1 is a quarter, but the indicator is followed per month."),
        (5, "The numerator 11 is larger than the denominator 10."),
        (7, f"The period 2024-01 of {falls.name} is given twice (also line 2)."),
        (8, "2024-02-15 is not the first day of a period: a month starts on its first day."),
    ]
    assert not preview.can_apply


@pytest.mark.parametrize(
    ("text", "frequency_fixture", "expected"),
    [
        ("2024-W05", "weekly", date(2024, 1, 29)),
        ("2024-V05", "weekly", date(2024, 1, 29)),
        ("2024-KV3", "satisfaction", date(2024, 7, 1)),
        ("2024-Q3", "satisfaction", date(2024, 7, 1)),
        ("2023", "yearly", date(2023, 1, 1)),
        ("2024-03", "falls", date(2024, 3, 1)),
        ("2024-03-01", "falls", date(2024, 3, 1)),
    ],
)
def test_every_period_format_is_read(request, home_care_north, text, frequency_fixture, expected):
    from tests.factories.indicators import indicator as make_indicator

    if frequency_fixture == "weekly":
        indicator = make_indicator(home_care_north, name="Test: vecka", frequency="week")
    elif frequency_fixture == "yearly":
        indicator = make_indicator(home_care_north, name="Test: år", frequency="year")
    else:
        indicator = request.getfixturevalue(frequency_fixture)
    content = csv_bytes(f"indikator;period;värde\n{indicator.name};{text};3\n")

    preview = observation_file_preview(
        unit=home_care_north, parsed=parse_file(filename="a.csv", content=content)
    )

    assert problems(preview) == []
    assert preview.entries[0].observation.period == expected


def test_preview_counts_what_would_be_created_changed_and_left(same_unit, falls, home_care_north):
    first = observation_import_create(
        actor=same_unit,
        access=Access.system(),
        unit=home_care_north,
        filename="a.csv",
        content=csv_bytes(f"indikator;period;värde\n{falls.name};2024-01;3\n{falls.name};2024-02;4\n"),
    )
    observation_import_apply(actor=same_unit, access=Access.system(), observation_import=first)
    second = observation_import_create(
        actor=same_unit,
        access=Access.system(),
        unit=home_care_north,
        filename="b.csv",
        content=csv_bytes(
            f"indikator;period;värde\n{falls.name};2024-01;3\n{falls.name};2024-02;5\n{falls.name};2024-03;1\n"
        ),
    )

    preview = observation_import_preview(observation_import=second)

    assert preview.can_apply
    assert [
        (item.indicator.name, item.summary.created, item.summary.changed, item.summary.unchanged)
        for item in preview.indicators
    ] == [(falls.name, 1, 1, 1)]
    assert Observation.objects.get(indicator=falls, period=date(2024, 2, 1)).value == 4.0


def test_reimporting_the_same_file_changes_nothing(same_unit, falls, home_care_north):
    from tillit.audit.models import AuditEvent
    from tillit.indicators.models import ObservationChange

    content = csv_bytes(
        f"indikator;period;värde;kommentar\n{falls.name};2024-01;3;Halt\n{falls.name};2024-02;4;\n"
    )
    first = observation_import_create(
        actor=same_unit, access=Access.system(), unit=home_care_north, filename="a.csv", content=content
    )
    observation_import_apply(actor=same_unit, access=Access.system(), observation_import=first)
    events = AuditEvent.objects.count()

    again = observation_import_create(
        actor=same_unit, access=Access.system(), unit=home_care_north, filename="a.csv", content=content
    )
    summary = observation_import_apply(actor=same_unit, access=Access.system(), observation_import=again)

    assert summary == {falls.name: {"created": 0, "changed": 0, "unchanged": 2}}
    assert AuditEvent.objects.count() == events
    assert not ObservationChange.objects.filter(observation__indicator=falls).exists()


def test_a_file_without_a_comment_column_keeps_the_comments_already_written(
    same_unit, falls, home_care_north
):
    from tillit.indicators.services import ObservationInput, observations_record

    observations_record(
        actor=None,
        access=Access.system(),
        indicator=falls,
        rows=[ObservationInput(date(2024, 1, 1), 3, comment="Halt")],
        source="form",
    )
    upload = observation_import_create(
        actor=same_unit,
        access=Access.system(),
        unit=home_care_north,
        filename="a.csv",
        content=csv_bytes(f"indikator;period;värde\n{falls.name};2024-01;3\n"),
    )

    assert (
        observation_import_apply(actor=same_unit, access=Access.system(), observation_import=upload)[
            falls.name
        ]["unchanged"]
        == 1
    )
    assert Observation.objects.get(indicator=falls).comment == "Halt"


def test_apply_is_all_or_nothing_across_indicators(same_unit, falls, continuity, home_care_north):
    from django.core.exceptions import ValidationError

    upload = observation_import_create(
        actor=same_unit,
        access=Access.system(),
        unit=home_care_north,
        filename="a.csv",
        content=csv_bytes(
            f"indikator;period;värde;nämnare\n{falls.name};2024-01;3;\n{continuity.name};2024-01;12;10\n"
        ),
    )

    with pytest.raises(ValidationError) as error:
        observation_import_apply(actor=same_unit, access=Access.system(), observation_import=upload)

    assert error.value.messages == ["Line 3: The numerator 12 is larger than the denominator 10."]
    assert not Observation.objects.filter(indicator__in=[falls, continuity]).exists()
    upload.refresh_from_db()
    assert upload.applied_at is None


def test_an_applied_file_cannot_be_applied_twice(same_unit, falls, home_care_north):
    from django.core.exceptions import ValidationError

    upload = observation_import_create(
        actor=same_unit,
        access=Access.system(),
        unit=home_care_north,
        filename="a.csv",
        content=csv_bytes(f"indikator;period;värde\n{falls.name};2024-01;3\n"),
    )
    observation_import_apply(actor=same_unit, access=Access.system(), observation_import=upload)

    with pytest.raises(ValidationError, match="already been applied"):
        observation_import_apply(actor=same_unit, access=Access.system(), observation_import=upload)


def test_apply_rechecks_the_stored_file_against_data_changed_since_the_preview(
    same_unit, falls, home_care_north
):
    from tillit.indicators.services import indicator_retire

    upload = observation_import_create(
        actor=same_unit,
        access=Access.system(),
        unit=home_care_north,
        filename="a.csv",
        content=csv_bytes(f"indikator;period;värde\n{falls.name};2024-01;3\n"),
    )
    assert observation_import_preview(observation_import=upload).can_apply
    indicator_retire(actor=None, access=Access.system(), indicator=falls)

    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="retired"):
        observation_import_apply(actor=same_unit, access=Access.system(), observation_import=upload)


def test_template_lists_the_units_indicators_for_excel():
    content = template_csv(rows=[("Fall i hemmet", "2024-03")], swedish=True)

    assert content.startswith("\ufeff".encode())
    assert content.decode("utf-8-sig").splitlines() == [
        "indikator;period;värde;nämnare;kommentar",
        "Fall i hemmet;2024-03;;;",
    ]
    assert problems(parse_file(filename="mall.csv", content=content)) == []


def test_endless_blank_lines_end_at_the_line_limit():
    text = "indikator;period;värde\n" + ";;\n" * (2 * MAX_ROWS + 5)

    parsed = parse_file(filename="blank.csv", content=text.encode())

    assert problems(parsed) == [
        (2 * MAX_ROWS + 1, "The file has more than 50 000 rows of data. Split it into smaller files.")
    ]
