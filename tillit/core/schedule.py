"""Daily background work without a separate scheduler: a daily task queues its own next run.

The database worker runs a task once its `run_after` has passed; `daily_schedule` queues the next run at
a fixed Stockholm time unless one is already waiting, so calling it again (at start-up, from the task
itself) never queues twice.
"""

from datetime import datetime, time, timedelta
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


def daily_schedule(task, *, at: time) -> datetime | None:
    """Queue `task` for the next `at` unless a run is already waiting; when it runs (None: already queued)."""
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    if DBTaskResult.objects.filter(task_path=task.module_path, status=TaskResultStatus.READY).exists():
        return None
    run_after = next_daily_run(at=at)
    task.using(run_after=run_after).enqueue()
    return run_after
