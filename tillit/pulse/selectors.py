"""Reads of the trust pulse. Results are read only through `rules.can_read_results`: a unit's own, or
shared with the levels above it; never a table of units side by side."""

from dataclasses import dataclass, field

from django.urls import reverse

from tillit.chain.access import Access
from tillit.chain.models import Unit
from tillit.pulse import rules
from tillit.pulse.enums import PulseState
from tillit.pulse.instrument import BY_CODE, Item
from tillit.pulse.models import FreeTextAnswer, Pulse, PulseCell, PulseUnit


def answer_path() -> str:
    return reverse("pulse:answer")


def pulses_for(access: Access):
    """The pulses of the parts of the chain this person reads, newest first."""
    if access.organisation_id is None and not access.is_system:
        return Pulse.objects.none()
    return (
        Pulse.objects.filter(scope__in=Unit.objects.filter(access.readable_units_filter()))
        .select_related("scope")
        .order_by("-closes_on", "-pk")
    )


def open_pulses_for_person(access: Access) -> list[Pulse]:
    """Open pulses whose frame holds one of the person's units: "Tillitspulsen är öppen". Whether the
    person has answered is unknown to Tillit, so it is never said."""
    if access.person_id is None:
        return []
    own = [path.strip("/").split("/")[-1] for path in access.member_paths]
    return list(
        Pulse.objects.filter(state=PulseState.OPEN, frame__unit_id__in=[int(x) for x in own if x])
        .distinct()
        .select_related("scope")
    )


@dataclass
class ItemResult:
    item: Item
    text: str
    cell: PulseCell | None


@dataclass
class UnitResult:
    pulse_unit: PulseUnit
    is_own: bool
    items: list[ItemResult] = field(default_factory=list)


def results_for(access: Access, pulse: Pulse) -> list[UnitResult]:
    """The frame units whose results this person reads, each with its cells in the pulse's item order."""
    if pulse.state != PulseState.CLOSED:
        return []
    frame = list(PulseUnit.objects.filter(pulse=pulse).select_related("unit", "pulse").order_by("frame_path"))
    readable = [row for row in frame if rules.can_read_results(access, row)]
    cells: dict[tuple[int, str], PulseCell] = {
        (cell.pulse_unit_id, cell.item): cell for cell in PulseCell.objects.filter(pulse_unit__in=readable)
    }
    results = []
    for row in readable:
        result = UnitResult(pulse_unit=row, is_own=rules.is_member_of(access, row))
        for code in pulse.items:
            item = BY_CODE[code]
            result.items.append(
                ItemResult(
                    item=item,
                    text=item.text(support_referent=pulse.support_referent),
                    cell=cells.get((row.pk, code)),
                )
            )
        results.append(result)
    return results


@dataclass(frozen=True)
class RoundPoint:
    pulse: Pulse
    cell: PulseCell | None


def unit_history(access: Access, unit, item_code: str) -> list[RoundPoint]:
    """One item's results for a unit over the closed rounds that asked it, oldest first: the run chart's
    points. Only rounds whose results this person may read."""
    rows = (
        PulseUnit.objects.filter(unit=unit, pulse__state=PulseState.CLOSED)
        .select_related("pulse", "unit")
        .order_by("pulse__closes_on", "pulse__pk")
    )
    points = []
    readable = [row for row in rows if item_code in row.pulse.items and rules.can_read_results(access, row)]
    cells = {
        cell.pulse_unit_id: cell for cell in PulseCell.objects.filter(pulse_unit__in=readable, item=item_code)
    }
    for row in readable:
        points.append(RoundPoint(pulse=row.pulse, cell=cells.get(row.pk)))
    return points


def free_text_for(access: Access, pulse: Pulse, *, released_only: bool = True):
    """Released free text for those who read the pulse's whole results; the unreleased answers only for
    those who redact them. Shuffled by their random keys, never in the order given."""
    answers = FreeTextAnswer.objects.filter(pulse=pulse).exclude(text="").order_by("id")
    if released_only:
        return answers.filter(released=True)
    if not rules.can_release_free_text(access, pulse):
        return FreeTextAnswer.objects.none()
    return answers
