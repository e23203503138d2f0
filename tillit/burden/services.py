"""Writes of the reporting-burden register: requirements, usage counts, removal proposals and data
requests. Every function a person calls asks its rule (`rules.py`; the demo loader passes
`Access.system()`) and records an audit event in the same transaction.
"""

import logging
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tillit.audit.enums import AuditAction
from tillit.audit.services import audit_change, audit_record, snapshot
from tillit.burden import rules
from tillit.burden.enums import DataRequestState, RemovalAnswer, ReportFrequency, RequesterKind, UsageKind
from tillit.burden.models import DataRequest, RemovalProposal, ReportingRequirement, UsageDaily
from tillit.chain.access import Access
from tillit.chain.models import Unit
from tillit.chain.rules import can_read_unit
from tillit.chain.selectors import unit_people
from tillit.core.clock import now, today
from tillit.core.permissions import require
from tillit.core.rows import locked
from tillit.core.text import clean_line, clean_text
from tillit.indicators.models import Indicator
from tillit.notifications.enums import NotificationKind
from tillit.notifications.services import notification_send

logger = logging.getLogger(__name__)

PROPOSAL_DAYS = 30
# A person outside the unit's chain is told only that they cannot see it; one inside it, who may do.
REGISTER_REFUSED = gettext_noop("Only the unit's own people register its reporting requirements.")
FIELDS = (
    "name",
    "description",
    "requester_kind",
    "requester",
    "requester_unit",
    "legal_basis",
    "frequency",
    "times_per_year",
    "minutes_each",
    "readers",
    "starts_on",
    "ends_on",
)


# --- Usage -------------------------------------------------------------------------------------------


def _upsert(*, source_table: str, key_column: str, ids: list[int], viewer: int, day: date, kind: str):
    """One INSERT ... SELECT ... ON CONFLICT: the organisation is read from the used row itself, so a
    caller cannot count usage into another tenant, and a repeated view only adds to the day's count."""
    table = UsageDaily._meta.db_table
    placeholders = ", ".join(["%s"] * len(ids))
    indicator = "id" if key_column == "indicator_key" else "0"
    requirement = "id" if key_column == "requirement_key" else "0"
    sql = (
        f"INSERT INTO {table} "  # noqa: S608 - table and column names are ours, values are parameters
        "(organisation_id, indicator_key, requirement_key, viewer_unit_key, day, kind, count) "
        f"SELECT organisation_id, {indicator}, {requirement}, %s, %s, %s, 1 FROM {source_table} "
        f"WHERE id IN ({placeholders}) "
        "ON CONFLICT (indicator_key, requirement_key, viewer_unit_key, day, kind) "
        f"DO UPDATE SET count = {table}.count + excluded.count"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [viewer, day, kind, *ids])


def usage_record(
    *,
    indicator_ids: Iterable[int] = (),
    kind: UsageKind | str,
    unit: Unit | int | None = None,
    requirement_ids: Iterable[int] = (),
) -> None:
    """Count one use of these indicators (or reports, for `report_opened`) today, for the
    viewing unit `unit` (a Unit, its id, or None). Only the unit is stored, never the person.

    Never raises: a failed count must not break the page that was being shown."""
    indicator_ids = sorted({int(pk) for pk in indicator_ids})
    requirement_ids = sorted({int(pk) for pk in requirement_ids})
    if not indicator_ids and not requirement_ids:
        return
    viewer = (unit.pk if isinstance(unit, Unit) else unit) or 0
    day = today()
    try:
        with transaction.atomic():
            if indicator_ids:
                _upsert(
                    source_table=Indicator._meta.db_table,
                    key_column="indicator_key",
                    ids=indicator_ids,
                    viewer=viewer,
                    day=day,
                    kind=str(kind),
                )
            if requirement_ids:
                _upsert(
                    source_table=ReportingRequirement._meta.db_table,
                    key_column="requirement_key",
                    ids=requirement_ids,
                    viewer=viewer,
                    day=day,
                    kind=str(kind),
                )
    except DatabaseError:
        logger.exception("Usage could not be recorded")


# --- Requirements ------------------------------------------------------------------------------------


