from django.tasks import task

from tillit.notifications import services


@task()
def send_notification_email(*, notification_id: int) -> bool:
    """E-mail one notification to a person who wants this kind at once (queued when it was sent)."""
    return services.notification_email_send(notification_id=notification_id)


@task()
def send_daily_digest() -> int:
    """E-mail today's digests, then queue tomorrow's (07:00 in Stockholm)."""
    try:
        return services.digest_send()
    finally:
        services.digest_schedule()  # tomorrow's digest is queued even if today's failed
