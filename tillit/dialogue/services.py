"""Writes for joint looks: opened by follow-up once per signal episode, by a boundary report or by hand;
planned, written in, and closed with an outcome and a summary.

Every function that a person calls checks their access itself (views only pass it on) and records an
audit event; notifications go to the look's participants inside the same transaction.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.audit.enums import AuditAction
from tillit.audit.services import audit_record
from tillit.chain.access import Access
from tillit.chain.models import Membership, Unit
from tillit.core.text import clean_line, clean_text
from tillit.dialogue.enums import LookOrigin, LookState, Outcome
from tillit.dialogue.labels import PROMPTS
from tillit.dialogue.models import JointLook, LookNote, Participant
from tillit.followup.models import AnalysisResult
from tillit.followup.reasons import Reason
from tillit.notifications.enums import NotificationKind
from tillit.notifications.services import notification_send

MAX_NOTE_LENGTH = 4000
MAX_SUMMARY_LENGTH = 2000


def takes_part(*, access: Access | None, look: JointLook) -> bool:
    """The unit's own people and the levels above that manage it write in a look; others read it."""
    if access is None:
        return False
    unit = look.unit
    if access.can_write(unit) or access.can_manage(unit):
        return True
    return look.upper_unit is not None and access.can_write(look.upper_unit)


def _require_part(access: Access | None, look: JointLook) -> None:
    """No access means a trusted caller (the demo loader); a person must read the unit and take part."""
    if access is None:
        return
    if not access.can_read(look.unit):
        raise PermissionDenied(_("You cannot see this unit."))
    if not takes_part(access=access, look=look):
        raise PermissionDenied(_("Only the unit and the level above it take part in its joint looks."))


def _managers_by_unit(unit_ids: Iterable[int]) -> dict[int, list]:
    """The active managers of each unit (one query): they take part in its looks from the start."""
    managers: dict[int, list] = {}
    memberships = Membership.objects.filter(
        unit_id__in=set(unit_ids), ended_at__isnull=True, role__can_manage=True, person__is_active=True
    ).select_related("person")
    for membership in memberships.order_by("person__full_name"):
        managers.setdefault(membership.unit_id, []).append(membership.person)
    return managers


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


def _snapshot(look: JointLook) -> dict:
    return {
        "subject": look.subject,
        "origin": look.origin,
        "period": look.period.isoformat() if look.period else None,
        "state": look.state,
        "outcome": look.outcome,
        "summary": look.summary,
        "meeting_on": look.meeting_on.isoformat() if look.meeting_on else None,
    }


def _open(
    *,
    actor,
    unit: Unit,
    origin: LookOrigin,
    subject: str,
    at: datetime,
    indicator=None,
    boundary_report=None,
    period: date | None = None,
    reasons: list[str] | None = None,
    managers: dict[int, list] | None = None,
) -> JointLook:
    """Open a look with the unit and the level above it (its parent: the other party of any agreement);
    `managers` may come precomputed from a batch."""
    upper = unit.parent
    if managers is None:
        managers = _managers_by_unit([unit.pk] + ([upper.pk] if upper else []))
    look = JointLook.objects.create(
        organisation_id=unit.organisation_id,
        unit=unit,
        upper_unit=upper,
        unit_path=unit.path,
        origin=origin,
        indicator=indicator,
        boundary_report=boundary_report,
        subject=subject[:300],
        reasons=reasons or [],
        period=period,
        opened_by=actor,
        opened_at=at,
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
        after=_snapshot(look),
    )
    _notify(look=look, kind=NotificationKind.JOINT_LOOK_OPENED, actor=actor, people=list(people.values()))
    return look


@dataclass(frozen=True)
class LookSync:
    opened: int
    episodes_ended: int


def joint_looks_sync(
    *, organisation_id: int, indicator_ids: list[int] | None = None, at: datetime | None = None
) -> LookSync:
    """After an analysis run: open a look for each series that needs one and has no episode going, and end
    the episode of series back inside their frame. Re-running changes nothing (once per episode)."""
    at = at or timezone.now()
    results = AnalysisResult.objects.filter(organisation_id=organisation_id, needs_look=True)
    going = JointLook.objects.filter(
        organisation_id=organisation_id, origin=LookOrigin.SIGNAL, episode_ended_at__isnull=True
    )
    if indicator_ids is not None:
        results = results.filter(indicator_id__in=indicator_ids)
        going = going.filter(indicator_id__in=indicator_ids)
    needing = {
        result.indicator_id: result
        for result in results.select_related("indicator", "unit__organisation", "unit__parent").defer(
            "points"
        )
    }
    going_ids = set(going.values_list("indicator_id", flat=True))
    ended = going.exclude(indicator_id__in=list(needing)).update(episode_ended_at=at)
    to_open = [
        result
        for indicator_id, result in needing.items()
        if indicator_id not in going_ids and result.indicator.retired_at is None
    ]
    # One query for every unit's managers: the first run of a large organisation opens hundreds of looks.
    managers = _managers_by_unit(
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
                    at=at,
                    indicator=result.indicator,
                    period=result.latest_period,
                    reasons=result.reasons,
                    managers=managers,
                )
            opened += 1
        except IntegrityError:
            continue  # a concurrent run opened this episode's look first
    return LookSync(opened=opened, episodes_ended=ended)


