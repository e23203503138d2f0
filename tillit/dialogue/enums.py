from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class LookOrigin(models.TextChoices):
    SIGNAL = "signal", _("Follow-up found a signal or a crossed boundary")
    BOUNDARY_REPORT = "boundary_report", _("Someone reported that a boundary was crossed")
    BY_HAND = "by_hand", _("Opened by hand")
    PULSE = "pulse", _("Opened from the trust pulse")


class LookState(models.TextChoices):
    OPEN = "open", pgettext_lazy("joint look state", "Open")
    CLOSED = "closed", pgettext_lazy("joint look state", "Closed")


class Outcome(models.TextChoices):
    UNDERSTOOD = "understood", _("Understood, no action")
    EXPERIMENT = "experiment", _("Experiment started")
    OBSTACLE = "obstacle", _("Obstacle raised")
    REVISE_AGREEMENT = "revise_agreement", _("Agreement to be revised")
    SERIOUS = "serious", _("Serious — handled under other rules")
