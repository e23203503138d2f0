"""Disclosure control of the trust pulse: thresholds, differencing, homogeneity and bands (T-48 - T-53).

The property tests check the published family against a brute force that knows nothing of atoms: it
enumerates every published cell minus any union of published cells inside it."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tillit.analysis import disclosure
from tillit.analysis.disclosure import (
    BELOW_K,
    OPEN_ENDED,
    SUPPRESSED,
    bands,
    cell_table,
    derivable_minimum,
    publishable,
    rate_bands,
    subtree_sums,
)

pytestmark = pytest.mark.unit

PROPERTY_SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
P, A, B = 0, 1, 2
FAMILY = np.array([-1, P, P])  # P with the children A and B


# Helpers independent of the module: subtrees as sets of nodes, walked through the parents.


def _subtree(parent, node: int) -> frozenset[int]:
    members = set()
    for start in range(len(parent)):
        walker = start
        while walker != -1:
            if walker == node:
                members.add(start)
                break
            walker = int(parent[walker])
    return frozenset(members)


def _derived_sizes(parent, own, published):
    """Every group one can derive as a published cell minus any union of published cells inside it."""
    cells = {node: _subtree(parent, node) for node in np.flatnonzero(published)}
    for node, members in cells.items():
        inside = [cells[other] for other in cells if other != node and cells[other] < members]
        for size in range(len(inside) + 1):
            for chosen in itertools.combinations(inside, size):
                rest = members.difference(*chosen)
                yield sum(int(own[i]) for i in rest)


def _safe(parent, own, published, k) -> bool:
    return all(size == 0 or size >= k for size in _derived_sizes(parent, own, published))


@st.composite
def forests(draw, max_nodes: int = 8, max_depth: int = 4):
    """Random forests of depth <= 4 in shuffled node order, with own counts (nodes, items) favouring zeros
    and small numbers, and k in 5..8."""
    nodes = draw(st.integers(1, max_nodes))
    parent, depth = [], []
    for i in range(nodes):
        choices = [-1] + [j for j in range(i) if depth[j] < max_depth - 1]
        above = draw(st.sampled_from(choices))
        parent.append(above)
        depth.append(0 if above == -1 else depth[above] + 1)
    order = draw(st.permutations(range(nodes)))  # order[i]: the new index of node i
    shuffled = np.empty(nodes, dtype=np.int64)
    for i, above in enumerate(parent):
        shuffled[order[i]] = -1 if above == -1 else order[above]
    items = draw(st.integers(1, 2))
    count = st.one_of(st.just(0), st.integers(0, 4), st.integers(0, 12))
    own = np.array(draw(st.lists(count, min_size=nodes * items, max_size=nodes * items))).reshape(
        nodes, items
    )
    k = draw(st.integers(5, 8))
    return shuffled, own, k


# T-48: the threshold.


def test_a_cell_of_k_minus_one_is_suppressed_and_a_cell_of_k_is_published():
    assert publishable(np.array([-1]), np.array([4]), 5).tolist() == [False]
    assert publishable(np.array([-1]), np.array([5]), 5).tolist() == [True]
    assert publishable(np.array([-1, -1]), np.array([6, 7]), 7).tolist() == [False, True]


def test_a_suppressed_cell_shows_no_mean_and_no_distribution():
    own = np.zeros((1, 1, 5), dtype=np.int64)
    own[0, 0, :4] = 1  # four people, four different answers
    table = cell_table(np.array([-1]), own, 5)
    assert not table.published[0, 0]
    assert not table.distribution_shown[0, 0]
    assert np.isnan(table.means[0, 0])


@pytest.mark.parametrize("k", [4, 0, -5, 5.0, True])
def test_k_below_five_or_not_an_integer_is_refused(k):
    with pytest.raises(ValueError, match="k must"):
        publishable(np.array([-1]), np.array([10]), k)


# T-49: differencing.


def test_fixed_case_p_12_a_8_b_4_does_not_reveal_b():
    n = np.array([12, 8, 4])
    published = publishable(FAMILY, n, 5)
    assert not (published[P] and published[A])
    assert not published[B]
    assert derivable_minimum(FAMILY, n, published) in (0, 12, 8)
    assert published.tolist() == [True, False, False]  # the larger cell wins the tie


def test_publishing_p_and_a_would_reveal_b():
    assert derivable_minimum(FAMILY, np.array([12, 8, 4]), np.array([True, True, False])) == 4


def test_two_children_of_five_under_an_empty_parent_are_all_published():
    assert publishable(FAMILY, np.array([10, 5, 5]), 5).tolist() == [True, True, True]


def test_a_parent_with_a_large_own_part_publishes_beside_its_children():
    assert publishable(FAMILY, np.array([17, 5, 6]), 5).tolist() == [True, True, True]


def test_one_small_child_costs_one_other_cell_only():
    # P = 2 own + A 5 + B 5: P with one of its children is safe (atom 7); all three are not (atom 2).
    published = publishable(FAMILY, np.array([12, 5, 5]), 5)
    assert published.sum() == 2
    assert published[P]


def test_a_deeper_cell_is_kept_where_a_greedy_pass_would_drop_it():
    # Chain 11 > 8 > 5: the top cell and the bottom one are safe together (atoms 6 and 5).
    parent = np.array([-1, 0, 1])
    published = publishable(parent, np.array([11, 8, 5]), 5)
    assert published.tolist() == [True, False, True]


def test_a_small_residual_under_an_unpublished_middle_node_still_counts():
    # R (own 0) <- M (own 3) <- C (5), and R <- D (12): with C and D published, R - C - D isolates M's
    # three people. The best safe family is R, M and D.
    parent = np.array([-1, 0, 1, 0])
    n = np.array([20, 8, 5, 12])
    published = publishable(parent, n, 5)
    assert derivable_minimum(parent, n, published) in (0, *range(5, 21))
    own = np.array([0, 3, 5, 12])
    assert _safe(parent, own, published, 5)
    assert published.tolist() == [True, True, False, True]


def test_items_are_decided_independently():
    n = np.array([[12, 10], [8, 5], [4, 5]])
    published = publishable(FAMILY, n, 5)
    assert published[:, 0].tolist() == [True, False, False]
    assert published[:, 1].tolist() == [True, True, True]


@PROPERTY_SETTINGS
@given(forests())
def test_no_derivable_group_is_between_zero_and_k(case):
    parent, own, k = case
    n = subtree_sums(parent, own)
    published = publishable(parent, n, k)
    assert not np.any(published & (n < k))
    minimum = derivable_minimum(parent, n, published)
    assert minimum == 0 or minimum >= k
    for item in range(own.shape[1]):
        assert _safe(parent, own[:, item], published[:, item], k)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(forests(max_nodes=7))
def test_the_published_family_is_the_largest_safe_one(case):
    parent, own, k = case
    n = subtree_sums(parent, own)
    published = publishable(parent, n, k)
    for item in range(own.shape[1]):
        candidates = [node for node in range(len(parent)) if n[node, item] >= k]
        best = (-1, -1)
        for size in range(len(candidates) + 1):
            for chosen in itertools.combinations(candidates, size):
                mask = np.zeros(len(parent), dtype=bool)
                mask[list(chosen)] = True
                if _safe(parent, own[:, item], mask, k):
                    best = max(best, (size, int(n[list(chosen), item].sum())))
        column = published[:, item]
        assert (int(column.sum()), int(n[column, item].sum())) == best


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(forests(max_nodes=12, max_depth=2))
def test_virtual_nodes_between_a_unit_and_many_children_change_no_value(case):
    parent, own, k = case
    n = subtree_sums(parent, own)
    direct = publishable(parent, n, k)
    original = disclosure.FAN_IN
    try:
        disclosure.FAN_IN = 2  # a star of 11 children then folds through three levels of virtual nodes
        folded = publishable(parent, n, k)
    finally:
        disclosure.FAN_IN = original
    for item in range(own.shape[1]):
        assert _safe(parent, own[:, item], folded[:, item], k)
        direct_value = (direct[:, item].sum(), n[direct[:, item], item].sum())
        assert (folded[:, item].sum(), n[folded[:, item], item].sum()) == direct_value


@settings(max_examples=50, deadline=None)
@given(forests())
def test_every_subset_of_the_published_cells_is_safe(case):
    parent, own, k = case
    n = subtree_sums(parent, own)
    published = publishable(parent, n, k)
    for item in range(own.shape[1]):
        chosen = np.flatnonzero(published[:, item])
        for drop in chosen:
            mask = published[:, item].copy()
            mask[drop] = False
            assert _safe(parent, own[:, item], mask, k)


@settings(max_examples=50, deadline=None)
@given(forests())
def test_node_order_and_one_item_at_a_time_give_the_same_cells(case):
    parent, own, k = case
    n = subtree_sums(parent, own)
    together = publishable(parent, n, k)
    for item in range(own.shape[1]):
        np.testing.assert_array_equal(publishable(parent, n[:, item], k), together[:, item])


# T-52: homogeneity.


def test_six_answers_all_in_a_middle_option_show_the_mean_but_no_distribution():
    own = np.zeros((1, 1, 5), dtype=np.int64)
    own[0, 0, 2] = 6
    table = cell_table(np.array([-1]), own, 5)
    assert table.published[0, 0]
    assert table.means[0, 0] == 3.0  # a 3.0 could be any mix around the middle
    assert not table.distribution_shown[0, 0]


@pytest.mark.parametrize("option", [0, 4])
def test_six_answers_all_at_one_end_of_the_scale_are_not_published_at_all(option):
    """A mean of exactly 1.0 or 5.0 alone tells every answer (S-06)."""
    own = np.zeros((1, 1, 5), dtype=np.int64)
    own[0, 0, option] = 6
    table = cell_table(np.array([-1]), own, 5)
    assert not table.published[0, 0]
    assert np.isnan(table.means[0, 0])


def test_a_mixed_cell_shows_its_distribution_and_mean():
    own = np.array([[[1, 2, 3, 0, 0]]])
    table = cell_table(np.array([-1]), own, 5)
    assert table.distribution_shown[0, 0]
    assert table.means[0, 0] == pytest.approx((1 + 4 + 9) / 6)


def test_a_parent_distribution_is_hidden_when_subtracting_a_shown_child_leaves_one_option():
    own = np.zeros((3, 1, 5), dtype=np.int64)
    own[A, 0, 1] = 6  # all "2": its own distribution is hidden ...
    own[B, 0, :3] = [1, 2, 3]
    table = cell_table(FAMILY, own, 5)
    assert table.published[:, 0].all()
    # ... and P's minus B's would show it, so P's is hidden too.
    assert table.distribution_shown[:, 0].tolist() == [False, False, True]


@PROPERTY_SETTINGS
@given(forests(max_nodes=7), st.integers(2, 4), st.randoms(use_true_random=False))
def test_no_derivable_distribution_is_all_in_one_option(case, options, random):
    parent, sizes, k = case
    own = np.zeros((len(parent), sizes.shape[1], options), dtype=np.int64)
    for (node, item), size in np.ndenumerate(sizes):
        spread = random.choice([1, options])
        for _ in range(size):
            own[node, item, random.randrange(spread)] += 1
    table = cell_table(parent, own, k)
    assert not np.any(table.distribution_shown & ~table.published)
    for item in range(own.shape[1]):
        shown = np.flatnonzero(table.distribution_shown[:, item])
        cells = {node: _subtree(parent, node) for node in shown}
        for node, members in cells.items():
            inside = [cells[other] for other in cells if other != node and cells[other] < members]
            for size in range(len(inside) + 1):
                for chosen in itertools.combinations(inside, size):
                    rest = members.difference(*chosen)
                    derived = own[sorted(rest), item].sum(axis=0) if rest else np.zeros(options)
                    assert derived.sum() == 0 or np.count_nonzero(derived) > 1


def test_means_score_the_options_one_to_m_from_subtree_counts():
    own = np.zeros((3, 2, 5), dtype=np.int64)
    own[A, 0] = [0, 0, 0, 3, 2]  # 4, 4, 4, 5, 5
    own[B, 0] = [4, 1, 0, 0, 0]  # 1, 1, 1, 1, 2
    own[A, 1, 1] = 3  # item 2: too few anywhere
    table = cell_table(FAMILY, own, 5)
    assert table.n[:, 0].tolist() == [10, 5, 5]
    assert table.means[:, 0] == pytest.approx([2.8, 4.4, 1.2])
    assert np.isnan(table.means[:, 1]).all()
    assert not table.published[:, 1].any()


def test_the_table_cannot_be_changed():
    table = cell_table(np.array([-1]), np.array([[[3, 3]]]), 5)
    with pytest.raises(ValueError, match="read-only"):
        table.published[0, 0] = False


# T-53: bands.


@pytest.mark.parametrize(
    ("n", "band"),
    [
        (0, (BELOW_K, 4)),
        (4, (BELOW_K, 4)),
        (5, (5, 9)),
        (9, (5, 9)),
        (12, (10, 19)),
        (20, (20, 49)),
        (99, (50, 99)),
        (100, (100, 199)),
        (499, (200, 499)),
        (500, (500, OPEN_ENDED)),
        (50_000, (500, OPEN_ENDED)),
    ],
)
def test_counts_are_banded_and_below_k_is_one_code(n, band):
    lower, upper = bands(np.array([n]), 5)
    assert (int(lower[0]), int(upper[0])) == band


def test_the_first_band_starts_at_k():
    lower, upper = bands(np.array([6, 7, 9, 12, 25]), 7)
    assert lower.tolist() == [BELOW_K, 7, 7, 10, 20]
    assert upper.tolist() == [6, 9, 9, 19, 49]
    lower, upper = bands(np.array([12, 25]), 12)
    assert lower.tolist() == [12, 20]
    assert upper.tolist() == [19, 49]


def test_a_cell_suppressed_against_differencing_shows_no_band():
    lower, upper = bands(np.array([12, 8, 4]), 5, published=np.array([True, False, False]))
    assert lower.tolist() == [10, SUPPRESSED, BELOW_K]
    assert upper.tolist() == [19, SUPPRESSED, 4]


def test_response_rates_are_banded_in_tenths_only_from_k_respondents():
    lower, upper = rate_bands(np.array([4, 5, 5, 7, 10, 30]), np.array([4, 5, 7, 70, 200, 31]), 5)
    assert lower.tolist() == [SUPPRESSED, 90, 70, 10, 0, 90]
    assert upper.tolist() == [SUPPRESSED, 100, 80, 20, 10, 100]
    lower, _ = rate_bands(np.array([8]), np.array([10]), 5, published=np.array([False]))
    assert lower.tolist() == [SUPPRESSED]


# Subtree sums and bad input.


def test_subtree_sums_add_every_descendant_in_any_node_order():
    parent = np.array([2, -1, 1, 2, -1])  # 1 <- 2 <- {0, 3}; 4 alone
    own = np.array([1, 10, 100, 1000, 7])
    assert subtree_sums(parent, own).tolist() == [1, 1111, 1101, 1000, 7]


@pytest.mark.parametrize(
    ("parent", "message"),
    [
        ([0], "cycle"),
        ([1, 0], "cycle"),
        ([-1, 2, 1], "cycle"),
        ([-1, 3], "out of range"),
        ([-2, -1], "out of range"),
        ([[-1]], "one-dimensional"),
        ([-1.0], "integer"),
    ],
)
def test_a_parent_array_that_is_no_forest_is_refused(parent, message):
    size = np.asarray(parent).size
    with pytest.raises(ValueError, match=message):
        subtree_sums(np.array(parent), np.zeros(size, dtype=np.int64))


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        (np.array([[[-1, 6]]]), "negative"),
        (np.array([[[1.5, 6]]]), "integer"),
        (np.array([[[1, 6]], [[1, 6]]]), "one row per node"),
        (np.array([[1, 6]]), r"\(nodes, items, options\)"),
    ],
)
def test_bad_counts_are_refused(counts, message):
    with pytest.raises(ValueError, match=message):
        cell_table(np.array([-1]), counts, 5)


def test_n_smaller_than_its_children_is_refused():
    with pytest.raises(ValueError, match="subtree counts"):
        publishable(FAMILY, np.array([5, 5, 5]), 5)


def test_more_respondents_than_invited_is_refused():
    with pytest.raises(ValueError, match="more respondents"):
        rate_bands(np.array([6]), np.array([5]), 5)


def test_an_empty_forest_publishes_nothing():
    table = cell_table(np.zeros(0, dtype=np.int64), np.zeros((0, 3, 5), dtype=np.int64), 5)
    assert table.published.shape == (0, 3)
    assert publishable(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), 5).shape == (0,)


def test_a_deep_chain_and_a_wide_star_are_handled():
    chain = np.arange(-1, 999)
    own = np.full(1000, 1)
    published = publishable(chain, subtree_sums(chain, own), 5)
    assert derivable_minimum(chain, subtree_sums(chain, own), published) >= 5
    assert published.sum() == 1000 // 5
    star = np.r_[-1, np.zeros(2999, dtype=np.int64)]
    n = subtree_sums(star, np.r_[0, np.full(2999, 5)])
    assert publishable(star, n, 5).all()
    assert disclosure.MIN_K == 5
