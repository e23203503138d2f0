from django.tasks import task

from tillit.obstacles import services


@task()
def obstacles_notify_overdue() -> int:
    """Daily: tell receiving units about obstacles not answered in the promised time (once each)."""
    return services.obstacles_notify_overdue()


@task()
def refresh_support_indicators(*, organisation_id: int, unit_ids: list[int] | None = None) -> int:
    """After an answer: recompute the receiving unit's lead-time indicators."""
    written = services.support_indicators_refresh(organisation_id=organisation_id, unit_ids=unit_ids)
    return sum(len(indicators) for indicators in written.values())
