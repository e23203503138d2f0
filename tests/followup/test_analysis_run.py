import pytest

from tillit.analysis import Assurance, Variation
from tillit.followup.models import AnalysisResult
from tillit.followup.services import analysis_run
from tillit.indicators.models import Indicator, Observation, PhaseChange

from .conftest import STABLE, month

pytestmark = pytest.mark.integration


def test_a_stable_process_is_stored_as_routine_variation_and_needs_no_look(make_indicator, home_care_north):
    indicator = make_indicator(home_care_north, "Missade besök", STABLE)

    run = analysis_run(organisation_id=home_care_north.organisation_id, indicator_ids=[indicator.pk])

    result = AnalysisResult.objects.get(indicator=indicator)
    assert run.analysed == 1
    assert run.written == 1
    assert result.chart == "xmr"
    assert result.n == 24
    assert result.limits_shown
    assert result.variation == Variation.COMMON
    assert not result.needs_look
    assert result.latest_period == month(23)
    assert result.latest_value == 21
    assert result.unit_path == home_care_north.path
    assert len(result.points["values"]) == 24
    assert result.points["periods"][0] == "2024-01-01"


def test_a_rise_where_lower_is_better_is_a_concern_that_needs_a_joint_look(make_indicator, home_care_north):
    indicator = make_indicator(home_care_north, "Fall", [*STABLE, 40], direction="down")

    analysis_run(organisation_id=home_care_north.organisation_id, indicator_ids=[indicator.pk])

    result = AnalysisResult.objects.get(indicator=indicator)
    assert result.variation == Variation.CONCERN_HIGH
    assert result.needs_look


def test_the_same_rise_where_higher_is_better_is_an_improvement_and_needs_no_look(
    make_indicator, home_care_north
):
    indicator = make_indicator(home_care_north, "Nöjdhet", [*STABLE, 40], direction="up")

    analysis_run(organisation_id=home_care_north.organisation_id, indicator_ids=[indicator.pk])

    result = AnalysisResult.objects.get(indicator=indicator)
    assert result.variation == Variation.IMPROVEMENT_HIGH
    assert not result.needs_look


def test_a_boundary_in_the_signed_agreement_is_judged_and_its_crossing_needs_a_look(
    make_indicator, sign_boundary, home_care_north
):
    inside = make_indicator(home_care_north, "Inom", STABLE)
    crossed = make_indicator(home_care_north, "Passerad", [*STABLE[:-1], 25.5])
    hit_or_miss = make_indicator(home_care_north, "Ibland", STABLE)
    sign_boundary(inside, high=40)
    sign_boundary(crossed, high=25)
    sign_boundary(hit_or_miss, high=22.5)

    analysis_run(organisation_id=home_care_north.organisation_id)

    results = {r.indicator_id: r for r in AnalysisResult.objects.filter(unit=home_care_north)}
    assert results[inside.pk].assurance == Assurance.INSIDE
    assert not results[inside.pk].needs_look
    assert results[inside.pk].boundary_high == 40
    assert results[crossed.pk].boundary_crossed
    assert results[crossed.pk].needs_look
    assert results[hit_or_miss.pk].assurance == Assurance.HIT_OR_MISS
    assert results[hit_or_miss.pk].needs_look
    # Why, stored with the result, and the most serious first on the joint-look view.
    assert results[inside.pk].reasons == []
    assert results[inside.pk].severity == 0
    assert results[crossed.pk].reasons[0] == "boundary_crossed"
    assert results[hit_or_miss.pk].reasons == ["hit_or_miss"]
    assert results[crossed.pk].severity > results[hit_or_miss.pk].severity


def test_proportions_are_analysed_as_ratios_and_shown_and_bounded_in_per_cent(
    make_indicator, sign_boundary, home_care_north
):
    satisfied = [80 + (i % 5) for i in range(24)]
    indicator = make_indicator(
        home_care_north,
        "Nöjda brukare",
        satisfied,
        data_type="proportion",
        direction="up",
        denominators=[100] * 24,
        scale=100,
    )
    sign_boundary(indicator, low=70)

    analysis_run(organisation_id=home_care_north.organisation_id, indicator_ids=[indicator.pk])

    result = AnalysisResult.objects.get(indicator=indicator)
    assert result.chart in ("p", "p_prime")
    assert result.points["values"][:3] == [80.0, 81.0, 82.0]  # per cent, not 0.80
    assert 70 < result.points["lower"][0] < result.points["centre"][0] < result.points["upper"][0] < 100
    assert result.boundary_low == 70
    assert result.assurance == Assurance.INSIDE


