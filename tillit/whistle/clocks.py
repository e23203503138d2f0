"""The legal clocks of lag (2021:890) 5 kap., as pure date arithmetic (docs/whistle.md, T-26, T-27).

A report's clock runs on calendar dates in Europe/Stockholm: the day it was received counts as day 0,
whatever the hour or a change to summer time. Months are added by the calendar and clamped to the
month's last day (30 November + 3 months is 28 February).
"""

import calendar
from datetime import date, timedelta

ACK_DAYS = 7
FEEDBACK_MONTHS = 3


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def ack_due(received_on: date) -> date:
    """Acknowledge receipt within seven days: the last day on which it is in time."""
    return received_on + timedelta(days=ACK_DAYS)


def feedback_due(received_on: date, acknowledged_on: date | None) -> date:
    """Feedback within three months of the acknowledgement, or, without one, of the seven days' end."""
    return add_months(acknowledged_on or ack_due(received_on), FEEDBACK_MONTHS)
