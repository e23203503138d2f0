from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    JOINT_LOOK_OPENED = "joint_look.opened", _("A joint look was opened")
    JOINT_LOOK_CLOSED = "joint_look.closed", _("A joint look was closed")
    OBSTACLE_RECEIVED = "obstacle.received", _("An obstacle came to your unit")
    OBSTACLE_ANSWERED = "obstacle.answered", _("An obstacle you follow was answered")
    OBSTACLE_OVERDUE = "obstacle.overdue", _("An obstacle has not been answered in time")


class Delivery(models.TextChoices):
    OFF = "off", _("Not at all")
    INBOX = "inbox", _("In the inbox only")
    EMAIL = "email", _("In the inbox and by e-mail at once")
    DIGEST = "digest", _("In the inbox and in the daily e-mail digest")
