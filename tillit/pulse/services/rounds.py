"""Preparing, opening and reminding a pulse round; closing is in `results`."""

import logging
from datetime import date, datetime, time

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tillit.audit.enums import AuditAction
from tillit.audit.services import audit_change, audit_record, snapshot
from tillit.chain.access import Access
from tillit.chain.models import Membership, Unit
from tillit.core.clock import now, today
from tillit.core.permissions import require
from tillit.core.rows import locked
from tillit.core.schedule import daily_schedule
from tillit.core.tasks import enqueue_on_commit
from tillit.core.text import clean_line
from tillit.notifications.enums import NotificationKind
from tillit.notifications.services import notification_send
from tillit.pulse import rules, selectors
from tillit.pulse.enums import PulseState
from tillit.pulse.instrument import BY_CODE, DEFAULT_ITEMS, MAX_ITEMS
from tillit.pulse.models import (
    MIN_FREE_TEXT_GROUP_SIZE,
    MIN_GROUP_SIZE,
    Pulse,
    PulseSettings,
    PulseUnit,
)

logger = logging.getLogger(__name__)

BATCH = 2000
CLOSE_DUE_AT = time(0, 30)  # Stockholm: a pulse open "until 14 March" closes in the night after that day
AUDITED = ("title", "items", "support_referent", "asks_free_text", "closes_on", "state", "min_group_size")


MAX_GROUP_SIZE = 50  # a threshold above this would hide every unit's results


def pulse_settings_set(
    *, actor, access: Access, organisation, min_group_size: int, min_free_text_group_size: int
) -> PulseSettings:
    """Raise (never lower below the floor) the organisation's thresholds; pulses already created keep theirs."""
    require(
        rules.can_change_pulse_settings(access, organisation), _("Only administrators change the thresholds.")
    )
    errors = {}
    if isinstance(min_group_size, bool) or not isinstance(min_group_size, int):
        errors["min_group_size"] = _("Give the threshold as a whole number.")
    elif min_group_size < MIN_GROUP_SIZE:
        errors["min_group_size"] = _("At least %(k)s: fewer answers than that can point at a person.") % {
            "k": MIN_GROUP_SIZE
        }
    elif min_group_size > MAX_GROUP_SIZE:
        errors["min_group_size"] = _("At most %(max)s: a higher threshold would hide nearly every unit.") % {
            "max": MAX_GROUP_SIZE
        }
    if isinstance(min_free_text_group_size, bool) or not isinstance(min_free_text_group_size, int):
        errors["min_free_text_group_size"] = _("Give the threshold as a whole number.")
    elif "min_group_size" not in errors:
        floor = max(MIN_FREE_TEXT_GROUP_SIZE, min_group_size)
        if min_free_text_group_size < floor:
            errors["min_free_text_group_size"] = _(
                "At least %(k)s, and never below the threshold for answers: words identify more easily than "
                "numbers."
            ) % {"k": floor}
        elif min_free_text_group_size > 2 * MAX_GROUP_SIZE:
            errors["min_free_text_group_size"] = _("At most %(max)s.") % {"max": 2 * MAX_GROUP_SIZE}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        settings_row, _created = PulseSettings.objects.select_for_update().get_or_create(
            organisation=organisation
        )
        with audit_change(
            actor=actor,
            action=AuditAction.PULSE_SETTINGS_CHANGED,
            target=organisation,
            organisation=organisation,
            state=lambda: snapshot(settings_row, "min_group_size", "min_free_text_group_size"),
        ):
            settings_row.min_group_size = min_group_size
            settings_row.min_free_text_group_size = min_free_text_group_size
            settings_row.save()
    return settings_row


def pulse_settings_for(organisation) -> tuple[int, int]:
    """The organisation's thresholds (k for answers, for free text), the floors when it set none."""
    row = PulseSettings.objects.filter(organisation_id=getattr(organisation, "pk", organisation)).first()
    if row is None:
        return MIN_GROUP_SIZE, MIN_FREE_TEXT_GROUP_SIZE
    return max(row.min_group_size, MIN_GROUP_SIZE), max(
        row.min_free_text_group_size, MIN_FREE_TEXT_GROUP_SIZE
    )


def _clean_items(items) -> list[str]:
    codes = list(dict.fromkeys(items or DEFAULT_ITEMS))
    unknown = [code for code in codes if code not in BY_CODE]
    if unknown:
        raise ValidationError(
            {
                "items": _("These are not items of the pulse's item bank: %(codes)s")
                % {"codes": ", ".join(unknown)}
            }
        )
    if len(codes) > MAX_ITEMS:
        raise ValidationError(
            {
                "items": _("A pulse asks at most %(max)s questions; you chose %(n)s.")
                % {"max": MAX_ITEMS, "n": len(codes)}
            }
        )
    return codes