def _notify(
    *, unit_ids, kind, unit: Unit, subject: str, url: str, actor, managers_only: bool = False, extra=()
) -> None:
    """Tell the people of `unit_ids` (and `extra` people, e.g. the asker) about `unit`'s request."""
    recipients = unit_people(unit_ids=unit_ids, managers_only=managers_only)
    recipients += [person for person in extra if person is not None and person not in recipients]
    notification_send(
        organisation=unit.organisation,
        recipients=recipients,
        kind=kind,
        params={"unit": unit.name, "subject": subject},
        url=url,
        unit=unit,
        actor=actor,
    )


def _state(requirement: ReportingRequirement) -> dict:
    """The audited state of a requirement."""
    return snapshot(
        requirement,
        "name",
        "requester_kind",
        "requester",
        "requester_unit_id",
        "frequency",
        "times_per_year",
        "minutes_each",
        "ends_on",
        "ended_at",
        indicator_ids=sorted(indicator.pk for indicator in requirement.indicators.all()),
    )


def _clean(unit: Unit, data: dict, indicators) -> tuple[dict, list]:
    values = {field: data.get(field) for field in FIELDS}
    for field in ("name", "requester", "legal_basis", "readers"):
        values[field] = clean_line(values[field] or "")
    values["description"] = clean_text(values["description"] or "")
    errors = {}
    if not values["name"]:
        errors["name"] = _("Say what is reported.")
    requester_unit = values["requester_unit"]
    if requester_unit is not None:
        if requester_unit.organisation_id != unit.organisation_id:
            errors["requester_unit"] = _("Choose a unit of your own organisation.")
        else:
            values["requester_kind"] = RequesterKind.CHAIN_LEVEL
            values["requester"] = values["requester"] or requester_unit.name
    elif values["requester_kind"] == RequesterKind.CHAIN_LEVEL:
        errors["requester_unit"] = _("Choose the level in the chain that asks for the report.")
    if not values["requester"]:
        errors["requester"] = _("Say who asks for the report.")
    if values["frequency"] == ReportFrequency.AD_HOC:
        if not values["times_per_year"]:
            errors["times_per_year"] = _("For an ad hoc report, estimate how many times a year it is asked.")
    else:
        values["times_per_year"] = None
    if values["minutes_each"] is None or values["minutes_each"] < 1:
        errors["minutes_each"] = _("Estimate the minutes it takes each time, at least one.")
    if values["starts_on"] and values["ends_on"] and values["ends_on"] < values["starts_on"]:
        errors["ends_on"] = _("The end date comes before the start.")
    indicators = list(indicators or [])
    if any(indicator.organisation_id != unit.organisation_id for indicator in indicators):
        errors["indicators"] = _("Choose indicators of your own organisation.")
    if errors:
        raise ValidationError(errors)
    return values, indicators


def reporting_requirement_create(
    *, actor, access: Access, unit: Unit, indicators=(), reader_units=(), **data
) -> ReportingRequirement:
    require(can_read_unit(access, unit), _("You cannot see this unit."))
    require(rules.can_register_requirements(access, unit), _(REGISTER_REFUSED))
    values, indicators = _clean(unit, data, indicators)
    with transaction.atomic():
        requirement = ReportingRequirement.objects.create(
            organisation_id=unit.organisation_id,
            unit=unit,
            unit_path=unit.path,
            created_by=actor if actor is not None and actor.pk else None,
            **values,
        )
        requirement.indicators.set(indicators)
        requirement.reader_units.set([u for u in reader_units if u.organisation_id == unit.organisation_id])
        audit_record(
            actor=actor,
            organisation=unit.organisation,
            action=AuditAction.REPORTING_REQUIREMENT_CREATED,
            target=requirement,
            unit=unit,
            after=_state(requirement),
        )
    return requirement


