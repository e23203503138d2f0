"""Reads of joint looks: a sub-tree's looks, one look, who takes part, and the closed looks drawn on charts."""

from collections.abc import Iterable

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from tillit.chain.access import Access
from tillit.chain.models import Membership
from tillit.dialogue.enums import LookOrigin, LookState
from tillit.dialogue.models import JointLook, LookNote, Participant
from tillit.followup.selectors import IndicatorFollowup, UnitFollowup, unit_followup
from tillit.indicators.models import Indicator


def looks_in_subtree(*, access: Access, unit, state: str | None = None) -> QuerySet[JointLook]:
    """The looks of the unit and the units below it that the person may read, newest first (1 query)."""
    looks = JointLook.objects.filter(access.subtree_filter(unit))
    if state is not None:
        looks = looks.filter(state=state)
    return looks.select_related("unit", "unit__level", "upper_unit", "indicator").annotate(
        note_count=Count("notes")
    )


def look_get_readable(*, access: Access, look_id: int) -> JointLook:
    """A look whose unit the person may read, with its participants and notes; 404 otherwise."""
    look = (
        JointLook.objects.filter(pk=look_id, organisation_id=access.organisation_id)
        .select_related(
            "unit",
            "unit__organisation",
            "upper_unit",
            "indicator",
            "boundary_report",
            "boundary_report__boundary",
            "opened_by",
            "closed_by",
        )
        .prefetch_related(
            Prefetch("participants", queryset=Participant.objects.select_related("person")),
            Prefetch("notes", queryset=LookNote.objects.select_related("author")),
        )
        .first()
    )
    if look is None or not access.can_read(look.unit):
        raise Http404
    return look


def chart_notes(*, indicator_ids: list[int]) -> dict[int, list[JointLook]]:
    """Closed looks with a period, per indicator, oldest first: their summaries annotate the charts."""
    notes: dict[int, list[JointLook]] = {}
    if not indicator_ids:
        return notes
    closed = (
        JointLook.objects.filter(indicator_id__in=indicator_ids, state=LookState.CLOSED, period__isnull=False)
        .only("pk", "indicator_id", "period", "summary", "outcome")
        .order_by("period", "pk")
    )
    for look in closed:
        notes.setdefault(look.indicator_id, []).append(look)
    return notes


def unit_followup_with_notes(*, unit) -> UnitFollowup:
    """The unit's follow-up (followup.selectors.unit_followup) with the closed looks' summaries that its
    charts show (4 queries)."""
    followup = unit_followup(unit=unit)
    notes = chart_notes(indicator_ids=[item.indicator.pk for item in followup.items])
    for item in followup.items:
        item.look_notes = notes.get(item.indicator.pk, [])
    return followup


def open_looks_by_indicator(*, access: Access, unit) -> dict[int, JointLook]:
    """The open look of each indicator in the readable sub-tree (1 query, however many rows are shown)."""
    looks = (
        JointLook.objects.filter(access.subtree_filter(unit), state=LookState.OPEN, indicator__isnull=False)
        .only("pk", "indicator_id", "opened_at")
        .order_by("pk")
    )
    return {look.indicator_id: look for look in looks}


def look_for_report(*, report) -> JointLook | None:
    """The look a boundary report opened."""
    return JointLook.objects.filter(boundary_report=report).order_by("pk").first()


def participant_choices(*, look: JointLook) -> list[Membership]:
    """Who can be asked to take part: people with a role in the unit or in the level above (1 query)."""
    unit_ids = [look.unit_id] + ([look.upper_unit_id] if look.upper_unit_id else [])
    return list(
        Membership.objects.filter(
            organisation_id=look.organisation_id, unit_id__in=unit_ids, ended_at__isnull=True
        )
        .select_related("person", "unit", "role")
        .order_by("unit__depth", "-role__can_manage", "person__full_name")
    )


def managers_by_unit(unit_ids: Iterable[int]) -> dict[int, list]:
    """The active managers of each unit (one query): they take part in its looks from the start."""
    managers: dict[int, list] = {}
    memberships = Membership.objects.filter(
        unit_id__in=set(unit_ids), ended_at__isnull=True, role__can_manage=True, person__is_active=True
    ).select_related("person")
    for membership in memberships.order_by("person__full_name"):
        managers.setdefault(membership.unit_id, []).append(membership.person)
    return managers


def signal_episodes_going(
    *, organisation_id: int, indicator_ids: list[int] | None = None
) -> QuerySet[JointLook]:
    """The looks follow-up opened whose signal episode has not ended (of these indicators, if given)."""
    going = JointLook.objects.filter(
        organisation_id=organisation_id, origin=LookOrigin.SIGNAL, episode_ended_at__isnull=True
    )
    if indicator_ids is not None:
        going = going.filter(indicator_id__in=indicator_ids)
    return going


def look_chart_item(*, look: JointLook) -> IndicatorFollowup | None:
    """The look's indicator with its stored analysis, phase changes and earlier looks' summaries, for its
    chart (2 queries; None when the look is about no analysed indicator)."""
    indicator = look.indicator
    result = getattr(indicator, "analysis", None) if indicator is not None else None
    if result is None:
        return None
    notes = chart_notes(indicator_ids=[indicator.pk]).get(indicator.pk, [])
    return IndicatorFollowup(indicator, result, list(indicator.phase_changes.order_by("period")), notes)


def look_indicator_choices(*, unit) -> QuerySet[Indicator]:
    """The indicators a look opened by hand may be about: the unit's own, not retired, by name."""
    return Indicator.objects.filter(
        organisation_id=unit.organisation_id, unit=unit, retired_at__isnull=True
    ).order_by("name")
