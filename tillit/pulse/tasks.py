"""Background work of the trust pulse: the invitations (tokens live only in the worker's memory) and the
daily close of pulses whose last day has passed."""

from django.tasks import task

from tillit.pulse import services


@task()
def pulse_send_invitations(*, pulse_id: int) -> int:
    """Make, store (hashed, shuffled) and e-mail the pulse's invitations; the task's only argument and
    result are the pulse's id and how many were invited, never a person or a token."""
    return services.pulse_invitations_send(pulse_id=pulse_id)


@task()
def pulse_notify_published(*, pulse_id: int, actor_id: int | None = None) -> int:
    """After a close: tell the frame's people that the results are published."""
    return services.pulse_published_notify(pulse_id=pulse_id, actor_id=actor_id)


@task()
def pulses_close(**_ignored) -> int:
    """Daily: close the pulses whose last day has passed and publish their results, then queue tomorrow's
    run (00:30 in Stockholm)."""
    try:
        return services.pulses_close_due()
    finally:
        services.pulse_close_schedule()  # tomorrow's close is queued even if today's failed
