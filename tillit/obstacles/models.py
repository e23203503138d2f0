"""Obstacles (hinder): what keeps people from serving the citizen, routed to whoever can remove it.

An obstacle is raised in a unit by one of its people and goes to the lowest unit that holds the mandate
to remove it (see `services.obstacle_route`). The raiser is always stored, so they can follow it, but
when `shows_name` is false nobody else ever sees who it was: pages, API, notifications, the audit log
and the history show only "a member of <unit>".
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tillit.obstacles.enums import EventKind, ObstacleState, RoutingBasis, SupportKind


class Obstacle(models.Model):
    organisation = models.ForeignKey("chain.Organisation", on_delete=models.CASCADE, related_name="+")
    raised_in = models.ForeignKey(
        "chain.Unit", on_delete=models.PROTECT, related_name="obstacles_raised", verbose_name=_("raised in")
    )
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    shows_name = models.BooleanField(_("raised in own name"), default=False)
    title = models.CharField(_("what blocks the work"), max_length=300)
    affects = models.TextField(_("whom it affects"), blank=True)
    proposal = models.TextField(_("what we propose"), blank=True)
    matter = models.ForeignKey(
        "delegation.DelegationEntry",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("matter in the delegation register"),
    )
    mandate_item = models.ForeignKey(
        "agreements.MandateItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mandate in a trust agreement"),
    )
    receiving_unit = models.ForeignKey(
        "chain.Unit",
        on_delete=models.PROTECT,
        related_name="obstacles_received",
        verbose_name=_("receiving unit"),
    )
    routing_basis = models.CharField(max_length=30, choices=RoutingBasis.choices)
    state = models.CharField(max_length=20, choices=ObstacleState.choices, default=ObstacleState.RAISED)
    answer = models.TextField(_("answer"), blank=True)
    due_on = models.DateField(_("answer due"))
    response_working_days = models.PositiveSmallIntegerField(default=10)
    # Whether the promised time came from a support promise (else the default of 10 working days).
    response_promised = models.BooleanField(default=False)
    raised_at = models.DateTimeField()
    # When it arrived at the current receiving unit (raised there, passed up or escalated to it).
    received_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The receiving unit the overdue notice was last sent for: once per obstacle per receiving unit.
    overdue_notified_unit = models.ForeignKey(
        "chain.Unit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("obstacle")
        verbose_name_plural = _("obstacles")
        ordering = ["-raised_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "raised_in"], name="obstacle_org_raised_in"),
            models.Index(fields=["organisation", "receiving_unit"], name="obstacle_org_receiving"),
            models.Index(fields=["organisation", "state", "due_on"], name="obstacle_org_state_due"),
        ]

    def __str__(self) -> str:
        return self.title[:80]

    def get_absolute_url(self) -> str:
        return reverse("obstacles:obstacle-detail", kwargs={"obstacle_id": self.pk})

    @property
    def removed_at(self):
        return self.closed_at if self.state == ObstacleState.REMOVED else None


class ObstacleEvent(models.Model):
    """One step in an obstacle's history. Append-only. `actor` is None for the raiser's anonymous steps."""

    organisation = models.ForeignKey("chain.Organisation", on_delete=models.CASCADE, related_name="+")
    obstacle = models.ForeignKey(Obstacle, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    from_unit = models.ForeignKey(
        "chain.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_unit = models.ForeignKey(
        "chain.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["obstacle", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.obstacle_id} {self.kind}"


class SupportIndicator(models.Model):
    """Which platform indicator follows a receiving unit's lead time of one kind."""

    organisation = models.ForeignKey("chain.Organisation", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("chain.Unit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=SupportKind.choices)
    indicator = models.OneToOneField("indicators.Indicator", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind"], name="support_indicator_one_per_unit_kind")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.kind}"
