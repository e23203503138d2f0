"""Indicators (and their values) through the indicators services: the one builder every test uses."""

from collections.abc import Sequence
from datetime import date

from tillit.chain.access import Access
from tillit.indicators.models import Indicator
from tillit.indicators.services import ObservationInput, indicator_create, observations_record

DEFAULTS = {
    "name": "Test: fall i hemmet",
    "definition": "Antal fall som rapporterats i avvikelsesystemet under månaden.",
    "purpose_link": "Trygghet hemma",
    "data_type": "count",
    "direction": "down",
    "frequency": "month",
    "measure_label": "fall",
    "origin": "unit",
    "required_by": "",
}


def month(index: int, start: date = date(2024, 1, 1)) -> date:
    """The first day of the month `index` months after `start`."""
    total = start.year * 12 + start.month - 1 + index
    return date(total // 12, total % 12 + 1, 1)


def indicator(unit, *, actor=None, access: Access | None = None, **fields) -> Indicator:
    """An indicator of `unit`: a monthly count of falls unless `fields` say otherwise (by default made
    by Tillit itself, `Access.system()`; pass a person's `actor` and `access` to test their rights)."""
    return indicator_create(actor=actor, access=access or Access.system(), unit=unit, **(DEFAULTS | fields))


def indicator_with_values(
    unit,
    values: Sequence[float | None],
    *,
    start: date = date(2024, 1, 1),
    denominators: Sequence[float] | None = None,
    **fields,
) -> Indicator:
    """An indicator of `unit` with one value a period from `start` (None: no value that period)."""
    made = indicator(unit, **fields)
    rows = [
        ObservationInput(month(i, start), value, None if denominators is None else denominators[i])
        for i, value in enumerate(values)
        if value is not None
    ]
    observations_record(actor=None, access=Access.system(), indicator=made, rows=rows, source="demo")
    return made
