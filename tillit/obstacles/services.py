"""Writes of obstacles (hinder): raise, route, answer, pass up, escalate; and the support indicators.

States: raised → acknowledged → in_progress → removed, or declined (with a reason) from any open state.
Passing up (by the receiving side, with a reason) and escalating (by the raising side, when the answer is
overdue) move the obstacle to the unit above the receiving unit, where it is raised again with a new due
date. Every change writes an `ObstacleEvent` and an audit event in one transaction.

Anonymity: when `shows_name` is false, the raiser's own steps (raising, escalating) are recorded with
actor=None, in the history and in the audit log alike, and no notification names them.

Every service takes `actor` and `access` (None for setup and demo code: no permission checks) and an
optional `at` (the demo backdates its history with it).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from tillit.agreements.models import AgreementState, MandateItem
from tillit.agreements.selectors import agreement_version_in_force
from tillit.audit.enums import AuditAction
from tillit.audit.services import audit_record
from tillit.chain.access import Access
from tillit.chain.models import Membership, Unit
from tillit.core.schedule import daily_schedule
from tillit.core.tasks import enqueue_on_commit
from tillit.core.text import clean_line, clean_text
from tillit.core.workdays import add_working_days, working_days_between
from tillit.delegation.models import DelegationEntry
from tillit.delegation.selectors import entries_holders, entries_in_force, entries_search
from tillit.indicators import services as indicator_services
from tillit.indicators.enums import ChangeSource, DataType, Direction, Frequency, Origin
from tillit.indicators.models import Indicator
from tillit.notifications.enums import NotificationKind
from tillit.notifications.services import notification_send
from tillit.obstacles.enums import OPEN_STATES, EventKind, ObstacleState, RoutingBasis, SupportKind
from tillit.obstacles.models import Obstacle, ObstacleEvent, SupportIndicator
from tillit.obstacles.selectors import is_overdue, mandate_items_in_chain
from tillit.obstacles.text import shared_stems

DEFAULT_RESPONSE_WORKING_DAYS = 10
MIN_SHARED_STEMS = 2  # an automatic match needs at least two words in common with the obstacle
MAX_TITLE_LENGTH = 300
MAX_TEXT_LENGTH = 4000
# Stored texts (an event's reason, the support indicators' words) are written in the installation's
# language, as the people of the organisation would have written them.
ESCALATION_REASON = gettext_lazy("Not answered within the promised time")


def _stored(text) -> str:
    """A text Tillit writes into the organisation's records, in the installation's language."""
    with override(settings.LANGUAGE_CODE):
        return str(text)


# --- Routing ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """Where an obstacle goes and why."""

    unit: Unit
    basis: str
    matter: DelegationEntry | None = None
    mandate_item: MandateItem | None = None


def _chain_upward(unit: Unit) -> list[Unit]:
    """The unit, then its ancestors, lowest first."""
    ancestors = {
        u.pk: u for u in Unit.objects.filter(pk__in=unit.ancestor_ids, organisation_id=unit.organisation_id)
    }
    return [unit, *(ancestors[pk] for pk in reversed(unit.ancestor_ids) if pk in ancestors)]


def register_holder_unit(*, entry: DelegationEntry, raised_in: Unit) -> Unit | None:
    """The unit holding the entry's delegation for someone in `raised_in`: the lowest unit of the chain
    upward with an active holder; else, in the register's own branch, the holder unit nearest to the
    raiser (the longest shared path, then the fewest steps)."""
    holders = entries_holders(entries=[entry], near_unit=raised_in)[entry.pk]  # the register's own matching
    units = list({membership.unit_id: membership.unit for membership in holders}.values())
    for unit in units:
        if raised_in.path.startswith(unit.path):
            return unit  # holders in the raiser's own chain come first, the lowest of them first
    if not units:
        return None

    def nearness(unit: Unit) -> tuple[int, int, str]:
        shared = 0
        for mine, theirs in zip(
            raised_in.path.strip("/").split("/"), unit.path.strip("/").split("/"), strict=False
        ):
            if mine != theirs:
                break
            shared += 1
        return (-shared, unit.depth, unit.name)

    return min(units, key=nearness)


def _mandate_unit(item: MandateItem) -> Unit:
    return item.version.agreement.unit


def obstacle_route(
    *,
    raised_in: Unit,
    title: str,
    proposal: str = "",
    matter: DelegationEntry | None = None,
    mandate_item: MandateItem | None = None,
) -> Route:
    """The lowest level that holds the mandate to remove the obstacle.

    A decision the raiser picked wins: a register entry goes to the unit holding its delegation, a
    mandate item to the unit whose agreement holds it. Without one ("Vet inte"): the register's best
    hit if it shares at least two stemmed words with the title or proposal, else the chain's mandate
    item with the most shared words (at least two), else the unit above the raiser's unit."""
    words = f"{title} {proposal}"
    if matter is not None:
        unit = register_holder_unit(entry=matter, raised_in=raised_in) or matter.version.register.unit
        return Route(unit=unit, basis=RoutingBasis.DELEGATION_REGISTER, matter=matter)
    if mandate_item is not None:
        return Route(
            unit=_mandate_unit(mandate_item), basis=RoutingBasis.AGREEMENT_MANDATE, mandate_item=mandate_item
        )
    hits = entries_search(organisation_id=raised_in.organisation_id, query=words, limit=1)
    if hits and shared_stems(f"{hits[0].matter_group} {hits[0].matter}", words) >= MIN_SHARED_STEMS:
        unit = register_holder_unit(entry=hits[0], raised_in=raised_in)
        if unit is not None:
            return Route(unit=unit, basis=RoutingBasis.DELEGATION_REGISTER, matter=hits[0])
    best, best_score = None, 0
    for item in mandate_items_in_chain(unit=raised_in):  # lowest first: a tie keeps the lower unit
        score = shared_stems(item.text, words)
        if score > best_score:
            best, best_score = item, score
    if best is not None and best_score >= MIN_SHARED_STEMS:
        return Route(unit=_mandate_unit(best), basis=RoutingBasis.AGREEMENT_MANDATE, mandate_item=best)
    return Route(unit=raised_in.parent or raised_in, basis=RoutingBasis.UNIT_ABOVE)


