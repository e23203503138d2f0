"""Preparing, opening and reminding a pulse round; closing is in `results`."""

from datetime import date

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

AUDITED = ("title", "items", "support_referent", "asks_free_text", "closes_on", "state", "min_group_size")


def pulse_settings_set(
    *, actor, access: Access, organisation, min_group_size: int, min_free_text_group_size: int
) -> PulseSettings:
    """Raise (never lower below the floor) the organisation's thresholds; pulses already created keep theirs."""
    require(
        rules.can_change_pulse_settings(access, organisation), _("Only administrators change the thresholds.")
    )
    errors = {}
    if min_group_size < MIN_GROUP_SIZE:
        errors["min_group_size"] = _("At least %(k)s: fewer answers than that can point at a person.") % {
            "k": MIN_GROUP_SIZE
        }
    if min_free_text_group_size < max(MIN_FREE_TEXT_GROUP_SIZE, min_group_size):
        errors["min_free_text_group_size"] = _(
            "At least %(k)s, and never below the threshold for answers: words identify more easily than numbers."
        ) % {"k": max(MIN_FREE_TEXT_GROUP_SIZE, min_group_size)}
    if errors:
        raise ValidationError(errors)
    settings_row, _created = PulseSettings.objects.get_or_create(organisation=organisation)
    with (
        transaction.atomic(),
        audit_change(
            actor=actor,
            action=AuditAction.PULSE_SETTINGS_CHANGED,
            target=organisation,
            organisation=organisation,
            state=lambda: snapshot(settings_row, "min_group_size", "min_free_text_group_size"),
        ),
    ):
        settings_row.min_group_size = min_group_size
        settings_row.min_free_text_group_size = min_free_text_group_size
        settings_row.save()
    return settings_row


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
    thresholds = PulseSettings.objects.filter(organisation_id=scope.organisation_id).first()
    with transaction.atomic():
        pulse = Pulse.objects.create(
            organisation_id=scope.organisation_id,
            scope=scope,
            title=title,
            items=_clean_items(items),
            support_referent=clean_line(support_referent)[:100],
            asks_free_text=asks_free_text,
            closes_on=_clean_closes_on(closes_on),
            min_group_size=thresholds.min_group_size if thresholds else MIN_GROUP_SIZE,
            min_free_text_group_size=(
                thresholds.min_free_text_group_size if thresholds else MIN_FREE_TEXT_GROUP_SIZE
            ),
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
    """Copy the scope's open units as they stand now: the frame the answers are grouped by (S-09)."""
    units = list(
        Unit.objects.filter(
            organisation_id=pulse.organisation_id, path__startswith=pulse.scope.path, closed_at__isnull=True
        ).order_by("depth", "path")
    )
    by_unit: dict[int, PulseUnit] = {}
    for unit in units:
        parent = by_unit.get(unit.parent_id) if unit.pk != pulse.scope_id else None
        row = PulseUnit(
            pulse=pulse,
            unit=unit,
            parent=parent,
            name=unit.name,
            depth=(parent.depth + 1) if parent else 0,
        )
        row.frame_path = (parent.frame_path if parent else "/") + f"{unit.pk}/"
        row.save()
        by_unit[unit.pk] = row
    return list(by_unit.values())


def invitees(pulse: Pulse) -> dict[int, int]:
    """Person id → the frame unit they answer for: each active person once, in the deepest of their units
    in the frame (an enhetschef who also sits in the avdelning answers for the enhet)."""
    frame = {row.unit_id: row for row in PulseUnit.objects.filter(pulse=pulse)}
    chosen: dict[int, PulseUnit] = {}
    for person_id, unit_id in Membership.objects.filter(
        unit_id__in=list(frame), ended_at__isnull=True, person__is_active=True
    ).values_list("person_id", "unit_id"):
        row = frame[unit_id]
        if person_id not in chosen or row.depth > chosen[person_id].depth:
            chosen[person_id] = row
    return {person_id: row.pk for person_id, row in chosen.items()}


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
            pulse.state = PulseState.OPEN
            pulse.opened_at = now()
            pulse.save(update_fields=["state", "opened_at"])
        from tillit.pulse.tasks import pulse_send_invitations  # the task module imports the services

        enqueue_on_commit(pulse_send_invitations, pulse_id=pulse.pk)
    return pulse


def _invited_people(pulse: Pulse) -> list:
    from django.contrib.auth import get_user_model

    return list(get_user_model().objects.filter(pk__in=list(invitees(pulse))))


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
            params={"subject": pulse.title, "closes_on": pulse.closes_on.isoformat()},
            url=selectors.answer_path(),
            unit=pulse.scope,
        )
    return len(people)


def pulses_close_due() -> int:
    """The daily task: close every open pulse whose last day has passed. Returns how many."""
    from tillit.pulse.services.results import pulse_close

    closed = 0
    for pulse in Pulse.objects.filter(state=PulseState.OPEN, closes_on__lt=today()).select_related("scope"):
        pulse_close(actor=None, access=Access.system(pulse.organisation_id), pulse=pulse)
        closed += 1
    return closed
