"""Daily and hourly background work without a separate scheduler: a task queues its own next run.

The database worker runs a task once its `run_after` has passed; `daily_schedule` queues the next run at
a fixed Stockholm time (`hourly_schedule`: at a fixed minute of the next hour) unless one is already
waiting, so calling it again (at start-up, from the task itself) never queues twice.
"""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tillit.core.clock import now

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def next_daily_run(*, at: time) -> datetime:
    """The next `at` in Stockholm strictly after the clock's now (summer or winter time alike)."""
    local = now().astimezone(STOCKHOLM)
    candidate = datetime.combine(local.date(), at, tzinfo=STOCKHOLM)
    if candidate <= local:
        candidate = datetime.combine(local.date() + timedelta(days=1), at, tzinfo=STOCKHOLM)
    return candidate


def next_hourly_run(*, minute: int) -> datetime:
    """The next hh:`minute` strictly after the clock's now, counted in UTC (Stockholm's offset is whole
    hours, so the minute is the same there, and a night with a summer-time change has no gap or repeat)."""
    current = now().astimezone(UTC)
    candidate = current.replace(minute=minute, second=0, microsecond=0)
    if candidate <= current:
        candidate += timedelta(hours=1)
    return candidate


def _queue_unless_waiting(task, run_after: datetime) -> datetime | None:
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    if DBTaskResult.objects.filter(task_path=task.module_path, status=TaskResultStatus.READY).exists():
        return None
    task.using(run_after=run_after).enqueue()
    return run_after


def daily_schedule(task, *, at: time) -> datetime | None:
    """Queue `task` for the next `at` unless a run is already waiting; when it runs (None: already queued)."""
    return _queue_unless_waiting(task, next_daily_run(at=at))


def hourly_schedule(task, *, minute: int = 0) -> datetime | None:
    """Queue `task` for the next hh:`minute` unless a run is already waiting (None: already queued)."""
    return _queue_unless_waiting(task, next_hourly_run(minute=minute))