def _clean_closes_on(closes_on: date) -> date:
    if closes_on <= today():
        raise ValidationError({"closes_on": _("The pulse must close after today.")})
    return closes_on


def pulse_create(
    *,
    actor,
    access: Access,
    scope: Unit,
    title: str,
    closes_on: date,
    items=None,
    support_referent: str = "",
    asks_free_text: bool = False,
) -> Pulse:
    require(access.can_read(scope), _("You cannot see this unit."))
    require(
        rules.can_prepare_pulses_for(access, scope),
        _("Only the managers of this part of the chain prepare its trust pulse."),
    )
    title = clean_line(title)
    if not title:
        raise ValidationError({"title": _("Give the pulse a title, for example “Tillitspuls hösten 2026”.")})
    min_group_size, min_free_text_group_size = pulse_settings_for(scope.organisation_id)
    with transaction.atomic():
        pulse = Pulse.objects.create(
            organisation_id=scope.organisation_id,
            scope=scope,
            title=title,
            items=_clean_items(items),
            support_referent=clean_line(support_referent)[:100],
            asks_free_text=asks_free_text,
            closes_on=_clean_closes_on(closes_on),
            min_group_size=min_group_size,
            min_free_text_group_size=min_free_text_group_size,
            created_by=actor,
            created_at=now(),
        )
        audit_record(
            actor=actor,
            organisation=scope.organisation,
            unit=scope,
            action=AuditAction.PULSE_CREATED,
            target=pulse,
            after=snapshot(pulse, *AUDITED),
        )
    return pulse


def pulse_update(
    *,
    actor,
    access: Access,
    pulse: Pulse,
    title: str,
    closes_on: date,
    items,
    support_referent: str = "",
    asks_free_text: bool = False,
) -> Pulse:
    """A pulse changes only while it is being prepared: once invitations are out, every answer was given
    to the questions as they then stood."""
    require(
        rules.can_manage_pulse(access, pulse),
        _("Only the managers of this part of the chain change its pulse."),
    )
    with transaction.atomic():
        pulse = locked(Pulse.objects.select_related("scope__organisation"), pk=pulse.pk)
        if pulse.state != PulseState.DRAFT:
            raise ValidationError(_("The pulse is already open; its questions stay as they were asked."))
        title = clean_line(title)
        if not title:
            raise ValidationError({"title": _("Give the pulse a title.")})
        with audit_change(
            actor=actor,
            action=AuditAction.PULSE_CHANGED,
            target=pulse,
            unit=pulse.scope,
            organisation=pulse.scope.organisation,
            state=lambda: snapshot(pulse, *AUDITED),
        ):
            pulse.title = title
            pulse.items = _clean_items(items)
            pulse.support_referent = clean_line(support_referent)[:100]
            pulse.asks_free_text = asks_free_text
            pulse.closes_on = _clean_closes_on(closes_on)
            pulse.save()
    return pulse


def _frame_create(pulse: Pulse) -> list[PulseUnit]:
    """Copy the scope's open units as they stand now: the frame the answers are grouped by (S-09). Written
    level by level in bulk; `frame_path` is the frame's own path, so a later move changes nothing."""
    units = list(
        Unit.objects.filter(
            organisation_id=pulse.organisation_id, path__startswith=pulse.scope.path, closed_at__isnull=True
        ).order_by("depth", "path")
    )
    by_unit: dict[int, PulseUnit] = {}
    level: list[PulseUnit] = []
    level_depth = None
    for unit in units:
        if unit.depth != level_depth and level:
            PulseUnit.objects.bulk_create(level, batch_size=BATCH)
            level = []
        level_depth = unit.depth
        parent = by_unit.get(unit.parent_id) if unit.pk != pulse.scope_id else None
        if unit.pk != pulse.scope_id and parent is None:
            continue  # below a unit that is not in the frame (cannot happen: a closed unit has no open ones)
        row = PulseUnit(
            pulse=pulse,
            unit=unit,
            parent=parent,
            name=unit.name,
            depth=(parent.depth + 1) if parent else 0,
            frame_path=(parent.frame_path if parent else "/") + f"{unit.pk}/",
        )
        by_unit[unit.pk] = row
        level.append(row)
    if level:
        PulseUnit.objects.bulk_create(level, batch_size=BATCH)
    return list(by_unit.values())


