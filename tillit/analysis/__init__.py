"""Tillit's pure numeric core: process behaviour charts (SPC) for many series at once.

numpy and the standard library only; never Django. See docs/spc.md.
"""

from tillit.analysis.codes import (
    Assurance,
    Chart,
    Direction,
    PointClass,
    Rule,
    ValueKind,
    Variation,
    rule_names,
)
from tillit.analysis.engine import BatchResult, SeriesResult, analyse, analyse_series, first_points_mask
from tillit.analysis.profiles import DEFAULT_PROFILE, PROFILES, Conflict, RuleProfile, get_profile
from tillit.analysis.tables import DuplicatePeriodError, WideTable, long_to_wide

__all__ = [
    "DEFAULT_PROFILE",
    "PROFILES",
    "Assurance",
    "BatchResult",
    "Chart",
    "Conflict",
    "Direction",
    "DuplicatePeriodError",
    "PointClass",
    "Rule",
    "RuleProfile",
    "SeriesResult",
    "ValueKind",
    "Variation",
    "WideTable",
    "analyse",
    "analyse_series",
    "first_points_mask",
    "get_profile",
    "long_to_wide",
    "rule_names",
]
