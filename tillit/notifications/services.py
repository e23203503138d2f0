"""Writes for notifications. Other apps call `notification_send`; nothing else creates a notification.

Delivery follows each recipient's choice per kind (`NotificationPreference`, else `texts.DEFAULT_DELIVERY`):
OFF creates nothing; INBOX an inbox row; EMAIL an inbox row and an e-mail sent by the task worker once
the caller's transaction commits; DIGEST an inbox row that the next daily digest e-mails.
"""

import logging
from collections.abc import Iterable
from datetime import datetime, time

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme

from tillit.audit.enums import AuditAction
from tillit.audit.services import audit_record
from tillit.core.clock import now
from tillit.core.permissions import require
from tillit.core.schedule import STOCKHOLM, daily_schedule, next_daily_run
from tillit.core.tasks import enqueue_on_commit
from tillit.notifications import rules, selectors
from tillit.notifications.enums import Delivery, NotificationKind
from tillit.notifications.models import Notification, NotificationPreference
from tillit.notifications.texts import notification_text

logger = logging.getLogger(__name__)

DIGEST_TASK_PATH = "tillit.notifications.tasks.send_daily_digest"
DIGEST_HOUR = time(7, 0)
DIGEST_ZONE = STOCKHOLM


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

    Call inside the caller's transaction: the rows land with the change they tell about, and the
    e-mails of those who want them at once are queued only when it commits."""
    moment = now()
    people = {
        person.pk: person
        for person in recipients
        if person is not None
        and person.pk
        and person.organisation_id == organisation.pk
        and (actor is None or person.pk != actor.pk)
    }
    if not people:
        return []
    deliveries = selectors.deliveries_for(person_ids=list(people), kind=kind)
    rows = [
        Notification(
            organisation=organisation,
            person_id=person_id,
            kind=kind,
            unit=unit,
            params={key: str(value) for key, value in params.items()},
            url=url,
            delivery=deliveries[person_id],
            created_at=moment,
        )
        for person_id in people
        if deliveries[person_id] != Delivery.OFF
    ]
    created = Notification.objects.bulk_create(rows)
    to_email = [row.pk for row in created if row.delivery == Delivery.EMAIL]
    if to_email:
        from tillit.notifications.tasks import send_notification_email  # the task module imports this one

        for notification_id in to_email:  # the task sends each once; one marked meanwhile is skipped
            enqueue_on_commit(send_notification_email, notification_id=notification_id)
    return created


@transaction.atomic
def notification_preferences_set(*, person, choices: dict[str, str]) -> dict[str, str]:
    """Set how the person hears of each kind. A choice equal to the default is stored too: it stays
    the person's choice if the default changes later."""
    before = selectors.preferences_of(person=person)
    after = dict(before)
    for kind, delivery in choices.items():
        after[NotificationKind(kind).value] = Delivery(delivery).value
    changed = {kind: delivery for kind, delivery in after.items() if before[kind] != delivery}
    for kind in choices:
        NotificationPreference.objects.update_or_create(
            person=person, kind=NotificationKind(kind).value, defaults={"delivery": after[kind]}
        )
    if changed and person.organisation_id is not None:
        audit_record(
            actor=person,
            organisation=person.organisation,
            action=AuditAction.NOTIFICATION_PREFERENCES_CHANGED,
            target=person,
            before={kind: before[kind] for kind in changed},
            after=changed,
        )
    return after


def notification_open(*, person, notification: Notification) -> str:
    """Mark the person's own notification read and answer where to go: its page on this site, else ''."""
    require(rules.can_open_notification(person, notification))
    if notification.read_at is None:
        notification.read_at = now()
        notification.save(update_fields=["read_at"])
    return safe_url(notification.url)


def notifications_count_as_delivered(*, organisation) -> int:
    """Mark the organisation's notifications that still wait for an e-mail as e-mailed, without sending:
    for notifications of past events, written when a history is loaded (the demo)."""
    return (
        Notification.objects.filter(organisation=organisation, emailed_at__isnull=True)
        .exclude(delivery=Delivery.INBOX)
        .update(emailed_at=F("created_at"))
    )


def notifications_mark_all_read(*, person) -> int:
    return Notification.objects.filter(person=person, read_at__isnull=True).update(read_at=now())


def safe_url(url: str) -> str:
    """The url if it is a path on this site ('/…'), else '' (an absolute or odd url is never followed)."""
    if url and url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return url
    return ""


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _item(notification: Notification) -> dict:
    return {
        "text": notification_text(kind=notification.kind, params=notification.params),
        "link": _absolute(safe_url(notification.url) or reverse("notifications:inbox")),
        "created_at": notification.created_at,
    }


def _send(*, person, template: str, notifications: list[Notification]) -> None:
    """One e-mail in the site's language (people have no language of their own), text and HTML."""
    with translation.override(settings.LANGUAGE_CODE):
        items = [_item(notification) for notification in notifications]
        context = {
            "person": person,
            "item": items[0],
            "items": items,
            "inbox_link": _absolute(reverse("notifications:inbox")),
            "preferences_link": _absolute(reverse("notifications:preferences")),
        }
        subject = " ".join(render_to_string(f"notifications/email/{template}_subject.txt", context).split())
        text = render_to_string(f"notifications/email/{template}_body.txt", context)
        html = render_to_string(f"notifications/email/{template}_body.html", context)
    message = EmailMultiAlternatives(subject, text, None, [person.email])
    message.attach_alternative(html, "text/html")
    message.send()


def notification_email_send(*, notification_id: int) -> bool:
    """E-mail one notification, once. Marked and sent in one transaction: a failed send leaves it unmarked
    for a retry, and a second run finds it marked and sends nothing."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_related("person")
            .filter(pk=notification_id, emailed_at__isnull=True, person__is_active=True)
            .exclude(person__email="")
            .first()
        )
        if notification is None:
            return False
        marked = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
            emailed_at=now()
        )
        if not marked:
            return False
        _send(person=notification.person, template="notification", notifications=[notification])
    return True


def digest_send() -> int:
    """E-mail each person one digest of their notifications that wait for it; answer how many were sent.

    Person by person, each in its own transaction: one failing address does not hold back the rest."""
    pending = selectors.digest_pending()
    person_ids = sorted(set(pending.values_list("person_id", flat=True)))
    sent = 0
    for person_id in person_ids:
        try:
            with transaction.atomic():
                rows = list(
                    pending.filter(person_id=person_id)
                    .select_related("person")
                    .select_for_update(of=("self",))
                )
                if not rows:
                    continue
                Notification.objects.filter(pk__in=[row.pk for row in rows]).update(emailed_at=now())
                _send(person=rows[0].person, template="digest", notifications=rows)
        except OSError:  # smtplib's errors are OSErrors; the rows stay unmarked for tomorrow's digest
            logger.exception("The daily digest for person %s could not be sent", person_id)
            continue
        sent += 1
    return sent


def digest_next_run() -> datetime:
    """The next 07:00 in Stockholm strictly after the clock's now (summer or winter time alike)."""
    return next_daily_run(at=DIGEST_HOUR)


def digest_schedule() -> datetime | None:
    """Queue the next digest unless one is already waiting; answer when it runs (None: already queued)."""
    from tillit.notifications.tasks import send_daily_digest  # the task module imports this one

    return daily_schedule(send_daily_digest, at=DIGEST_HOUR)