def reporting_requirement_update(
    *,
    actor,
    access: Access,
    requirement: ReportingRequirement,
    indicators=(),
    reader_units=None,
    **data,
) -> ReportingRequirement:
    """Change a requirement; `reader_units` None leaves the reading units as they are (the page's form
    does not edit them)."""
    unit = requirement.unit
    require(can_read_unit(access, unit), _("You cannot see this unit."))
    require(rules.can_register_requirements(access, unit), _(REGISTER_REFUSED))
    if not requirement.is_active:
        raise ValidationError(_("An ended requirement is not changed."))
    values, indicators = _clean(unit, data, indicators)
    with (
        transaction.atomic(),
        audit_change(
            actor=actor,
            organisation=unit.organisation,
            action=AuditAction.REPORTING_REQUIREMENT_UPDATED,
            target=requirement,
            unit=unit,
            state=lambda: _state(requirement),
        ),
    ):
        for field, value in values.items():
            setattr(requirement, field, value)
        requirement.save()
        requirement.indicators.set(indicators)
        if reader_units is not None:
            requirement.reader_units.set(
                [u for u in reader_units if u.organisation_id == unit.organisation_id]
            )
    return requirement


def _end(*, actor, requirement: ReportingRequirement, at: datetime) -> None:
    with audit_change(
        actor=actor,
        organisation=requirement.unit.organisation,
        action=AuditAction.REPORTING_REQUIREMENT_ENDED,
        target=requirement,
        unit=requirement.unit,
        state=lambda: _state(requirement),
    ):
        requirement.ended_at = at
        requirement.save(update_fields=["ended_at", "updated_at"])


def reporting_requirement_end(
    *, actor, access: Access, requirement: ReportingRequirement
) -> ReportingRequirement:
    require(can_read_unit(access, requirement.unit), _("You cannot see this unit."))
    require(rules.can_register_requirements(access, requirement.unit), _(REGISTER_REFUSED))
    if not requirement.is_active:
        return requirement
    with transaction.atomic():
        _end(actor=actor, requirement=requirement, at=now())
    return requirement


# --- Removal proposals ---------------------------------------------------------------------------------


def removal_propose(
    *,
    actor,
    access: Access,
    requirement: ReportingRequirement,
    reason: str,
    deadline: date | None = None,
) -> RemovalProposal:
    """Ask the requester whether the report may go. One open proposal per requirement at a time."""
    require(can_read_unit(access, requirement.unit), _("You cannot see this unit."))
    require(rules.can_register_requirements(access, requirement.unit), _(REGISTER_REFUSED))
    at = now()
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why the report could go.")})
    if not requirement.is_active:
        raise ValidationError(_("The requirement has already ended."))
    deadline = deadline or (today() + timedelta(days=PROPOSAL_DAYS))
    with transaction.atomic():
        if locked(ReportingRequirement.objects, pk=requirement.pk).proposals.filter(answer="").exists():
            raise ValidationError(_("A proposal to remove this report is already waiting for an answer."))
        proposal = RemovalProposal.objects.create(
            organisation_id=requirement.organisation_id,
            requirement=requirement,
            proposed_by_unit=requirement.unit,
            proposed_by=actor if actor is not None and actor.pk else None,
            reason=reason,
            deadline=deadline,
            proposed_at=at,
        )
        audit_record(
            actor=actor,
            organisation=requirement.unit.organisation,
            action=AuditAction.REMOVAL_PROPOSED,
            target=proposal,
            unit=requirement.unit,
            after={"requirement_id": requirement.pk, "reason": reason, "deadline": deadline.isoformat()},
        )
        if requirement.requester_unit_id:  # an outside requester is asked outside Tillit
            _notify(
                unit_ids=[requirement.requester_unit_id],
                managers_only=True,
                kind=NotificationKind.REMOVAL_PROPOSED,
                unit=requirement.unit,
                subject=requirement.name,
                url=requirement.get_absolute_url(),
                actor=actor,
            )
    return proposal


