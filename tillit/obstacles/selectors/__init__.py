"""Reads of obstacles, along their seams:

- `obstacles`: an obstacle, a unit's lists, its history, the raiser as others see it, the decisions
  that might remove it;
- `routing`: where an obstacle goes, the promised answer time, who answers for a unit;
- `support`: the receiving units' lead times and their support indicators.

The names below are re-exported so that callers write `selectors.unit_obstacles(...)`.
"""

from tillit.obstacles.selectors.obstacles import (
    MAX_LISTED,
    Suggestion,
    decision_from_value,
    decision_suggestions,
    is_overdue,
    mandate_items_in_chain,
    obstacle_events,
    obstacle_get_readable,
    raiser_label,
    route_explanation,
    unit_member_count,
    unit_obstacles,
)
from tillit.obstacles.selectors.routing import (
    DEFAULT_RESPONSE_WORKING_DAYS,
    Route,
    holder_unit_for_entry,
    is_member_of,
    obstacle_route,
    receiving_recipients,
    response_working_days,
    speaks_for_unit,
)
from tillit.obstacles.selectors.support import SupportFigure, support_lead_times, support_summary

__all__ = [
    "DEFAULT_RESPONSE_WORKING_DAYS",
    "MAX_LISTED",
    "Route",
    "Suggestion",
    "SupportFigure",
    "decision_from_value",
    "decision_suggestions",
    "holder_unit_for_entry",
    "is_member_of",
    "is_overdue",
    "mandate_items_in_chain",
    "obstacle_events",
    "obstacle_get_readable",
    "obstacle_route",
    "raiser_label",
    "receiving_recipients",
    "response_working_days",
    "route_explanation",
    "speaks_for_unit",
    "support_lead_times",
    "support_summary",
    "unit_member_count",
    "unit_obstacles",
]
