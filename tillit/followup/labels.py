"""Words for the engine's status codes, in the active language. Never a colour alone, never a rank.

Why a series needs a joint look has its own words, with its codes: `tillit.followup.reasons`.
"""

from django.utils.translation import gettext_lazy as _

from tillit.analysis import Assurance, Variation
from tillit.charts.spc import variation_text
from tillit.followup.reasons import Reason


def variation_label(variation: int) -> str:
    """The variation status in the chart's own words (its summary and legend say the same)."""
    return variation_text(Variation(variation)) or str(_("Too few values for process limits yet"))


ASSURANCE_LABELS = {
    Assurance.NONE: _("No agreed boundary"),
    Assurance.INSIDE: _("The process limits lie inside the agreed boundary"),
    Assurance.HIT_OR_MISS: Reason.HIT_OR_MISS.label,
    Assurance.OUTSIDE: Reason.OUTSIDE.label,
}