# --- Answer times -------------------------------------------------------------------------------------


def response_working_days(*, receiving_unit: Unit, raised_in: Unit) -> tuple[int, bool]:
    """The working days the receiving unit has promised to answer in, and whether a promise names it.

    The promise is the support promise (stödlöfte) of the agreement in force between the receiving unit
    (the level above) and the unit of the raiser's chain just below it; the smallest named time counts."""
    below = next((u for u in _chain_upward(raised_in) if u.parent_id == receiving_unit.pk), None)
    if below is not None:
        version = agreement_version_in_force(unit=below)
        if version is not None and version.state == AgreementState.SIGNED:
            days = [
                p.response_working_days for p in version.support_promises.all() if p.response_working_days
            ]
            if days:
                return min(days), True
    return DEFAULT_RESPONSE_WORKING_DAYS, False


# --- Who may do what ----------------------------------------------------------------------------------


def _speakers_filter(unit: Unit) -> Q:
    """Who answers for a unit: its managers; a unit without one (a nämnd) by its writers (the chair)."""
    managed = Membership.objects.filter(
        unit=unit, ended_at__isnull=True, role__can_manage=True, organisation_id=unit.organisation_id
    ).exists()
    return Q(role__can_manage=True) if managed else Q(role__can_write=True)


def receiving_recipients(unit: Unit) -> list:
    memberships = Membership.objects.filter(
        _speakers_filter(unit), unit=unit, ended_at__isnull=True, organisation_id=unit.organisation_id
    ).select_related("person")
    return [m.person for m in memberships]


def answers_for(*, person, access: Access | None, obstacle: Obstacle) -> bool:
    """Whether the person may answer for the receiving unit (acknowledge, start, remove, decline, pass up)."""
    unit = obstacle.receiving_unit
    if access is None:
        return True
    if access.can_manage(unit):
        return True
    return Membership.objects.filter(
        _speakers_filter(unit), unit=unit, person_id=getattr(person, "pk", None), ended_at__isnull=True
    ).exists()


def raising_side(*, person, access: Access | None, obstacle: Obstacle) -> bool:
    """The raiser, or anyone who can write in the raising unit."""
    if access is None:
        return True
    return getattr(person, "pk", None) == obstacle.raised_by_id or access.can_write(obstacle.raised_in)


