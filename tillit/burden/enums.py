from django.db import models
from django.utils.translation import gettext_lazy as _


class RequesterKind(models.TextChoices):
    CHAIN_LEVEL = "chain_level", _("A level in the steering chain")
    STATE_AGENCY = "state_agency", _("A state agency")
    REGULATOR = "regulator", _("A supervisory authority")
    OTHER = "other", _("Other")


class ReportFrequency(models.TextChoices):
    WEEK = "week", _("Every week")
    MONTH = "month", _("Every month")
    QUARTER = "quarter", _("Every quarter")
    TERTIAL = "tertial", _("Every tertial")
    HALF_YEAR = "half_year", _("Every half-year")
    YEAR = "year", _("Once a year")
    AD_HOC = "ad_hoc", _("Ad hoc")


# Times per year of each fixed frequency; ad hoc carries its own count.
TIMES_PER_YEAR = {
    ReportFrequency.WEEK: 52,
    ReportFrequency.MONTH: 12,
    ReportFrequency.QUARTER: 4,
    ReportFrequency.TERTIAL: 3,
    ReportFrequency.HALF_YEAR: 2,
    ReportFrequency.YEAR: 1,
}


class UsageKind(models.TextChoices):
    INDICATOR_PAGE_VIEW = "indicator_page_view", _("Indicator page viewed")
    CHART_VIEW = "chart_view", _("Chart viewed in follow-up")
    JOINT_LOOK = "joint_look", _("Used in a joint look")
    EXPERIMENT = "experiment", _("Used in an experiment")
    REPORT_OPENED = "report_opened", _("Report opened")


class RemovalAnswer(models.TextChoices):
    KEEP = "keep", _("Keep it")
    REMOVE = "remove", _("Remove it")
    CHANGE = "change", _("Change it")


class DataRequestState(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    DECLINED = "declined", _("Declined")
