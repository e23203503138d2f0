"""The support indicators: how fast each receiving unit answers and removes obstacles, written by Tillit
itself as monthly observations of two platform indicators per unit (the upper level's side of the
agreement, followed like any other indicator)."""

from collections import defaultdict

from django.db import transaction
from django.utils.translation import gettext_lazy

from tillit.chain.access import Access
from tillit.chain.models import Unit
from tillit.indicators import services as indicator_services
from tillit.indicators.enums import ChangeSource, DataType, Direction, Frequency, Origin
from tillit.indicators.models import Indicator
from tillit.obstacles.enums import SupportKind
from tillit.obstacles.models import SupportIndicator
from tillit.obstacles.selectors import support_lead_times
from tillit.obstacles.services.lifecycle import stored

SUPPORT_SPECS = {
    SupportKind.ACKNOWLEDGEMENT: {
        "name": gettext_lazy("Obstacles: working days to acknowledgement"),
        "definition": gettext_lazy(
            "The mean number of working days from an obstacle reaching the unit until the unit acknowledged "
            "it, for obstacles acknowledged in the month. Weekends and public holidays do not count."
        ),
    },
    SupportKind.REMOVAL: {
        "name": gettext_lazy("Obstacles: working days to removal"),
        "definition": gettext_lazy(
            "The mean number of working days from an obstacle reaching the unit until it was removed, for "
            "obstacles removed in the month. Weekends and public holidays do not count."
        ),
    },
}
SUPPORT_PURPOSE_LINK = gettext_lazy(
    "The upper level's side of the agreement: to support, remove obstacles and answer in the promised time."
)
SUPPORT_MEASURE = gettext_lazy("working days")


def _support_indicator(unit: Unit, kind: str) -> Indicator:
    mapping = SupportIndicator.objects.filter(unit=unit, kind=kind).select_related("indicator").first()
    if mapping is not None:
        return mapping.indicator
    spec = {key: stored(text) for key, text in SUPPORT_SPECS[kind].items()}
    indicator = Indicator.objects.filter(unit=unit, name=spec["name"], origin=Origin.PLATFORM).first()
    if indicator is None:
        indicator = indicator_services.indicator_create(
            actor=None,
            access=Access.system(unit.organisation_id),
            unit=unit,
            name=spec["name"],
            definition=spec["definition"],
            purpose_link=stored(SUPPORT_PURPOSE_LINK),
            data_type=DataType.MEASUREMENT,
            direction=Direction.DOWN,
            frequency=Frequency.MONTH,
            measure_label=stored(SUPPORT_MEASURE),
            origin=Origin.PLATFORM,
        )
    SupportIndicator.objects.create(
        organisation_id=unit.organisation_id, unit=unit, kind=kind, indicator=indicator
    )
    return indicator


@transaction.atomic
def support_indicators_refresh(*, organisation_id: int, unit_ids=None) -> dict[int, list[Indicator]]:
    """(Re)compute the receiving units' lead-time indicators: one observation per month, the mean
    working days of the obstacles answered (resp. removed) that month. Tillit writes them itself
    (no actor, `Access.system()`); the observations service schedules their analysis."""
    lead_times = support_lead_times(organisation_id=organisation_id, unit_ids=unit_ids)
    units = Unit.objects.in_bulk({unit_id for unit_id, _kind in lead_times})
    written: dict[int, list[Indicator]] = defaultdict(list)
    for (unit_id, kind), months in sorted(lead_times.items()):
        unit = units[unit_id]
        if unit.organisation_id != organisation_id:
            continue
        with transaction.atomic():
            # Two refreshes of one unit (two answers close together) must not both create its indicator.
            Unit.objects.select_for_update().filter(pk=unit_id).first()
            indicator = _support_indicator(unit, kind)
        rows = [
            indicator_services.ObservationInput(period=month, value=round(sum(days) / len(days), 2))
            for month, days in sorted(months.items())
        ]
        indicator_services.observations_record(
            actor=None,
            access=Access.system(organisation_id),
            indicator=indicator,
            rows=rows,
            source=ChangeSource.PLATFORM,
        )
        written[unit_id].append(indicator)
    return dict(written)
