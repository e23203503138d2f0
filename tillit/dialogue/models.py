"""Joint looks (gemensam genomgång): the unit and the level above look at a signal together.

A look is opened by follow-up once per signal *episode*: while an indicator keeps needing a look, its
episode stays open (`episode_ended_at` is empty) and no second look is opened, however often the
analysis runs. When the indicator is back inside its frame the episode ends; a later signal opens a new
look. The closing summary is shown along the chain and drawn on the chart at `period`.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tillit.chain.models import UnitPathCopy
from tillit.dialogue.enums import LookOrigin, LookState, Outcome


class JointLook(UnitPathCopy):
    organisation = models.ForeignKey("chain.Organisation", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("chain.Unit", on_delete=models.PROTECT, related_name="joint_looks")
    # The level above that looks together with the unit: the agreement's other party, else the parent.
    upper_unit = models.ForeignKey(
        "chain.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="joint_looks_below"
    )
    origin = models.CharField(max_length=20, choices=LookOrigin.choices)
    indicator = models.ForeignKey(
        "indicators.Indicator", on_delete=models.PROTECT, null=True, blank=True, related_name="joint_looks"
    )
    boundary_report = models.ForeignKey(
        "agreements.BoundaryReport", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A look about what the trust pulse tells: its outcome stands on the pulse's run chart.
    pulse = models.ForeignKey(
        "pulse.Pulse", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    subject = models.CharField(_("what we look at"), max_length=300)
    reasons = models.JSONField(default=list)  # why it was opened: followup.reasons.Reason codes
    period = models.DateField(_("period"), null=True, blank=True)  # the chart period at issue
    state = models.CharField(max_length=10, choices=LookState.choices, default=LookState.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    opened_at = models.DateTimeField()
    episode_ended_at = models.DateTimeField(null=True, blank=True)
    meeting_on = models.DateField(_("we meet on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("joint look")
        verbose_name_plural = _("joint looks")
        ordering = ["-opened_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "state", "unit_path"], name="joint_look_org_state_path"),
            models.Index(fields=["indicator", "episode_ended_at"], name="joint_look_episode"),
        ]
        constraints = [
            # Once per signal episode, even if two analysis runs race.
            models.UniqueConstraint(
                fields=["indicator"],
                condition=models.Q(origin="signal", episode_ended_at__isnull=True),
                name="joint_look_one_per_episode",
            )
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("dialogue:look-detail", kwargs={"look_id": self.pk})

    @property
    def is_open(self) -> bool:
        return self.state == LookState.OPEN


class Participant(models.Model):
    organisation = models.ForeignKey("chain.Organisation", on_delete=models.CASCADE, related_name="+")
    look = models.ForeignKey(JointLook, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["person__full_name"]
        constraints = [models.UniqueConstraint(fields=["look", "person"], name="participant_once_per_look")]

    def __str__(self) -> str:
        return str(self.person_id)


class LookNote(models.Model):
    """A question asked or a note from the meeting. Append-only: the record of the dialogue."""

    organisation = models.ForeignKey("chain.Organisation", on_delete=models.CASCADE, related_name="+")
    look = models.ForeignKey(JointLook, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    prompt = models.CharField(max_length=30, blank=True)  # the curious question it answers (labels.PROMPTS)
    text = models.TextField(_("note"))
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]
