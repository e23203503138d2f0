"""Reads of the trust pulse. Results are read only through `rules.can_read_results`: a unit's own, or
shared with the levels above it; never a table of units side by side."""

from dataclasses import dataclass, field

from django.urls import reverse

from tillit.chain.access import Access
from tillit.chain.models import Unit
from tillit.pulse import rules
from tillit.pulse.enums import PulseState
from tillit.pulse.instrument import BY_CODE, Item
from tillit.pulse.models import FreeTextAnswer, Invitation, Pulse, PulseCell, PulseUnit, Response
from tillit.pulse.tokens import token_hash


def answer_path() -> str:
    return reverse("pulse:answer")


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation of an answer code, with its pulse: a read of the code's hash and nothing else (no
    lock, no write). `pulse_answer` checks everything again when the answer is stored."""
    return Invitation.objects.filter(token_hash=token_hash(token)).select_related("pulse").first()


def pulses_for(access: Access):
    """The pulses of the parts of the chain this person reads, newest first."""
    if access.organisation_id is None and not access.is_system:
        return Pulse.objects.none()
    return (
        Pulse.objects.filter(scope__in=Unit.objects.filter(access.readable_units_filter()))
        .select_related("scope")
        .order_by("-closes_on", "-pk")
    )


def pulse_get_readable(access: Access, pulse_id: int) -> Pulse | None:
    """A pulse of the person's chain, or None: outside the chain, in another organisation, or a draft the
    person does not manage (a draft is its managers' work in progress)."""
    pulse = pulses_for(access).filter(pk=pulse_id).first()
    if pulse is None or not rules.can_see_pulse(access, pulse):
        return None
    if pulse.state == PulseState.DRAFT and not rules.can_manage_pulse(access, pulse):
        return None
    return pulse


def pulse_wholes(pulses) -> dict[int, PulseUnit]:
    """Pulse id → the frame's top row of each closed pulse (the scope as asked, with the whole's banded
    count), in one query."""
    closed = [pulse.pk for pulse in pulses if pulse.state == PulseState.CLOSED]
    if not closed:
        return {}
    return {row.pulse_id: row for row in PulseUnit.objects.filter(pulse_id__in=closed, parent__isnull=True)}


def pulse_whole(pulse: Pulse) -> PulseUnit | None:
    return pulse_wholes([pulse]).get(pulse.pk)


def frame_unit(access: Access, pulse: Pulse, unit_id: int) -> PulseUnit | None:
    """A unit as the pulse asked it, when the person reads that unit."""
    row = (
        PulseUnit.objects.select_related("unit__organisation", "pulse")
        .filter(pulse=pulse, unit_id=unit_id)
        .first()
    )
    if row is None or not access.can_read(row.unit):
        return None
    return row


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
    withheld: bool = False  # read only by the units below (rules.can_read_item)


@dataclass
class UnitResult:
    pulse_unit: PulseUnit
    is_own: bool
    items: list[ItemResult] = field(default_factory=list)


def results_for(access: Access, pulse: Pulse) -> list[UnitResult]:
    """The frame units whose results this person reads, each with its cells in the pulse's item order.
    Nothing while the pulse is open (S-05): the state is read from the database, not the given object."""
    if not Pulse.objects.filter(pk=pulse.pk, state=PulseState.CLOSED).exists():
        return []
    frame = list(PulseUnit.objects.filter(pulse=pulse).select_related("unit", "pulse").order_by("frame_path"))
    readable = [row for row in frame if rules.can_read_results(access, row)]
    cells: dict[tuple[int, str], PulseCell] = {
        (cell.pulse_unit_id, cell.item): cell for cell in PulseCell.objects.filter(pulse_unit__in=readable)
    }
    with_units_below = {row.parent_id for row in frame}
    results = []
    for row in readable:
        result = UnitResult(pulse_unit=row, is_own=rules.is_member_of(access, row))
        for code in pulse.items:
            item = BY_CODE[code]
            readable_item = rules.can_read_item(access, row, item, has_units_below=row.pk in with_units_below)
            result.items.append(
                ItemResult(
                    item=item,
                    text=item.text(support_referent=pulse.support_referent),
                    cell=cells.get((row.pk, code)) if readable_item else None,
                    withheld=not readable_item,
                )
            )
        results.append(result)
    return results


@dataclass(frozen=True)
class RoundPoint:
    pulse: Pulse
    cell: PulseCell | None


def unit_histories(access: Access, unit) -> dict[str, list[RoundPoint]]:
    """Every question's results for a unit over the closed rounds that asked it, oldest first: the run
    charts' points, in the order the questions were first asked. Only rounds and questions this person may
    read. Three queries, whatever the number of rounds and questions."""
    rows = (
        PulseUnit.objects.filter(unit=unit, pulse__state=PulseState.CLOSED)
        .select_related("pulse", "unit")
        .order_by("pulse__closes_on", "pulse__pk")
    )
    readable = [row for row in rows if rules.can_read_results(access, row)]
    with_units_below = set(
        PulseUnit.objects.filter(parent__in=readable).values_list("parent_id", flat=True).distinct()
    )
    cells = {
        (cell.pulse_unit_id, cell.item): cell for cell in PulseCell.objects.filter(pulse_unit__in=readable)
    }
    histories: dict[str, list[RoundPoint]] = {}
    for row in readable:
        for code in row.pulse.items:
            item = BY_CODE.get(code)
            if item is None or not rules.can_read_item(
                access, row, item, has_units_below=row.pk in with_units_below
            ):
                continue
            histories.setdefault(code, []).append(RoundPoint(pulse=row.pulse, cell=cells.get((row.pk, code))))
    return histories


def unit_history(access: Access, unit, item_code: str) -> list[RoundPoint]:
    """One question's points of `unit_histories`."""
    return unit_histories(access, unit).get(item_code, [])


def free_text_for(access: Access, pulse: Pulse, *, released_only: bool = True):
    """The free-text answers of a closed pulse answered by at least its free-text threshold (S-02), in the
    random order of their keys, never the order given. `released_only` (the default): the redacted,
    released answers, for those who read the results of the pulse's whole scope. Otherwise every answer,
    for those who redact and release them. Nothing at all while the pulse is open or below the threshold."""
    fresh = Pulse.objects.filter(pk=pulse.pk, state=PulseState.CLOSED).first()
    if fresh is None or not fresh.asks_free_text or not enough_for_free_text(fresh):
        return FreeTextAnswer.objects.none()
    answers = FreeTextAnswer.objects.filter(pulse=fresh).exclude(text="").order_by("id")
    if released_only:
        whole = (
            PulseUnit.objects.filter(pulse=fresh, parent__isnull=True).select_related("unit", "pulse").first()
        )
        readable = rules.can_release_free_text(access, fresh) or (
            whole is not None and rules.can_read_results(access, whole)
        )
        return answers.filter(released=True) if readable else FreeTextAnswer.objects.none()
    if not rules.can_release_free_text(access, fresh):
        return FreeTextAnswer.objects.none()
    return answers


def enough_for_free_text(pulse: Pulse) -> bool:
    """Free text is shown only when at least the free-text threshold of people answered the pulse (S-02)."""
    answered = Response.objects.filter(pulse=pulse, answers__isnull=False).count()
    return answered >= pulse.min_free_text_group_size


def count_band_text(low: int | None, high: int | None) -> str:
    """A stored count band as people read it: "<5", "5–9", "500+"; "" when it is not shown (suppressed
    against differencing, or not computed). Rates are [low, high) percent: show f"{low}–{high} %"."""
    if low is None or high is None or low < 0:
        return ""
    if low == 0:
        return f"<{high + 1}"
    if high < 0:
        return f"{low}+"
    return f"{low}–{high}"
