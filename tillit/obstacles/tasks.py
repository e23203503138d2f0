from django.tasks import task

from tillit.obstacles import services


@task()
def obstacles_notify_overdue() -> int:
    """Daily: tell receiving units about obstacles not answered in the promised time (once each), then
    queue tomorrow's check (before the 07:00 digest, so the notice is in the same morning's e-mail)."""
    try:
        return services.obstacles_notify_overdue()
    finally:
        services.overdue_notice_schedule()  # tomorrow's check is queued even if today's failed


@task()
def refresh_support_indicators(*, organisation_id: int, unit_ids: list[int] | None = None) -> int:
    """After an answer: recompute the receiving unit's lead-time indicators."""
    written = services.support_indicators_refresh(organisation_id=organisation_id, unit_ids=unit_ids)
    return sum(len(indicators) for indicators in written.values())