def invitees(pulse: Pulse) -> dict[int, int]:
    """Person id → the frame unit they answer for: each active person once, in the deepest of their units
    in the frame (an enhetschef who also sits in the avdelning answers for the enhet); between two units
    of the same depth, the one first in the frame."""
    frame = {
        unit_id: (depth, frame_path, pk)
        for unit_id, depth, frame_path, pk in PulseUnit.objects.filter(pulse=pulse).values_list(
            "unit_id", "depth", "frame_path", "pk"
        )
    }
    chosen: dict[int, tuple[int, str, int]] = {}
    memberships = (
        Membership.objects.filter(
            organisation_id=pulse.organisation_id,
            unit_id__in=list(frame),
            ended_at__isnull=True,
            person__is_active=True,
        )
        .order_by()  # the default ordering would join the unit and the role for nothing
        .values_list("person_id", "unit_id")
    )
    for person_id, unit_id in memberships:
        depth, frame_path, pk = frame[unit_id]
        best = chosen.get(person_id)
        if best is None or (-depth, frame_path) < (-best[0], best[1]):
            chosen[person_id] = (depth, frame_path, pk)
    return {person_id: row[2] for person_id, row in chosen.items()}


def pulse_open(*, actor, access: Access, pulse: Pulse) -> Pulse:
    """Freeze the frame and open the pulse; the task worker makes and e-mails the invitations, so that no
    token is ever written to the database or a task's arguments."""
    require(
        rules.can_manage_pulse(access, pulse),
        _("Only the managers of this part of the chain open its pulse."),
    )
    with transaction.atomic():
        pulse = locked(Pulse.objects.select_related("scope__organisation"), pk=pulse.pk)
        if pulse.state != PulseState.DRAFT:
            raise ValidationError(_("The pulse is already open."))
        if pulse.closes_on <= today():
            raise ValidationError({"closes_on": _("The pulse must close after today.")})
        if pulse.scope.closed_at is not None:
            raise ValidationError(_("The unit is closed."))
        with audit_change(
            actor=actor,
            action=AuditAction.PULSE_OPENED,
            target=pulse,
            unit=pulse.scope,
            organisation=pulse.scope.organisation,
            state=lambda: snapshot(pulse, "state", "invited", "opened_at"),
        ):
            _frame_create(pulse)
            if len(invitees(pulse)) < pulse.min_group_size:
                raise ValidationError(
                    _(
                        "Fewer than %(k)s people would be asked: no result of this pulse could ever be "
                        "shown. Choose a larger part of the chain."
                    )
                    % {"k": pulse.min_group_size}
                )
            pulse.state = PulseState.OPEN
            pulse.opened_at = now()
            pulse.save(update_fields=["state", "opened_at"])
        from tillit.pulse.tasks import pulse_send_invitations  # the task module imports the services

        enqueue_on_commit(pulse_send_invitations, pulse_id=pulse.pk)
    return pulse


def _invited_people(pulse: Pulse) -> list:
    """Those the invitations went to, still active: not someone who joined a unit afterwards (no code)."""
    return list(get_user_model().objects.filter(pk__in=pulse.invitee_ids, is_active=True))


def pulse_remind(*, actor, access: Access, pulse: Pulse) -> int:
    """Remind everyone invited: Tillit does not know who has answered, so the reminder goes to all and
    thanks those who already did (T-56). Returns how many were reminded."""
    require(rules.can_manage_pulse(access, pulse), _("Only the managers of this part of the chain remind."))
    with transaction.atomic():
        pulse = locked(Pulse.objects.select_related("scope__organisation"), pk=pulse.pk)
        if pulse.state != PulseState.OPEN:
            raise ValidationError(_("Only an open pulse is reminded of."))
        people = _invited_people(pulse)
        with audit_change(
            actor=actor,
            action=AuditAction.PULSE_REMINDED,
            target=pulse,
            unit=pulse.scope,
            organisation=pulse.scope.organisation,
            state=lambda: snapshot(pulse, "reminded_at"),
        ):
            pulse.reminded_at = now()
            pulse.save(update_fields=["reminded_at"])
        notification_send(
            organisation=pulse.scope.organisation,
            recipients=people,
            kind=NotificationKind.PULSE_REMINDED,
            params={
                "subject": pulse.title,
                "unit": pulse.scope.name,
                "closes_on": pulse.closes_on.isoformat(),
            },
            url=selectors.answer_path(),
            unit=pulse.scope,
        )
    return len(people)


def pulses_close_due() -> int:
    """The daily task: close every open pulse whose last day has passed (by `today()`). Returns how many.
    One pulse that cannot be closed does not stop the others; it is tried again the next day."""
    from tillit.pulse.services.results import pulse_close

    closed = 0
    due = Pulse.objects.filter(state=PulseState.OPEN, closes_on__lt=today()).order_by("pk")
    for pulse in due.select_related("scope"):
        try:
            pulse_close(actor=None, access=Access.system(pulse.organisation_id), pulse=pulse)
        except Exception:
            logger.exception("Pulse %s could not be closed", pulse.pk)
            continue
        closed += 1
    return closed


def pulse_close_schedule() -> datetime | None:
    """Queue the next daily close unless one is waiting; when it runs (None: already queued)."""
    from tillit.pulse.tasks import pulses_close  # the task module imports the services

    return daily_schedule(pulses_close, at=CLOSE_DUE_AT)
