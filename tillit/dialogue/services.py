"""Writes for joint looks: opened by follow-up once per signal episode, by a boundary report or by hand;
planned, written in, and closed with an outcome and a summary.

Every function that a person calls takes their `Access` and asks `rules` itself (views only pass it on;
tasks and the demo pass `Access.system()`), and records an audit event; notifications go to the look's
participants inside the same transaction. `joint_looks_sync` is system work after an analysis run (an
organisation's id, no person), and `joint_look_open_for_report` follows a report its service checked.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tillit.audit.enums import AuditAction
from tillit.audit.services import audit_change, audit_record, snapshot
from tillit.chain.access import Access
from tillit.chain.models import Unit
from tillit.core.clock import now
from tillit.core.permissions import require
from tillit.core.rows import locked
from tillit.core.text import clean_line, clean_text
from tillit.dialogue import rules, selectors
from tillit.dialogue.enums import LookOrigin, LookState, Outcome
from tillit.dialogue.labels import PROMPTS
from tillit.dialogue.models import JointLook, LookNote, Participant
from tillit.followup.reasons import Reason
from tillit.followup.selectors import results_needing_look
from tillit.notifications.enums import NotificationKind
from tillit.notifications.services import notification_send

MAX_NOTE_LENGTH = 4000
MAX_SUMMARY_LENGTH = 2000


def _notify(*, look: JointLook, kind: NotificationKind, actor=None, people=None) -> None:
    if people is None:
        people = get_user_model().objects.filter(pk__in=look.participants.values("person_id"))
    notification_send(
        organisation=look.unit.organisation,
        recipients=people,
        kind=kind,
        params={"unit": look.unit.name, "subject": look.subject},
        url=look.get_absolute_url(),
        unit=look.unit,
        actor=actor,
    )


def _state(look: JointLook) -> dict:
    """The look's audited state."""
    return snapshot(look, "subject", "origin", "period", "state", "outcome", "summary", "meeting_on")


def _require_part(access: Access, look: JointLook) -> None:
    require(access.can_read(look.unit), _("You cannot see this unit."))
    require(
        rules.can_take_part_in_look(access, look),
        _("Only the unit and the level above it take part in its joint looks."),
    )


def _locked_open(look: JointLook) -> JointLook:
    """The look, locked and read afresh: a look closed meanwhile (another tab) takes no more changes."""
    look = locked(JointLook.objects.select_related("unit__organisation", "upper_unit"), pk=look.pk)
    if not look.is_open:
        raise ValidationError(_("The joint look is closed; its record is kept as it was."))
    return look


def _open(
    *,
    actor,
    unit: Unit,
    origin: LookOrigin,
    subject: str,
    indicator=None,
    boundary_report=None,
    period: date | None = None,
    reasons: list[str] | None = None,
    managers: dict[int, list] | None = None,
    pulse=None,
) -> JointLook:
    """Open a look with the unit and the level above it (its parent: the other party of any agreement);
    `managers` may come precomputed from a batch."""
    upper = unit.parent
    if managers is None:
        managers = selectors.managers_by_unit([unit.pk] + ([upper.pk] if upper else []))
    look = JointLook.objects.create(
        organisation_id=unit.organisation_id,
        unit=unit,
        upper_unit=upper,
        unit_path=unit.path,
        origin=origin,
        indicator=indicator,
        boundary_report=boundary_report,
        pulse=pulse,
        subject=subject[:300],
        reasons=reasons or [],
        period=period,
        opened_by=actor,
        opened_at=now(),
    )
    people = {
        person.pk: person
        for unit_id in (unit.pk, upper.pk if upper else None)
        for person in managers.get(unit_id, [])
    }
    if actor is not None:
        people[actor.pk] = actor
    Participant.objects.bulk_create(
        [
            Participant(organisation_id=unit.organisation_id, look=look, person=person)
            for person in people.values()
        ]
    )
    audit_record(
        actor=actor,
        organisation=unit.organisation,
        unit=unit,
        action=AuditAction.JOINT_LOOK_OPENED,
        target=look,
        after=_state(look),
    )
    _notify(look=look, kind=NotificationKind.JOINT_LOOK_OPENED, actor=actor, people=list(people.values()))
    return look


@dataclass(frozen=True)
class LookSync:
    opened: int
    episodes_ended: int


def joint_looks_sync(*, organisation_id: int, indicator_ids: list[int] | None = None) -> LookSync:
    """After an analysis run: open a look for each series that needs one and has no episode going, and end
    the episode of series back inside their frame. Re-running changes nothing (once per episode). The
    reasons are the ones the analysis stored with each result (followup.reasons)."""
    needing = {
        result.indicator_id: result
        for result in results_needing_look(organisation_id=organisation_id, indicator_ids=indicator_ids)
    }
    going = selectors.signal_episodes_going(organisation_id=organisation_id, indicator_ids=indicator_ids)
    going_ids = set(going.values_list("indicator_id", flat=True))
    ended = going.exclude(indicator_id__in=list(needing)).update(episode_ended_at=now())
    to_open = [
        result
        for indicator_id, result in needing.items()
        if indicator_id not in going_ids and result.indicator.retired_at is None
    ]
    # One query for every unit's managers: the first run of a large organisation opens hundreds of looks.
    managers = selectors.managers_by_unit(
        {result.unit_id for result in to_open} | {result.unit.parent_id for result in to_open}
    )
    opened = 0
    for result in to_open:
        try:
            with transaction.atomic():
                _open(
                    actor=None,
                    unit=result.unit,
                    origin=LookOrigin.SIGNAL,
                    subject=result.indicator.name,
                    indicator=result.indicator,
                    period=result.latest_period,
                    reasons=result.reasons,
                    managers=managers,
                )
            opened += 1
        except IntegrityError:
            continue  # a concurrent run opened this episode's look first
    return LookSync(opened=opened, episodes_ended=ended)