def removal_answer(
    *,
    actor,
    access: Access,
    proposal: RemovalProposal,
    answer: str,
    answer_text: str,
    answered_by_text: str = "",
    answered_on: date | None = None,
) -> RemovalProposal:
    """Record the requester's answer; "remove" ends the requirement so its hours leave the burden."""
    require(rules.can_answer_removal(access, proposal), _("Only the requester answers this proposal."))
    at = now()
    if answered_on is not None:
        at = timezone.make_aware(datetime.combine(answered_on, datetime.min.time()).replace(hour=12))
    requirement = proposal.requirement
    external = requirement.requester_unit_id is None
    errors = {}
    if answer not in RemovalAnswer.values:
        errors["answer"] = _("Choose keep, remove or change.")
    answer_text = clean_text(answer_text)
    if not answer_text:
        errors["answer_text"] = _("Write the answer in words: why.")
    answered_by_text = clean_line(answered_by_text)
    if external and not answered_by_text:
        errors["answered_by_text"] = _("Say who at the requester answered.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if not locked(RemovalProposal.objects, pk=proposal.pk).is_open:
            raise ValidationError(_("This proposal has already been answered."))
        proposal.answer = answer
        proposal.answer_text = answer_text
        proposal.answered_by = actor if actor is not None and actor.pk else None
        proposal.answered_by_text = answered_by_text or (actor.full_name if actor is not None else "")
        proposal.answered_at = at
        proposal.save()
        audit_record(
            actor=actor,
            organisation=requirement.unit.organisation,
            action=AuditAction.REMOVAL_ANSWERED,
            target=proposal,
            unit=requirement.unit,
            after={"answer": answer, "answer_text": answer_text, "answered_by": proposal.answered_by_text},
        )
        if answer == RemovalAnswer.REMOVE and requirement.is_active:
            _end(actor=actor, requirement=requirement, at=at)
        _notify(
            unit_ids=[proposal.proposed_by_unit_id],
            managers_only=True,
            extra=[proposal.proposed_by],
            kind=NotificationKind.REMOVAL_ANSWERED,
            unit=requirement.requester_unit or requirement.unit,
            subject=requirement.name,
            url=requirement.get_absolute_url(),
            actor=actor,
        )
    return proposal


# --- Data requests ("Vilka data behöver du?") ----------------------------------------------------------


def data_request_create(
    *,
    actor,
    access: Access,
    unit: Unit,
    to_unit: Unit,
    what: str,
    why: str,
) -> DataRequest:
    require(can_read_unit(access, unit), _("You cannot see this unit."))
    require(rules.can_register_requirements(access, unit), _(REGISTER_REFUSED))
    what, why = clean_line(what), clean_text(why)
    errors = {}
    if not what:
        errors["what"] = _("Say which data you need.")
    if not why:
        errors["why"] = _("Say what the data will help you with.")
    if to_unit.organisation_id != unit.organisation_id or to_unit.pk == unit.pk:
        errors["to_unit"] = _("Choose a support function in your organisation.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        request = DataRequest.objects.create(
            organisation_id=unit.organisation_id,
            unit=unit,
            to_unit=to_unit,
            what=what,
            why=why,
            asked_by=actor if actor is not None and actor.pk else None,
            asked_at=now(),
        )
        audit_record(
            actor=actor,
            organisation=unit.organisation,
            action=AuditAction.DATA_REQUEST_CREATED,
            target=request,
            unit=unit,
            after={"what": what, "why": why, "to_unit_id": to_unit.pk},
        )
        _notify(
            unit_ids=[to_unit.pk],
            kind=NotificationKind.DATA_REQUESTED,
            unit=unit,
            subject=what,
            url=request.get_absolute_url(),
            actor=actor,
        )
    return request


def data_request_answer(
    *,
    actor,
    access: Access,
    request: DataRequest,
    answer: str,
    declined: bool = False,
) -> DataRequest:
    """The support function's own people answer (or decline, saying why)."""
    require(
        rules.can_answer_data_request(access, request),
        _("Only the support function's people answer this request."),
    )
    answer = clean_text(answer)
    if not answer:
        raise ValidationError({"answer": _("Write the answer, or why the data cannot be given.")})
    with transaction.atomic():
        if locked(DataRequest.objects, pk=request.pk).state != DataRequestState.OPEN:
            raise ValidationError(_("This request has already been answered."))
        request.state = DataRequestState.DECLINED if declined else DataRequestState.ANSWERED
        request.answer = answer
        request.answered_by = actor if actor is not None and actor.pk else None
        request.answered_at = now()
        request.save()
        audit_record(
            actor=actor,
            organisation=request.unit.organisation,
            action=AuditAction.DATA_REQUEST_ANSWERED,
            target=request,
            unit=request.unit,
            after={"state": request.state, "answer": answer},
        )
        _notify(
            unit_ids=[request.unit_id],
            managers_only=True,
            extra=[request.asked_by],
            kind=NotificationKind.DATA_REQUEST_ANSWERED,
            unit=request.to_unit,
            subject=request.what,
            url=request.get_absolute_url(),
            actor=actor,
        )
    return request
