from django.db import models
from django.utils.translation import gettext_lazy as _


class ObstacleState(models.TextChoices):
    RAISED = "raised", _("Raised, waiting for an answer")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("Being worked on")
    REMOVED = "removed", _("Removed")
    DECLINED = "declined", _("Declined, with a reason")


# States in which the receiving unit still owes the raiser something.
OPEN_STATES = (ObstacleState.RAISED, ObstacleState.ACKNOWLEDGED, ObstacleState.IN_PROGRESS)
CLOSED_STATES = (ObstacleState.REMOVED, ObstacleState.DECLINED)


class RoutingBasis(models.TextChoices):
    DELEGATION_REGISTER = "delegation_register", _("The delegation register")
    AGREEMENT_MANDATE = "agreement_mandate", _("A trust agreement's mandate")
    UNIT_ABOVE = "unit_above", _("The unit above (no mandate found)")


class EventKind(models.TextChoices):
    RAISED = "raised", _("Raised")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    STARTED = "started", _("Work started")
    REMOVED = "removed", _("Removed")
    DECLINED = "declined", _("Declined")
    PASSED_UP = "passed_up", _("Passed further up")
    ESCALATED = "escalated", _("Escalated")


class SupportKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", _("Working days to acknowledgement")
    REMOVAL = "removal", _("Working days to removal")
