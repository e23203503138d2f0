"""JSON API of notifications: the signed-in person's own inbox, mounted at /api/v1/."""

from datetime import datetime

from ninja import Router, Schema

from tillit.notifications import selectors, services
from tillit.notifications.models import Notification
from tillit.notifications.texts import notification_text

router = Router(tags=["notifications"])

LIMIT = 100


class NotificationOut(Schema):
    id: int
    kind: str
    text: str
    unit_id: int | None
    url: str
    created_at: datetime
    read: bool
    read_at: datetime | None


def _out(notification: Notification) -> NotificationOut:
    return NotificationOut(
        id=notification.pk,
        kind=notification.kind,
        text=notification_text(kind=notification.kind, params=notification.params),  # the request's language
        unit_id=notification.unit_id,
        url=services.safe_url(notification.url),
        created_at=notification.created_at,
        read=notification.read_at is not None,
        read_at=notification.read_at,
    )


@router.get(
    "/me/notifications",
    response=list[NotificationOut],
    summary="Your own notifications, newest first (at most 100; only the unread ones if asked)",
)
def notification_list(request, unread: bool = False):
    notifications = selectors.inbox(person=request.auth)
    if unread:
        notifications = notifications.filter(read_at__isnull=True)
    return [_out(notification) for notification in notifications[:LIMIT]]


@router.post("/me/notifications/{notification_id}/read", response=NotificationOut, summary="Mark one read")
def notification_read(request, notification_id: int):
    notification = selectors.notification_get_own(person=request.auth, notification_id=notification_id)
    services.notification_open(person=request.auth, notification=notification)
    return _out(notification)