def may_raise(*, person, access: Access | None, unit: Unit) -> bool:
    """A member of the unit who can read it (everyone with an active role in exactly this unit)."""
    if unit.closed_at is not None:
        return False
    if access is not None and not access.can_read(unit):
        return False
    return Membership.objects.filter(
        person_id=getattr(person, "pk", None),
        unit=unit,
        ended_at__isnull=True,
        organisation_id=unit.organisation_id,
    ).exists()


# --- Writes -------------------------------------------------------------------------------------------


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


def _local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _event(obstacle, *, kind, actor=None, from_unit=None, to_unit=None, reason="", at) -> ObstacleEvent:
    return ObstacleEvent.objects.create(
        organisation_id=obstacle.organisation_id,
        obstacle=obstacle,
        kind=kind,
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        from_unit=from_unit,
        to_unit=to_unit,
        reason=reason,
        at=at,
    )


def _raiser_actor(obstacle: Obstacle, actor):
    """The actor to record for a step of the raising side: nobody when the raiser is anonymous and acts."""
    if not obstacle.shows_name and actor is not None and getattr(actor, "pk", None) == obstacle.raised_by_id:
        return None
    return actor


def _snapshot(obstacle: Obstacle) -> dict:
    return {
        "state": obstacle.state,
        "receiving_unit": obstacle.receiving_unit_id,
        "due_on": obstacle.due_on.isoformat(),
    }


def _notify_received(obstacle: Obstacle, *, actor) -> None:
    notification_send(
        organisation=obstacle.organisation,
        recipients=receiving_recipients(obstacle.receiving_unit),
        kind=NotificationKind.OBSTACLE_RECEIVED,
        params={"unit": obstacle.raised_in.name, "subject": obstacle.title},
        url=obstacle.get_absolute_url(),
        unit=obstacle.receiving_unit,
        actor=actor,
    )


def _notify_answered(obstacle: Obstacle, *, actor, answered_by: Unit | None = None) -> None:
    """Tell the raiser; `answered_by` is the unit that answered when that is no longer the receiver
    (it passed the obstacle up)."""
    unit = answered_by or obstacle.receiving_unit
    notification_send(
        organisation=obstacle.organisation,
        recipients=[obstacle.raised_by],
        kind=NotificationKind.OBSTACLE_ANSWERED,
        params={"unit": unit.name, "subject": obstacle.title},
        url=obstacle.get_absolute_url(),
        unit=unit,
        actor=actor,
    )


def _arrive(obstacle: Obstacle, *, unit: Unit, moment: datetime) -> None:
    """The obstacle arrives at a (new) receiving unit: raised there, with that unit's promised time."""
    days, promised = response_working_days(receiving_unit=unit, raised_in=obstacle.raised_in)
    obstacle.receiving_unit = unit
    obstacle.state = ObstacleState.RAISED
    obstacle.received_at = moment
    obstacle.acknowledged_at = None
    obstacle.response_working_days = days
    obstacle.response_promised = promised
    obstacle.due_on = add_working_days(_local_date(moment), days)


def _clean(title: str, affects: str, proposal: str) -> dict:
    fields = {"title": clean_line(title), "affects": clean_text(affects), "proposal": clean_text(proposal)}
    errors = {}
    if not fields["title"]:
        errors["title"] = _("Say what keeps you from doing the work.")
    elif len(fields["title"]) > MAX_TITLE_LENGTH:
        errors["title"] = _("Keep it under %(limit)d characters.") % {"limit": MAX_TITLE_LENGTH}
    for name in ("affects", "proposal"):
        if len(fields[name]) > MAX_TEXT_LENGTH:
            errors[name] = _("Keep it under %(limit)d characters.") % {"limit": MAX_TEXT_LENGTH}
    if errors:
        raise ValidationError(errors)
    return fields


