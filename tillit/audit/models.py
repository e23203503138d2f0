"""The audit log: an append-only record of every state change, written by the services layer."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tillit.audit.enums import AuditAction


class AuditEvent(models.Model):
    """Who did what, when, to which object, with the state before and after.

    Rows are never updated or deleted: database triggers (see the migration) refuse both.
    """

    organisation = models.ForeignKey("chain.Organisation", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("chain.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=60, choices=AuditAction.choices)
    target_type = models.CharField(max_length=60)
    target_id = models.BigIntegerField(null=True, blank=True)
    target_label = models.CharField(max_length=300, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "unit", "-created_at"], name="audit_org_unit_time")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_label}"

    # The page lists a state's fields as pairs: a template's `before.items` would read a field named
    # "items" (a pulse's questions) instead of the dict's method.
    @property
    def before_fields(self) -> list[tuple[str, object]]:
        return list((self.before or {}).items())

    @property
    def after_fields(self) -> list[tuple[str, object]]:
        return list((self.after or {}).items())
