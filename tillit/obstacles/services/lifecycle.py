"""An obstacle's life: raise (and route), answer, pass up, escalate.

States: raised → acknowledged → in_progress → removed, or declined (with a reason) from any open state.
Passing up (by the receiving side, with a reason) and escalating (by the raising side, when the answer is
overdue) move the obstacle to the unit above the receiving unit, where it is raised again with a new due
date. Every change writes an `ObstacleEvent` and an audit event in one transaction, at `now()`.

Anonymity: when `shows_name` is false, the raiser's own steps (raising, escalating) are recorded with
actor=None, in the history and in the audit log alike, and no notification names them.

Every service takes `actor` and `access` (`Access.system()` for setup and demo code); who may do what
is `tillit.obstacles.rules`.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from tillit.agreements.models import MandateItem
from tillit.audit.enums import AuditAction
from tillit.audit.services import audit_change, audit_record, snapshot
from tillit.chain.access import Access
from tillit.chain.models import Unit
from tillit.core.clock import now
from tillit.core.permissions import require
from tillit.core.rows import locked
from tillit.core.tasks import enqueue_on_commit
from tillit.core.text import clean_line, clean_text
from tillit.core.workdays import add_working_days
from tillit.delegation.models import DelegationEntry
from tillit.delegation.selectors import entries_in_force
from tillit.notifications.enums import NotificationKind
from tillit.notifications.services import notification_send
from tillit.obstacles import rules
from tillit.obstacles.enums import OPEN_STATES, EventKind, ObstacleState
from tillit.obstacles.models import Obstacle, ObstacleEvent
from tillit.obstacles.selectors import (
    is_overdue,
    mandate_items_in_chain,
    obstacle_route,
    receiving_recipients,
    response_working_days,
)

MAX_TITLE_LENGTH = 300
MAX_TEXT_LENGTH = 4000
# Stored texts (an event's reason, the support indicators' words) are written in the installation's
# language, as the people of the organisation would have written them.
ESCALATION_REASON = gettext_lazy("Not answered within the promised time")


def stored(text) -> str:
    """A text Tillit writes into the organisation's records, in the installation's language."""
    with override(settings.LANGUAGE_CODE):
        return str(text)


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


def _state(obstacle: Obstacle) -> dict:
    """The obstacle as the audit log records it."""
    return snapshot(obstacle, "state", "due_on", receiving_unit=obstacle.receiving_unit_id)


def notify_receivers(obstacle: Obstacle, *, kind: str, unit: Unit, actor=None) -> None:
    """Tell the people who answer for the receiving unit (`kind`: it arrived, or its answer is late);
    `unit` is the unit the message names."""
    notification_send(
        organisation=obstacle.organisation,
        recipients=receiving_recipients(obstacle.receiving_unit),
        kind=kind,
        params={"unit": unit.name, "subject": obstacle.title},
        url=obstacle.get_absolute_url(),
        unit=obstacle.receiving_unit,
        actor=actor,
    )


def _notify_received(obstacle: Obstacle, *, actor) -> None:
    notify_receivers(obstacle, kind=NotificationKind.OBSTACLE_RECEIVED, unit=obstacle.raised_in, actor=actor)


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
    obstacle.due_on = add_working_days(timezone.localdate(moment), days)


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
    access: Access,
    unit: Unit,
    title: str,
    affects: str = "",
    proposal: str = "",
    shows_name: bool = False,
    matter: DelegationEntry | None = None,
    mandate_item: MandateItem | None = None,
) -> Obstacle:
    """Raise an obstacle in `unit` (the actor must be one of its members) and route it."""
    if actor is None or not getattr(actor, "pk", None):
        raise ValueError("An obstacle has a raiser: pass the person who raises it.")
    require(access.can_read(unit), _("You cannot see this unit."))
    require(
        rules.can_raise_obstacle(access, unit, person=actor),
        _("Only the unit's own people can raise an obstacle here."),
    )
    fields = _clean(title, affects, proposal)
    if (
        matter is not None
        and not entries_in_force(organisation_id=unit.organisation_id).filter(pk=matter.pk).exists()
    ):
        raise ValidationError({"decision": _("That decision is not in the delegation register in force.")})
    if mandate_item is not None and mandate_item.pk not in {i.pk for i in mandate_items_in_chain(unit=unit)}:
        raise ValidationError({"decision": _("That mandate is not in an agreement in force in your chain.")})
    moment = now()
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
        after={**_state(obstacle), "routing_basis": route.basis, "shows_name": shows_name},
    )
    _notify_received(obstacle, actor=actor)
    return obstacle


# --- The receiving side's steps ------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One step of the receiving side: which states it fits, where it leads, what it records, and (for
    a step that needs words) what to ask when the words are missing."""

    kind: str
    action: AuditAction
    allowed: tuple[str, ...]
    state: str | None = None  # None: the obstacle moves up instead of changing state here
    missing_text: str | None = None  # None: the step takes no words
    answers: bool = True  # tells the raiser and counts for the support indicators


