from django.db import models
from django.utils.translation import gettext_lazy as _


class DataType(models.TextChoices):
    MEASUREMENT = "measurement", _("Measurement")
    COUNT = "count", _("Count")
    PROPORTION = "proportion", _("Proportion (numerator of a denominator)")
    RATE = "rate", _("Rate per exposure")
    DAYS_BETWEEN = "days_between", _("Days between events")


# Data types that need a denominator with every value.
WITH_DENOMINATOR = {DataType.PROPORTION, DataType.RATE}


class Direction(models.TextChoices):
    UP = "up", _("Higher is better")
    DOWN = "down", _("Lower is better")
    NEUTRAL = "neutral", _("Neither: we watch for change")


class Frequency(models.TextChoices):
    WEEK = "week", _("Week")
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class Origin(models.TextChoices):
    UNIT = "unit", _("The unit asked for it")
    EXTERNAL = "external", _("Required from outside")
    PLATFORM = "platform", _("Tillit measures it (the support of the level above)")


class ChangeSource(models.TextChoices):
    FORM = "form", _("Form")
    IMPORT = "import", _("File import")
    API = "api", _("API")
    DEMO = "demo", _("Demo data")
    PLATFORM = "platform", _("Computed by Tillit")
