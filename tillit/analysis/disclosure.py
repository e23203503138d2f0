"""Disclosure control for the anonymous trust pulse (Tillitspuls): which aggregates may be published.

Answers are grouped by a forest of units frozen at invitation: `parent[i]` is the index of node i's parent,
-1 for a root (several roots allowed, nodes in any order). Callers give each node's *own* counts (people
whose unit is exactly that node); a node's published cell is the aggregate of its whole subtree.

Rules (security-requirements.md section 3.2), for a minimum group size k >= 5:

- S-01: a cell is published only if its subtree count n >= k.
- S-03/S-04, differencing: the published cells form a laminar family. The *atom* of a published node is its
  n minus the n of its nearest published descendants. Every atom is 0 or >= k. Any group derivable by
  adding and subtracting published cells is a union of atoms, so it is then empty or >= k; and any subset
  of the published cells (one viewer sees only some of them) is safe too, since its atoms are unions of
  these atoms.
- S-06, homogeneity: a distribution is shown only for a published cell whose answers are not all in one
  option, and, because distributions can be subtracted as well, only if the part of the cell not covered by
  shown distributions below it (its distribution atom) is not all in one option either.
- S-07: counts are shown as bands ("<5", "5-9", "10-19", ...) and response rates in 10-point bands, only
  for cells with n >= k.

The choice of published cells is exact, not greedy: per (node, item), a dynamic programme over the
forest picks the safe family with the most published cells and, among those, the most people in published
cells (so a larger cell wins a tie: with P = A + B, A = 8, B = 4 and k = 5 it publishes P, not A). The
state passed up from a subtree is the count not yet covered by a published node, capped at k, so the work
is O(nodes x items x k^2), vectorised over the nodes of one tree level and over items; a unit with many
children folds them through virtual nodes (FAN_IN), so the steps grow with depth, not width. Ties between
equally good families go to the lower state and node index: deterministic for a given input. A greedy pass
(suppress the child with the smallest atom) publishes less: a chain 11 > 8 > 5 with k = 5 keeps only the
top cell, where 11 and 5 together are safe.

Not covered here: filters (unit x gender, S-03/T-50) need their cells in the family too; and a mean of
exactly 1 or m, like any all-in-one-option distribution, tells every answer in the cell (the mean is
still published, as S-06 allows).

API (arrays in, frozen dataclasses and integer codes out; no text):

- `subtree_sums(parent, own)`: (nodes, ...) own counts -> subtree counts.
- `publishable(parent, n, k)`: n = subtree counts (nodes,) or (nodes, items) -> bool mask, same shape.
- `cell_table(parent, own_counts, k)`: (nodes, items, options) own answer counts -> `CellTable`.
- `bands(n, k, published=None)`: counts -> (lower, upper) band bounds; see `bands`.
- `rate_bands(respondents, invited, k, published=None)`: -> (lower, upper) percent.
- `derivable_minimum(parent, n, published)`: the smallest non-empty derivable group (0 when none); a check.

Invalid input (k < 5, a parent out of range or a cycle, negative or non-integer counts, subtree counts
smaller than their children's) raises ValueError.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MIN_K = 5  # S-01: the hard minimum group size; a tenant may raise it, never lower it
BAND_EDGES = (10, 20, 50, 100, 200, 500)  # count bands above k: [k, 9], [10, 19], ..., [500, open]
OPEN_ENDED = -1  # upper bound of the last band
SUPPRESSED = -1  # lower and upper bound of a cell that shows no count or rate at all
BELOW_K = 0  # lower bound of the "fewer than k" band; its upper bound is k - 1 (shown as "<k")
FAN_IN = 4  # the dynamic programme folds at most this many children into a node (virtual nodes between)

_NEG = -(1 << 61)  # "impossible" in the dynamic programme; sums of two stay inside int64
_MAX_VALUE = 1 << 59


@dataclass(frozen=True, slots=True)
class CellTable:
    """Per (node, item): the subtree counts and what of them may be published. Arrays are read-only."""

    totals: np.ndarray  # (nodes, items, options) int64 subtree counts per option
    n: np.ndarray  # (nodes, items) int64 subtree answer counts
    published: np.ndarray  # (nodes, items) bool: the mean and the banded n may be shown
    distribution_shown: np.ndarray  # (nodes, items) bool: the distribution may be shown too
    means: np.ndarray  # (nodes, items) float64, options scored 1..m; NaN where not published
    k: int


@dataclass(frozen=True, slots=True)
class _Forest:
    """A validated forest in bottom-up levels (height 0 = leaves); a level holds no ancestor of its own
    nodes, so each level is one vectorised step. `folds[h]` are the edges into level h's nodes grouped by
    the child's rank under its parent, so that one group holds each parent at most once."""

    parent: np.ndarray
    levels: tuple[np.ndarray, ...]
    folds: tuple[tuple[tuple[np.ndarray, np.ndarray], ...], ...]
    roots: np.ndarray


