"""Stored results of the process behaviour analysis, one row per indicator, rewritten by each run.

The pages read these rows and never run the engine: the follow-up page draws its charts from `points`,
and the joint-look view filters on `needs_look` across a sub-tree with one indexed query.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tillit.chain.models import UnitPathCopy


class AnalysisResult(UnitPathCopy):
    organisation = models.ForeignKey("chain.Organisation", on_delete=models.CASCADE, related_name="+")
    indicator = models.OneToOneField(
        "indicators.Indicator", on_delete=models.CASCADE, related_name="analysis"
    )
    # The indicator's unit (its path is copied: see UnitPathCopy).
    unit = models.ForeignKey("chain.Unit", on_delete=models.CASCADE, related_name="+")
    chart = models.CharField(max_length=20)  # tillit.analysis.codes.Chart value
    n = models.PositiveIntegerField()
    limits_shown = models.BooleanField()
    variation = models.SmallIntegerField()  # tillit.analysis.codes.Variation
    assurance = models.SmallIntegerField()  # tillit.analysis.codes.Assurance
    boundary_crossed = models.BooleanField()
    needs_look = models.BooleanField(db_index=True)
    # Why it needs a joint look, most serious first (tillit.followup.reasons.Reason codes), and how
    # serious that is together (the joint-look view's sort key); empty and 0 when it needs none.
    reasons = models.JSONField(default=list)
    severity = models.PositiveSmallIntegerField(default=0)
    latest_period = models.DateField(null=True, blank=True)
    latest_value = models.FloatField(null=True, blank=True)
    boundary_low = models.FloatField(null=True, blank=True)
    boundary_high = models.FloatField(null=True, blank=True)
    # {"periods": [...ISO dates], "values": [...], "centre": [...], "lower": [...], "upper": [...],
    #  "lower_2s": [...], "upper_2s": [...], "class": [...codes], "flags": [...bits], "segment": [...]}
    points = models.JSONField()
    signature = models.CharField(max_length=64)  # hash of the inputs: an unchanged series is not rewritten
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("analysis result")
        verbose_name_plural = _("analysis results")
        indexes = [
            models.Index(fields=["organisation", "needs_look", "unit_path"], name="analysis_needs_look"),
            models.Index(fields=["organisation", "unit"], name="analysis_org_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.chart} {self.variation}/{self.assurance}"
