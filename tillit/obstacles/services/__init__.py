"""Writes of obstacles (hinder), along their seams:

- `lifecycle`: raise (and route), acknowledge, start, remove, decline, pass up, escalate;
- `support`: the receiving units' support indicators (lead times written as observations);
- `overdue`: the daily notice of answers not given in the promised time.

Reads (routing, lead times, who answers for a unit) are `tillit.obstacles.selectors`; who may do what
is `tillit.obstacles.rules`. The names below are re-exported so that callers write
`services.obstacle_raise(...)`.
"""

from tillit.obstacles.services.lifecycle import (
    obstacle_acknowledge,
    obstacle_decline,
    obstacle_escalate,
    obstacle_pass_up,
    obstacle_raise,
    obstacle_remove,
    obstacle_start,
)
from tillit.obstacles.services.overdue import obstacles_notify_overdue, overdue_notice_schedule
from tillit.obstacles.services.support import support_indicators_refresh

__all__ = [
    "obstacle_acknowledge",
    "obstacle_decline",
    "obstacle_escalate",
    "obstacle_pass_up",
    "obstacle_raise",
    "obstacle_remove",
    "obstacle_start",
    "obstacles_notify_overdue",
    "overdue_notice_schedule",
    "support_indicators_refresh",
]
