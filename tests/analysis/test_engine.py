"""Behaviour of the batch engine: phases, gaps, exclusions, short series, classes, status, boundaries."""

from __future__ import annotations

import numpy as np
import pytest

from tillit.analysis import (
    Assurance,
    Chart,
    Direction,
    DuplicatePeriodError,
    PointClass,
    Rule,
    Variation,
    analyse,
    analyse_series,
    first_points_mask,
    long_to_wide,
)

pytestmark = pytest.mark.unit

STABLE = [20, 24, 20, 26, 22, 16, 18, 16, 31, 28, 34, 26, 30, 19, 18, 22, 25, 21, 23, 24]


def test_a_gap_is_never_bridged_by_a_moving_range():
    values = np.array(STABLE, dtype=float)
    values[5] = np.nan
    result = analyse_series(values, chart="xmr", profile="mdc")
    ranges = [abs(values[i] - values[i - 1]) for i in range(1, 20) if i not in (5, 6)]
    observed = values[~np.isnan(values)]
    assert result.upper[0] == pytest.approx(observed.mean() + 2.66 * np.mean(ranges))
    assert result.point_class[5] == PointClass.NONE
    assert result.n == 19


def test_a_gap_ends_a_shift():
    values = [10.0] * 14 + [20.0] * 3 + [np.nan] + [20.0] * 3
    result = analyse_series(values, chart="xmr", profile="mdc")
    assert not (result.flags & int(Rule.SHIFT_HIGH)).any()


def test_excluded_points_are_shown_but_not_used_for_limits_nor_judged():
    values = [*STABLE, 90.0]
    excluded = [False] * 20 + [True]
    result = analyse_series(values, chart="xmr", profile="mdc", excluded=excluded)
    plain = analyse_series(STABLE, chart="xmr", profile="mdc")
    assert result.upper[0] == pytest.approx(plain.upper[0])
    assert result.flags[-1] == 0
    assert result.point_class[-1] == PointClass.COMMON
    assert result.latest == 19


def test_baseline_freezes_limits_after_the_first_points():
    values = [*STABLE, 50, 60, 70]
    frozen = analyse_series(values, chart="xmr", profile="mdc", baseline_points=20)
    plain = analyse_series(STABLE, chart="xmr", profile="mdc")
    assert frozen.upper[-1] == pytest.approx(plain.upper[0])
    assert frozen.n_baseline == 20
    assert frozen.point_class[-1] == PointClass.SPECIAL


def test_recalculation_gives_each_segment_its_own_limits():
    values = STABLE + [v + 100 for v in STABLE]
    segments = [0] * 20 + [1] * 20
    result = analyse_series(values, chart="xmr", profile="mdc", segments=segments)
    assert result.centre[0] == pytest.approx(np.mean(STABLE))
    assert result.centre[-1] == pytest.approx(np.mean(STABLE) + 100)
    assert result.upper[-1] - result.centre[-1] == pytest.approx(result.upper[0] - result.centre[0])


def test_first_points_mask_counts_usable_points_per_segment():
    usable = np.array([[True, False, True, True, True, True]])
    segments = np.array([[0, 0, 0, 1, 1, 1]])
    mask = first_points_mask(usable, segments, 2)
    assert mask.tolist() == [[True, False, True, True, True, False]]


def test_fewer_than_13_points_claim_no_limits_and_fall_back_to_a_run_chart():
    result = analyse_series(STABLE[:12], chart="xmr", profile="mdc", direction=Direction.UP, boundary_low=0)
    assert result.chart is Chart.RUN
    assert not result.limits_shown
    assert np.isnan(result.upper).all()
    assert result.centre[0] == pytest.approx(np.median(STABLE[:12]))
    assert result.variation is Variation.NONE
    assert result.assurance is Assurance.NONE
    assert result.runs_useful >= 0


@pytest.mark.parametrize(
    ("direction", "expected"),
    [(Direction.UP, PointClass.IMPROVEMENT), (Direction.DOWN, PointClass.CONCERN), (0, PointClass.SPECIAL)],
)
def test_a_high_point_is_classified_by_the_improvement_direction(direction, expected):
    result = analyse_series([*STABLE, 80], chart="xmr", profile="mdc", direction=direction)
    assert result.point_class[-1] == expected
    assert result.flags[-1] & int(Rule.BEYOND_HIGH)


