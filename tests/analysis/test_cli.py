"""`tillit spc`: good files, options, output formats and every kind of malformed input."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tillit.analysis.cli import main

pytestmark = pytest.mark.unit

MDC_LIMITS_VALUES = [20, 24, 20, 26, 22, 16, 18, 16, 31, 28, 34, 26, 30, 19, 18]


def _write(tmp_path, text: str, name: str = "input.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _monthly_file(tmp_path, series=("a",), values=MDC_LIMITS_VALUES):
    lines = ["series,period,value"]
    for name in series:
        for index, value in enumerate(values):
            lines.append(f"{name},{2024 + index // 12}-{index % 12 + 1:02d},{value}")
    return _write(tmp_path, "\n".join(lines) + "\n")


def _run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _json_lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


def test_good_file_gives_one_json_object_per_series(tmp_path, capsys):
    code, out, err = _run(capsys, _monthly_file(tmp_path, series=("a", "b")), "--profile", "mdc")
    assert code == 0
    assert err == ""
    objects = _json_lines(out)
    assert [obj["series"] for obj in objects] == ["a", "b"]
    first = objects[0]
    assert first["chart"] == "xmr"
    assert first["n"] == 15
    assert first["limits_shown"] is True
    assert first["variation"] == "common"
    assert first["assurance"] is None
    assert first["boundary_crossed"] is False
    point = first["points"][0]
    assert point["period"] == "2024-01"
    assert point["centre"] == pytest.approx(23.2)
    assert point["upper"] == pytest.approx(37.64)
    assert point["lower"] == pytest.approx(8.76)
    assert set(point) >= {"value", "lower_2s", "upper_2s", "rules", "class", "excluded"}
    assert point["class"] == "common"
    assert point["rules"] == []


def test_rows_may_come_in_any_order(tmp_path, capsys):
    text = "series,period,value\n" + "\n".join(
        f"s,{period},{value}" for period, value in reversed(list(enumerate(MDC_LIMITS_VALUES, start=1)))
    )
    code, out, _ = _run(capsys, _write(tmp_path, text), "--profile", "mdc")
    assert code == 0
    points = _json_lines(out)[0]["points"]
    assert [p["period"] for p in points] == [str(i) for i in range(1, 16)]
    assert points[0]["upper"] == pytest.approx(37.64)


def test_options_direction_boundaries_and_exclusion(tmp_path, capsys):
    path = _monthly_file(tmp_path, values=[*MDC_LIMITS_VALUES, 90])
    code, out, _ = _run(
        capsys,
        path,
        "--profile",
        "mdc",
        "--direction",
        "up",
        "--boundary-low",
        "5",
        "--boundary-high",
        "80",
        "--exclude",
        "2025-04",
    )
    assert code == 0
    obj = _json_lines(out)[0]
    assert obj["assurance"] == "inside"
    assert obj["boundary_crossed"] is False  # the excluded point is not the latest judged point
    assert obj["points"][-1]["excluded"] is True
    assert obj["points"][0]["upper"] == pytest.approx(37.64)


def test_latest_point_crossing_a_boundary_is_reported(tmp_path, capsys):
    path = _monthly_file(tmp_path, values=[*MDC_LIMITS_VALUES, 90])
    code, out, _ = _run(capsys, path, "--direction", "up", "--boundary-high", "80")
    obj = _json_lines(out)[0]
    assert code == 0
    assert obj["boundary_crossed"] is True
    assert obj["variation"] == "improvement_high"
    assert obj["points"][-1]["class"] == "improvement"
    assert "beyond_limits" in obj["points"][-1]["rules"]


def test_recalc_and_baseline_options(tmp_path, capsys):
    values = MDC_LIMITS_VALUES + [v + 50 for v in MDC_LIMITS_VALUES]
    path = _monthly_file(tmp_path, values=values)
    _, out, _ = _run(capsys, path, "--recalc-at", "2025-04", "--profile", "mdc")
    points = _json_lines(out)[0]["points"]
    assert points[0]["centre"] == pytest.approx(23.2)
    assert points[-1]["centre"] == pytest.approx(73.2)
    _, out, _ = _run(capsys, path, "--baseline", "15", "--profile", "mdc", "--direction", "up")
    obj = _json_lines(out)[0]
    assert obj["n_baseline"] == 15
    assert obj["points"][-1]["centre"] == pytest.approx(23.2)
    assert obj["variation"] == "improvement_high"


def test_short_series_is_a_run_chart_without_limits(tmp_path, capsys):
    _, out, _ = _run(capsys, _monthly_file(tmp_path, values=MDC_LIMITS_VALUES[:8]))
    obj = _json_lines(out)[0]
    assert obj["chart"] == "run"
    assert obj["limits_shown"] is False
    assert obj["variation"] is None
    assert obj["points"][0]["upper"] is None


def test_csv_output_has_one_row_per_point(tmp_path, capsys):
    code, out, _ = _run(capsys, _monthly_file(tmp_path, series=("a", "b")), "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 30
    assert rows[0]["series"] == "a"
    assert rows[0]["limits_shown"] == "true"
    assert float(rows[0]["upper"]) == pytest.approx(37.64)


def test_proportions_with_denominators_and_the_p_chart(tmp_path, capsys):
    defectives = [12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22, 8, 10, 5, 13, 11]
    text = "series,period,value,denominator\n" + "\n".join(
        f"oj,{i},{d},50" for i, d in enumerate(defectives, start=1)
    )
    code, out, _ = _run(capsys, _write(tmp_path, text), "--chart", "p")
    assert code == 0
    obj = _json_lines(out)[0]
    assert obj["chart"] == "p"
    assert obj["points"][0]["value"] == pytest.approx(12 / 50)
    assert obj["points"][0]["denominator"] == 50


def test_empty_value_is_a_gap(tmp_path, capsys):
    lines = ["series,period,value"] + [f"a,{i},{v}" for i, v in enumerate(MDC_LIMITS_VALUES, start=1)]
    lines[5] = "a,5,"
    _, out, _ = _run(capsys, _write(tmp_path, "\n".join(lines)))
    obj = _json_lines(out)[0]
    assert obj["n"] == 14
    assert obj["points"][4]["value"] is None
    assert obj["points"][4]["class"] is None


def test_weekly_dates_form_a_weekly_grid(tmp_path, capsys):
    lines = ["series,period,value", "a,2024-01-01,1", "a,2024-01-08,2", "a,2024-01-22,3"]
    _, out, _ = _run(capsys, _write(tmp_path, "\n".join(lines)))
    assert _json_lines(out)[0]["n"] == 3


@pytest.mark.parametrize(
    ("text", "options", "line", "reason"),
    [
        ("series,value\na,1\n", [], 1, "missing column 'period'"),
        ("series,period,value\na,1,2\n", ["--chart", "p"], 1, "missing column 'denominator'"),
        ("series,period,value\na,1,2\na,2,abc\n", [], 3, "value 'abc' is not a number"),
        ("series,period,value\na,1,2\nb,1,3\na,1,4\n", [], 4, "duplicate period 1 for series 'a'"),
        ("series,period,value,denominator\na,1,2,10\na,2,2,-5\n", [], 3, "negative denominator"),
        ("series,period,value,denominator\na,1,2,10\na,2,12,10\n", ["--chart", "p"], 3, "above denominator"),
        ("series,period,value\na,2024-01,2\na,March,3\n", [], 3, "is not YYYY-MM-DD, YYYY-MM or an integer"),
        ("series,period,value\na,2024-01,2\na,2024-13,3\n", [], 3, "not a valid month"),
        ("series,period,value\na,2024-01,2\na,7,3\n", [], 3, "is not a month like the period on line 2"),
        ("series,period,value\na,1,2\na,2\n", [], 3, "expected 3 fields"),
        ("series,period,value\na,1,inf\n", [], 2, "not a finite number"),
        ("series,period,value\n", [], 1, "no data rows"),
        ("series,period,value\na,1,2\na,1700000000,3\n", [], 3, "periods span"),
    ],
)
def test_malformed_input_reports_the_line_and_reason_and_exits_2(
    tmp_path, capsys, text, options, line, reason
):
    path = _write(tmp_path, text)
    code, out, err = _run(capsys, path, *options)
    assert code == 2
    assert out == ""
    assert f"{path}:{line}: " in err
    assert reason in err


def test_missing_file_exits_2(tmp_path, capsys):
    code, _, err = _run(capsys, str(tmp_path / "absent.csv"))
    assert code == 2
    assert "cannot read the file" in err


def test_recalc_period_in_the_wrong_format_exits_2(tmp_path, capsys):
    code, _, err = _run(capsys, _monthly_file(tmp_path), "--recalc-at", "7")
    assert code == 2
    assert "--recalc-at '7'" in err


def test_unknown_option_value_exits_2(tmp_path, capsys):
    code, _, _ = _run(capsys, _monthly_file(tmp_path), "--profile", "nope")
    assert code == 2


def test_help_exits_0(capsys):
    code, out, _ = _run(capsys, "--help")
    assert code == 0
    assert "--recalc-at" in out


def test_dash_reads_standard_input(monkeypatch, capsys):
    text = "series,period,value\n" + "\n".join(f"a,{i},{v}" for i, v in enumerate(MDC_LIMITS_VALUES, 1))
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    code, out, _ = _run(capsys, "-", "--profile", "mdc")
    assert code == 0
    assert _json_lines(out)[0]["points"][0]["upper"] == pytest.approx(37.64)