@transaction.atomic
def obstacle_raise(
    *,
    actor,
    access: Access | None,
    unit: Unit,
    title: str,
    affects: str = "",
    proposal: str = "",
    shows_name: bool = False,
    matter: DelegationEntry | None = None,
    mandate_item: MandateItem | None = None,
    at: datetime | None = None,
) -> Obstacle:
    """Raise an obstacle in `unit` (the actor must be one of its members) and route it."""
    if actor is None or not getattr(actor, "pk", None):
        raise ValueError("An obstacle has a raiser: pass the person who raises it.")
    if not may_raise(person=actor, access=access, unit=unit):
        if access is not None and not access.can_read(unit):
            raise PermissionDenied(_("You cannot see this unit."))
        raise PermissionDenied(_("Only the unit's own people can raise an obstacle here."))
    fields = _clean(title, affects, proposal)
    if (
        matter is not None
        and not entries_in_force(organisation_id=unit.organisation_id).filter(pk=matter.pk).exists()
    ):
        raise ValidationError({"decision": _("That decision is not in the delegation register in force.")})
    if mandate_item is not None and mandate_item.pk not in {i.pk for i in mandate_items_in_chain(unit=unit)}:
        raise ValidationError({"decision": _("That mandate is not in an agreement in force in your chain.")})
    moment = _now(at)
    route = obstacle_route(
        raised_in=unit,
        title=fields["title"],
        proposal=fields["proposal"],
        matter=matter,
        mandate_item=mandate_item,
    )
    obstacle = Obstacle(
        organisation_id=unit.organisation_id,
        raised_in=unit,
        raised_by=actor,
        shows_name=shows_name,
        matter=route.matter,
        mandate_item=route.mandate_item,
        routing_basis=route.basis,
        raised_at=moment,
        **fields,
    )
    _arrive(obstacle, unit=route.unit, moment=moment)
    obstacle.save()
    recorded_actor = actor if shows_name else None
    _event(
        obstacle, kind=EventKind.RAISED, actor=recorded_actor, from_unit=unit, to_unit=route.unit, at=moment
    )
    audit_record(
        actor=recorded_actor,
        organisation=unit.organisation,
        unit=unit,
        action=AuditAction.OBSTACLE_RAISED,
        target=obstacle,
        after={**_snapshot(obstacle), "routing_basis": route.basis, "shows_name": shows_name},
    )
    _notify_received(obstacle, actor=actor)
    return obstacle


def _locked(obstacle: Obstacle) -> Obstacle:
    return (
        Obstacle.objects.select_for_update()
        .select_related("organisation", "raised_in", "receiving_unit", "raised_by")
        .get(pk=obstacle.pk, organisation_id=obstacle.organisation_id)
    )


def _check_readable(access: Access | None, obstacle: Obstacle) -> None:
    if access is not None and not (
        access.can_read(obstacle.raised_in) or access.can_read(obstacle.receiving_unit)
    ):
        raise PermissionDenied(_("You cannot see this obstacle."))


def _require_answers(actor, access, obstacle) -> None:
    _check_readable(access, obstacle)
    if not answers_for(person=actor, access=access, obstacle=obstacle):
        raise PermissionDenied(_("Only the receiving unit's managers answer this obstacle."))


def _require_state(obstacle: Obstacle, allowed) -> None:
    if obstacle.state not in allowed:
        raise ValidationError(
            _("The obstacle is %(state)s: that step does not fit now.")
            % {"state": ObstacleState(obstacle.state).label.lower()}
        )


def _reason(text: str, message: str) -> str:
    text = clean_text(text)
    if not text:
        raise ValidationError({"text": message})
    if len(text) > MAX_TEXT_LENGTH:
        raise ValidationError({"text": _("Keep it under %(limit)d characters.") % {"limit": MAX_TEXT_LENGTH}})
    return text


def _refresh_support_on_commit(obstacle: Obstacle) -> None:
    from tillit.obstacles.tasks import refresh_support_indicators  # the task module imports this one

    enqueue_on_commit(
        refresh_support_indicators,
        organisation_id=obstacle.organisation_id,
        unit_ids=[obstacle.receiving_unit_id],
    )


def _step(
    obstacle: Obstacle,
    *,
    actor,
    kind: str,
    action: AuditAction,
    state: str,
    moment: datetime,
    reason: str = "",
    answer: str | None = None,
) -> Obstacle:
    before = _snapshot(obstacle)
    obstacle.state = state
    if kind == EventKind.ACKNOWLEDGED or (obstacle.acknowledged_at is None and state != ObstacleState.RAISED):
        obstacle.acknowledged_at = moment  # declining or removing at once answers it too
    if state in (ObstacleState.REMOVED, ObstacleState.DECLINED):
        obstacle.closed_at = moment
    if answer is not None:
        obstacle.answer = answer
    obstacle.save()
    unit = obstacle.receiving_unit
    _event(obstacle, kind=kind, actor=actor, from_unit=unit, to_unit=unit, reason=reason, at=moment)
    audit_record(
        actor=actor,
        organisation=obstacle.organisation,
        unit=unit,
        action=action,
        target=obstacle,
        before=before,
        after={**_snapshot(obstacle), **({"reason": reason} if reason else {})},
    )
    _notify_answered(obstacle, actor=actor)
    _refresh_support_on_commit(obstacle)
    return obstacle