ACKNOWLEDGE = Step(
    kind=EventKind.ACKNOWLEDGED,
    action=AuditAction.OBSTACLE_ACKNOWLEDGED,
    allowed=(ObstacleState.RAISED,),
    state=ObstacleState.ACKNOWLEDGED,
)
START = Step(
    kind=EventKind.STARTED,
    action=AuditAction.OBSTACLE_STARTED,
    allowed=(ObstacleState.ACKNOWLEDGED,),
    state=ObstacleState.IN_PROGRESS,
    answers=False,
)
REMOVE = Step(
    kind=EventKind.REMOVED,
    action=AuditAction.OBSTACLE_REMOVED,
    allowed=OPEN_STATES,
    state=ObstacleState.REMOVED,
    missing_text=gettext_lazy("Say what was done to remove the obstacle."),
)
DECLINE = Step(
    kind=EventKind.DECLINED,
    action=AuditAction.OBSTACLE_DECLINED,
    allowed=OPEN_STATES,
    state=ObstacleState.DECLINED,
    missing_text=gettext_lazy("Give the reason: the raiser and the chain read it."),
)
PASS_UP = Step(
    kind=EventKind.PASSED_UP,
    action=AuditAction.OBSTACLE_PASSED_UP,
    allowed=OPEN_STATES,
    missing_text=gettext_lazy("Say why it needs to go further up."),
)


def _locked(obstacle: Obstacle) -> Obstacle:
    queryset = Obstacle.objects.select_related("organisation", "raised_in", "receiving_unit", "raised_by")
    return locked(queryset.filter(organisation_id=obstacle.organisation_id), pk=obstacle.pk)


def _require_readable(access: Access, obstacle: Obstacle) -> None:
    require(rules.can_read_obstacle(access, obstacle), _("You cannot see this obstacle."))


def _reason(text: str, message: str) -> str:
    text = clean_text(text)
    if not text:
        raise ValidationError({"text": message})
    if len(text) > MAX_TEXT_LENGTH:
        raise ValidationError({"text": _("Keep it under %(limit)d characters.") % {"limit": MAX_TEXT_LENGTH}})
    return text


def _prepared(step: Step, *, actor, access: Access, obstacle: Obstacle, text: str) -> tuple[Obstacle, str]:
    """The obstacle locked for the receiving side's `step`, and its words cleaned: refused unless the
    actor answers for the receiving unit and the step fits the obstacle's state."""
    obstacle = _locked(obstacle)
    _require_readable(access, obstacle)
    require(
        rules.can_answer_obstacle(access, obstacle, person=actor),
        _("Only the receiving unit's managers answer this obstacle."),
    )
    if obstacle.state not in step.allowed:
        raise ValidationError(
            _("The obstacle is %(state)s: that step does not fit now.")
            % {"state": ObstacleState(obstacle.state).label.lower()}
        )
    return obstacle, (_reason(text, str(step.missing_text)) if step.missing_text else "")


def _refresh_support_on_commit(obstacle: Obstacle) -> None:
    from tillit.obstacles.tasks import refresh_support_indicators  # the task module imports this one

    enqueue_on_commit(
        refresh_support_indicators,
        organisation_id=obstacle.organisation_id,
        unit_ids=[obstacle.receiving_unit_id],
    )


