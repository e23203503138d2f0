from django.db import models
from django.utils.translation import gettext_lazy as _


class ExperimentState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    STUDIED = "studied", _("Studied")
    CANCELLED = "cancelled", _("Cancelled")


class Decision(models.TextChoices):
    ADOPT = "adopt", _("Adopt: keep the change")
    ADAPT = "adapt", _("Adapt: change it and try again")
    ABANDON = "abandon", _("Abandon: go back to how it was")


class Expected(models.TextChoices):
    """Which way the watched indicators should move if the hypothesis holds."""

    IMPROVE = "improve", _("In each indicator's direction of improvement")
    UP = "up", _("Up")
    DOWN = "down", _("Down")
