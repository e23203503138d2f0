"""Notifications: an inbox row per person, delivered by e-mail at once or in a daily digest.

The text is not stored: `kind` and `params` are, and the text is rendered in the reader's language
when shown or sent (see `texts.py`).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tillit.notifications.enums import Delivery, NotificationKind


class Notification(models.Model):
    organisation = models.ForeignKey("chain.Organisation", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40, choices=NotificationKind.choices)
    unit = models.ForeignKey("chain.Unit", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    params = models.JSONField(default=dict)
    # How the person chose to hear of this kind when it was sent: a later change of preference
    # does not e-mail old notifications, and the digest knows which rows are its own.
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.INBOX)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)  # sent alone or in a digest

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["person", "read_at"], name="notification_person_unread"),
            models.Index(fields=["emailed_at", "person"], name="notification_not_emailed"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.person_id}"


class NotificationPreference(models.Model):
    """A person's choice for one kind. No row means the kind's default (see `texts.DEFAULT_DELIVERY`)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=40, choices=NotificationKind.choices)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="notification_preference_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind}: {self.delivery}"
