"""The support indicators' reads: the lead times of the receiving units, read from the obstacles'
history, and a unit's lead-time indicators with their latest month."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from tillit.chain.models import Unit
from tillit.core.workdays import working_days_between
from tillit.indicators.models import Observation
from tillit.obstacles.enums import EventKind, SupportKind
from tillit.obstacles.models import ObstacleEvent, SupportIndicator

ARRIVALS = (EventKind.RAISED, EventKind.PASSED_UP, EventKind.ESCALATED)
ANSWERS = (EventKind.ACKNOWLEDGED, EventKind.DECLINED, EventKind.REMOVED, EventKind.PASSED_UP)


def support_lead_times(
    *, organisation_id: int, unit_ids=None
) -> dict[tuple[int, str], dict[date, list[int]]]:
    """Working days from an obstacle's arrival at a unit to the unit's first answer (acknowledgement)
    and to its removal, by (unit, kind) and month of the answer.

    Read from the history, so an obstacle passed on keeps counting for the unit that answered it. The
    first answer is an acknowledgement, a decline, a removal or a pass-up, whichever came first."""
    events = ObstacleEvent.objects.filter(organisation_id=organisation_id).order_by("obstacle_id", "at", "pk")
    if unit_ids is not None:
        events = events.filter(
            obstacle__in=ObstacleEvent.objects.filter(to_unit_id__in=unit_ids).values("obstacle_id")
        )
    result: dict[tuple[int, str], dict[date, list[int]]] = defaultdict(lambda: defaultdict(list))
    arrived: dict[tuple[int, int], datetime] = {}
    answered: set[tuple[int, int]] = set()
    for event in events.only("obstacle_id", "kind", "from_unit_id", "to_unit_id", "at"):
        if event.kind in ANSWERS:
            key = (event.obstacle_id, event.from_unit_id)
            start = arrived.get(key)
            if start is not None and (unit_ids is None or event.from_unit_id in unit_ids):
                end = timezone.localdate(event.at)
                days = working_days_between(timezone.localdate(start), end)
                month = end.replace(day=1)
                if key not in answered:
                    answered.add(key)
                    result[(event.from_unit_id, SupportKind.ACKNOWLEDGEMENT)][month].append(days)
                if event.kind == EventKind.REMOVED:
                    result[(event.from_unit_id, SupportKind.REMOVAL)][month].append(days)
        if event.kind in ARRIVALS and event.to_unit_id:
            key = (event.obstacle_id, event.to_unit_id)
            arrived[key] = event.at
            answered.discard(key)
    return result


@dataclass(frozen=True)
class SupportFigure:
    kind: str
    label: str
    indicator_id: int
    latest_period: date | None
    latest_value: float | None
    months: int


def support_summary(*, unit: Unit) -> list[SupportFigure]:
    """The unit's lead-time indicators as the receiving level, with their latest month (2 queries)."""
    mappings = list(
        SupportIndicator.objects.filter(unit=unit, organisation_id=unit.organisation_id).select_related(
            "indicator"
        )
    )
    observations: dict[int, list[Observation]] = {}
    for observation in Observation.objects.filter(
        indicator_id__in=[m.indicator_id for m in mappings], organisation_id=unit.organisation_id
    ).order_by("period"):
        observations.setdefault(observation.indicator_id, []).append(observation)
    figures = []
    for mapping in sorted(mappings, key=lambda m: m.kind != SupportKind.ACKNOWLEDGEMENT):
        rows = observations.get(mapping.indicator_id, [])
        figures.append(
            SupportFigure(
                kind=mapping.kind,
                label=SupportKind(mapping.kind).label,
                indicator_id=mapping.indicator_id,
                latest_period=rows[-1].period if rows else None,
                latest_value=rows[-1].value if rows else None,
                months=len(rows),
            )
        )
    return figures