def test_variation_status_is_high_or_low_by_the_side_of_the_latest_point():
    low = analyse_series([*STABLE, -40], chart="xmr", profile="mdc", direction=Direction.UP)
    assert low.variation is Variation.CONCERN_LOW
    high = analyse_series([*STABLE, 80], chart="xmr", profile="mdc", direction=0)
    assert high.variation is Variation.SPECIAL_HIGH


@pytest.mark.parametrize(
    ("bounds", "expected"),
    [
        ({"boundary_low": 0}, Assurance.INSIDE),
        ({"boundary_low": 20}, Assurance.HIT_OR_MISS),
        ({"boundary_low": 60}, Assurance.OUTSIDE),
        ({"boundary_high": 60}, Assurance.INSIDE),
        ({"boundary_high": 20}, Assurance.HIT_OR_MISS),
        ({"boundary_high": 0}, Assurance.OUTSIDE),
        ({"boundary_low": 0, "boundary_high": 20}, Assurance.HIT_OR_MISS),
        ({"boundary_low": 60, "boundary_high": 20}, Assurance.OUTSIDE),
        ({}, Assurance.NONE),
    ],
)
def test_assurance_compares_the_latest_limits_with_the_boundaries(bounds, expected):
    assert analyse_series(STABLE, chart="xmr", profile="mdc", **bounds).assurance is expected


def test_a_boundary_exactly_on_a_limit_is_hit_or_miss():
    result = analyse_series(STABLE, chart="xmr", profile="mdc")
    on_limit = analyse_series(STABLE, chart="xmr", profile="mdc", boundary_low=result.lower[0])
    assert on_limit.assurance is Assurance.HIT_OR_MISS


def test_boundary_crossed_reports_the_latest_point_only():
    crossed = analyse_series([*STABLE, 10], chart="xmr", profile="mdc", boundary_low=15)
    assert crossed.boundary_crossed
    earlier = analyse_series(STABLE, chart="xmr", profile="mdc", boundary_low=17)
    assert not earlier.boundary_crossed


def test_nhsr_rules_do_not_cross_a_recalculation_but_mdc_rules_do():
    first = [20, 24, 20, 26, 22, 16, 18, 16, 31, 28, 34, 26, 30, 19, 18, 22, 30, 29, 28, 27]
    second = [26, 25, 24, 22, 25, 21, 23, 24, 20, 26, 22, 24, 23, 25, 21, 22]
    segments = [0] * len(first) + [1] * len(second)
    mdc = analyse_series(first + second, chart="xmr", profile="mdc", segments=segments)
    nhsr = analyse_series(first + second, chart="xmr", profile="nhsr", segments=segments)
    assert (mdc.flags & int(Rule.TREND_DOWN))[16:24].all()
    assert not (nhsr.flags & int(Rule.TREND_DOWN)).any()


def test_western_electric_flags_four_of_five_beyond_one_sigma_and_eight_on_one_side():
    rng = np.random.default_rng(3)
    base = rng.normal(0, 1, 30)
    base = (base - base.mean()).tolist()
    values = [*base, 1.5, 1.6, 0.2, 1.7, 1.8]
    result = analyse_series(values, chart="xmr", profile="western-electric", baseline_points=30)
    assert result.flags[-1] & int(Rule.FOUR_OF_FIVE_HIGH)
    shifted = [*base, 0.5, 0.4, 0.6, 0.3, 0.5, 0.4, 0.6, 0.5]
    run = analyse_series(shifted, chart="xmr", profile="western-electric", baseline_points=30)
    assert (run.flags[-8:] & int(Rule.SHIFT_HIGH)).all()


def test_g_chart_draws_the_centre_at_the_median_and_limits_from_the_mean():
    values = [3, 10, 5, 1, 7, 12, 4, 8, 2, 6, 9, 5, 11, 3]
    result = analyse_series(values, chart="g", profile="mdc")
    mean = np.mean(values)
    assert result.centre[0] == pytest.approx(np.median(values))
    assert result.upper[0] == pytest.approx(mean + 3 * np.sqrt(mean * (mean + 1)))
    assert result.lower[0] == 0.0


