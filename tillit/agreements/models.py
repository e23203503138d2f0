"""Purposes (syfte/uppdrag) and trust agreements (tillitsöverenskommelser) between a unit and the level above."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tillit.core.clock import now


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
    created_at = models.DateTimeField(default=now)

    class Meta:
        verbose_name = _("purpose")
        verbose_name_plural = _("purposes")
        ordering = ["unit", "-version"]
        constraints = [models.UniqueConstraint(fields=["unit", "version"], name="purpose_version_unique")]

    def __str__(self) -> str:
        return f"{self.unit} v{self.version}"


class AgreementState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PROPOSED = "proposed", _("Proposed")
    SIGNED = "signed", _("Signed, in force")
    SUPERSEDED = "superseded", _("Replaced by a later version")


# The states of a version still being worked on; one version of an agreement at a time is open.
OPEN_STATES = (AgreementState.DRAFT, AgreementState.PROPOSED)


class Side(models.TextChoices):
    UNIT = "unit", _("The unit")
    UPPER = "upper", _("The level above")


class BoundaryKind(models.TextChoices):
    INDICATOR = "indicator", _("Tied to an indicator")
    QUALITATIVE = "qualitative", _("An event described in words")


class Agreement(models.Model):
    """The standing trust agreement (tillitsöverenskommelse) between a unit and the unit above it.

    Its content lives in versions: a signed version is in force until the next one is signed."""

    organisation = models.ForeignKey("chain.Organisation", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("chain.Unit", on_delete=models.PROTECT, related_name="agreements")
    upper_unit = models.ForeignKey("chain.Unit", on_delete=models.PROTECT, related_name="agreements_below")
    created_at = models.DateTimeField(default=now)

    class Meta:
        verbose_name = _("trust agreement")
        verbose_name_plural = _("trust agreements")
        constraints = [
            models.UniqueConstraint(fields=["unit", "upper_unit"], name="agreement_unique_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.upper_unit}"


class AgreementVersion(models.Model):
    """One version of an agreement: drafted, proposed, commented on and signed by both sides."""

    organisation = models.ForeignKey("chain.Organisation", on_delete=models.CASCADE, related_name="+")
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    state = models.CharField(max_length=20, choices=AgreementState.choices, default=AgreementState.DRAFT)
    purpose = models.TextField(_("purpose"), blank=True)
    review_date = models.DateField(_("review date"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=now)
    proposed_at = models.DateTimeField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)  # when the second side signed

    class Meta:
        verbose_name = _("agreement version")
        verbose_name_plural = _("agreement versions")
        ordering = ["agreement", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="agreement_version_unique"),
            models.UniqueConstraint(
                fields=["agreement"],
                condition=models.Q(state="signed"),
                name="agreement_one_version_in_force",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "state"], name="agreement_version_org_state")]

    def __str__(self) -> str:
        return f"{self.agreement} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("agreements:agreement-version", kwargs={"version_id": self.pk})

    def _signature(self, side: str):
        # Reads the prefetched signatures when there are any: no query per version on a list page.
        return next((signature for signature in self.signatures.all() if signature.side == side), None)

    @property
    def unit_signature(self):
        return self._signature(Side.UNIT)

    @property
    def upper_signature(self):
        return self._signature(Side.UPPER)


class MandateItem(models.Model):
    """Something the unit decides itself."""

    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="mandate_items")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("the unit decides"))

    class Meta:
        ordering = ["version", "position", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Boundary(models.Model):
    """An off-limits outcome (gräns): a lower and/or upper value of an indicator, or an event in words."""

    organisation = models.ForeignKey("chain.Organisation", on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="boundaries")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=BoundaryKind.choices)
    indicator = models.ForeignKey(
        "indicators.Indicator", on_delete=models.PROTECT, null=True, blank=True, related_name="boundaries"
    )
    low = models.FloatField(_("off-limits below"), null=True, blank=True)
    high = models.FloatField(_("off-limits above"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("boundary")
        verbose_name_plural = _("boundaries")
        ordering = ["version", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="qualitative", indicator__isnull=True)
                | models.Q(kind="indicator", indicator__isnull=False),
                name="boundary_indicator_matches_kind",
            )
        ]

    def __str__(self) -> str:
        return self.description[:80] or str(self.indicator)


class SupportPromise(models.Model):
    """What the upper level promises, e.g. "we answer an obstacle within 10 working days"."""

    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="support_promises")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("the level above promises"))
    response_working_days = models.PositiveSmallIntegerField(
        _("answer within (working days)"), null=True, blank=True
    )

    class Meta:
        ordering = ["version", "position", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Signature(models.Model):
    """One side's signature on a proposed version; both sides make it in force."""

    organisation = models.ForeignKey("chain.Organisation", on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="signatures")
    side = models.CharField(max_length=10, choices=Side.choices)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["version", "signed_at"]
        constraints = [models.UniqueConstraint(fields=["version", "side"], name="signature_one_per_side")]

    def __str__(self) -> str:
        return f"{self.version} {self.side} {self.person}"


class AgreementComment(models.Model):
    organisation = models.ForeignKey("chain.Organisation", on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["version", "created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class BoundaryReport(models.Model):
    """Somebody in the unit or above reports that a qualitative boundary was crossed."""

    organisation = models.ForeignKey("chain.Organisation", on_delete=models.CASCADE, related_name="+")
    boundary = models.ForeignKey(Boundary, on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey("chain.Unit", on_delete=models.PROTECT, related_name="boundary_reports")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    occurred_on = models.DateField(_("when it happened"))
    description = models.TextField(_("what happened"))
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["-occurred_on", "-created_at"]
        indexes = [models.Index(fields=["organisation", "unit", "-occurred_on"], name="boundary_report_unit")]

    def __str__(self) -> str:
        return f"{self.boundary} {self.occurred_on}"
