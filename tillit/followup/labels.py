"""Words for the engine's status codes, in the active language. Never a colour alone, never a rank."""

from django.utils.translation import gettext_lazy as _

from tillit.analysis import Assurance, Variation
from tillit.charts.spc import variation_text


def variation_label(variation: int) -> str:
    """The variation status in the chart's own words (its summary and legend say the same)."""
    return variation_text(Variation(variation)) or str(_("Too few values for process limits yet"))


ASSURANCE_LABELS = {
    Assurance.NONE: _("No agreed boundary"),
    Assurance.INSIDE: _("The process limits lie inside the agreed boundary"),
    Assurance.HIT_OR_MISS: _("Hit or miss: the boundary lies between the process limits"),
    Assurance.OUTSIDE: _("The process limits lie beyond the agreed boundary: reliably outside"),
}


def reasons_for_look(result) -> list[str]:
    """Why a series is on the joint-look list, most serious first."""
    reasons = []
    if result.boundary_crossed:
        reasons.append(str(_("The latest value crossed an agreed boundary")))
    if result.assurance in (Assurance.OUTSIDE, Assurance.HIT_OR_MISS):
        reasons.append(str(ASSURANCE_LABELS[Assurance(result.assurance)]))
    if result.variation in (Variation.CONCERN_HIGH, Variation.CONCERN_LOW):
        reasons.append(variation_label(result.variation))
    return reasons
