"""Background work of the whistleblowing channel, each run queueing the next (as the pulse's daily close):

- `whistle_notify`, every hour on the hour: tell the handlers that there is news (services.notices);
- `whistle_clean`, every hour at half past: remove unfinished uploads, expired reporter sessions and
  spent proof-of-work marks, and blur the file times of the hour's stored files (services.retention);
- `whistle_clock_alerts`, every day at 07:00 Stockholm time: the deadlines due within two days or passed;
- `whistle_purge`, every day at 03:15 Stockholm time: purge the closed cases whose time has come.

Arguments and results are counts, never a case, a person or a word of content. `whistle_schedule`
(the management command of the same name, run by `make demo` and at deployment) queues whatever is not
queued yet.
"""

from datetime import datetime, time

from django.tasks import task

from tillit.core.clock import today
from tillit.core.schedule import daily_schedule, hourly_schedule
from tillit.whistle.services import notices, retention

NOTIFY_MINUTE = 0
CLEAN_MINUTE = 30
CLOCK_ALERTS_AT = time(7, 0)
PURGE_AT = time(3, 15)


@task()
def whistle_notify(**_ignored) -> int:
    """Hourly: one e-mail per channel to each handler of a case with news; then queue the next hour's."""
    try:
        return notices.handlers_notify()
    finally:
        hourly_schedule(whistle_notify, minute=NOTIFY_MINUTE)


@task()
def whistle_clean(**_ignored) -> int:
    """Hourly: what a failed upload, a rolled-back report's files, an expired session or a spent proof
    left behind; then the next."""
    try:
        retention.stored_times_blur()
        return (
            retention.pending_uploads_clean()
            + retention.orphan_files_clean()
            + retention.reporter_sessions_clean()
            + retention.spent_proofs_clean()
        )
    finally:
        hourly_schedule(whistle_clean, minute=CLEAN_MINUTE)


@task()
def whistle_clock_alerts(**_ignored) -> int:
    """Daily: tell the handlers of acknowledgements and feedback due or overdue; then tomorrow's run."""
    try:
        return notices.clock_alerts_send(today=today())
    finally:
        daily_schedule(whistle_clock_alerts, at=CLOCK_ALERTS_AT)


@task()
def whistle_purge(**_ignored) -> int:
    """Daily: purge the closed cases whose time has come (a public channel without a gallring decision
    purges nothing and says so in the log); then tomorrow's run. Answers how many were purged."""
    try:
        return len(retention.reports_purge_due(today=today()).purged)
    finally:
        daily_schedule(whistle_purge, at=PURGE_AT)


def whistle_schedule() -> dict[str, datetime | None]:
    """Queue each of the channel's tasks unless a run is already waiting: task name -> when it runs
    (None: already queued)."""
    return {
        "whistle_notify": hourly_schedule(whistle_notify, minute=NOTIFY_MINUTE),
        "whistle_clean": hourly_schedule(whistle_clean, minute=CLEAN_MINUTE),
        "whistle_clock_alerts": daily_schedule(whistle_clock_alerts, at=CLOCK_ALERTS_AT),
        "whistle_purge": daily_schedule(whistle_purge, at=PURGE_AT),
    }
