"""What the pulse's signed-in pages share: reading a pulse one may see or manage, and banded counts in words."""

from django.http import Http404
from django.utils.translation import gettext as _

from tillit.chain import selectors as chain_selectors
from tillit.core.permissions import require
from tillit.pulse import rules, selectors

# ------------------------------------------------------------------------------------- shared helpers


def _band(low, high, *, percent: bool = False) -> str:
    """A banded count ("10–19", "<5", "500+") or rate ("60–70 %"); empty where nothing may be shown."""
    if not percent:
        return selectors.count_band_text(low, high)
    if low is None or high is None or low < 0:
        return ""
    return _("%(low)s–%(high)s %%") % {"low": low, "high": high}


def _respondents(pulse_unit) -> str:
    """ "10–19 answers, 60–70 %" for a unit whose count may be shown; empty otherwise."""
    answers = _band(pulse_unit.respondents_low, pulse_unit.respondents_high)
    if not answers:
        return ""
    rate = _band(pulse_unit.rate_low, pulse_unit.rate_high, percent=True)
    text = _("%(answers)s answers") % {"answers": answers}
    return _("%(answers)s, %(rate)s of those invited") % {"answers": text, "rate": rate} if rate else text


def _pulse(request, pulse_id: int):
    """A pulse of the person's chain: 404 outside it, and 404 for a draft to those who do not manage it."""
    pulse = selectors.pulse_get_readable(request.access, pulse_id)
    if pulse is None:
        raise Http404
    return pulse


def _managed_pulse(request, pulse_id: int):
    """A pulse the person manages: 404 outside the chain, 403 inside it without the right."""
    pulse = _pulse(request, pulse_id)
    require(rules.can_manage_pulse(request.access, pulse))
    return pulse


def _whole_respondents(pulses) -> list[tuple[object, str]]:
    """Each pulse with its whole's banded count and rate (the frame's top row), once closed; one query."""
    wholes = selectors.pulse_wholes(pulses)
    return [(pulse, _respondents(wholes[pulse.pk]) if pulse.pk in wholes else "") for pulse in pulses]


def _scopes(access):
    """The units the person may prepare a pulse for (those they manage), in tree order."""
    units = chain_selectors.unit_list_readable(access=access).order_by("path")
    return [unit for unit in units if rules.can_prepare_pulses_for(access, unit)]
