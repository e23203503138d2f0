"""Experiments (försök, plan–do–study–act): a unit tries a change and studies it on its own charts.

The start of an experiment is a phase change on each watched indicator, so the chart's limits start again
there and the before and after can be compared. Studied experiments form the learning archive; an
experiment may be shared beyond the organisation, and then its words (never its people) are readable by
other organisations on the installation.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tillit.experiments.enums import Decision, Expected, ExperimentState


class Experiment(models.Model):
    organisation = models.ForeignKey("chain.Organisation", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("chain.Unit", on_delete=models.PROTECT, related_name="experiments")
    # The unit's level when the experiment was recorded ("Enhet", "Skola"): the archive's "kind of unit".
    unit_kind = models.CharField(_("kind of unit"), max_length=100)
    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("the problem"))
    change = models.TextField(_("the change we try"))
    hypothesis = models.TextField(_("what we expect"))
    expected = models.CharField(
        _("which way the indicators should move"), max_length=10, choices=Expected.choices, default="improve"
    )
    indicators = models.ManyToManyField(
        "indicators.Indicator", through="ExperimentIndicator", related_name="experiments"
    )
    start_on = models.DateField(_("start"))
    study_on = models.DateField(_("planned study date"))
    state = models.CharField(max_length=10, choices=ExperimentState.choices, default=ExperimentState.PLANNED)
    study_notes = models.TextField(_("what happened"), blank=True)
    # Per indicator id, as computed when the experiment was studied (see selectors.experiment_evidence).
    evidence = models.JSONField(default=dict, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    learning = models.TextField(_("what we learned"), blank=True)
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="next_cycles"
    )
    shared_beyond_organisation = models.BooleanField(_("share with other organisations"), default=False)
    # The archive's search text: `search_text` as written (PostgreSQL stems it with 'swedish'),
    # `search_stems` stemmed by tillit.experiments.text (SQLite's FTS5 index reads it through triggers).
    search_text = models.TextField(blank=True, editable=False)
    search_stems = models.TextField(blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    studied_at = models.DateTimeField(null=True, blank=True)
    studied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("experiment")
        verbose_name_plural = _("experiments")
        ordering = ["-start_on", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "unit"], name="experiment_org_unit"),
            models.Index(fields=["state", "shared_beyond_organisation"], name="experiment_archive"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(study_on__gte=models.F("start_on")), name="experiment_study_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("experiments:experiment-detail", kwargs={"experiment_id": self.pk})

    @property
    def is_open(self) -> bool:
        return self.state in (ExperimentState.PLANNED, ExperimentState.RUNNING)


class ExperimentIndicator(models.Model):
    """An indicator the experiment watches, with the phase change its start made on that chart."""

    organisation = models.ForeignKey("chain.Organisation", on_delete=models.CASCADE, related_name="+")
    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="watched")
    indicator = models.ForeignKey("indicators.Indicator", on_delete=models.CASCADE, related_name="+")
    phase_change = models.ForeignKey(
        "indicators.PhaseChange", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # False when a change was already recorded from that period: the experiment uses it, never removes it.
    owns_phase_change = models.BooleanField(default=False)

    class Meta:
        ordering = ["experiment", "indicator__name"]
        constraints = [
            models.UniqueConstraint(fields=["experiment", "indicator"], name="experiment_indicator_once")
        ]

    def __str__(self) -> str:
        return f"{self.experiment_id}: {self.indicator_id}"


class ExperimentPeer(models.Model):
    """A unit invited to follow the experiment and comment on it: collegial learning."""

    organisation = models.ForeignKey("chain.Organisation", on_delete=models.CASCADE, related_name="+")
    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="peers")
    unit = models.ForeignKey("chain.Unit", on_delete=models.CASCADE, related_name="+")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    invited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit__name"]
        constraints = [models.UniqueConstraint(fields=["experiment", "unit"], name="experiment_peer_once")]

    def __str__(self) -> str:
        return f"{self.experiment_id}: {self.unit_id}"


class ExperimentComment(models.Model):
    organisation = models.ForeignKey("chain.Organisation", on_delete=models.CASCADE, related_name="+")
    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The author's unit as they commented: the page says "Ekskolan" as well as the name.
    author_unit = models.ForeignKey("chain.Unit", on_delete=models.PROTECT, null=True, related_name="+")
    text = models.TextField(_("comment"))
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]
