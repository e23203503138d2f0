"""Why something needs a joint look: the one list of reasons, the one rule that finds them, the one set of
words for them.

The analysis stores the reasons of each result with it (`AnalysisResult.reasons`, `severity`); the
joint-look view sorts on the stored severity, and a look opened by follow-up copies the codes. The engine
(`tillit.analysis`) knows nothing of joint looks: it gives the codes (variation, assurance, a crossed
boundary), and this module, on the Django side, says which of them call for a look and in which words.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tillit.analysis import Assurance, Variation


class Reason(models.TextChoices):
    """Most serious first: the order of the members is the order of severity."""

    BOUNDARY_CROSSED = "boundary_crossed", _("The latest value crossed an agreed boundary")
    BOUNDARY_REPORT = "boundary_report", _("A qualitative boundary was reported as crossed")
    OUTSIDE = "outside", _("The process limits lie beyond the agreed boundary: reliably outside")
    HIT_OR_MISS = "hit_or_miss", _("Hit or miss: the boundary lies between the process limits")
    SPECIAL_CAUSE = "special_cause", _("A signal of concern: something special has happened")


# A reason outweighs every combination of the reasons after it: one bit each, the first the highest.
_WEIGHT = {reason: 1 << (len(Reason) - 1 - position) for position, reason in enumerate(Reason)}
_CONCERN = (Variation.CONCERN_HIGH, Variation.CONCERN_LOW)


def look_reasons(*, variation: int, assurance: int, boundary_crossed: bool) -> list[Reason]:
    """Why a series needs a joint look, most serious first; empty when it needs none: a crossed boundary,
    a boundary beyond or between the process limits, or a special cause of concern."""
    reasons = []
    if boundary_crossed:
        reasons.append(Reason.BOUNDARY_CROSSED)
    if assurance == Assurance.OUTSIDE:
        reasons.append(Reason.OUTSIDE)
    elif assurance == Assurance.HIT_OR_MISS:
        reasons.append(Reason.HIT_OR_MISS)
    if variation in _CONCERN:
        reasons.append(Reason.SPECIAL_CAUSE)
    return reasons


def severity(codes) -> int:
    """How serious these reasons are together (higher first): the stored sort key of the joint-look view."""
    return sum(_WEIGHT[Reason(code)] for code in set(codes))


def reason_labels(codes) -> list[str]:
    """The reasons in words, in the active language (unknown codes are left out)."""
    return [str(Reason(code).label) for code in codes if code in Reason.values]
