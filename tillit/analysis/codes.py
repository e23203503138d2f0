"""Codes returned by the SPC engine.

The engine never returns display text: the Django side maps these codes to translated labels and colours.
Integer codes are used in arrays; the string values are the stable names used by the command line output.
"""

from __future__ import annotations

from enum import IntEnum, IntFlag, StrEnum


class Chart(StrEnum):
    AUTO = "auto"
    XMR = "xmr"
    XMR_MEDIAN = "xmr_median"
    P = "p"
    P_PRIME = "p_prime"
    U = "u"
    U_PRIME = "u_prime"
    C = "c"
    G = "g"
    T = "t"
    RUN = "run"


CHARTS_NEEDING_DENOMINATOR = frozenset({Chart.P, Chart.P_PRIME, Chart.U, Chart.U_PRIME})

# Array code of each concrete chart (AUTO is resolved before any array is built).
CHART_CODES: tuple[Chart, ...] = (
    Chart.XMR,
    Chart.XMR_MEDIAN,
    Chart.P,
    Chart.P_PRIME,
    Chart.U,
    Chart.U_PRIME,
    Chart.C,
    Chart.G,
    Chart.T,
    Chart.RUN,
)
CHART_CODE_OF: dict[Chart, int] = {chart: code for code, chart in enumerate(CHART_CODES)}


class ValueKind(StrEnum):
    """What the values measure; `Chart.AUTO` picks the chart from this."""

    MEASUREMENT = "measurement"
    PROPORTION = "proportion"
    RATE = "rate"
    COUNT = "count"
    DAYS_BETWEEN = "days_between"


class Direction(IntEnum):
    DOWN = -1
    NEUTRAL = 0
    UP = 1


class PointClass(IntEnum):
    NONE = -1  # no value in this period
    COMMON = 0
    IMPROVEMENT = 1
    CONCERN = 2
    SPECIAL = 3  # special cause without an improvement direction


POINT_CLASS_NAMES: dict[int, str | None] = {
    PointClass.NONE: None,
    PointClass.COMMON: "common",
    PointClass.IMPROVEMENT: "improvement",
    PointClass.CONCERN: "concern",
    PointClass.SPECIAL: "special",
}


class Variation(IntEnum):
    """Variation status of a series: the class of its latest point and its side of the centre line."""

    NONE = 0  # no limits (trial state, run chart, no data)
    COMMON = 1
    IMPROVEMENT_HIGH = 2
    IMPROVEMENT_LOW = 3
    CONCERN_HIGH = 4
    CONCERN_LOW = 5
    SPECIAL_HIGH = 6
    SPECIAL_LOW = 7


VARIATION_NAMES: dict[int, str | None] = {
    Variation.NONE: None,
    Variation.COMMON: "common",
    Variation.IMPROVEMENT_HIGH: "improvement_high",
    Variation.IMPROVEMENT_LOW: "improvement_low",
    Variation.CONCERN_HIGH: "concern_high",
    Variation.CONCERN_LOW: "concern_low",
    Variation.SPECIAL_HIGH: "special_high",
    Variation.SPECIAL_LOW: "special_low",
}


class Assurance(IntEnum):
    """Latest process limits compared with the agreed boundaries; larger is worse."""

    NONE = 0  # no boundary, or no limits
    INSIDE = 1  # reliably inside: both limits on the allowed side
    HIT_OR_MISS = 2  # a boundary lies between the limits
    OUTSIDE = 3  # reliably outside: both limits on the off-limits side


ASSURANCE_NAMES: dict[int, str | None] = {
    Assurance.NONE: None,
    Assurance.INSIDE: "inside",
    Assurance.HIT_OR_MISS: "hit_or_miss",
    Assurance.OUTSIDE: "outside",
}


class Rule(IntFlag):
    """Rule hits per point. Each rule has a high and a low bit; high bits are the even positions."""

    BEYOND_HIGH = 1 << 0
    BEYOND_LOW = 1 << 1
    SHIFT_HIGH = 1 << 2
    SHIFT_LOW = 1 << 3
    TREND_UP = 1 << 4
    TREND_DOWN = 1 << 5
    TWO_OF_THREE_HIGH = 1 << 6
    TWO_OF_THREE_LOW = 1 << 7
    FOUR_OF_FIVE_HIGH = 1 << 8
    FOUR_OF_FIVE_LOW = 1 << 9
    LONGEST_RUN_HIGH = 1 << 10
    LONGEST_RUN_LOW = 1 << 11
    CROSSINGS_HIGH = 1 << 12
    CROSSINGS_LOW = 1 << 13


HIGH_RULES = 0x1555
LOW_RULES = 0x2AAA

# Stable rule names (both sides share a name) in the order the command line lists them.
RULE_NAMES: tuple[tuple[str, int], ...] = (
    ("beyond_limits", Rule.BEYOND_HIGH | Rule.BEYOND_LOW),
    ("shift", Rule.SHIFT_HIGH | Rule.SHIFT_LOW),
    ("trend", Rule.TREND_UP | Rule.TREND_DOWN),
    ("two_of_three", Rule.TWO_OF_THREE_HIGH | Rule.TWO_OF_THREE_LOW),
    ("four_of_five", Rule.FOUR_OF_FIVE_HIGH | Rule.FOUR_OF_FIVE_LOW),
    ("longest_run", Rule.LONGEST_RUN_HIGH | Rule.LONGEST_RUN_LOW),
    ("crossings", Rule.CROSSINGS_HIGH | Rule.CROSSINGS_LOW),
)


def rule_names(flags: int) -> list[str]:
    """Names of the rules set in one point's flags."""
    return [name for name, mask in RULE_NAMES if flags & mask]
