"""Tillitspuls: an anonymous pulse on kunna, vilja, våga and the guiding principles.

The tables keep three things apart so that a database copy, even with the server's secrets, cannot tie
an answer to a person (security-requirements §3.2):

- the frame (`PulseUnit`): the units asked and how many were invited, frozen when the pulse opens (S-09);
- participation (`Invitation`): a token's hash and a used flag, no person, no time (S-08, S-10); the token
  itself exists only in the worker's memory and the invitation e-mail;
- answers (`Response`, `FreeTextAnswer`): random uuid4 keys, no token, no time. Response slots are created
  empty and shuffled when the pulse opens, and an answer fills a random empty slot of its unit, so not even
  the physical row order follows the order of answering.

Results (`PulseCell`) are computed once, when the pulse closes, and never again (S-05).
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tillit.pulse.enums import PulseState

MIN_GROUP_SIZE = 5  # S-01: an organisation may raise it, never lower it
MIN_FREE_TEXT_GROUP_SIZE = 10  # S-02


class PulseSettings(models.Model):
    """An organisation's anonymity thresholds; a pulse copies them when it is created."""

    organisation = models.OneToOneField(
        "chain.Organisation", on_delete=models.CASCADE, related_name="pulse_settings"
    )
    min_group_size = models.PositiveSmallIntegerField(_("smallest group whose answers are shown"), default=5)
    min_free_text_group_size = models.PositiveSmallIntegerField(
        _("smallest group whose free-text answers are shown"), default=10
    )

    class Meta:
        verbose_name = _("pulse settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_group_size__gte=5), name="pulse_min_group_at_least_5"
            ),
            models.CheckConstraint(
                condition=models.Q(min_free_text_group_size__gte=10)
                & models.Q(min_free_text_group_size__gte=models.F("min_group_size")),
                name="pulse_free_text_min_group_at_least_10",
            ),
        ]

    def __str__(self) -> str:
        return f"k={self.min_group_size}, {self.min_free_text_group_size}"


