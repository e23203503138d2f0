"""Named rule profiles: explicit parameter sets that reproduce their sources (see docs/spc.md)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tillit.analysis.codes import Rule

E2_WHEELER = 2.66  # MDC Excel tool, NHSRplotthedots, Wheeler
E2_QICHARTS = 3 / 1.128  # qicharts2 and Montgomery: 3 / d2


class Conflict(StrEnum):
    """How a point with both an improvement hit and a concern hit is classified."""

    IMPROVEMENT = "improvement"  # MDC Excel tool
    CONCERN = "concern"
    PRECEDENCE = "precedence"  # NHSRplotthedots: the highest-precedence rule decides


# NHSRplotthedots label precedence: outside limits > trend > 2-in-3 > shift; then the other rules.
RULE_PRECEDENCE: tuple[tuple[int, int], ...] = (
    (Rule.BEYOND_HIGH, Rule.BEYOND_LOW),
    (Rule.TREND_UP, Rule.TREND_DOWN),
    (Rule.TWO_OF_THREE_HIGH, Rule.TWO_OF_THREE_LOW),
    (Rule.SHIFT_HIGH, Rule.SHIFT_LOW),
    (Rule.FOUR_OF_FIVE_HIGH, Rule.FOUR_OF_FIVE_LOW),
    (Rule.LONGEST_RUN_HIGH, Rule.LONGEST_RUN_LOW),
    (Rule.CROSSINGS_HIGH, Rule.CROSSINGS_LOW),
)


@dataclass(frozen=True, slots=True)
class RuleProfile:
    name: str
    limit_constant: float = E2_WHEELER  # XmR half-width = limit_constant * mean moving range
    screen_moving_ranges: bool = False  # Nelson: drop MR >= 3.267 * mean MR once
    beyond_limits: bool = True
    shift_length: int | None = None  # points strictly on one side of the centre line
    trend_length: int | None = None  # strictly monotone points (length - 1 steps)
    two_of_three: bool = False  # 2 of 3 beyond 2 sigma, all 3 on one side (MDC / NHSR form)
    two_of_three_counts_beyond_limits: bool = False  # decision D-2
    western_two_of_three: bool = False  # WE2: 2 of 3 beyond 2 sigma on one side
    four_of_five: bool = False  # WE3: 4 of 5 beyond 1 sigma on one side
    anhoej: bool = False  # longest run and crossings (qicharts2)
    rules_cross_segments: bool = True
    bridge_excluded_points: bool = False  # a moving range spans an excluded point (qicharts2; D-5)
    conflict: Conflict = Conflict.IMPROVEMENT
    min_points: int = 13


MDC = RuleProfile(name="mdc", shift_length=6, trend_length=6, two_of_three=True)
MDC7 = RuleProfile(name="mdc7", shift_length=7, trend_length=7, two_of_three=True)
NHSR = RuleProfile(
    name="nhsr",
    screen_moving_ranges=True,
    shift_length=7,
    trend_length=7,
    two_of_three=True,
    rules_cross_segments=False,
    conflict=Conflict.PRECEDENCE,
)
ANHOEJ = RuleProfile(
    name="anhoej",
    limit_constant=E2_QICHARTS,
    screen_moving_ranges=True,
    anhoej=True,
    rules_cross_segments=False,
    bridge_excluded_points=True,
)
WESTERN_ELECTRIC = RuleProfile(
    name="western-electric",
    limit_constant=E2_QICHARTS,
    shift_length=8,
    western_two_of_three=True,
    four_of_five=True,
    rules_cross_segments=False,
)
# Tillit's default, chosen from the false-alarm table in docs/spc.md: MDC's rules and meaning, with an
# 8-point shift (Western Electric's run of 8) and NHSRplotthedots' 7-point trend. On 36 stable monthly
# points the latest point is a false signal in about 1% of series (MDC's 6-point rules: 3%), so the
# monthly load of needless joint looks is a third of MDC's, while a sustained 2 sigma shift is still
# found within 12 months in over 90% of series (median delay 4 months).
TILLIT = RuleProfile(name="tillit", shift_length=8, trend_length=7, two_of_three=True)

PROFILES: dict[str, RuleProfile] = {
    profile.name: profile for profile in (MDC, MDC7, NHSR, ANHOEJ, WESTERN_ELECTRIC, TILLIT)
}
DEFAULT_PROFILE = TILLIT.name


def get_profile(profile: str | RuleProfile) -> RuleProfile:
    if isinstance(profile, RuleProfile):
        return profile
    try:
        return PROFILES[profile]
    except KeyError:
        raise ValueError(f"unknown rule profile {profile!r}") from None