def test_t_chart_back_transforms_limits_from_the_cube_root_like_scale():
    values = np.array([12.0, 30, 7, 45, 22, 16, 9, 60, 25, 14, 33, 19, 28, 11])
    result = analyse_series(values, chart="t", profile="mdc")
    root = values ** (1 / 3.6)
    mean_moving_range = np.mean(np.abs(np.diff(root)))
    assert result.centre[0] == pytest.approx(root.mean() ** 3.6)
    assert result.upper[0] == pytest.approx((root.mean() + 2.66 * mean_moving_range) ** 3.6)


def test_u_chart_limits_follow_each_denominator():
    counts = [4, 6, 3, 8, 5, 7, 2, 6, 5, 4, 9, 3, 5, 6]
    exposure = [100, 200, 100, 250, 150, 200, 80, 180, 160, 120, 300, 90, 140, 200]
    result = analyse_series(counts, denominators=exposure, chart="u", profile="mdc")
    rate = sum(counts) / sum(exposure)
    assert result.upper[0] == pytest.approx(rate + 3 * np.sqrt(rate / 100))
    assert result.upper[1] == pytest.approx(rate + 3 * np.sqrt(rate / 200))


def test_auto_chooses_by_the_kind_of_values():
    assert analyse_series(STABLE, chart="auto").chart is Chart.XMR
    assert analyse_series(STABLE, chart="auto", kind="count").chart is Chart.C
    rates = analyse_series(STABLE, denominators=[10] * 20, chart="auto")
    assert rates.chart in (Chart.U, Chart.U_PRIME)
    proportions = analyse_series([3] * 10 + [4] * 10, denominators=[10] * 20, chart="auto")
    assert proportions.chart in (Chart.P, Chart.P_PRIME)


def test_ratio_charts_need_denominators():
    with pytest.raises(ValueError, match="denominators"):
        analyse_series(STABLE, chart="p")


def test_status_without_point_arrays_matches_the_full_result():
    rng = np.random.default_rng(7)
    values = rng.normal(50, 5, (200, 24))
    values[rng.random(values.shape) < 0.05] = np.nan
    full = analyse(values, chart="xmr", profile="mdc", direction=1, boundary_low=40)
    brief = analyse(values, chart="xmr", profile="mdc", direction=1, boundary_low=40, points=False)
    assert brief.centre is None
    for name in ("variation", "assurance", "boundary_crossed", "limits_shown", "n", "latest"):
        np.testing.assert_array_equal(getattr(full, name), getattr(brief, name))


def test_long_to_wide_accepts_rows_in_any_order_and_leaves_gaps():
    table = long_to_wide(np.array([2, 1, 2, 1]), np.array([5, 3, 3, 5]), np.array([4.0, 1.0, 3.0, 2.0]))
    assert table.series.tolist() == [1, 2]
    assert table.periods.tolist() == [3, 4, 5]
    np.testing.assert_array_equal(table.values, [[1.0, np.nan, 2.0], [3.0, np.nan, 4.0]])


def test_long_to_wide_rejects_a_repeated_period():
    with pytest.raises(DuplicatePeriodError) as error:
        long_to_wide(np.array(["a", "b", "a"]), np.array([1, 1, 1]), np.array([1.0, 2.0, 3.0]))
    assert (error.value.first_row, error.value.row) == (0, 2)


def test_unknown_profile_is_an_error():
    with pytest.raises(ValueError, match="unknown rule profile"):
        analyse_series(STABLE, profile="nope")


def test_conflicting_hits_follow_each_profiles_conflict_rule():
    # MDC's "special cause conflict" series: early points are high (improvement) and falling (concern).
    values = [43, 41, 37, 36, 31, 23, 15, 13, 15, 18, 23, 27, 31, 36, 27, 19, 17, 27, 15, 22]
    mdc = analyse_series(values, chart="xmr", profile="mdc", direction=Direction.UP)
    nhsr = analyse_series(values, chart="xmr", profile="nhsr", direction=Direction.UP)
    high_and_falling = int(Rule.TWO_OF_THREE_HIGH | Rule.TREND_DOWN)
    both = [i for i, flags in enumerate(nhsr.flags) if flags & high_and_falling == high_and_falling]
    assert both
    for index in both:
        assert not nhsr.flags[index] & int(Rule.BEYOND_HIGH)
        assert nhsr.point_class[index] == PointClass.CONCERN  # trend outranks 2-of-3 in NHSRplotthedots
    assert mdc.point_class[1] == PointClass.IMPROVEMENT  # the MDC Excel tool shows improvement


