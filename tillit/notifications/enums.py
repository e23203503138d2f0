from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    JOINT_LOOK_OPENED = "joint_look.opened", _("A joint look was opened")
    JOINT_LOOK_CLOSED = "joint_look.closed", _("A joint look was closed")
    OBSTACLE_RECEIVED = "obstacle.received", _("An obstacle came to your unit")
    OBSTACLE_ANSWERED = "obstacle.answered", _("An obstacle you follow was answered")
    OBSTACLE_OVERDUE = "obstacle.overdue", _("An obstacle has not been answered in time")
    EXPERIMENT_INVITED = "experiment.invited", _("Your unit is invited to follow an experiment")
    REMOVAL_PROPOSED = "reporting.removal_proposed", _("A unit proposes removing a report your unit asks for")
    REMOVAL_ANSWERED = "reporting.removal_answered", _("A proposal to remove a report was answered")
    DATA_REQUESTED = "data_request.created", _("A unit asks your unit for data")
    DATA_REQUEST_ANSWERED = "data_request.answered", _("A request for data was answered")
    PULSE_INVITED = "pulse.invited", _("You are invited to answer the trust pulse")
    PULSE_REMINDED = "pulse.reminded", _("A reminder to answer the trust pulse")
    PULSE_PUBLISHED = "pulse.published", _("The trust pulse's results are published")


class Delivery(models.TextChoices):
    OFF = "off", _("Not at all")
    INBOX = "inbox", _("In the inbox only")
    EMAIL = "email", _("In the inbox and by e-mail at once")
    DIGEST = "digest", _("In the inbox and in the daily e-mail digest")
