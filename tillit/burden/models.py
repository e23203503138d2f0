"""The reporting-burden register (rapporteringskrav): every report asked of a unit, what it costs, who
uses it; proposals to retire a report; and "Vilka data behöver du?" requests to support functions.

Usage is counted per day, kind, indicator or requirement and the *viewing unit*: never per person.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tillit.burden.enums import (
    TIMES_PER_YEAR,
    DataRequestState,
    RemovalAnswer,
    ReportFrequency,
    RequesterKind,
    UsageKind,
)
from tillit.chain.models import UnitPathCopy


class ReportingRequirement(UnitPathCopy):
    organisation = models.ForeignKey("chain.Organisation", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("chain.Unit", on_delete=models.PROTECT, related_name="reporting_requirements")
    name = models.CharField(_("what is reported"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    requester_kind = models.CharField(_("kind of requester"), max_length=20, choices=RequesterKind.choices)
    requester = models.CharField(_("who asks for it"), max_length=200)
    requester_unit = models.ForeignKey(
        "chain.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requested_reports",
        verbose_name=_("requesting unit in the chain"),
    )
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    frequency = models.CharField(_("how often"), max_length=10, choices=ReportFrequency.choices)
    times_per_year = models.PositiveSmallIntegerField(_("times per year (ad hoc)"), null=True, blank=True)
    minutes_each = models.PositiveIntegerField(_("minutes each time"))
    indicators = models.ManyToManyField(
        "indicators.Indicator",
        blank=True,
        related_name="reporting_requirements",
        verbose_name=_("indicators"),
    )
    readers = models.CharField(_("who reads it"), max_length=300, blank=True)
    reader_units = models.ManyToManyField(
        "chain.Unit", blank=True, related_name="reports_read", verbose_name=_("reading units")
    )
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until (sunset)"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("reporting requirement")
        verbose_name_plural = _("reporting requirements")
        ordering = ["unit_path", "name", "pk"]
        indexes = [models.Index(fields=["organisation", "unit_path"], name="requirement_org_path")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("burden:requirement-detail", kwargs={"requirement_id": self.pk})

    @property
    def yearly_times(self) -> int:
        if self.frequency == ReportFrequency.AD_HOC:
            return self.times_per_year or 0
        return TIMES_PER_YEAR[ReportFrequency(self.frequency)]

    @property
    def hours_per_year(self) -> float:
        return self.minutes_each * self.yearly_times / 60

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class UsageDaily(models.Model):
    """How often something was used on one day, by which unit: one upserted row per key and day.

    The keys are plain integers with 0 for "none" (not nullable foreign keys) so that one unique index
    covers them and recording is a single INSERT ... ON CONFLICT on SQLite and PostgreSQL alike. There is
    deliberately no person column."""

    organisation = models.ForeignKey("chain.Organisation", on_delete=models.CASCADE, related_name="+")
    indicator_key = models.PositiveIntegerField(default=0)
    requirement_key = models.PositiveIntegerField(default=0)
    viewer_unit_key = models.PositiveIntegerField(default=0)
    day = models.DateField()
    kind = models.CharField(max_length=20, choices=UsageKind.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator_key", "requirement_key", "viewer_unit_key", "day", "kind"],
                name="usage_daily_one_row_per_key",
            )
        ]
        indexes = [
            models.Index(fields=["requirement_key", "day"], name="usage_daily_requirement"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kind}: {self.count}"


class RemovalProposal(models.Model):
    """A unit asks the requester whether a report may go: keep, remove or change, with the answer kept."""

    organisation = models.ForeignKey("chain.Organisation", on_delete=models.CASCADE, related_name="+")
    requirement = models.ForeignKey(ReportingRequirement, on_delete=models.CASCADE, related_name="proposals")
    proposed_by_unit = models.ForeignKey("chain.Unit", on_delete=models.PROTECT, related_name="+")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("why it could go"))
    deadline = models.DateField(_("answer by"))
    proposed_at = models.DateTimeField()
    answer = models.CharField(_("answer"), max_length=10, choices=RemovalAnswer.choices, blank=True)
    answer_text = models.TextField(_("the answer in words"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_by_text = models.CharField(_("who answered"), max_length=200, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.requirement}: {self.answer or 'open'}"

    @property
    def is_open(self) -> bool:
        return not self.answer


class DataRequest(models.Model):
    """ "Vilka data behöver du?": a unit asks a support function for the data it needs, and why."""

    organisation = models.ForeignKey("chain.Organisation", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("chain.Unit", on_delete=models.PROTECT, related_name="data_requests")
    to_unit = models.ForeignKey(
        "chain.Unit", on_delete=models.PROTECT, related_name="data_requests_received", verbose_name=_("to")
    )
    what = models.CharField(_("which data do you need?"), max_length=300)
    why = models.TextField(_("what will it help you with?"))
    state = models.CharField(max_length=10, choices=DataRequestState.choices, default=DataRequestState.OPEN)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    asked_at = models.DateTimeField()
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-asked_at", "-pk"]

    def __str__(self) -> str:
        return self.what

    def get_absolute_url(self) -> str:
        return reverse("burden:data-request-detail", kwargs={"request_id": self.pk})
