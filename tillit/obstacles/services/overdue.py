"""The daily notice of obstacles not answered in the promised time."""

from datetime import datetime, time

from django.db import transaction
from django.db.models import F

from tillit.core.clock import today
from tillit.core.schedule import daily_schedule
from tillit.notifications.enums import NotificationKind
from tillit.obstacles.enums import ObstacleState
from tillit.obstacles.models import Obstacle
from tillit.obstacles.services.lifecycle import notify_receivers

OVERDUE_NOTICE_AT = time(6, 45)


def obstacles_notify_overdue() -> int:
    """Tell the receiving unit's managers, once per obstacle and receiving unit, that an answer is late
    (by `today()`)."""
    sent = 0
    overdue = (
        Obstacle.objects.filter(state=ObstacleState.RAISED, due_on__lt=today())
        .exclude(overdue_notified_unit_id=F("receiving_unit_id"))
        .select_related("organisation", "receiving_unit", "raised_in")
        .order_by("pk")
    )
    for obstacle in overdue:
        with transaction.atomic():
            notify_receivers(obstacle, kind=NotificationKind.OBSTACLE_OVERDUE, unit=obstacle.receiving_unit)
            Obstacle.objects.filter(pk=obstacle.pk).update(
                overdue_notified_unit_id=obstacle.receiving_unit_id
            )
        sent += 1
    return sent


def overdue_notice_schedule() -> datetime | None:
    """Queue the next daily overdue check unless one is waiting; when it runs (None: already queued)."""
    from tillit.obstacles.tasks import obstacles_notify_overdue  # the task module imports this one

    return daily_schedule(obstacles_notify_overdue, at=OVERDUE_NOTICE_AT)