def test_tillit_profile_is_mdc_with_an_eight_point_shift_and_a_seven_point_trend():
    from tillit.analysis import DEFAULT_PROFILE, PROFILES

    tillit, mdc = PROFILES[DEFAULT_PROFILE], PROFILES["mdc"]
    assert DEFAULT_PROFILE == "tillit"
    assert (tillit.shift_length, tillit.trend_length) == (8, 7)
    assert (tillit.two_of_three, tillit.limit_constant, tillit.screen_moving_ranges) == (True, 2.66, False)
    assert tillit.conflict == mdc.conflict


def test_batches_larger_than_one_chunk_equal_the_per_series_results():
    rng = np.random.default_rng(11)
    values = np.round(rng.normal(100, 10, (5000, 36)), 1)
    values[rng.random(values.shape) < 0.03] = np.nan
    direction = rng.integers(-1, 2, 5000)
    batch = analyse(values, chart="xmr", profile="tillit", direction=direction)
    for row in rng.choice(5000, 25, replace=False):
        single = analyse_series(values[row], chart="xmr", profile="tillit", direction=int(direction[row]))
        np.testing.assert_array_equal(batch.upper[row], single.upper)
        np.testing.assert_array_equal(batch.point_class[row], single.point_class)
        assert batch.variation[row] == single.variation


def test_nhsr_labels_a_peak_between_two_trends_by_the_trend_it_starts():
    rising = [10.0, 11, 12, 13, 14, 15, 16]
    falling = [15.0, 14, 13, 12, 11, 10]
    values = [12.0, 14, 11, 13, *rising, *falling, 13, 12, 14, 11]
    peak = 4 + len(rising) - 1
    for profile, expected in (("nhsr", PointClass.CONCERN), ("mdc7", PointClass.IMPROVEMENT)):
        result = analyse_series(values, chart="xmr", profile=profile, direction=Direction.UP)
        assert result.flags[peak] & int(Rule.TREND_UP)
        assert result.flags[peak] & int(Rule.TREND_DOWN)
        assert not result.flags[peak] & int(Rule.BEYOND_HIGH | Rule.TWO_OF_THREE_HIGH)
        assert result.point_class[peak] == expected, profile


def test_row_wise_segment_medians_equal_the_sorted_group_medians():
    from tillit.analysis.limits import group_median, segment_layout, segment_medians

    rng = np.random.default_rng(5)
    values = rng.integers(0, 20, (300, 30)).astype(float)
    usable = rng.random(values.shape) < 0.8
    segments = np.cumsum(rng.random(values.shape) < 0.1, axis=1)
    segments = np.minimum(segments, 3)
    layout = segment_layout(segments, *values.shape)
    expected = group_median(layout.key[usable], values[usable], layout.n_groups)
    np.testing.assert_array_equal(segment_medians(values, usable, layout), expected)


def test_long_to_wide_of_a_complete_sorted_table_equals_the_general_pivot():
    rng = np.random.default_rng(2)
    series = np.repeat(np.array([3, 7, 9]), 4)
    periods = np.tile(np.arange(10, 14), 3)
    values = rng.normal(size=12)
    fast = long_to_wide(series, periods, values)
    shuffled = rng.permutation(12)
    general = long_to_wide(series[shuffled], periods[shuffled], values[shuffled])
    np.testing.assert_array_equal(fast.values, general.values)
    np.testing.assert_array_equal(fast.series, general.series)
    np.testing.assert_array_equal(fast.periods, general.periods)
    assert np.shares_memory(fast.values, values)


def test_long_to_wide_complete_but_repeated_series_block_falls_back_to_the_checked_path():
    series = np.array([1, 1, 1, 1])
    periods = np.array([0, 1, 0, 1])
    with pytest.raises(DuplicatePeriodError):
        long_to_wide(series, periods, np.arange(4.0))


def test_an_empty_batch_gives_empty_results():
    result = analyse(np.empty((0, 24)), chart="xmr", profile="mdc")
    assert result.variation.shape == (0,)
    assert result.upper.shape == (0, 24)
