"""Writes of the indicators room, one module per seam: indicators, observations (the one write path),
file imports, narratives and phase changes.

Every write is one transaction with one audit event; a write that changes nothing writes nothing (no
audit noise, no analysis run). Every write asks `rules` with the caller's `Access`
(`Access.system()` for tasks and the demo).
"""

# Other rooms (obstacles, experiments, the demo, the API) call the writes by `services.<name>`; the
# package answers for its modules so that they need not know its seams.
from tillit.indicators.selectors.observations import (
    ObservationEntry,
    ObservationInput,
    RecordPlan,
    RecordSummary,
    RowProblem,
)
from tillit.indicators.services.imports import observation_import_apply, observation_import_create
from tillit.indicators.services.indicators import (
    INDICATOR_FIELDS,
    indicator_create,
    indicator_retire,
    indicator_update,
)
from tillit.indicators.services.narratives import narrative_write
from tillit.indicators.services.observations import (
    ObservationsInvalidError,
    observations_record,
    observations_record_for_unit,
)
from tillit.indicators.services.phases import phase_change_create, phase_change_delete

__all__ = [
    "INDICATOR_FIELDS",
    "ObservationEntry",
    "ObservationInput",
    "ObservationsInvalidError",
    "RecordPlan",
    "RecordSummary",
    "RowProblem",
    "indicator_create",
    "indicator_retire",
    "indicator_update",
    "narrative_write",
    "observation_import_apply",
    "observation_import_create",
    "observations_record",
    "observations_record_for_unit",
    "phase_change_create",
    "phase_change_delete",
]