@transaction.atomic
def obstacle_acknowledge(
    *, actor, access: Access | None, obstacle: Obstacle, at: datetime | None = None
) -> Obstacle:
    """The receiving unit has seen the obstacle and takes it on: the answer clock stops."""
    obstacle = _locked(obstacle)
    _require_answers(actor, access, obstacle)
    _require_state(obstacle, (ObstacleState.RAISED,))
    return _step(
        obstacle,
        actor=actor,
        kind=EventKind.ACKNOWLEDGED,
        action=AuditAction.OBSTACLE_ACKNOWLEDGED,
        state=ObstacleState.ACKNOWLEDGED,
        moment=_now(at),
    )


@transaction.atomic
def obstacle_start(
    *, actor, access: Access | None, obstacle: Obstacle, at: datetime | None = None
) -> Obstacle:
    obstacle = _locked(obstacle)
    _require_answers(actor, access, obstacle)
    _require_state(obstacle, (ObstacleState.ACKNOWLEDGED,))
    moment = _now(at)
    before = _snapshot(obstacle)
    obstacle.state = ObstacleState.IN_PROGRESS
    obstacle.save()
    unit = obstacle.receiving_unit
    _event(obstacle, kind=EventKind.STARTED, actor=actor, from_unit=unit, to_unit=unit, at=moment)
    audit_record(
        actor=actor,
        organisation=obstacle.organisation,
        unit=unit,
        action=AuditAction.OBSTACLE_STARTED,
        target=obstacle,
        before=before,
        after=_snapshot(obstacle),
    )
    return obstacle


@transaction.atomic
def obstacle_remove(
    *, actor, access: Access | None, obstacle: Obstacle, text: str, at: datetime | None = None
) -> Obstacle:
    """The obstacle is removed: `text` says what was done."""
    obstacle = _locked(obstacle)
    _require_answers(actor, access, obstacle)
    _require_state(obstacle, OPEN_STATES)
    answer = _reason(text, _("Say what was done to remove the obstacle."))
    return _step(
        obstacle,
        actor=actor,
        kind=EventKind.REMOVED,
        action=AuditAction.OBSTACLE_REMOVED,
        state=ObstacleState.REMOVED,
        moment=_now(at),
        reason=answer,
        answer=answer,
    )


@transaction.atomic
def obstacle_decline(
    *, actor, access: Access | None, obstacle: Obstacle, text: str, at: datetime | None = None
) -> Obstacle:
    """The receiving unit will not remove the obstacle; the reason is required and readable by the chain."""
    obstacle = _locked(obstacle)
    _require_answers(actor, access, obstacle)
    _require_state(obstacle, OPEN_STATES)
    reason = _reason(text, _("Give the reason: the raiser and the chain read it."))
    return _step(
        obstacle,
        actor=actor,
        kind=EventKind.DECLINED,
        action=AuditAction.OBSTACLE_DECLINED,
        state=ObstacleState.DECLINED,
        moment=_now(at),
        reason=reason,
        answer=reason,
    )


def _move_up(obstacle, *, actor, recorded_actor, kind, action, reason, moment) -> Obstacle:
    above = obstacle.receiving_unit.parent
    if above is None:
        raise ValidationError(_("There is no unit above %(unit)s.") % {"unit": obstacle.receiving_unit.name})
    before = _snapshot(obstacle)
    from_unit = obstacle.receiving_unit
    _arrive(obstacle, unit=above, moment=moment)
    obstacle.save()
    _event(
        obstacle,
        kind=kind,
        actor=recorded_actor,
        from_unit=from_unit,
        to_unit=above,
        reason=reason,
        at=moment,
    )
    audit_record(
        actor=recorded_actor,
        organisation=obstacle.organisation,
        unit=from_unit,
        action=action,
        target=obstacle,
        before=before,
        after={**_snapshot(obstacle), "reason": reason},
    )
    _notify_received(obstacle, actor=actor)
    return obstacle


