from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PulseState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("pulse state", "Being prepared")
    OPEN = "open", pgettext_lazy("pulse state", "Open for answers")
    CLOSED = "closed", pgettext_lazy("pulse state", "Closed, results published")


class Relation(models.TextChoices):
    """Whom an item asks about: a relation in the steering chain, never a person's performance."""

    TEAM = "team", _("we in the work group")
    NEAREST_MANAGER = "nearest_manager", _("my nearest manager")
    LEVEL_ABOVE = "level_above", _("the management of the administration")
    POLITICIANS = "politicians", _("the politicians in the committee")
    SUPPORT = "support", _("the support function")


class Construct(models.TextChoices):
    """What an item measures (kan, vill, våga and the guiding principles)."""

    ABILITY = "ability", _("Ability (kan)")
    BENEVOLENCE = "benevolence", _("Benevolence (vill)")
    INTEGRITY = "integrity", _("Integrity (står för)")
    PSYCHOLOGICAL_SAFETY = "psychological_safety", _("Psychological safety (vågar)")
    PRINCIPLE = "principle", _("Guiding principle")