def test_a_recorded_phase_change_recalculates_the_limits_from_its_period(make_indicator, home_care_north):
    values = [30 + (i % 3) for i in range(15)] + [15 + (i % 3) for i in range(15)]
    indicator = make_indicator(home_care_north, "Kontinuitet", values)
    PhaseChange.objects.create(
        organisation_id=home_care_north.organisation_id,
        indicator=indicator,
        period=month(15),
        label="Fasta team",
    )

    analysis_run(organisation_id=home_care_north.organisation_id, indicator_ids=[indicator.pk])

    points = AnalysisResult.objects.get(indicator=indicator).points
    assert points["segment"][14] == 0
    assert points["segment"][15] == 1
    assert points["centre"][0] == pytest.approx(31)
    assert points["centre"][29] == pytest.approx(16)


def test_an_unchanged_series_is_not_rewritten_and_a_corrected_one_is(make_indicator, home_care_north):
    indicator = make_indicator(home_care_north, "Fall", STABLE)
    organisation_id = home_care_north.organisation_id
    analysis_run(organisation_id=organisation_id, indicator_ids=[indicator.pk])
    first = AnalysisResult.objects.get(indicator=indicator).computed_at

    again = analysis_run(organisation_id=organisation_id, indicator_ids=[indicator.pk])
    assert again.written == 0
    assert again.analysed == 0  # unchanged inputs are not even given to the engine
    assert AnalysisResult.objects.get(indicator=indicator).computed_at == first

    Observation.objects.filter(indicator=indicator, period=month(23)).update(value=50)
    corrected = analysis_run(organisation_id=organisation_id, indicator_ids=[indicator.pk])
    assert corrected.written == 1
    assert AnalysisResult.objects.get(indicator=indicator).latest_value == 50


def test_a_gap_stays_a_gap_in_the_stored_points(make_indicator, home_care_north):
    values = list(STABLE)
    values[5] = None
    indicator = make_indicator(home_care_north, "Med lucka", values)

    analysis_run(organisation_id=home_care_north.organisation_id, indicator_ids=[indicator.pk])

    points = AnalysisResult.objects.get(indicator=indicator).points
    assert points["values"][5] is None
    assert points["class"][5] == -1
    assert len(points["periods"]) == 24


def test_a_retired_indicator_loses_its_result(make_indicator, home_care_north):
    indicator = make_indicator(home_care_north, "Gammal", STABLE)
    analysis_run(organisation_id=home_care_north.organisation_id)
    Indicator.objects.filter(pk=indicator.pk).update(retired_at="2026-01-01T00:00:00Z")

    run = analysis_run(organisation_id=home_care_north.organisation_id)

    assert run.removed >= 1
    assert not AnalysisResult.objects.filter(indicator=indicator).exists()


def test_one_run_analyses_an_organisation_and_never_another(make_indicator, home_care_north):
    from tests.conftest import unit

    grannby_unit = unit("Hemtjänst Grannby", "grannby")
    ours = make_indicator(home_care_north, "Fall", STABLE)
    theirs = make_indicator(grannby_unit, "Fall", STABLE)

    analysis_run(organisation_id=home_care_north.organisation_id)

    assert AnalysisResult.objects.filter(indicator=ours).exists()
    assert not AnalysisResult.objects.filter(indicator=theirs).exists()


def test_a_new_boundary_in_force_changes_the_stored_result_of_unchanged_data(
    make_indicator, sign_boundary, home_care_north
):
    indicator = make_indicator(home_care_north, "Fall", STABLE)
    analysis_run(organisation_id=home_care_north.organisation_id, indicator_ids=[indicator.pk])
    sign_boundary(indicator, high=21.5)

    run = analysis_run(organisation_id=home_care_north.organisation_id, indicator_ids=[indicator.pk])

    result = AnalysisResult.objects.get(indicator=indicator)
    assert run.written == 1
    assert result.boundary_high == 21.5
    assert result.assurance == Assurance.HIT_OR_MISS
