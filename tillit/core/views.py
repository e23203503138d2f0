"""Helpers shared by the pages of every room."""

from tillit.chain import selectors as chain_selectors
from tillit.chain.rules import can_change_unit
from tillit.core.permissions import require


def unit_context(unit, **extra) -> dict:
    """The context of a page about a unit: the unit and its chain for the breadcrumb, and the rest."""
    return {"unit": unit, "chain": chain_selectors.unit_chain(unit=unit), **extra}


can_change = can_change_unit  # the rule's owner is chain.rules; the name is kept for the pages that ask it


def require_change(request, unit) -> None:
    """403 unless the person may change what belongs to the unit."""
    require(can_change_unit(request.access, unit))


def unit_get_changeable(request, unit_id: int):
    """The unit named in the URL, for a page that changes it: 404 outside the person's chain, 403 inside
    it without the right to write there or when the unit is closed."""
    unit = chain_selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    require_change(request, unit)
    return unit