def _forest(parent) -> _Forest:
    parent = np.asarray(parent)
    if parent.ndim != 1:
        raise ValueError("parent must be one-dimensional")
    if parent.size and parent.dtype.kind not in "iu":
        raise ValueError("parent must hold integer node indexes")
    parent = parent.astype(np.int64)
    nodes = parent.size
    if nodes and (parent.min() < -1 or parent.max() >= nodes):
        raise ValueError("parent holds an index out of range")
    has_parent = parent >= 0
    pending = np.bincount(parent[has_parent], minlength=nodes)
    height = np.zeros(nodes, dtype=np.int64)
    levels = []
    ready = np.flatnonzero(pending == 0)
    while ready.size:
        height[ready] = len(levels)
        levels.append(ready)
        above = parent[ready]
        above = above[above >= 0]
        if above.size > 1:
            above, count = np.unique(above, return_counts=True)
            pending[above] -= count
        else:
            pending[above] -= 1
        ready = above[pending[above] == 0]
    if sum(level.size for level in levels) != nodes:
        raise ValueError("parent forms a cycle")

    child = np.flatnonzero(has_parent)
    order = np.lexsort((child, parent[child]))
    child = child[order]
    above = parent[child]
    position = np.arange(child.size)
    first = np.ones(child.size, dtype=bool)
    first[1:] = above[1:] != above[:-1]
    rank = position - np.maximum.accumulate(np.where(first, position, 0))
    level_of_edge = height[above]
    order = np.lexsort((rank, level_of_edge))
    child, above, rank, level_of_edge = child[order], above[order], rank[order], level_of_edge[order]
    split = np.flatnonzero((np.diff(level_of_edge) != 0) | (np.diff(rank) != 0)) + 1
    folds: list[list[tuple[np.ndarray, np.ndarray]]] = [[] for _ in levels]
    for start, stop in zip(np.r_[0, split], np.r_[split, child.size], strict=True):
        if stop > start:
            folds[level_of_edge[start]].append((child[start:stop], above[start:stop]))
    return _Forest(
        parent=parent,
        levels=tuple(levels),
        folds=tuple(tuple(fold) for fold in folds),
        roots=np.flatnonzero(~has_parent),
    )


def _check_k(k) -> int:
    if isinstance(k, bool) or not isinstance(k, int | np.integer):
        raise ValueError("k must be an integer")
    if k < MIN_K:
        raise ValueError(f"k must be at least {MIN_K}")
    return int(k)


def _counts(values, name: str, nodes: int | None = None) -> np.ndarray:
    values = np.asarray(values)
    if values.size and values.dtype.kind not in "iu":
        raise ValueError(f"{name} must hold integer counts")
    values = values.astype(np.int64)
    if nodes is not None and (values.ndim == 0 or values.shape[0] != nodes):
        raise ValueError(f"{name} must have one row per node")
    if values.size and values.min() < 0:
        raise ValueError(f"{name} holds a negative count")
    return values


def _push_up(forest: _Forest, level: np.ndarray, into: np.ndarray, values: np.ndarray) -> None:
    """Add each node's values of one level to its parent's row of `into`."""
    above = forest.parent[level]
    keep = above >= 0
    np.add.at(into, above[keep], values[keep])


def _subtree_sums(forest: _Forest, own: np.ndarray) -> np.ndarray:
    sums = own.copy()
    for level in forest.levels:
        _push_up(forest, level, sums, sums[level])
    return sums


def subtree_sums(parent, own) -> np.ndarray:
    """Subtree counts from own counts (nodes, ...): a published cell covers its whole subtree."""
    forest = _forest(parent)
    return _subtree_sums(forest, _counts(own, "own", forest.parent.size))


