"""NHS Making Data Count tool-checking cases (Single Chart Tool v5.0), case by case.

Source: the MDC team's *SPC-Charts-XmR-Testing.md* and its transcribed expectations *Test Data.csv*
(NHSDigital/fdp-react-design-system, src/components/DataVisualisation/charts/SPC/SPCChart/test-data/).
Colours: g grey (common cause), b blue (improvement), o orange (concern), p purple (no direction).
Unless a case says otherwise, high is good and shift/trend use 6 points (profile `mdc`).
"""

from __future__ import annotations

import numpy as np
import pytest

from tillit.analysis import Assurance, Direction, PointClass, Variation, analyse_series

pytestmark = pytest.mark.unit

COLOUR_OF = {
    PointClass.COMMON: "g",
    PointClass.IMPROVEMENT: "b",
    PointClass.CONCERN: "o",
    PointClass.SPECIAL: "p",
}

SPECIAL_CAUSE = [8, 27, 32, 26, 20, 21, 23, 21, 23, 22, 26, 23, 20, 20, 29]
SPECIAL_CAUSE += [28, 22, 23, 25, 26, 28, 29, 26, 24, 36, 29, 35, 22, 30, 18]
PHASES = [16, 24, 22, 19, 19, 18, 24, 25, 18, 17, 16, 25, 15, 23, 19]
PHASES += [35, 32, 35, 31, 27, 33, 28, 38, 35, 30, 28, 29, 27, 24, 23]
CROSSING_SHIFT = [28, 23, 26, 21, 23, 25, 24, 29, 30, 27, 25, 30, 27, 24, 19]
CROSSING_SHIFT += [22, 28, 28, 29, 33, 28, 30, 31, 30, 26, 27, 34, 30, 32, 35]
CROSSING_TREND = [*CROSSING_SHIFT[:13], 26, 19, 22, 26, *CROSSING_SHIFT[17:]]
CROSSING_TWO_SIGMA = [*CROSSING_SHIFT[:15], 22, 32, *CROSSING_SHIFT[17:]]
TWO_SIGMA = [42, 40, 39, 26, 39, 24, 22, 29, 32, 22, 20, 23, 25, 26, 22, 24, 27, 7, 19, 24, 7, 7, 32]
CONFLICT = [43, 41, 37, 36, 31, 23, 15, 13, 15, 18, 23, 27, 31, 36, 27, 19, 17, 27, 15, 22]
VARIATION = [16, 20, 22, 18, 21, 18, 26, 28, 24, 26, 19, 18, 25, 32, 43, 28, 22]

UP, DOWN, NEUTRAL = Direction.UP, Direction.DOWN, Direction.NEUTRAL

