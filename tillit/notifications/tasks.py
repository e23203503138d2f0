from django.tasks import task

from tillit.notifications import services


@task()
def send_notification_email(*, notification_id: int) -> bool:
    """E-mail one notification to a person who wants this kind at once (queued when it was sent)."""
    return services.notification_email_send(notification_id=notification_id)


@task()
def send_daily_digest() -> int:
    """E-mail today's digests, then queue tomorrow's (07:00 in Stockholm)."""
    sent = services.digest_send()
    services.digest_schedule()
    return sent
