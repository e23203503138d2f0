"""The evidence on the charts: a signal in the expected direction after the start, or not."""

import pytest

from tillit.experiments import selectors
from tillit.experiments.enums import Expected
from tillit.followup.models import AnalysisResult
from tillit.followup.services import analysis_run

from .conftest import FLAT, SHIFTED, month

pytestmark = pytest.mark.integration


def _evidence(experiment):
    return {item.indicator.pk: item.evidence for item in selectors.experiment_evidence(experiment=experiment)}


def test_a_series_that_shifts_down_after_the_start_shows_a_signal_in_the_expected_direction(
    make_indicator, record, same_unit, home_care_north
):
    indicator = make_indicator(home_care_north, "Kontinuitet", SHIFTED, direction="down")
    experiment = record(same_unit, home_care_north, [indicator])
    analysis_run(organisation_id=home_care_north.organisation_id, indicator_ids=[indicator.pk])

    evidence = _evidence(experiment)[indicator.pk]

    assert evidence["verdict"] == "expected"
    assert (evidence["n_before"], evidence["n_after"]) == (12, 12)
    assert evidence["mean_after"] == pytest.approx(evidence["mean_before"] - 10, abs=1)
    assert evidence["run_expected"] == 12
    # The stored analysis starts new limits at the phase change: the after segment has its own centre.
    result = AnalysisResult.objects.get(indicator=indicator)
    assert result.points["segment"][11] != result.points["segment"][12]
    assert evidence["centre_after"] < evidence["centre_before"]


def test_a_flat_series_shows_no_signal(make_indicator, record, same_unit, home_care_north):
    indicator = make_indicator(home_care_north, "Kontinuitet", FLAT, direction="down")
    experiment = record(same_unit, home_care_north, [indicator])
    analysis_run(organisation_id=home_care_north.organisation_id, indicator_ids=[indicator.pk])

    assert _evidence(experiment)[indicator.pk]["verdict"] == "none"


def test_the_same_shift_against_the_expected_direction_is_said_to_go_the_other_way(
    make_indicator, record, same_unit, home_care_north
):
    indicator = make_indicator(home_care_north, "Nöjdhet", SHIFTED, direction="up")
    experiment = record(same_unit, home_care_north, [indicator])
    analysis_run(organisation_id=home_care_north.organisation_id, indicator_ids=[indicator.pk])

    assert _evidence(experiment)[indicator.pk]["verdict"] == "opposite"


def test_an_explicit_expected_direction_overrides_the_indicators_and_a_neutral_one_is_not_judged():
    points = {
        "periods": [month(i).isoformat() for i in range(24)],
        "values": SHIFTED,
        "centre": [20.6] * 12 + [10.6] * 12,
        "upper": [26.0] * 12 + [16.0] * 12,
        "lower": [15.0] * 12 + [5.0] * 12,
        "class": [0] * 24,
        "flags": [0] * 24,
    }

    down = selectors.evidence_from_points(
        points, start=month(12), sign=selectors.expected_sign(Expected.DOWN, "up")
    )
    neutral = selectors.evidence_from_points(
        points, start=month(12), sign=selectors.expected_sign("improve", "neutral")
    )
    early = selectors.evidence_from_points(
        {key: value[:15] for key, value in points.items()}, start=month(12), sign=-1
    )

    assert down["verdict"] == "expected"
    assert down["beyond_expected"] == 12
    assert neutral["verdict"] == "no_direction"
    assert early["verdict"] == "expected"  # beyond the earlier limits at once
    assert selectors.evidence_from_points({}, start=month(12), sign=1)["verdict"] == "no_data"


def test_too_few_periods_after_the_start_and_no_signal_is_too_early():
    values = FLAT[:15]
    points = {
        "periods": [month(i).isoformat() for i in range(15)],
        "values": values,
        "centre": [20.6] * 15,
        "upper": [26.0] * 15,
        "lower": [15.0] * 15,
        "class": [0] * 15,
        "flags": [0] * 15,
    }

    assert selectors.evidence_from_points(points, start=month(12), sign=-1)["verdict"] == "too_early"