def joint_look_open_for_report(*, report, at: datetime | None = None) -> JointLook:
    """A qualitative boundary was reported as crossed: the unit and the level above look at it together."""
    subject = report.boundary.description or report.description
    return _open(
        actor=report.reported_by,
        unit=report.unit,
        origin=LookOrigin.BOUNDARY_REPORT,
        subject=clean_line(subject),
        at=at or timezone.now(),
        boundary_report=report,
        period=report.occurred_on.replace(day=1),
        reasons=[Reason.BOUNDARY_REPORT.value],
    )


def joint_look_open(
    *,
    actor,
    access: Access | None,
    unit: Unit,
    subject: str,
    indicator=None,
    period: date | None = None,
    at: datetime | None = None,
) -> JointLook:
    """Either side opens a look by hand: the unit's own people, or a level above that manages it."""
    if access is not None and not access.can_read(unit):
        raise PermissionDenied(_("You cannot see this unit."))
    if access is not None and not (access.can_write(unit) or access.can_manage(unit)):
        raise PermissionDenied(_("Only the unit and the level above it open its joint looks."))
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
            origin=LookOrigin.BY_HAND,
            subject=subject,
            at=at or timezone.now(),
            indicator=indicator,
            period=period.replace(day=1) if period else None,
        )


def _locked_open(look: JointLook) -> JointLook:
    """The look, locked and read afresh: a look closed meanwhile (another tab) takes no more changes."""
    look = (
        JointLook.objects.select_for_update(of=("self",))
        .select_related("unit__organisation", "upper_unit")
        .get(pk=look.pk)
    )
    if not look.is_open:
        raise ValidationError(_("The joint look is closed; its record is kept as it was."))
    return look


def joint_look_note_add(
    *, actor, access: Access | None, look: JointLook, text: str, prompt: str = "", at: datetime | None = None
) -> LookNote:
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
            created_at=at or timezone.now(),
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


def participant_choices(*, look: JointLook) -> list[Membership]:
    """Who can be asked to take part: people with a role in the unit or in the level above."""
    unit_ids = [look.unit_id] + ([look.upper_unit_id] if look.upper_unit_id else [])
    return list(
        Membership.objects.filter(
            organisation_id=look.organisation_id, unit_id__in=unit_ids, ended_at__isnull=True
        )
        .select_related("person", "unit", "role")
        .order_by("unit__depth", "-role__can_manage", "person__full_name")
    )


def joint_look_plan(
    *, actor, access: Access | None, look: JointLook, person_ids: Iterable[int], meeting_on: date | None
) -> JointLook:
    """Choose who takes part (from the unit and the level above) and when they meet."""
    _require_part(access, look)
    allowed = {membership.person_id for membership in participant_choices(look=look)}
    chosen = {int(person_id) for person_id in person_ids}
    if not chosen:
        raise ValidationError({"participants": _("Choose at least one participant.")})
    if not chosen <= allowed:
        raise ValidationError({"participants": _("Participants come from the unit and the level above it.")})
    with transaction.atomic():
        look = _locked_open(look)
        before = {"participants": sorted(look.participants.values_list("person_id", flat=True))} | {
            "meeting_on": look.meeting_on.isoformat() if look.meeting_on else None
        }
        current = set(before["participants"])
        look.participants.exclude(person_id__in=chosen).delete()
        Participant.objects.bulk_create(
            [
                Participant(organisation_id=look.organisation_id, look=look, person_id=person_id)
                for person_id in sorted(chosen - current)
            ]
        )
        look.meeting_on = meeting_on
        look.save(update_fields=["meeting_on"])
        audit_record(
            actor=actor,
            organisation=look.unit.organisation,
            unit=look.unit,
            action=AuditAction.JOINT_LOOK_PARTICIPANTS_CHANGED,
            target=look,
            before=before,
            after={
                "participants": sorted(chosen),
                "meeting_on": meeting_on.isoformat() if meeting_on else None,
            },
        )
    return look


def joint_look_close(
    *, actor, access: Access | None, look: JointLook, outcome: str, summary: str, at: datetime | None = None
) -> JointLook:
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
        before = _snapshot(look)
        look.state = LookState.CLOSED
        look.outcome = outcome
        look.summary = cleaned
        look.closed_by = actor
        look.closed_at = at or timezone.now()
        look.save(update_fields=["state", "outcome", "summary", "closed_by", "closed_at"])
        Participant.objects.get_or_create(organisation_id=look.organisation_id, look=look, person=actor)
        audit_record(
            actor=actor,
            organisation=look.unit.organisation,
            unit=look.unit,
            action=AuditAction.JOINT_LOOK_CLOSED,
            target=look,
            before=before,
            after=_snapshot(look),
        )
        _notify(look=look, kind=NotificationKind.JOINT_LOOK_CLOSED, actor=actor)
    return look
