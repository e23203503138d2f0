"""Reads of obstacles. Everything is filtered on the organisation; the raiser's identity leaves here
only through `raiser_label`, which hides it unless the obstacle was raised in the raiser's own name."""

from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from tillit.agreements.models import AgreementState, MandateItem
from tillit.chain.access import Access
from tillit.chain.models import Unit
from tillit.chain.selectors import unit_active_memberships
from tillit.core.clock import today
from tillit.delegation.models import DelegationEntry
from tillit.delegation.selectors import entries_in_force, entries_search
from tillit.obstacles.enums import OPEN_STATES, ObstacleState, RoutingBasis
from tillit.obstacles.models import Obstacle, ObstacleEvent
from tillit.obstacles.text import shared_stems

MAX_LISTED = 200


def is_overdue(obstacle: Obstacle) -> bool:
    """Not acknowledged by its due date (the clock stops at acknowledgement)."""
    return obstacle.state == ObstacleState.RAISED and today() > obstacle.due_on


def _queryset() -> QuerySet[Obstacle]:
    return Obstacle.objects.select_related(
        "organisation", "raised_in", "receiving_unit", "raised_by", "matter__version__register__unit",
        "mandate_item__version__agreement__unit",
    )  # fmt: skip


def obstacle_get_readable(*, access: Access, obstacle_id: int) -> Obstacle:
    """An obstacle whose raising or receiving unit the person reads; otherwise 404."""
    obstacle = _queryset().filter(pk=obstacle_id, organisation_id=access.organisation_id).first()
    if obstacle is None or not (
        access.can_read(obstacle.raised_in) or access.can_read(obstacle.receiving_unit)
    ):
        raise Http404
    return obstacle


def unit_obstacles(*, unit: Unit) -> tuple[list[Obstacle], list[Obstacle]]:
    """(raised in the unit, received by the unit), newest first, open ones before closed ones."""
    rows = list(
        _queryset()
        .filter(Q(raised_in=unit) | Q(receiving_unit=unit), organisation_id=unit.organisation_id)
        .order_by("-raised_at", "-pk")[: MAX_LISTED * 2]
    )
    for obstacle in rows:
        obstacle.overdue = is_overdue(obstacle)
    key = lambda o: (o.state not in OPEN_STATES,)  # noqa: E731 -- a stable sort key
    raised = sorted((o for o in rows if o.raised_in_id == unit.pk), key=key)[:MAX_LISTED]
    received = sorted((o for o in rows if o.receiving_unit_id == unit.pk), key=key)[:MAX_LISTED]
    return raised, received


def unit_member_count(*, unit: Unit) -> int:
    """How many people have an active role in the unit (the raise form says who would know)."""
    return unit_active_memberships(unit=unit).values("person_id").distinct().count()


def obstacle_events(*, obstacle: Obstacle) -> QuerySet[ObstacleEvent]:
    return (
        ObstacleEvent.objects.filter(organisation_id=obstacle.organisation_id, obstacle=obstacle)
        .select_related("from_unit", "to_unit", "actor")
        .order_by("at", "pk")
    )


def raiser_label(*, obstacle: Obstacle, viewer=None) -> str:
    """Who raised it, as others may see it: the name only when raised in the raiser's own name."""
    if obstacle.shows_name:
        return obstacle.raised_by.full_name
    if viewer is not None and getattr(viewer, "pk", None) == obstacle.raised_by_id:
        return _("You, as a member of %(unit)s (others do not see your name)") % {
            "unit": obstacle.raised_in.name
        }
    return _("A member of %(unit)s") % {"unit": obstacle.raised_in.name}


def route_explanation(*, obstacle: Obstacle) -> str:
    """Why the obstacle went where it did, in plain words."""
    unit = obstacle.receiving_unit.name
    if obstacle.routing_basis == RoutingBasis.DELEGATION_REGISTER and obstacle.matter is not None:
        entry = obstacle.matter
        text = _(
            "It went to %(unit)s because %(delegate)s may decide on “%(matter)s” under the delegation register"
        ) % {"unit": unit, "delegate": entry.delegate.lower(), "matter": entry.matter}
        if entry.code:
            text += _(", item %(code)s") % {"code": entry.code}
        return text + "."
    if obstacle.routing_basis == RoutingBasis.AGREEMENT_MANDATE and obstacle.mandate_item is not None:
        holder = obstacle.mandate_item.version.agreement.unit.name
        return _(
            "It went to %(unit)s because the trust agreement of %(holder)s says it decides: “%(text)s”"
        ) % {
            "unit": unit,
            "holder": holder,
            "text": obstacle.mandate_item.text,
        }
    return _(
        "It went to %(unit)s, the unit above, because neither the delegation register nor a trust agreement "
        "names who decides this."
    ) % {"unit": unit}


@dataclass(frozen=True)
class Suggestion:
    value: str  # "entry:<id>" or "mandate:<id>"
    label: str
    detail: str


def decision_suggestions(*, unit: Unit, query: str, limit: int = 5) -> list[Suggestion]:
    """Decisions that might remove the obstacle: register entries and mandate items in the chain."""
    query = (query or "").strip()
    if len(query) < 3:
        return []
    suggestions = [
        Suggestion(
            value=f"entry:{entry.pk}",
            label=entry.matter,
            detail=_("Delegation register, %(register)s%(code)s: %(delegate)s")
            % {
                "register": entry.version.register.name,
                "code": f" {entry.code}" if entry.code else "",
                "delegate": entry.delegate,
            },
        )
        for entry in entries_search(organisation_id=unit.organisation_id, query=query, limit=limit)
    ]
    items = [(shared_stems(item.text, query), item) for item in mandate_items_in_chain(unit=unit)]
    for _score, item in sorted((pair for pair in items if pair[0] > 0), key=lambda pair: -pair[0])[:limit]:
        suggestions.append(
            Suggestion(
                value=f"mandate:{item.pk}",
                label=item.text,
                detail=_("Trust agreement of %(unit)s: the unit decides")
                % {"unit": item.version.agreement.unit.name},
            )
        )
    return suggestions


def mandate_items_in_chain(*, unit: Unit) -> list[MandateItem]:
    """The mandate items of the agreements in force of the unit and every unit above it, lowest first
    (one query: a signed version of each chain unit's agreement with its own parent)."""
    depth = {unit_id: index for index, unit_id in enumerate([unit.pk, *reversed(unit.ancestor_ids)])}
    items = MandateItem.objects.filter(
        version__organisation_id=unit.organisation_id,
        version__state=AgreementState.SIGNED,
        version__agreement__unit_id__in=list(depth),
        version__agreement__upper_unit_id=F("version__agreement__unit__parent_id"),
    ).select_related("version__agreement__unit")
    return sorted(items, key=lambda item: (depth[item.version.agreement.unit_id], item.position, item.pk))


def decision_from_value(*, unit: Unit, value: str) -> tuple[DelegationEntry | None, MandateItem | None]:
    """The decision a raise form named ("entry:<id>", "mandate:<id>"; anything else: none, "Vet inte")."""
    kind, _sep, raw = (value or "").partition(":")
    if not raw.isdigit():
        return None, None
    if kind == "entry":
        entry = (
            entries_in_force(organisation_id=unit.organisation_id)
            .filter(pk=int(raw))
            .select_related("version__register__unit", "role")
            .first()
        )
        return entry, None
    if kind == "mandate":
        item = next((i for i in mandate_items_in_chain(unit=unit) if i.pk == int(raw)), None)
        return None, item
    return None, None
