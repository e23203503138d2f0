"""Published examples beyond MDC: Montgomery's textbook tables, qicharts2/Anhøj thresholds, Laney p'."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from tillit.analysis import Chart, Rule, analyse_series
from tillit.analysis.anhoej import crossings_limit, longest_run_limit
from tillit.analysis.profiles import MDC

pytestmark = pytest.mark.unit

SHORT_SERIES = replace(MDC, min_points=2)  # the hand-computed examples are shorter than 13 points

# Montgomery, Introduction to Statistical Quality Control, Example 7.1 (frozen orange juice cans, n = 50).
ORANGE_JUICE_DEFECTIVES = [12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22]
ORANGE_JUICE_DEFECTIVES += [8, 10, 5, 13, 11, 20, 18, 24, 15, 9, 12, 7, 13, 9, 6]
# Montgomery Example 7.3 (nonconformities in 26 samples of 100 printed circuit boards).
CIRCUIT_BOARD_NONCONFORMITIES = [21, 24, 16, 12, 15, 5, 28, 20, 31, 25, 20, 24, 16]
CIRCUIT_BOARD_NONCONFORMITIES += [19, 10, 17, 13, 22, 18, 39, 30, 24, 16, 19, 17, 15]


def _beyond_points(result) -> list[int]:
    return [int(i) + 1 for i in np.flatnonzero(result.flags & 3)]


def test_montgomery_p_chart_orange_juice_trial_limits_and_signals():
    result = analyse_series(ORANGE_JUICE_DEFECTIVES, denominators=[50] * 30, chart="p", profile="anhoej")
    assert result.centre[0] == pytest.approx(0.2313, abs=5e-5)
    assert result.upper[0] == pytest.approx(0.4102, abs=5e-5)
    assert result.lower[0] == pytest.approx(0.0524, abs=5e-5)
    assert _beyond_points(result) == [15, 23]


def test_montgomery_p_chart_orange_juice_revised_without_samples_15_and_23():
    excluded = np.zeros(30, dtype=bool)
    excluded[[14, 22]] = True
    result = analyse_series(
        ORANGE_JUICE_DEFECTIVES, denominators=[50] * 30, chart="p", profile="anhoej", excluded=excluded
    )
    assert result.centre[0] == pytest.approx(0.2150, abs=5e-5)
    assert result.upper[0] == pytest.approx(0.3893, abs=5e-5)
    assert result.lower[0] == pytest.approx(0.0407, abs=5e-5)


def test_montgomery_c_chart_circuit_boards_limits_and_signals():
    result = analyse_series(CIRCUIT_BOARD_NONCONFORMITIES, chart="c", profile="anhoej")
    assert result.centre[0] == pytest.approx(19.85, abs=5e-3)
    assert result.upper[0] == pytest.approx(33.22, abs=0.015)  # the book rounds c-bar to 19.85
    assert result.lower[0] == pytest.approx(6.48, abs=5e-3)
    assert _beyond_points(result) == [6, 20]


@pytest.mark.parametrize(
    ("useful", "longest", "crossings"),
    [
        (10, 6, 2),
        (12, 7, 3),
        (15, 7, 4),
        (20, 7, 6),
        (24, 8, 8),
        (30, 8, 10),
        (36, 8, 13),
        (48, 9, 18),
        (60, 9, 23),
        (100, 10, 41),
    ],
)
def test_anhoej_thresholds_match_the_qicharts2_table(useful, longest, crossings):
    assert longest_run_limit(useful) == longest
    assert crossings_limit(useful) == crossings


def test_anhoej_longest_run_limit_changes_where_qicharts2_says():
    changes = [n for n in range(2, 120) if longest_run_limit(n) != longest_run_limit(n - 1)]
    assert [n for n in changes if n >= 12] == [12, 23, 46, 91]


def _runs(lengths: list[int]) -> list[float]:
    """Alternating runs above (+1) and below (-1) a median of 0, starting above."""
    values: list[float] = []
    for index, length in enumerate(lengths):
        values.extend([1.0 if index % 2 == 0 else -1.0] * length)
    return values


def test_anhoej_boundary_longest_run_of_nine_in_36_points_signals():
    # qicharts2 signals a longest run above round(log2(36) + 3) = 8; pyqicharts (limit 9) misses it.
    result = analyse_series(_runs([9] + [2, 1] * 9), chart="run", profile="anhoej")
    assert (result.runs_useful, result.runs_longest, result.runs_longest_limit) == (36, 9, 8)
    assert result.runs_crossings >= result.runs_crossings_limit
    assert ((result.flags & int(Rule.LONGEST_RUN_HIGH | Rule.LONGEST_RUN_LOW)) != 0).all()


def test_anhoej_boundary_twelve_crossings_in_36_points_signals():
    # 12 crossings < qbinom(0.05, 35, 0.5) = 13 is a signal; pyqicharts (limit 12) misses it.
    result = analyse_series(_runs([3, 3, 3, 3, 3, 3, 3, 3, 2, 3, 2, 3, 2]), chart="run", profile="anhoej")
    assert (result.runs_useful, result.runs_crossings, result.runs_crossings_limit) == (36, 12, 13)
    assert result.runs_longest <= result.runs_longest_limit
    assert ((result.flags & int(Rule.CROSSINGS_HIGH | Rule.CROSSINGS_LOW)) != 0).all()


def test_anhoej_thirteen_crossings_in_36_points_do_not_signal():
    result = analyse_series(_runs([3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2]), chart="run", profile="anhoej")
    assert (result.runs_useful, result.runs_crossings) == (36, 13)
    assert not result.flags.any()


def test_anhoej_cdi_style_signal_on_a_run_chart_is_reported_per_segment():
    before = _runs([9, 1, 1, 1, 1, 1, 1, 1, 1, 1])
    after = _runs([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1])
    segments = [0] * len(before) + [1] * len(after)
    result = analyse_series(before + after, segments=segments, chart="run", profile="anhoej")
    assert result.flags[: len(before)].all() == bool(result.flags[0])
    assert not result.flags[len(before) :].any()


def test_anhoej_points_on_the_median_are_not_useful():
    values = [1.0, 3.0] * 8 + [2.0]
    result = analyse_series(values, chart="run", profile="anhoej")
    assert result.runs_useful == 16
    assert result.centre[0] == 2.0


def test_qicharts2_limits_constant_is_three_over_d2():
    values = [20, 24, 20, 26, 22, 16, 18, 16, 31, 28, 34, 26, 30, 19, 18]
    result = analyse_series(values, chart="xmr", profile="anhoej", screen_moving_ranges=False)
    mean_moving_range = np.mean(np.abs(np.diff(values)))
    assert result.upper[0] == pytest.approx(23.2 + 3 / 1.128 * mean_moving_range)
    assert result.upper[0] == pytest.approx(37.6377, abs=5e-5)


def test_laney_p_prime_matches_the_hand_computation():
    # shewhart's tests/test_laney.py case, with d2 = 1.128 (as in qicharts2) instead of 2 / sqrt(pi).
    defectives, size = [2, 3, 1, 4, 2], 50
    p_bar = 12 / 250
    sigma = math.sqrt(p_bar * (1 - p_bar) / size)
    z = (np.array(defectives) / size - p_bar) / sigma
    sigma_z = np.mean(np.abs(np.diff(z))) / 1.128
    result = analyse_series(defectives, denominators=[size] * 5, chart="p_prime", profile=SHORT_SERIES)
    assert result.centre[0] == pytest.approx(0.048)
    assert result.upper[0] == pytest.approx(p_bar + 3 * sigma * sigma_z)
    assert result.lower[0] == 0.0


def test_laney_u_prime_centre_is_the_pooled_rate():
    result = analyse_series(
        [6, 4, 9, 5, 7], denominators=[3, 2, 4, 2, 3], chart="u_prime", profile=SHORT_SERIES
    )
    assert result.centre[0] == pytest.approx(31 / 14)


def test_laney_p_prime_widens_overdispersed_limits_so_that_few_points_fall_outside():
    rng = np.random.default_rng(11)
    true_p = rng.normal(0.9, 0.01, 20).clip(0.85, 0.95)
    size = np.full(20, 280_000)
    hits = rng.binomial(size, true_p)
    plain = analyse_series(hits, denominators=size, chart="p", profile="anhoej")
    laney = analyse_series(hits, denominators=size, chart="p_prime", profile="anhoej")
    assert (plain.flags & 3).astype(bool).sum() >= 10
    assert not (laney.flags & 3).any()
    assert analyse_series(hits, denominators=size, chart="auto").chart is Chart.P_PRIME


def test_median_moving_range_variant_uses_3_145():
    values = [20, 24, 20, 26, 22, 16, 18, 16, 31, 28, 34, 26, 30, 19, 18]
    result = analyse_series(values, chart="xmr_median", profile="mdc")
    assert result.upper[0] == pytest.approx(23.2 + 3.145 * np.median(np.abs(np.diff(values))))


def test_moving_range_screening_drops_ranges_above_3_267_times_the_mean_once():
    values = [10.0, 11, 10, 12, 11, 10, 11, 12, 10, 11, 60, 11, 10, 12, 11]
    ranges = np.abs(np.diff(values))
    kept = ranges[ranges < 3.267 * ranges.mean()]
    screened = analyse_series(values, chart="xmr", profile="mdc", screen_moving_ranges=True)
    plain = analyse_series(values, chart="xmr", profile="mdc")
    assert screened.upper[0] == pytest.approx(np.mean(values) + 2.66 * kept.mean())
    assert plain.upper[0] == pytest.approx(np.mean(values) + 2.66 * ranges.mean())


def test_qicharts2_bridges_an_excluded_point_with_one_moving_range():
    values = [20.0, 24, 20, 26, 22, 16, 18, 16, 90, 31, 28, 34, 26, 30, 19, 18]
    excluded = [False] * 8 + [True] + [False] * 7
    kept = [v for v, e in zip(values, excluded, strict=True) if not e]
    ranges = np.abs(np.diff(kept))
    ranges = ranges[ranges < 3.267 * ranges.mean()]  # qicharts2 screens the moving ranges
    anhoej = analyse_series(values, chart="xmr", profile="anhoej", excluded=excluded)
    assert anhoej.upper[0] == pytest.approx(np.mean(kept) + 3 / 1.128 * ranges.mean())
    # Tillit's other profiles treat the excluded point like a gap: no moving range touches it.
    mdc = analyse_series(values, chart="xmr", profile="mdc", excluded=excluded)
    gap_ranges = [abs(kept[i] - kept[i - 1]) for i in range(1, 15) if i != 8]
    assert mdc.upper[0] == pytest.approx(np.mean(kept) + 2.66 * np.mean(gap_ranges))