class Pulse(models.Model):
    """One round of the pulse for a part of the chain (its `scope` and every unit below it)."""

    organisation = models.ForeignKey("chain.Organisation", on_delete=models.CASCADE, related_name="+")
    scope = models.ForeignKey("chain.Unit", on_delete=models.PROTECT, related_name="pulses")
    title = models.CharField(_("title"), max_length=200)
    items = models.JSONField(default=list)  # item codes from instrument.BANK, in the order asked
    support_referent = models.CharField(
        _("the support function asked about"),
        max_length=100,
        blank=True,
        help_text=_("For example HR-stödet."),
    )
    asks_free_text = models.BooleanField(_("ask “What would increase trust?”"), default=False)
    closes_on = models.DateField(_("closes on"))
    state = models.CharField(max_length=10, choices=PulseState.choices, default=PulseState.DRAFT)
    min_group_size = models.PositiveSmallIntegerField(default=MIN_GROUP_SIZE)
    min_free_text_group_size = models.PositiveSmallIntegerField(default=MIN_FREE_TEXT_GROUP_SIZE)
    invited = models.PositiveIntegerField(default=0)
    # Who was invited, sorted by id: the reminder goes to them and no one else (not to someone who joined
    # a unit later and has no code). Everyone in the frame's units is invited, so this tells nothing the
    # memberships do not; it has no order and no tie to any invitation or answer.
    invitee_ids = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("trust pulse")
        verbose_name_plural = _("trust pulses")
        ordering = ["-closes_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "state"], name="pulse_org_state")]
        constraints = [
            models.CheckConstraint(condition=models.Q(min_group_size__gte=5), name="pulse_round_min_group"),
            models.CheckConstraint(
                condition=models.Q(min_free_text_group_size__gte=10), name="pulse_round_free_text_min_group"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("pulse:pulse-detail", kwargs={"pulse_id": self.pk})

    @property
    def is_open(self) -> bool:
        return self.state == PulseState.OPEN


class PulseUnit(models.Model):
    """A unit as the pulse asked it: name, place and invitations fixed when the pulse opened (S-09).

    `frame_path` is the frame's own path ("/3/7/"), not a copy of the unit's live path: moving or renaming
    the unit later changes nothing here."""

    pulse = models.ForeignKey(Pulse, on_delete=models.CASCADE, related_name="frame")
    unit = models.ForeignKey("chain.Unit", on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    name = models.CharField(max_length=200)
    frame_path = models.CharField(max_length=1000)
    depth = models.PositiveSmallIntegerField(default=0)
    invited = models.PositiveIntegerField(default=0)  # people whose unit is exactly this one
    # Filled when the pulse closes: banded counts (S-07), as the codes of analysis.disclosure: a band
    # [low, high] (high -1: open-ended, "500+"); (0, k - 1) for fewer than k, shown as "<k"; (-1, -1) for a
    # count that is not shown because it would let a smaller group be derived. Rates: [low, high) percent
    # in ten-point bands, (-1, -1) where not shown.
    respondents_low = models.IntegerField(null=True, blank=True)
    respondents_high = models.IntegerField(null=True, blank=True)
    rate_low = models.SmallIntegerField(null=True, blank=True)
    rate_high = models.SmallIntegerField(null=True, blank=True)
    # The unit's own choice to show its results to the levels above it.
    shared_upward = models.BooleanField(default=False)

    class Meta:
        ordering = ["frame_path"]
        constraints = [models.UniqueConstraint(fields=["pulse", "unit"], name="pulse_unit_once")]

    def __str__(self) -> str:
        return self.name


class Invitation(models.Model):
    """Participation only: who was invited is nowhere here, nor when the token was used (S-08)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pulse = models.ForeignKey(Pulse, on_delete=models.CASCADE, related_name="+")
    pulse_unit = models.ForeignKey(PulseUnit, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)

    def __str__(self) -> str:
        return "invitation"


class Response(models.Model):
    """One person's answers, or an empty slot (answers null). No token, no time, no order (S-08)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pulse = models.ForeignKey(Pulse, on_delete=models.CASCADE, related_name="+")
    pulse_unit = models.ForeignKey(PulseUnit, on_delete=models.CASCADE, related_name="+")
    answers = models.JSONField(null=True, blank=True)  # {item code: 1..5, or 0 for "vet inte"}

    class Meta:
        indexes = [models.Index(fields=["pulse_unit", "id"], name="pulse_response_slot")]

    def __str__(self) -> str:
        return "response"


class FreeTextAnswer(models.Model):
    """An answer to "Vad skulle öka tilliten?": kept for the whole pulse, never per unit (S-02), shown only
    after someone has redacted it and only when enough people answered the pulse."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pulse = models.ForeignKey(Pulse, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    redacted = models.TextField(blank=True)
    released = models.BooleanField(default=False)

    def __str__(self) -> str:
        return "free text"


class PulseCell(models.Model):
    """A frozen result: one item for one unit and everything below it, as published when the pulse closed.

    A suppressed cell is stored too (published False, nothing else) so that pages say "too few answers"
    the same way whatever the reason (fewer than k, differencing, all answers alike)."""

    pulse = models.ForeignKey(Pulse, on_delete=models.CASCADE, related_name="cells")
    pulse_unit = models.ForeignKey(PulseUnit, on_delete=models.CASCADE, related_name="cells")
    item = models.CharField(max_length=40)
    published = models.BooleanField(default=False)
    mean = models.FloatField(null=True, blank=True)
    # Shares per answer option 1..5 in whole percent, only when the distribution may be shown (S-06).
    distribution = models.JSONField(null=True, blank=True)
    answers_low = models.PositiveIntegerField(null=True, blank=True)
    answers_high = models.IntegerField(null=True, blank=True)

    class Meta:
        ordering = ["pulse_unit", "item"]
        constraints = [models.UniqueConstraint(fields=["pulse_unit", "item"], name="pulse_cell_once")]

    def __str__(self) -> str:
        return self.item
