"""Background work of the trust pulse: the invitations (tokens live only in the worker's memory) and the
daily close of pulses whose last day has passed."""

from django.tasks import task

from tillit.pulse import services


@task()
def pulse_send_invitations(*, pulse_id: int) -> int:
    return services.pulse_invitations_send(pulse_id=pulse_id)


@task()
def pulses_close(**_ignored) -> int:
    return services.pulses_close_due()
