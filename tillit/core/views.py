"""Helpers shared by the pages of every room."""

from django.core.exceptions import PermissionDenied

from tillit.chain import selectors as chain_selectors


def unit_context(unit, **extra) -> dict:
    """The context of a page about a unit: the unit and its chain for the breadcrumb, and the rest."""
    return {"unit": unit, "chain": chain_selectors.unit_chain(unit=unit), **extra}


def can_change(access, unit) -> bool:
    """Whether the person may change what belongs to the unit: they write there and the unit is open."""
    return access.can_write(unit) and unit.closed_at is None


def require_change(request, unit) -> None:
    """403 unless the person may change what belongs to the unit."""
    if not can_change(request.access, unit):
        raise PermissionDenied


def unit_get_changeable(request, unit_id: int):
    """The unit named in the URL, for a page that changes it: 404 outside the person's chain, 403 inside
    it without the right to write there or when the unit is closed."""
    unit = chain_selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    require_change(request, unit)
    return unit
