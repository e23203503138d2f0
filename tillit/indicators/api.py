"""JSON API of the indicators room, mounted at /api/v1/ by tillit.api.api.

Reads follow the pages: a unit outside the caller's chain answers 404, never 403. The bulk write takes
the same path as the forms and the file import (`observations_record_for_unit`): every row is checked,
and either all rows are recorded or none, with every problem and its row index (from 0).
"""

from datetime import date, datetime

from django.utils.translation import gettext as _
from ninja import Router, Schema

from tillit.api.schemas import DetailOut, ProblemsOut
from tillit.chain import selectors as chain_selectors
from tillit.core.permissions import require
from tillit.indicators import selectors, services
from tillit.indicators.enums import ChangeSource
from tillit.indicators.imports import MAX_ROWS

router = Router(tags=["indicators"])


class IndicatorOut(Schema):
    id: int
    unit_id: int
    name: str
    definition: str
    purpose_link: str
    data_type: str
    direction: str
    frequency: str
    measure_label: str
    scale: float
    origin: str
    required_by: str
    created_at: datetime
    retired_at: datetime | None


class ObservationOut(Schema):
    period: date
    value: float
    denominator: float | None
    comment: str
    updated_at: datetime
    corrections: int


class ObservationIn(Schema):
    indicator_id: int
    period: date
    value: float
    denominator: float | None = None
    comment: str = ""


class IndicatorRecordOut(Schema):
    indicator_id: int
    created: int
    changed: int
    unchanged: int


class RecordOut(Schema):
    created: int
    changed: int
    unchanged: int
    indicators: list[IndicatorRecordOut]


def _indicator_out(indicator) -> IndicatorOut:
    return IndicatorOut(
        id=indicator.pk,
        unit_id=indicator.unit_id,
        name=indicator.name,
        definition=indicator.definition,
        purpose_link=indicator.purpose_link,
        data_type=indicator.data_type,
        direction=indicator.direction,
        frequency=indicator.frequency,
        measure_label=indicator.measure_label,
        scale=indicator.scale,
        origin=indicator.origin,
        required_by=indicator.required_by,
        created_at=indicator.created_at,
        retired_at=indicator.retired_at,
    )


@router.get(
    "/units/{unit_id}/indicators",
    response=list[IndicatorOut],
    summary="The indicators a unit follows, retired ones last",
)
def unit_indicators(request, unit_id: int, include_retired: bool = True):
    unit = chain_selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    return [
        _indicator_out(indicator)
        for indicator in selectors.indicator_list(unit=unit, include_retired=include_retired)
    ]


@router.get("/indicators/{indicator_id}", response=IndicatorOut, summary="One indicator")
def indicator_detail(request, indicator_id: int):
    return _indicator_out(selectors.indicator_get_readable(access=request.access, indicator_id=indicator_id))


@router.get(
    "/indicators/{indicator_id}/observations",
    response=list[ObservationOut],
    summary="An indicator's observations, oldest first, with how often each was corrected",
)
def indicator_observations(request, indicator_id: int, since: date | None = None):
    indicator = selectors.indicator_get_readable(access=request.access, indicator_id=indicator_id)
    observations = selectors.indicator_observations(indicator=indicator)
    if since is not None:
        observations = observations.filter(period__gte=since)
    return [
        ObservationOut(
            period=observation.period,
            value=observation.value,
            denominator=observation.denominator,
            comment=observation.comment,
            updated_at=observation.updated_at,
            corrections=len(observation.changes.all()),
        )
        for observation in observations
    ]


@router.post(
    "/units/{unit_id}/observations",
    response={200: RecordOut, 403: DetailOut, 422: ProblemsOut},
    summary="Record observations of a unit's indicators: all rows or none",
    description=(
        "Each row is one period (its first day) of one of the unit's indicators. New periods are "
        "created, changed values are corrected with their history kept, identical rows change nothing. "
        "If any row is wrong nothing is recorded and the answer (422) lists every problem with the "
        "row's index, counted from 0."
    ),
)
def unit_observations_record(request, unit_id: int, rows: list[ObservationIn]):
    unit = chain_selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    require(request.access.can_write(unit), _("Only the unit's own people can record its data."))
    if len(rows) > MAX_ROWS:
        message = _("At most %(limit)d rows per request.") % {"limit": MAX_ROWS}
        raise services.ObservationsInvalidError([services.RowProblem(index=MAX_ROWS, message=message)])
    entries = [
        services.ObservationEntry(
            row.indicator_id,
            services.ObservationInput(
                period=row.period, value=row.value, denominator=row.denominator, comment=row.comment
            ),
        )
        for row in rows
    ]
    summaries = services.observations_record_for_unit(
        actor=request.auth, access=request.access, unit=unit, entries=entries, source=ChangeSource.API
    )
    total = services.RecordSummary()
    for summary in summaries.values():
        total += summary
    return RecordOut(
        created=total.created,
        changed=total.changed,
        unchanged=total.unchanged,
        indicators=[
            IndicatorRecordOut(indicator_id=pk, created=s.created, changed=s.changed, unchanged=s.unchanged)
            for pk, s in sorted(summaries.items())
        ],
    )