# name: (values, direction, options, expected colours)
CASES = {
    "number of points 12": ([30, 31, 25, 35, 34, 15, 21, 23, 30, 26, 26, 22], UP, {}, "g" * 12),
    "number of points 13": ([30, 31, 25, 35, 34, 15, 21, 23, 30, 26, 26, 22, 25], UP, {}, "g" * 13),
    "process limits 15": ([20, 24, 20, 26, 22, 16, 18, 16, 31, 28, 34, 26, 30, 19, 18], UP, {}, "g" * 15),
    "process limits 10": ([20, 24, 20, 26, 22, 16, 18, 16, 31, 28], UP, {}, "g" * 10),
    "special cause high is good": (SPECIAL_CAUSE, UP, {}, "ogggoooooo" + "ggggggbbbb" + "bbggbgbggg"),
    "special cause low is good": (SPECIAL_CAUSE, DOWN, {}, "bgggbbbbbb" + "ggggggoooo" + "ooggogoggg"),
    "special cause neither": (SPECIAL_CAUSE, NEUTRAL, {}, "pgggpppppp" + "ggggggpppp" + "ppggpgpggg"),
    "single point ends": (
        [45, 29, 20, 22, 25, 20, 27, 24, 22, 23, 20, 26, 20, 15, 5],
        UP,
        {},
        "b" + "g" * 13 + "o",
    ),
    "single point middle": (
        [29, 32, 35, 45, 43, 23, 18, 20, 16, 7, 28, 26, 22, 19, 20],
        UP,
        {},
        "gggbbggggoggggg",
    ),
    "shift ends": (
        [31, 35, 34, 29, 29, 32, 26, 26, 32, 35, 30, 18, 31, 25, 27, 22, 18, 25, 25, 17],
        UP,
        {},
        "b" * 6 + "g" * 7 + "o" * 7,
    ),
    "shift middle": (
        [31, 22, 19, 21, 18, 18, 22, 22, 29, 25, 23, 26, 31, 26, 28, 29, 32, 24, 31, 22],
        UP,
        {},
        "g" + "o" * 7 + "ggg" + "b" * 6 + "ggg",
    ),
    "trend no pauses": (
        [11, 14, 18, 20, 22, 23, 18, 21, 17, 23, 26, 20, 16, 25, 23, 22, 19, 16, 15, 12],
        UP,
        {},
        "b" * 6 + "g" * 7 + "o" * 7,
    ),
    "trend pauses": (
        [23, 30, 28, 25, 25, 20, 18, 24, 16, 13, 14, 18, 18, 24, 26, 29, 19, 20, 28, 16],
        UP,
        {},
        "g" * 20,
    ),
    "two-sigma 1": (TWO_SIGMA, UP, {}, "bbbgb" + "g" * 15 + "oog"),
    "two-sigma 2": ([*TWO_SIGMA[:21], 2, 32], UP, {}, "bbbgb" + "g" * 16 + "og"),
    "two-sigma 3": (
        [42, 40, 39, 24, 39, 24, 22, 29, 32, 22, 20, 23, 25, 26, 22, 24, 27, 7, 19, 26, 7, 7, 32],
        UP,
        {},
        "bbb" + "g" * 20,
    ),
    "conflict low is good": (CONFLICT, DOWN, {}, "b" * 11 + "ooo" + "g" * 6),
    "recalculations none": (PHASES, UP, {}, "o" * 15 + "b" * 13 + "gg"),
    "recalculations at 16": (PHASES, UP, {"recalc_at": 15}, "g" * 24 + "o" * 6),
    "baselines none": (PHASES, UP, {}, "o" * 15 + "b" * 13 + "gg"),
    "baseline of 15": (PHASES, UP, {"baseline_points": 15}, "g" * 15 + "b" * 15),
    "crossing recalculation shift": (CROSSING_SHIFT, UP, {"recalc_at": 15}, "g" * 13 + "o" * 6 + "g" * 11),
    "crossing recalculation trend": (CROSSING_TREND, UP, {"recalc_at": 15}, "g" * 14 + "b" * 6 + "g" * 10),
    "crossing recalculation two-sigma": (
        CROSSING_TWO_SIGMA,
        UP,
        {"recalc_at": 15},
        "g" * 14 + "oo" + "g" * 14,
    ),
    "assurance high is good": (PHASES, UP, {}, "o" * 15 + "b" * 13 + "gg"),
    "assurance low is good": (PHASES, DOWN, {}, "b" * 15 + "o" * 13 + "gg"),
    "variation high is good": ([*VARIATION, 45], UP, {}, "o" * 6 + "g" * 8 + "bggb"),
    "variation low is good": ([*VARIATION, 45], DOWN, {}, "b" * 6 + "g" * 8 + "oggo"),
    "variation high is good 2": ([*VARIATION, 25], UP, {}, "o" * 6 + "g" * 8 + "bggg"),
    "variation high is good 3": ([*VARIATION, 5], UP, {}, "o" * 6 + "g" * 8 + "bggo"),
    "variation low is good 3": ([*VARIATION, 5], DOWN, {}, "b" * 6 + "g" * 8 + "oggb"),
    "variation neither": ([*VARIATION, 45], NEUTRAL, {}, "p" * 6 + "g" * 8 + "pggp"),
    "variation too few points": (VARIATION[:10], UP, {}, "g" * 10),
    "variation neither 2": ([*VARIATION, 25], NEUTRAL, {}, "p" * 6 + "g" * 8 + "pggg"),
}


def _analyse(values, direction, options, profile="mdc"):
    options = dict(options)
    segments = None
    if "recalc_at" in options:
        segments = (np.arange(len(values)) >= options.pop("recalc_at")).astype(int)
    return analyse_series(
        values, chart="xmr", profile=profile, direction=direction, segments=segments, **options
    )


def _colours(result) -> str:
    return "".join(COLOUR_OF[PointClass(int(code))] for code in result.point_class)


