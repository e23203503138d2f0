"""Property tests: the batch equals the per-series result, limits are shift invariant and scale
equivariant, and series order does not matter."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tillit.analysis import PROFILES, analyse, analyse_series

pytestmark = pytest.mark.unit

PROPERTY_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LINES = ("centre", "lower", "upper", "lower_2s", "upper_2s")
STATUS = ("n", "n_baseline", "limits_shown", "latest", "variation", "assurance", "boundary_crossed")


@st.composite
def batches(draw, max_series: int = 5):
    """Series of eighths (exact in binary) with gaps, a recalculation and per-series directions."""
    rows = draw(st.integers(1, max_series))
    periods = draw(st.integers(10, 40))
    cells = st.one_of(st.integers(-400, 400).map(lambda v: v / 8), st.just(np.nan))
    values = np.array(draw(st.lists(cells, min_size=rows * periods, max_size=rows * periods)))
    values = values.reshape(rows, periods)
    recalc = draw(st.integers(0, periods))
    segments = np.broadcast_to((np.arange(periods) >= recalc).astype(int), (rows, periods))
    direction = np.array(draw(st.lists(st.sampled_from([-1, 0, 1]), min_size=rows, max_size=rows)))
    profile = draw(st.sampled_from(sorted(PROFILES)))
    chart = draw(st.sampled_from(["xmr", "xmr_median", "run"]))
    return values, segments, direction, profile, chart


def _assert_same_points(batch, row, single):
    for name in LINES:
        np.testing.assert_array_equal(getattr(batch, name)[row], getattr(single, name))
    np.testing.assert_array_equal(batch.flags[row], single.flags)
    np.testing.assert_array_equal(batch.point_class[row], single.point_class)


@PROPERTY_SETTINGS
@given(batches())
def test_batch_result_equals_the_per_series_result(case):
    values, segments, direction, profile, chart = case
    batch = analyse(
        values, chart=chart, profile=profile, direction=direction, segments=segments, boundary_low=0.0
    )
    for row in range(values.shape[0]):
        single = analyse_series(
            values[row],
            chart=chart,
            profile=profile,
            direction=int(direction[row]),
            segments=segments[row],
            boundary_low=0.0,
        )
        _assert_same_points(batch, row, single)
        for name in STATUS:
            assert getattr(batch, name)[row] == getattr(single, name), name


@PROPERTY_SETTINGS
@given(batches(max_series=3), st.integers(-1000, 1000))
def test_limits_are_shift_invariant(case, shift):
    values, segments, direction, profile, _ = case
    base = analyse(values, chart="xmr", profile=profile, direction=direction, segments=segments)
    moved = analyse(values + shift, chart="xmr", profile=profile, direction=direction, segments=segments)
    for name in LINES:
        np.testing.assert_allclose(getattr(moved, name), getattr(base, name) + shift, rtol=0, atol=1e-9)
    np.testing.assert_array_equal(moved.flags, base.flags)
    np.testing.assert_array_equal(moved.variation, base.variation)


@PROPERTY_SETTINGS
@given(batches(max_series=3), st.sampled_from([0.25, 2.0, 8.0, 3.0]))
def test_limits_are_scale_equivariant(case, scale):
    values, segments, direction, profile, _ = case
    base = analyse(values, chart="xmr", profile=profile, direction=direction, segments=segments)
    scaled = analyse(values * scale, chart="xmr", profile=profile, direction=direction, segments=segments)
    for name in LINES:
        np.testing.assert_allclose(getattr(scaled, name), getattr(base, name) * scale, rtol=1e-12, atol=1e-9)
    if scale != 3.0:  # powers of two scale exactly, so every comparison is unchanged
        np.testing.assert_array_equal(scaled.flags, base.flags)


@PROPERTY_SETTINGS
@given(batches(), st.randoms(use_true_random=False))
def test_series_order_does_not_matter(case, random):
    values, segments, direction, profile, chart = case
    order = list(range(values.shape[0]))
    random.shuffle(order)
    base = analyse(values, chart=chart, profile=profile, direction=direction, segments=segments)
    shuffled = analyse(
        values[order], chart=chart, profile=profile, direction=direction[order], segments=segments[order]
    )
    for name in (*LINES, "flags", "point_class", *STATUS):
        np.testing.assert_array_equal(getattr(shuffled, name), getattr(base, name)[order])


@st.composite
def attribute_batches(draw):
    rows = draw(st.integers(1, 4))
    periods = draw(st.integers(10, 30))
    size = rows * periods
    denominators = np.array(draw(st.lists(st.integers(20, 200), min_size=size, max_size=size)), dtype=float)
    shares = np.array(draw(st.lists(st.floats(0, 1), min_size=size, max_size=size)))
    numerators = np.floor(shares * denominators)
    gaps = np.array(draw(st.lists(st.booleans(), min_size=size, max_size=size)))
    numerators[gaps & (np.arange(size) % 5 == 0)] = np.nan
    chart = draw(st.sampled_from(["p", "p_prime", "u", "u_prime", "c", "g", "t", "auto"]))
    return numerators.reshape(rows, periods), denominators.reshape(rows, periods), chart


@PROPERTY_SETTINGS
@given(attribute_batches())
def test_batch_equals_per_series_for_attribute_and_rare_event_charts(case):
    numerators, denominators, chart = case
    ratio_chart = chart in ("p", "p_prime", "u", "u_prime", "auto")
    values = numerators if ratio_chart else numerators + (1.0 if chart == "t" else 0.0)
    options = {"denominators": denominators} if ratio_chart else {}
    batch = analyse(values, chart=chart, profile="mdc", **options)
    for row in range(values.shape[0]):
        row_options = {"denominators": denominators[row]} if ratio_chart else {}
        single = analyse_series(values[row], chart=chart, profile="mdc", **row_options)
        assert batch.chart_of(row) == single.chart
        for name in LINES:
            np.testing.assert_allclose(getattr(batch, name)[row], getattr(single, name), rtol=1e-12)
        np.testing.assert_array_equal(batch.flags[row], single.flags)
        np.testing.assert_array_equal(batch.point_class[row], single.point_class)
