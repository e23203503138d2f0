"""Writes for notifications. Other apps call `notification_send`; nothing else creates a notification."""

from collections.abc import Iterable

from django.utils import timezone

from tillit.notifications.enums import NotificationKind
from tillit.notifications.models import Notification


def notification_send(
    *,
    organisation,
    recipients: Iterable,
    kind: NotificationKind,
    params: dict[str, str],
    url: str = "",
    unit=None,
    actor=None,
) -> list[Notification]:
    """Put a notification in each recipient's inbox (never the actor's own, never across organisations).

    Call inside the caller's transaction: the rows land with the change they tell about."""
    now = timezone.now()
    people = {person.pk: person for person in recipients if person is not None and person.pk}
    rows = [
        Notification(
            organisation=organisation,
            person_id=person_id,
            kind=kind,
            unit=unit,
            params={key: str(value) for key, value in params.items()},
            url=url,
            created_at=now,
        )
        for person_id, person in people.items()
        if person.organisation_id == organisation.pk and (actor is None or person_id != actor.pk)
    ]
    return Notification.objects.bulk_create(rows)