def _own_from_totals(forest: _Forest, n: np.ndarray) -> np.ndarray:
    children = np.zeros_like(n)
    has_parent = forest.parent >= 0
    np.add.at(children, forest.parent[has_parent], n[has_parent])
    own = n - children
    if own.size and own.min() < 0:
        raise ValueError("n must be subtree counts: a node's n is smaller than its children's")
    return own


def _fan_in(parent: np.ndarray) -> np.ndarray:
    """The parent array extended with virtual nodes (never published, own count 0) so that no node has
    more than FAN_IN children: a unit with 3 000 children then costs a few steps, not 3 000."""
    nodes = parent.size
    has_parent = parent >= 0
    wide = np.flatnonzero(np.bincount(parent[has_parent], minlength=nodes) > FAN_IN)
    if not wide.size:
        return parent
    order = np.argsort(parent, kind="stable")
    starts = np.searchsorted(parent[order], wide, side="left")
    stops = np.searchsorted(parent[order], wide, side="right")
    size = nodes
    moves = []  # (nodes, their new parents); every virtual node gets its parent exactly once
    for node, start, stop in zip(wide, starts, stops, strict=True):
        kids = order[start:stop]
        while kids.size > FAN_IN:
            ids = np.arange(size, size - (-kids.size // FAN_IN))
            size = int(ids[-1]) + 1
            moves.append((kids, ids[np.arange(kids.size) // FAN_IN]))
            kids = ids
        moves.append((kids, np.full(kids.size, node)))
    grown = np.empty(size, dtype=np.int64)
    grown[:nodes] = parent
    for kids, above in moves:
        grown[kids] = above
    return grown


def _dp_tables(k: int) -> tuple[np.ndarray, np.ndarray]:
    """Where the fold reads the child's value for each (capped sum r, parent state a): b = r - a for
    r < k (or "impossible" when a > r); for r = k the best child value over b >= k - a."""
    width = k + 1
    r, a = np.meshgrid(np.arange(width), np.arange(width), indexing="ij")
    pick = np.where(a <= r, r - a, 2 * width)
    pick[k] = width + k - np.arange(width)
    return pick, np.arange(width)


def _fold(acc: np.ndarray, child: np.ndarray, pick: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Combine a parent's states with one child's (max-plus over capped sums): the best value per r and
    the parent state a that gives it; the child's state b is recovered on the way down."""
    suffix = np.maximum.accumulate(child[..., ::-1], axis=-1)[..., ::-1]
    impossible = np.full((*child.shape[:-1], 1), _NEG, dtype=np.int64)
    candidates = acc[..., None, :] + np.concatenate([child, suffix, impossible], axis=-1)[..., pick]
    return np.maximum(candidates.max(axis=-1), _NEG), candidates.argmax(axis=-1)


def _publish(real: _Forest, n: np.ndarray, k: int) -> np.ndarray:
    """The largest safe family per item (see the module docstring); n is (nodes, items) subtree counts."""
    nodes, items = n.shape
    if nodes == 0 or items == 0:
        return np.zeros((nodes, items), dtype=bool)
    own = _own_from_totals(real, n)
    # Value of a family: cells * weight + people in published cells; weight exceeds any sum of n.
    weight = n.sum(axis=0) + 1
    if int(weight.max()) * (nodes + 2) >= _MAX_VALUE:
        raise ValueError("counts are too large")
    augmented = _fan_in(real.parent)
    forest = real if augmented is real.parent else _forest(augmented)
    size = forest.parent.size
    own = np.concatenate([own, np.zeros((size - nodes, items), dtype=np.int64)])
    may_publish = np.zeros((size, items), dtype=bool)
    may_publish[:nodes] = n >= k
    n = np.concatenate([n, np.zeros((size - nodes, items), dtype=np.int64)])  # virtual n: never used
    width = k + 1
    pick, rows = _dp_tables(k)
    item = np.arange(items)[None, :]
    # acc[x, i, r]: best value of x's subtree before deciding x, when r (capped) is not yet covered.
    acc = np.full((size, items, width), _NEG, dtype=np.int64)
    acc[np.arange(size)[:, None], item, np.minimum(own, k)] = 0
    value = np.empty_like(acc)  # the same once x is decided: what x passes up to its parent
    chose = np.zeros((size, items, width), dtype=np.int64)  # per child: the parent's state before it
    absorbs = np.full((size, items), -1, dtype=np.int64)  # x publishable: its atom's state (0 or k)

    for h, level in enumerate(forest.levels):
        for children, parents in forest.folds[h]:
            acc[parents], chose[children] = _fold(acc[parents], value[children], pick)
        state = acc[level]
        decided = state.copy()
        from_big = state[..., k] > state[..., 0]
        best = np.where(from_big, state[..., k], state[..., 0])
        allowed = may_publish[level] & (best >= 0)
        decided[..., 0] = np.where(allowed, best + weight + n[level], state[..., 0])
        value[level] = decided
        absorbs[level] = np.where(allowed, np.where(from_big, k, 0), -1)

    published = np.zeros((size, items), dtype=bool)
    passes = np.zeros((size, items), dtype=np.int64)  # the uncovered count (capped) x passes up
    passes[forest.roots] = value[forest.roots].argmax(axis=-1)
    state = np.zeros((size, items), dtype=np.int64)
    for h in range(len(forest.levels) - 1, -1, -1):
        level = forest.levels[h]
        chosen = (absorbs[level] >= 0) & (passes[level] == 0)
        published[level] = chosen
        state[level] = np.where(chosen, absorbs[level], passes[level])
        for children, parents in reversed(forest.folds[h]):
            r = state[parents]
            a = chose[children[:, None], item, r]
            # b = r - a below k; at k the child's best state from k - a up.
            reachable = np.where(rows >= (k - a)[..., None], value[children], _NEG - 1)
            passes[children] = np.where(r < k, r - a, reachable.argmax(axis=-1))
            state[parents] = a
    published = published[:nodes]

    # Fail closed: the family must satisfy the rules whatever went wrong above.
    atoms = _atoms(real, n[:nodes], published)
    if np.any(published & ((n[:nodes] < k) | ((atoms > 0) & (atoms < k)))):
        raise RuntimeError("disclosure control produced an unsafe family")
    return published


def _atoms(forest: _Forest, n: np.ndarray, published: np.ndarray) -> np.ndarray:
    """Per published (node, item): n minus the n of its nearest published descendants; 0 elsewhere."""
    covered_below = np.zeros_like(n)
    atoms = np.zeros_like(n)
    for level in forest.levels:
        shown = published[level]
        atoms[level] = np.where(shown, n[level] - covered_below[level], 0)
        _push_up(forest, level, covered_below, np.where(shown, n[level], covered_below[level]))
    return atoms


def _as_items(n: np.ndarray, name: str) -> np.ndarray:
    if n.ndim == 1:
        return n[:, None]
    if n.ndim == 2:
        return n
    raise ValueError(f"{name} must be (nodes,) or (nodes, items)")


def publishable(parent, n, k: int) -> np.ndarray:
    """Which cells may be published (S-01, S-03, S-04): n are subtree counts, (nodes,) for one variable
    such as respondents, or (nodes, items) for items with their own n each. Returns a bool mask of n's
    shape."""
    k = _check_k(k)
    forest = _forest(parent)
    n = _counts(n, "n", forest.parent.size)
    return _publish(forest, _as_items(n, "n"), k).reshape(n.shape)


def _distributions(forest: _Forest, totals: np.ndarray, published: np.ndarray) -> np.ndarray:
    """Published cells whose distribution, and whose distribution atom, hold more than one option (S-06).
    Hiding a distribution merges its atom into the nearest shown ancestor's, checked when that ancestor's
    level comes, so one bottom-up pass suffices."""
    n = totals.sum(axis=-1)
    shown = published & (totals.max(axis=-1, initial=0) < n)
    covered_below = np.zeros_like(totals)
    for level in forest.levels:
        atom = totals[level] - covered_below[level]
        size = atom.sum(axis=-1)
        one_option = (size > 0) & (atom.max(axis=-1, initial=0) == size)
        keep = shown[level] & ~one_option
        shown[level] = keep
        _push_up(forest, level, covered_below, np.where(keep[..., None], totals[level], covered_below[level]))
    return shown


def _all_at_an_end(totals: np.ndarray) -> np.ndarray:
    """(…, options) → the cells whose answers all chose the first or all the last option."""
    n = totals.sum(axis=-1)
    return (n > 0) & ((totals[..., 0] == n) | (totals[..., -1] == n))


def cell_table(parent, own_counts, k: int) -> CellTable:
    """Subtree counts, publication, shown distributions and means for (nodes, items, options) own answer
    counts; options are the scale 1..m in order, and each item is its own variable with its own n."""
    k = _check_k(k)
    forest = _forest(parent)
    own = _counts(own_counts, "own_counts", forest.parent.size)
    if own.ndim != 3:
        raise ValueError("own_counts must be (nodes, items, options)")
    totals = _subtree_sums(forest, own)
    n = totals.sum(axis=-1)
    # A cell whose answers all chose the lowest or all the highest option is never published: its mean
    # alone (1.0 or m) would tell every answer (S-06). Taking a published cell out afterwards only merges
    # its atom into its nearest published ancestor's, and two atoms of 0 or at least k stay so.
    published = _publish(forest, n, k) & ~_all_at_an_end(totals)
    shown = _distributions(forest, totals, published)
    scores = np.arange(1, totals.shape[-1] + 1, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(published, (totals @ scores) / n, np.nan)
    for array in (totals, n, published, shown, means):
        array.setflags(write=False)
    return CellTable(totals=totals, n=n, published=published, distribution_shown=shown, means=means, k=k)


def bands(n, k: int, published=None) -> tuple[np.ndarray, np.ndarray]:
    """Count bands (S-07, T-53) as inclusive (lower, upper) bounds of n's shape.

    n < k: (BELOW_K, k - 1), shown as "<k" and never as a range; n >= k: [k, 9], [10, 19], [20, 49],
    [50, 99], [100, 199], [200, 499], [500, OPEN_ENDED], the first band starting at k. Where `published` is
    given and False for n >= k (suppressed to stop differencing), both bounds are SUPPRESSED."""
    k = _check_k(k)
    n = _counts(n, "n")
    edges = np.asarray(BAND_EDGES, dtype=np.int64)
    past = np.searchsorted(edges, n, side="right")  # edges <= n
    lower = np.maximum(np.where(past > 0, edges[np.maximum(past - 1, 0)], k), k)
    upper = np.where(past < edges.size, edges[np.minimum(past, edges.size - 1)] - 1, OPEN_ENDED)
    small = n < k
    lower = np.where(small, BELOW_K, lower)
    upper = np.where(small, k - 1, upper)
    if published is not None:
        hidden = ~np.asarray(published, dtype=bool) & ~small
        lower = np.where(hidden, SUPPRESSED, lower)
        upper = np.where(hidden, SUPPRESSED, upper)
    return lower.astype(np.int64), upper.astype(np.int64)


def rate_bands(respondents, invited, k: int, published=None) -> tuple[np.ndarray, np.ndarray]:
    """Response-rate bands in percent (S-07): [0, 10), [10, 20), ..., [90, 100] as (lower, upper), only
    where respondents >= k (and `published`, when given); SUPPRESSED in both bounds elsewhere.

    Pass the `publishable` mask of the respondent counts: with few invited a band pins the exact count."""
    k = _check_k(k)
    respondents = _counts(respondents, "respondents")
    invited = _counts(invited, "invited")
    if respondents.shape != invited.shape:
        raise ValueError("respondents and invited must have the same shape")
    if np.any(respondents > invited):
        raise ValueError("more respondents than invited")
    shown = respondents >= k
    if published is not None:
        shown &= np.asarray(published, dtype=bool)
    tenths = np.minimum((10 * respondents) // np.maximum(invited, 1), 9)
    lower = np.where(shown, 10 * tenths, SUPPRESSED)
    upper = np.where(shown, 10 * tenths + 10, SUPPRESSED)
    return lower.astype(np.int64), upper.astype(np.int64)


def derivable_minimum(parent, n, published) -> int:
    """The smallest non-empty group derivable from the published cells by adding and subtracting them:
    the smallest positive atom (0 when nothing non-empty is derivable). Safe means 0 or >= k."""
    forest = _forest(parent)
    n = _counts(n, "n", forest.parent.size)
    published = np.asarray(published, dtype=bool)
    if published.shape != n.shape:
        raise ValueError("published must have n's shape")
    _own_from_totals(forest, _as_items(n, "n"))
    atoms = _atoms(forest, _as_items(n, "n"), _as_items(published, "published"))
    positive = atoms[atoms > 0]
    return int(positive.min()) if positive.size else 0
