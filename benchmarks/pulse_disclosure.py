"""Speed of the pulse's disclosure control: a frozen pulse of 3 000 units and 50 000 respondents, on one core.

Builds a random unit tree (depth 5, or flat: every unit under one root), spreads the respondents over the
units (lognormal unit sizes, 5 % "don't know" per item), and times what the close of a pulse runs:
`cell_table` on (units, items, options) own counts, then `publishable`, `bands` and `rate_bands` on the
respondent counts. Prints figures; it is no test.

    .venv/bin/python benchmarks/pulse_disclosure.py [--units 3000] [--respondents 50000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np

from tillit.analysis import disclosure

SEED = 20261203
TARGET_SECONDS = 1.0  # the core's share of the 10 s a close may take on the Django side


def pin_to_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


def tree(units: int, shape: str, rng: np.random.Generator) -> np.ndarray:
    """Parents of a random forest: "deep" has one root and four levels below it, each about 7.5 times
    wider than the one above; "flat" puts every unit directly under one root."""
    if shape == "flat":
        return np.r_[-1, np.zeros(units - 1, dtype=np.int64)]
    widths = np.array([1, 7.5, 7.5**2, 7.5**3, 7.5**4])
    sizes = np.maximum(np.round(widths / widths.sum() * units).astype(np.int64), 1)
    sizes[-1] += units - sizes.sum()
    parent = np.full(units, -1, dtype=np.int64)
    start = 0
    for depth, size in enumerate(sizes):
        if depth:
            above = np.arange(start - sizes[depth - 1], start)
            parent[start : start + size] = rng.choice(above, size=size)
        start += size
    order = rng.permutation(units)  # nodes in any order, as the caller may give them
    relabel = np.empty(units, dtype=np.int64)
    relabel[order] = np.arange(units)
    shuffled = np.full(units, -1, dtype=np.int64)
    shuffled[relabel] = np.where(parent >= 0, relabel[np.maximum(parent, 0)], -1)
    return shuffled


def answers(units: int, respondents: int, items: int, options: int, rng: np.random.Generator):
    """Own counts (units, items, options), respondents and invited per unit."""
    weights = rng.lognormal(mean=0.0, sigma=1.0, size=units)
    unit_of = rng.choice(units, size=respondents, p=weights / weights.sum())
    tendency = rng.normal(0.0, 0.6, size=units)
    latent = 3 + tendency[unit_of, None] + rng.normal(0.0, 1.0, size=(respondents, items))
    option = np.clip(np.rint(latent), 1, options).astype(np.int64) - 1
    answered = rng.random((respondents, items)) >= 0.05
    flat = (unit_of[:, None] * items + np.arange(items)) * options + option
    own = np.bincount(flat[answered], minlength=units * items * options).reshape(units, items, options)
    people = np.bincount(unit_of, minlength=units)
    invited = people + rng.binomial(np.maximum(people, 1), 0.3)
    return own, people, invited


def close(parent, own, people, invited, k):
    """What the close of a pulse asks of the core."""
    table = disclosure.cell_table(parent, own, k)
    respondents = disclosure.subtree_sums(parent, people)
    shown = disclosure.publishable(parent, respondents, k)
    disclosure.bands(respondents, k, published=shown)
    disclosure.rate_bands(respondents, disclosure.subtree_sums(parent, invited), k, published=shown)
    return table, respondents, shown


def run(args, shape: str, k: int) -> None:
    rng = np.random.default_rng(SEED)
    parent = tree(args.units, shape, rng)
    own, people, invited = answers(args.units, args.respondents, args.items, args.options, rng)
    times = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        table, respondents, shown = close(parent, own, people, invited, k)
        times.append(time.perf_counter() - started)
    eligible = table.n >= k
    published = table.published
    print(
        f"{shape:>4}  k={k}  nodes={parent.size}  items={args.items}  options={args.options}  "
        f"respondents={int(people.sum())}"
    )
    print(
        f"      seconds: median {statistics.median(times):.3f}  min {min(times):.3f}  "
        f"(target < {TARGET_SECONDS:.1f})"
    )
    print(
        f"      cells (node x item): n >= k {eligible.mean():.1%}  published {published.mean():.1%}  "
        f"(kept {published.sum() / max(eligible.sum(), 1):.1%} of those with n >= k)  "
        f"distribution shown {table.distribution_shown.mean():.1%}"
    )
    print(
        f"      units with respondents >= k {(respondents >= k).mean():.1%}  counts shown {shown.mean():.1%}  "
        f"smallest derivable group {disclosure.derivable_minimum(parent, table.n, published)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=3000)
    parser.add_argument("--respondents", type=int, default=50_000)
    parser.add_argument("--items", type=int, default=12)
    parser.add_argument("--options", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    pin_to_one_core()
    for shape, k in (("deep", 5), ("deep", 7), ("flat", 5)):
        run(args, shape, k)


if __name__ == "__main__":
    main()
