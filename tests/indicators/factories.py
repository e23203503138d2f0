"""Objects of the indicators room for other tests (the isolation table's targets)."""

from datetime import date

from tests.factories.indicators import indicator as make_indicator
from tillit.chain.access import Access
from tillit.indicators.services import (
    ObservationInput,
    observation_import_create,
    observations_record,
    phase_change_create,
)


def indicator_targets(*, unit, person) -> dict:
    """An indicator of the unit with a value and a phase change, and an uploaded, unapplied file."""
    indicator = make_indicator(unit, name="Isolering: fall", definition="Antal fall i hemmet per månad.")
    observations_record(
        actor=None,
        access=Access.system(),
        indicator=indicator,
        rows=[ObservationInput(date(2024, 1, 1), 3)],
        source="demo",
    )
    phase_change = phase_change_create(
        actor=None, access=Access.system(), indicator=indicator, period=date(2024, 1, 1), label="Ny planering"
    )
    observation_import = observation_import_create(
        actor=person,
        access=Access.system(),
        unit=unit,
        filename="isolering.csv",
        content="indikator;period;värde\nIsolering: fall;2024-02;4\n".encode(),
    )
    return {
        "indicator_id": indicator.pk,
        "phase_change_id": phase_change.pk,
        "import_id": observation_import.pk,
    }
