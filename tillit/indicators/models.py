"""Indicators a unit follows, their observations per period, phase changes and the unit's narratives."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tillit.indicators.enums import ChangeSource, DataType, Direction, Frequency, Origin


class Indicator(models.Model):
    """Data a unit follows over time, linked to the purpose it informs."""

    organisation = models.ForeignKey("chain.Organisation", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("chain.Unit", on_delete=models.PROTECT, related_name="indicators")
    name = models.CharField(_("name"), max_length=200)
    definition = models.TextField(_("definition"))
    purpose_link = models.TextField(
        _("the purpose it informs"), help_text=_("Which part of the unit's purpose this data tells about.")
    )
    data_type = models.CharField(_("data type"), max_length=20, choices=DataType.choices)
    direction = models.CharField(
        _("improvement direction"), max_length=10, choices=Direction.choices, default=Direction.NEUTRAL
    )
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)
    measure_label = models.CharField(_("unit of measure"), max_length=60, blank=True)
    # Ratios are shown and bounded on a human scale: 100 for per cent, 1 000 for "per 1 000 care days".
    # The engine works on the plain ratio; values, limits and boundaries are multiplied only for people.
    scale = models.FloatField(
        _("shown per"),
        default=1.0,
        help_text=_("For proportions and rates: 100 shows per cent, 1000 shows per thousand."),
    )
    origin = models.CharField(_("who asked for it"), max_length=10, choices=Origin.choices)
    required_by = models.CharField(_("required by"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["unit", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="indicator_name_unique_per_unit")
        ]
        indexes = [models.Index(fields=["organisation", "unit"], name="indicator_org_unit")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("indicators:indicator-detail", kwargs={"indicator_id": self.pk})


class Observation(models.Model):
    """The value of an indicator for one period (the period's first day), with its denominator if any."""

    organisation = models.ForeignKey("chain.Organisation", on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="observations")
    period = models.DateField(_("period"))
    value = models.FloatField(_("value"))
    denominator = models.FloatField(_("denominator"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["indicator", "period"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="observation_one_per_period"),
            models.CheckConstraint(
                condition=models.Q(denominator__isnull=True) | models.Q(denominator__gt=0),
                name="observation_denominator_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period:%Y-%m-%d}: {self.value}"


class ObservationChange(models.Model):
    """A correction of an observation: who changed which value, from what to what. Append-only."""

    organisation = models.ForeignKey("chain.Organisation", on_delete=models.CASCADE, related_name="+")
    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="changes")
    value_before = models.FloatField(null=True, blank=True)
    denominator_before = models.FloatField(null=True, blank=True)
    comment_before = models.TextField(blank=True)
    value_after = models.FloatField()
    denominator_after = models.FloatField(null=True, blank=True)
    comment_after = models.TextField(blank=True)
    source = models.CharField(max_length=10, choices=ChangeSource.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["observation", "-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.observation_id}: {self.value_before} → {self.value_after}"


class PhaseChange(models.Model):
    """A recorded change in the process from this period on: the chart's limits are recalculated here."""

    organisation = models.ForeignKey("chain.Organisation", on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="phase_changes")
    period = models.DateField(_("from period"))
    label = models.CharField(_("what changed"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["indicator", "period"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="phase_change_one_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period}: {self.label}"


class Narrative(models.Model):
    """The unit's own words beside the numbers for one period: vad ser vi?"""

    organisation = models.ForeignKey("chain.Organisation", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("chain.Unit", on_delete=models.PROTECT, related_name="narratives")
    period = models.DateField(_("period"))
    text = models.TextField(_("what do we see?"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("narrative")
        verbose_name_plural = _("narratives")
        ordering = ["unit", "-period"]
        constraints = [models.UniqueConstraint(fields=["unit", "period"], name="narrative_one_per_period")]

    def __str__(self) -> str:
        return f"{self.unit} {self.period:%Y-%m}"


class ObservationImport(models.Model):
    """An uploaded observation file, kept between its preview and its apply so that exactly what was
    previewed is applied. The content is re-read and re-checked when applied."""

    organisation = models.ForeignKey("chain.Organisation", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("chain.Unit", on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # What the apply did, per indicator name: {"created": n, "changed": n, "unchanged": n}.
    summary = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("observation import")
        verbose_name_plural = _("observation imports")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["unit", "sha256"], name="observation_import_unit_sha")]

    def __str__(self) -> str:
        return self.filename
