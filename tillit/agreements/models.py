"""Purposes (syfte/uppdrag) and, later, trust agreements between a unit and the level above."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.Model):
    """One version of a unit's purpose, written by its own people. The newest version is the current
    one; earlier versions are kept so that the unit can see how its purpose has grown."""

    organisation = models.ForeignKey("chain.Organisation", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("chain.Unit", on_delete=models.PROTECT, related_name="purposes")
    version = models.PositiveIntegerField()
    statement = models.TextField(_("what the work is for"))
    serves = models.TextField(_("whom the unit serves"), blank=True)
    valued = models.TextField(_("what they value"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("purpose")
        verbose_name_plural = _("purposes")
        ordering = ["unit", "-version"]
        constraints = [models.UniqueConstraint(fields=["unit", "version"], name="purpose_version_unique")]

    def __str__(self) -> str:
        return f"{self.unit} v{self.version}"