@pytest.mark.parametrize("name", list(CASES))
def test_mdc_case_colours_match_the_testing_document(name):
    values, direction, options, expected = CASES[name]
    assert _colours(_analyse(values, direction, options)) == expected


def test_mdc_conflict_high_is_good_matches_except_the_known_transcription_error():
    # Test Data.csv colours point 15 blue although no rule fires there; its low-is-good twin is grey.
    result = _analyse(CONFLICT, UP, {})
    assert _colours(result) == "bbbbooo" + "b" * 7 + "g" * 6


def test_mdc_process_limits_example_gives_the_published_mean_and_limits():
    values = [20, 24, 20, 26, 22, 16, 18, 16, 31, 28, 34, 26, 30, 19, 18]
    result = analyse_series(values, chart="xmr", profile="mdc")
    assert result.centre[0] == pytest.approx(23.20, abs=0.005)
    assert result.upper[0] == pytest.approx(37.64, abs=0.005)
    assert result.lower[0] == pytest.approx(8.76, abs=0.005)
    assert result.limits_shown


def test_mdc_process_limits_are_not_clipped_at_zero():
    values = np.array([20, 24, 20, 26, 22, 16, 18, 16, 31, 28, 34, 26, 30, 19, 18]) - 20
    result = analyse_series(values, chart="xmr", profile="mdc")
    assert result.lower[0] == pytest.approx(-11.24, abs=0.005)


def test_mdc_twelve_points_show_the_mean_but_no_limits_or_icons():
    values, direction, options, _ = CASES["number of points 12"]
    result = _analyse(values, direction, options)
    assert not result.limits_shown
    assert np.isnan(result.upper).all()
    assert np.isnan(result.lower).all()
    assert result.variation is Variation.NONE
    thirteen = _analyse(*CASES["number of points 13"][:3])
    assert thirteen.limits_shown
    assert thirteen.variation is Variation.COMMON


def test_mdc_ten_points_give_the_published_mean():
    result = analyse_series([20, 24, 20, 26, 22, 16, 18, 16, 31, 28], chart="xmr", profile="mdc")
    assert np.nanmean(result.values) == pytest.approx(22.10)
    assert not result.limits_shown


@pytest.mark.parametrize(
    ("direction", "target", "expected"),
    [
        (UP, 40, Assurance.OUTSIDE),  # fail: the target is above the upper limit
        (UP, 30, Assurance.HIT_OR_MISS),
        (UP, 10, Assurance.INSIDE),  # pass
        (DOWN, 40, Assurance.INSIDE),
        (DOWN, 30, Assurance.HIT_OR_MISS),
        (DOWN, 10, Assurance.OUTSIDE),
    ],
)
def test_mdc_assurance_icon_from_a_target_read_as_a_boundary(direction, target, expected):
    # An MDC target with high is good is a lower boundary (values below it are off-limits), and vice versa.
    bounds = {"boundary_low": target} if direction is UP else {"boundary_high": target}
    result = analyse_series(PHASES, chart="xmr", profile="mdc", direction=direction, **bounds)
    assert result.assurance is expected


def test_mdc_assurance_uses_the_latest_limits_after_a_recalculation():
    segments = (np.arange(30) >= 15).astype(int)
    result = analyse_series(PHASES, chart="xmr", profile="mdc", segments=segments, boundary_low=20)
    assert result.lower[-1] > 20
    assert result.assurance is Assurance.INSIDE


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("variation high is good", Variation.IMPROVEMENT_HIGH),
        ("variation low is good", Variation.CONCERN_HIGH),
        ("variation high is good 2", Variation.COMMON),
        ("variation high is good 3", Variation.CONCERN_LOW),
        ("variation low is good 3", Variation.IMPROVEMENT_LOW),
        ("variation neither", Variation.SPECIAL_HIGH),
        ("variation too few points", Variation.NONE),
        ("variation neither 2", Variation.COMMON),
    ],
)
def test_mdc_variation_icon_is_the_state_of_the_last_point(name, expected):
    assert _analyse(*CASES[name][:3]).variation is expected


def test_mdc7_profile_needs_seven_points_for_a_shift():
    values, direction, options, _ = CASES["shift ends"]
    assert _colours(_analyse(values, direction, options, profile="mdc7")) == "g" * 13 + "o" * 7