def joint_look_open_for_report(*, report) -> JointLook:
    """A qualitative boundary was reported as crossed: the unit and the level above look at it together.
    Called by the report's own service, which checked the reporter's access."""
    subject = report.boundary.description or report.description
    return _open(
        actor=report.reported_by,
        unit=report.unit,
        origin=LookOrigin.BOUNDARY_REPORT,
        subject=clean_line(subject),
        boundary_report=report,
        period=report.occurred_on.replace(day=1),
        reasons=[Reason.BOUNDARY_REPORT.value],
    )


def joint_look_open(
    *, actor, access: Access, unit: Unit, subject: str, indicator=None, period: date | None = None, pulse=None
) -> JointLook:
    """Either side opens a look by hand: the unit's own people, or a level above that manages it."""
    require(access.can_read(unit), _("You cannot see this unit."))
    require(
        rules.can_open_look(access, unit), _("Only the unit and the level above it open its joint looks.")
    )
    if unit.closed_at is not None:
        raise ValidationError(_("A closed unit has no new joint looks."))
    subject = clean_line(subject or "")
    if not subject and indicator is not None:
        subject = indicator.name
    if not subject:
        raise ValidationError({"subject": _("Say what you want to look at together.")})
    if indicator is not None and indicator.unit_id != unit.pk:
        raise ValidationError({"indicator": _("Choose one of the unit's own indicators.")})
    with transaction.atomic():
        return _open(
            actor=actor,
            unit=unit,
            origin=LookOrigin.PULSE if pulse is not None else LookOrigin.BY_HAND,
            subject=subject,
            indicator=indicator,
            period=period.replace(day=1) if period else None,
            pulse=pulse,
        )


def joint_look_note_add(*, actor, access: Access, look: JointLook, text: str, prompt: str = "") -> LookNote:
    _require_part(access, look)
    if prompt and prompt not in PROMPTS:
        raise ValidationError({"prompt": _("Choose one of the questions.")})
    cleaned = clean_text(text or "")
    if not cleaned:
        raise ValidationError({"text": _("Write the note first.")})
    if len(cleaned) > MAX_NOTE_LENGTH:
        raise ValidationError({"text": _("Keep it under %(limit)d characters.") % {"limit": MAX_NOTE_LENGTH}})
    with transaction.atomic():
        look = _locked_open(look)
        note = LookNote.objects.create(
            organisation_id=look.organisation_id,
            look=look,
            author=actor,
            prompt=prompt,
            text=cleaned,
            created_at=now(),
        )
        Participant.objects.get_or_create(organisation_id=look.organisation_id, look=look, person=actor)
        audit_record(
            actor=actor,
            organisation=look.unit.organisation,
            unit=look.unit,
            action=AuditAction.JOINT_LOOK_NOTE_ADDED,
            target=look,
            after={"prompt": prompt, "text": cleaned},
        )
    return note


def joint_look_plan(
    *, actor, access: Access, look: JointLook, person_ids: Iterable[int], meeting_on: date | None
) -> JointLook:
    """Choose who takes part (from the unit and the level above) and when they meet."""
    _require_part(access, look)
    allowed = {membership.person_id for membership in selectors.participant_choices(look=look)}
    chosen = {int(person_id) for person_id in person_ids}
    if not chosen:
        raise ValidationError({"participants": _("Choose at least one participant.")})
    if not chosen <= allowed:
        raise ValidationError({"participants": _("Participants come from the unit and the level above it.")})
    with transaction.atomic():
        look = _locked_open(look)

        def state() -> dict:
            people = sorted(look.participants.values_list("person_id", flat=True))
            return snapshot(look, "meeting_on", participants=people)

        with audit_change(
            actor=actor,
            organisation=look.unit.organisation,
            unit=look.unit,
            action=AuditAction.JOINT_LOOK_PARTICIPANTS_CHANGED,
            target=look,
            state=state,
        ):
            current = set(look.participants.values_list("person_id", flat=True))
            look.participants.exclude(person_id__in=chosen).delete()
            Participant.objects.bulk_create(
                [
                    Participant(organisation_id=look.organisation_id, look=look, person_id=person_id)
                    for person_id in sorted(chosen - current)
                ]
            )
            look.meeting_on = meeting_on
            look.save(update_fields=["meeting_on"])
    return look


def joint_look_close(*, actor, access: Access, look: JointLook, outcome: str, summary: str) -> JointLook:
    """Close with an outcome and a short summary: shown along the chain and on the chart at its period."""
    _require_part(access, look)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose what the joint look led to.")})
    cleaned = clean_text(summary or "")
    if not cleaned:
        raise ValidationError({"summary": _("Write a short summary for the chain and the chart.")})
    if len(cleaned) > MAX_SUMMARY_LENGTH:
        raise ValidationError(
            {"summary": _("Keep it under %(limit)d characters.") % {"limit": MAX_SUMMARY_LENGTH}}
        )
    with transaction.atomic():
        look = _locked_open(look)
        with audit_change(
            actor=actor,
            organisation=look.unit.organisation,
            unit=look.unit,
            action=AuditAction.JOINT_LOOK_CLOSED,
            target=look,
            state=lambda: _state(look),
        ):
            look.state = LookState.CLOSED
            look.outcome = outcome
            look.summary = cleaned
            look.closed_by = actor
            look.closed_at = now()
            look.save(update_fields=["state", "outcome", "summary", "closed_by", "closed_at"])
            Participant.objects.get_or_create(organisation_id=look.organisation_id, look=look, person=actor)
        _notify(look=look, kind=NotificationKind.JOINT_LOOK_CLOSED, actor=actor)
    return look