def _answer(step: Step, *, actor, access: Access, obstacle: Obstacle, text: str = "") -> Obstacle:
    """The receiving side's step that stays with the receiving unit: the new state, the event, the audit
    event and, for an answer, the raiser told and the support indicators refreshed."""
    obstacle, reason = _prepared(step, actor=actor, access=access, obstacle=obstacle, text=text)
    moment = now()
    unit = obstacle.receiving_unit
    with audit_change(
        actor=actor, action=step.action, target=obstacle, state=lambda: _state(obstacle), unit=unit
    ) as extra:
        obstacle.state = step.state
        if obstacle.acknowledged_at is None:
            obstacle.acknowledged_at = moment  # declining or removing at once answers it too
        if step.state in (ObstacleState.REMOVED, ObstacleState.DECLINED):
            obstacle.closed_at = moment
        if reason:
            obstacle.answer = reason
            extra["reason"] = reason
        obstacle.save()
        _event(obstacle, kind=step.kind, actor=actor, from_unit=unit, to_unit=unit, reason=reason, at=moment)
    if step.answers:
        _notify_answered(obstacle, actor=actor)
        _refresh_support_on_commit(obstacle)
    return obstacle


@transaction.atomic
def obstacle_acknowledge(*, actor, access: Access, obstacle: Obstacle) -> Obstacle:
    """The receiving unit has seen the obstacle and takes it on: the answer clock stops."""
    return _answer(ACKNOWLEDGE, actor=actor, access=access, obstacle=obstacle)


@transaction.atomic
def obstacle_start(*, actor, access: Access, obstacle: Obstacle) -> Obstacle:
    """The receiving unit has started to work on an acknowledged obstacle."""
    return _answer(START, actor=actor, access=access, obstacle=obstacle)


@transaction.atomic
def obstacle_remove(*, actor, access: Access, obstacle: Obstacle, text: str) -> Obstacle:
    """The obstacle is removed: `text` says what was done."""
    return _answer(REMOVE, actor=actor, access=access, obstacle=obstacle, text=text)


@transaction.atomic
def obstacle_decline(*, actor, access: Access, obstacle: Obstacle, text: str) -> Obstacle:
    """The receiving unit will not remove the obstacle; the reason is required and readable by the chain."""
    return _answer(DECLINE, actor=actor, access=access, obstacle=obstacle, text=text)


# --- Further up ---------------------------------------------------------------------------------------


def _move_up(obstacle, *, actor, recorded_actor, kind, action, reason, moment) -> Obstacle:
    above = obstacle.receiving_unit.parent
    if above is None:
        raise ValidationError(_("There is no unit above %(unit)s.") % {"unit": obstacle.receiving_unit.name})
    from_unit = obstacle.receiving_unit
    with audit_change(
        actor=recorded_actor, action=action, target=obstacle, state=lambda: _state(obstacle), unit=from_unit
    ) as extra:
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
        extra["reason"] = reason
    _notify_received(obstacle, actor=actor)
    return obstacle


@transaction.atomic
def obstacle_pass_up(*, actor, access: Access, obstacle: Obstacle, text: str) -> Obstacle:
    """The receiving unit cannot remove it: it goes to the unit above, with the reason."""
    obstacle, reason = _prepared(PASS_UP, actor=actor, access=access, obstacle=obstacle, text=text)
    answered_by = obstacle.receiving_unit
    _refresh_support_on_commit(obstacle)  # passing up is the receiving unit's first answer
    obstacle = _move_up(
        obstacle,
        actor=actor,
        recorded_actor=actor,
        kind=PASS_UP.kind,
        action=PASS_UP.action,
        reason=reason,
        moment=now(),
    )
    _notify_answered(obstacle, actor=actor, answered_by=answered_by)
    return obstacle


@transaction.atomic
def obstacle_escalate(*, actor, access: Access, obstacle: Obstacle) -> Obstacle:
    """The raising side takes an overdue obstacle to the unit above the receiving unit."""
    obstacle = _locked(obstacle)
    _require_readable(access, obstacle)
    require(
        rules.can_act_for_raising_side(access, obstacle, person=actor),
        _("Only the raising unit's people can escalate the obstacle."),
    )
    if not is_overdue(obstacle):
        raise ValidationError(_("The obstacle can be escalated when its answer is overdue."))
    return _move_up(
        obstacle,
        actor=actor,
        recorded_actor=_raiser_actor(obstacle, actor),
        kind=EventKind.ESCALATED,
        action=AuditAction.OBSTACLE_ESCALATED,
        reason=stored(ESCALATION_REASON),
        moment=now(),
    )
