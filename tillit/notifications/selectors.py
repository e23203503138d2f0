"""Reads for notifications: a person's own inbox and choices. Nobody reads another person's inbox."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from tillit.notifications.enums import Delivery, NotificationKind
from tillit.notifications.models import Notification, NotificationPreference
from tillit.notifications.texts import DEFAULT_DELIVERY


def deliveries_for(*, person_ids, kind: str) -> dict[int, str]:
    """How each of these people wants to hear of `kind`: their choice, or the kind's default. One query."""
    chosen = dict(
        NotificationPreference.objects.filter(person_id__in=list(person_ids), kind=kind).values_list(
            "person_id", "delivery"
        )
    )
    default = DEFAULT_DELIVERY.get(kind, Delivery.INBOX)
    return {person_id: chosen.get(person_id, default) for person_id in person_ids}


def preferences_of(*, person) -> dict[str, str]:
    """Every kind with the person's delivery for it (the default where they have not chosen)."""
    chosen = dict(NotificationPreference.objects.filter(person=person).values_list("kind", "delivery"))
    return {kind.value: chosen.get(kind.value, DEFAULT_DELIVERY[kind]) for kind in NotificationKind}


def inbox(*, person) -> QuerySet[Notification]:
    """The person's own notifications, newest first."""
    return Notification.objects.filter(person=person).select_related("unit")


def notification_get_own(*, person, notification_id: int) -> Notification:
    """One of the person's own notifications; anyone else's is 404, exactly like a missing one."""
    return get_object_or_404(Notification, pk=notification_id, person=person)


def unread_count(*, person) -> int:
    return Notification.objects.filter(person=person, read_at__isnull=True).count()


def digest_pending() -> QuerySet[Notification]:
    """Notifications waiting for the daily digest, grouped by person (active people with an address)."""
    return (
        Notification.objects.filter(delivery=Delivery.DIGEST, emailed_at__isnull=True, person__is_active=True)
        .exclude(person__email="")
        .order_by("person_id", "created_at", "pk")
    )