@transaction.atomic
def obstacle_pass_up(
    *, actor, access: Access | None, obstacle: Obstacle, text: str, at: datetime | None = None
) -> Obstacle:
    """The receiving unit cannot remove it: it goes to the unit above, with the reason."""
    obstacle = _locked(obstacle)
    _require_answers(actor, access, obstacle)
    _require_state(obstacle, OPEN_STATES)
    reason = _reason(text, _("Say why it needs to go further up."))
    answered_by = obstacle.receiving_unit
    _refresh_support_on_commit(obstacle)  # passing up is the receiving unit's first answer
    obstacle = _move_up(
        obstacle,
        actor=actor,
        recorded_actor=actor,
        kind=EventKind.PASSED_UP,
        action=AuditAction.OBSTACLE_PASSED_UP,
        reason=reason,
        moment=_now(at),
    )
    _notify_answered(obstacle, actor=actor, answered_by=answered_by)
    return obstacle


@transaction.atomic
def obstacle_escalate(
    *, actor, access: Access | None, obstacle: Obstacle, at: datetime | None = None
) -> Obstacle:
    """The raising side takes an overdue obstacle to the unit above the receiving unit."""
    obstacle = _locked(obstacle)
    _check_readable(access, obstacle)
    if not raising_side(person=actor, access=access, obstacle=obstacle):
        raise PermissionDenied(_("Only the raising unit's people can escalate the obstacle."))
    moment = _now(at)
    if not is_overdue(obstacle, _local_date(moment)):
        raise ValidationError(_("The obstacle can be escalated when its answer is overdue."))
    return _move_up(
        obstacle,
        actor=actor,
        recorded_actor=_raiser_actor(obstacle, actor),
        kind=EventKind.ESCALATED,
        action=AuditAction.OBSTACLE_ESCALATED,
        reason=_stored(ESCALATION_REASON),
        moment=moment,
    )


def obstacles_notify_overdue(*, today: date | None = None) -> int:
    """Tell the receiving unit's managers, once per obstacle and receiving unit, that an answer is late."""
    today = today or timezone.localdate()
    sent = 0
    overdue = (
        Obstacle.objects.filter(state=ObstacleState.RAISED, due_on__lt=today)
        .exclude(overdue_notified_unit_id=F("receiving_unit_id"))
        .select_related("organisation", "receiving_unit", "raised_in")
        .order_by("pk")
    )
    for obstacle in overdue:
        with transaction.atomic():
            notification_send(
                organisation=obstacle.organisation,
                recipients=receiving_recipients(obstacle.receiving_unit),
                kind=NotificationKind.OBSTACLE_OVERDUE,
                params={"unit": obstacle.receiving_unit.name, "subject": obstacle.title},
                url=obstacle.get_absolute_url(),
                unit=obstacle.receiving_unit,
            )
            Obstacle.objects.filter(pk=obstacle.pk).update(
                overdue_notified_unit_id=obstacle.receiving_unit_id
            )
        sent += 1
    return sent


# --- Support indicators -------------------------------------------------------------------------------

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
                end = _local_date(event.at)
                days = working_days_between(_local_date(start), end)
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


def _support_indicator(unit: Unit, kind: str) -> Indicator:
    mapping = SupportIndicator.objects.filter(unit=unit, kind=kind).select_related("indicator").first()
    if mapping is not None:
        return mapping.indicator
    spec = {key: _stored(text) for key, text in SUPPORT_SPECS[kind].items()}
    indicator = Indicator.objects.filter(unit=unit, name=spec["name"], origin=Origin.PLATFORM).first()
    if indicator is None:
        indicator = indicator_services.indicator_create(
            actor=None,
            access=Access.system(unit.organisation_id),
            unit=unit,
            name=spec["name"],
            definition=spec["definition"],
            purpose_link=_stored(SUPPORT_PURPOSE_LINK),
            data_type=DataType.MEASUREMENT,
            direction=Direction.DOWN,
            frequency=Frequency.MONTH,
            measure_label=_stored(SUPPORT_MEASURE),
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
    (actor and access None); the observations service schedules their analysis."""
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


OVERDUE_NOTICE_AT = time(6, 45)


def overdue_notice_schedule(*, now: datetime | None = None) -> datetime | None:
    """Queue the next daily overdue check unless one is waiting; when it runs (None: already queued)."""
    from tillit.obstacles.tasks import obstacles_notify_overdue  # the task module imports this one

    return daily_schedule(obstacles_notify_overdue, at=OVERDUE_NOTICE_AT, now=now)
