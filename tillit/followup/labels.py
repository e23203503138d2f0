"""Words for the engine's status codes, in the active language. Never a colour alone, never a rank."""

from django.utils.translation import gettext_lazy as _

from tillit.analysis import Assurance, Variation

VARIATION_LABELS = {
    Variation.NONE: _("Too little data for process limits yet"),
    Variation.COMMON: _("Routine variation"),
    Variation.IMPROVEMENT_HIGH: _("Signal of improvement (high values)"),
    Variation.IMPROVEMENT_LOW: _("Signal of improvement (low values)"),
    Variation.CONCERN_HIGH: _("Signal of concern (high values)"),
    Variation.CONCERN_LOW: _("Signal of concern (low values)"),
    Variation.SPECIAL_HIGH: _("Signal (high values)"),
    Variation.SPECIAL_LOW: _("Signal (low values)"),
}

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
        reasons.append(str(VARIATION_LABELS[Variation(result.variation)]))
    return reasons
