"""Writes of the indicators room: indicators, observations (one write path), narratives, phase changes.

`access=None` means setup or demo code: no permission check. Every write is one transaction with one
audit event; a write that changes nothing writes nothing (no audit noise, no analysis run).
"""

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.audit.enums import AuditAction
from tillit.audit.services import audit_record
from tillit.chain.access import Access
from tillit.core.text import clean_line, clean_text
from tillit.followup.services import analysis_forget, analysis_schedule
from tillit.indicators.enums import (
    WITH_DENOMINATOR,
    ChangeSource,
    DataType,
    Direction,
    Frequency,
    Origin,
)
from tillit.indicators.imports import MAX_FILE_BYTES, LineProblem, ParsedFile, parse_file, sha256
from tillit.indicators.models import (
    Indicator,
    Narrative,
    Observation,
    ObservationChange,
    ObservationImport,
    PhaseChange,
)
from tillit.indicators.periods import (
    PeriodError,
    alignment_hint,
    is_aligned,
    parse_period,
    period_label,
    period_start,
)

MAX_COMMENT_LENGTH = 2000
MAX_NARRATIVE_LENGTH = 4000
MAX_ABS_VALUE = 1e12  # beyond any real count or measurement: a typo, e.g. a pasted id
AUDIT_PERIODS_LISTED = 100  # the audit event lists the changed periods up to this many


# --- Shared helpers ---------------------------------------------------------------------------------


def _require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise PermissionDenied(message or _("You do not have permission to do this here."))


def _require_write(access: Access | None, unit) -> None:
    if access is not None:
        _require(access.can_write(unit), _("Only the unit's own people can change its indicators and data."))


# --- Indicators -------------------------------------------------------------------------------------

INDICATOR_FIELDS = (
    "name",
    "definition",
    "purpose_link",
    "data_type",
    "direction",
    "frequency",
    "measure_label",
    "scale",
    "origin",
    "required_by",
)


def _indicator_fields(*, unit, indicator_id: int | None, **values) -> dict:
    """Cleaned and checked fields of an indicator; every problem at once, by field."""
    errors: dict[str, list[str]] = {}

    def problem(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    cleaned = {
        "name": clean_line(values["name"]),
        "definition": clean_text(values["definition"]),
        "purpose_link": clean_text(values["purpose_link"]),
        "data_type": values["data_type"],
        "direction": values["direction"] or Direction.NEUTRAL,
        "frequency": values["frequency"],
        "measure_label": clean_line(values["measure_label"]),
        "origin": values["origin"],
        "required_by": clean_line(values["required_by"]),
    }
    if not cleaned["name"]:
        problem("name", _("Enter a name."))
    elif len(cleaned["name"]) > 200:
        problem("name", _("The name can be at most 200 characters."))
    elif Indicator.objects.filter(unit=unit, name__iexact=cleaned["name"]).exclude(pk=indicator_id).exists():
        problem("name", _("The unit already has an indicator with this name."))
    if not cleaned["definition"]:
        problem("definition", _("Define what is counted or measured, and how."))
    if not cleaned["purpose_link"]:
        problem("purpose_link", _("Say which part of the unit's purpose this data tells about."))
    if cleaned["data_type"] not in DataType.values:
        problem("data_type", _("Choose a data type."))
    if cleaned["direction"] not in Direction.values:
        problem("direction", _("Choose an improvement direction, or none."))
    if cleaned["frequency"] not in Frequency.values:
        problem("frequency", _("Choose how often the data is collected."))
    if len(cleaned["measure_label"]) > 60:
        problem("measure_label", _("The unit of measure can be at most 60 characters."))
    if cleaned["origin"] not in Origin.values:
        problem("origin", _("Say who asked for this data."))
    elif cleaned["origin"] == Origin.EXTERNAL and not cleaned["required_by"]:
        problem("required_by", _("Say who requires this data from outside the unit."))
    elif cleaned["origin"] == Origin.UNIT:
        cleaned["required_by"] = ""
    if len(cleaned["required_by"]) > 200:
        problem("required_by", _("Keep it under 200 characters."))
    scale = values.get("scale")
    scale = 1.0 if scale in (None, "") else scale
    try:
        scale = float(scale)
    except (TypeError, ValueError):
        scale = math.nan
    if not math.isfinite(scale) or scale <= 0:
        problem("scale", _("Show the values per a positive number, e.g. 100 for per cent."))
    elif cleaned["data_type"] not in WITH_DENOMINATOR and scale != 1.0:
        problem("scale", _("Only proportions and rates are shown per 100 or per 1000."))
    cleaned["scale"] = scale
    if errors:
        raise ValidationError(errors)
    return cleaned


def _indicator_snapshot(indicator: Indicator) -> dict:
    return {name: getattr(indicator, name) for name in INDICATOR_FIELDS}


@transaction.atomic
def indicator_create(
    *,
    actor,
    access: Access | None,
    unit,
    name: str,
    definition: str,
    purpose_link: str,
    data_type: str,
    direction: str,
    frequency: str,
    measure_label: str = "",
    origin: str,
    required_by: str = "",
    scale: float = 1.0,
) -> Indicator:
    """Start following an indicator in a unit. The unit's own people choose their data."""
    _require_write(access, unit)
    if unit.closed_at is not None:
        raise ValidationError(_("A closed unit cannot get new indicators."))
    fields = _indicator_fields(
        unit=unit,
        indicator_id=None,
        name=name,
        definition=definition,
        purpose_link=purpose_link,
        data_type=data_type,
        direction=direction,
        frequency=frequency,
        measure_label=measure_label,
        origin=origin,
        required_by=required_by,
        scale=scale,
    )
    indicator = Indicator.objects.create(
        organisation_id=unit.organisation_id,
        unit=unit,
        created_by=actor if actor is not None and actor.pk else None,
        **fields,
    )
    audit_record(
        actor=actor,
        organisation=unit.organisation,
        unit=unit,
        action=AuditAction.INDICATOR_CREATED,
        target=indicator,
        after=fields,
    )
    return indicator


@transaction.atomic
def indicator_update(*, actor, access: Access | None, indicator: Indicator, **changes) -> Indicator:
    """Change an indicator's description. The data type and frequency are fixed once data exists."""
    unknown = set(changes) - set(INDICATOR_FIELDS)
    if unknown:
        raise TypeError(f"indicator_update() got unexpected fields: {sorted(unknown)}")
    indicator = Indicator.objects.select_for_update().select_related("unit").get(pk=indicator.pk)
    _require_write(access, indicator.unit)
    if indicator.retired_at is not None:
        raise ValidationError(_("A retired indicator cannot be changed."))
    before = _indicator_snapshot(indicator)
    fields = _indicator_fields(unit=indicator.unit, indicator_id=indicator.pk, **(before | changes))
    has_data = indicator.observations.exists()
    fixed = {
        name: _("The data type cannot change once data is recorded: retire it and start a new one.")
        if name == "data_type"
        else _("The frequency cannot change once data is recorded: retire it and start a new one.")
        for name in ("data_type", "frequency")
        if has_data and fields[name] != before[name]
    }
    if fixed:
        raise ValidationError(fixed)
    changed = {name: value for name, value in fields.items() if value != before[name]}
    if not changed:
        return indicator
    for name, value in changed.items():
        setattr(indicator, name, value)
    indicator.save(update_fields=list(changed))
    audit_record(
        actor=actor,
        organisation=indicator.unit.organisation,
        unit=indicator.unit,
        action=AuditAction.INDICATOR_UPDATED,
        target=indicator,
        before={name: before[name] for name in changed},
        after=changed,
    )
    if {"data_type", "scale"} & set(changed):
        analysis_schedule(organisation_id=indicator.organisation_id, indicator_ids=[indicator.pk])
    return indicator


@transaction.atomic
def indicator_retire(*, actor, access: Access | None, indicator: Indicator) -> Indicator:
    """Stop following an indicator: its data and history are kept, nothing new is recorded."""
    indicator = Indicator.objects.select_for_update().select_related("unit").get(pk=indicator.pk)
    _require_write(access, indicator.unit)
    if indicator.retired_at is not None:
        raise ValidationError(_("The indicator is already retired."))
    indicator.retired_at = timezone.now()
    indicator.save(update_fields=["retired_at"])
    audit_record(
        actor=actor,
        organisation=indicator.unit.organisation,
        unit=indicator.unit,
        action=AuditAction.INDICATOR_RETIRED,
        target=indicator,
        before={"retired_at": None},
        after={"retired_at": indicator.retired_at.isoformat()},
    )
    analysis_forget(organisation_id=indicator.organisation_id, indicator_ids=[indicator.pk])
    return indicator


# --- Observations: the single write path ------------------------------------------------------------


@dataclass(frozen=True)
class ObservationInput:
    """One period's value as given by a form, a file or the API."""

    period: date
    value: float
    denominator: float | None = None
    comment: str = ""


@dataclass(frozen=True)
class ObservationEntry:
    """A row of a write that spans the unit's indicators (import, API)."""

    indicator_id: int
    observation: ObservationInput


@dataclass(frozen=True)
class RecordSummary:
    created: int = 0
    changed: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.changed + self.unchanged

    def __add__(self, other: "RecordSummary") -> "RecordSummary":
        return RecordSummary(
            self.created + other.created, self.changed + other.changed, self.unchanged + other.unchanged
        )


@dataclass(frozen=True)
class RowProblem:
    """A reason a row cannot be recorded; `index` is the row's position in what was given (from 0)."""

    index: int
    message: str


class ObservationsInvalidError(ValidationError):
    """Rows that cannot be recorded, every problem with its row. Nothing was written."""

    def __init__(self, problems: Sequence[RowProblem]):
        self.problems = list(problems)
        super().__init__(
            [
                _("Row %(row)d: %(reason)s") % {"row": problem.index + 1, "reason": problem.message}
                for problem in self.problems
            ]
        )


@dataclass
class RecordPlan:
    """What recording these rows would do to one indicator: computed without writing."""

    indicator: Indicator
    create: list[ObservationInput] = field(default_factory=list)
    change: list[tuple[Observation, ObservationInput]] = field(default_factory=list)
    unchanged: list[Observation] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def summary(self) -> RecordSummary:
        return RecordSummary(len(self.create), len(self.change), len(self.unchanged))


def _number_label(value: float) -> str:
    return f"{value:g}"


def observation_problems(*, indicator: Indicator, row: ObservationInput, today: date) -> list[str]:
    """Every reason this row cannot be an observation of the indicator (empty when it can)."""
    problems = []
    label = period_label(indicator.frequency, row.period) if isinstance(row.period, date) else ""
    if not isinstance(row.period, date):
        problems.append(_("The period is missing."))
    elif not is_aligned(indicator.frequency, row.period):
        problems.append(
            _("%(date)s is not the first day of a period: %(hint)s.")
            % {"date": row.period.isoformat(), "hint": alignment_hint(indicator.frequency)}
        )
    elif row.period > period_start(indicator.frequency, today):
        problems.append(_("The period %(period)s has not started yet.") % {"period": label})

    value = row.value
    if value is None or isinstance(value, bool) or not isinstance(value, numbers.Real):
        problems.append(_("The value is missing."))
        return problems
    if not math.isfinite(value):
        problems.append(_("The value must be a finite number."))
        return problems
    if abs(value) > MAX_ABS_VALUE:
        problems.append(_("The value %(value)s is too large to be real.") % {"value": _number_label(value)})
        return problems

    data_type = indicator.data_type
    denominator = row.denominator
    if denominator is not None and (
        isinstance(denominator, bool) or not isinstance(denominator, numbers.Real)
    ):
        problems.append(_("The denominator must be a number."))
        return problems
    if data_type in WITH_DENOMINATOR:
        if denominator is None:
            problems.append(
                _("A proportion needs a denominator: the number it is a part of.")
                if data_type == DataType.PROPORTION
                else _("A rate needs a denominator: the exposure, e.g. care days.")
            )
        elif not math.isfinite(denominator) or denominator <= 0:
            problems.append(
                _("The denominator must be greater than zero, not %(denominator)s.")
                % {"denominator": _number_label(denominator)}
            )
        if value < 0:
            problems.append(
                _("The numerator cannot be negative (%(value)s).") % {"value": _number_label(value)}
            )
        elif (
            data_type == DataType.PROPORTION
            and denominator is not None
            and math.isfinite(denominator)
            and denominator > 0
            and value > denominator
        ):
            problems.append(
                _("The numerator %(value)s is larger than the denominator %(denominator)s.")
                % {"value": _number_label(value), "denominator": _number_label(denominator)}
            )
    elif denominator is not None:
        problems.append(
            _("This indicator has no denominator: leave it empty (its data type is %(type)s).")
            % {"type": DataType(data_type).label.lower()}
        )
    if data_type in (DataType.COUNT, DataType.DAYS_BETWEEN) and (value < 0 or value != int(value)):
        message = (
            _("A count is a whole number of zero or more, not %(value)s.")
            if data_type == DataType.COUNT
            else _("Days between events are a whole number of zero or more, not %(value)s.")
        )
        problems.append(message % {"value": _number_label(value)})
    if len(row.comment or "") > MAX_COMMENT_LENGTH:
        problems.append(_("The comment can be at most %(limit)d characters.") % {"limit": MAX_COMMENT_LENGTH})
    return problems


def _same(observation: Observation, row: ObservationInput, comment: str) -> bool:
    return (
        observation.value == row.value
        and observation.denominator == row.denominator
        and observation.comment == comment
    )


def _effective_comment(observation: Observation | None, row: ObservationInput, keep_comments: bool) -> str:
    comment = clean_text(row.comment)
    if keep_comments and not comment and observation is not None:
        return observation.comment
    return comment


def _plans(
    *,
    indicators: dict[int, Indicator],
    entries: Sequence[ObservationEntry],
    keep_comments: bool,
    row_name=None,
) -> tuple[dict[int, RecordPlan], list[RowProblem]]:
    """Check every row and sort it into create / change / unchanged, one query for existing rows.

    `row_name(index)` names another row in a message (a file names its lines instead of rows)."""
    today = timezone.localdate()
    row_name = row_name or (lambda index: _("row %(row)d") % {"row": index + 1})
    problems: list[RowProblem] = []
    plans: dict[int, RecordPlan] = {}
    accepted: dict[int, list[tuple[int, ObservationInput]]] = {}
    seen: dict[tuple[int, date], int] = {}
    for index, entry in enumerate(entries):
        indicator = indicators.get(entry.indicator_id)
        if indicator is None:
            problems.append(RowProblem(index, _("There is no such indicator in this unit.")))
            continue
        if indicator.retired_at is not None:
            problems.append(
                RowProblem(
                    index,
                    _("The indicator %(name)s is retired: no new data is recorded.")
                    % {"name": indicator.name},
                )
            )
            continue
        row = entry.observation
        row_problems = observation_problems(indicator=indicator, row=row, today=today)
        if isinstance(row.period, date):
            key = (indicator.pk, row.period)
            if key in seen:
                row_problems.append(
                    _("The period %(period)s of %(name)s is given twice (also %(other)s).")
                    % {
                        "period": period_label(indicator.frequency, row.period),
                        "name": indicator.name,
                        "other": row_name(seen[key]),
                    }
                )
            else:
                seen[key] = index
        problems.extend(RowProblem(index, message) for message in row_problems)
        if not row_problems:
            accepted.setdefault(indicator.pk, []).append((index, row))

    for indicator_id in accepted:
        plans[indicator_id] = RecordPlan(indicator=indicators[indicator_id])
    if not accepted:
        return plans, problems
    periods = [row.period for rows in accepted.values() for _index, row in rows]
    existing = {
        (observation.indicator_id, observation.period): observation
        for observation in Observation.objects.filter(
            indicator_id__in=list(accepted), period__range=(min(periods), max(periods))
        )
    }
    for indicator_id, rows in accepted.items():
        plan = plans[indicator_id]
        for _index, row in rows:
            observation = existing.get((indicator_id, row.period))
            comment = _effective_comment(observation, row, keep_comments)
            if observation is None:
                plan.create.append(row)
            elif _same(observation, row, comment):
                plan.unchanged.append(observation)
            else:
                plan.change.append((observation, row))
    return plans, problems


def observations_plan(
    *, indicator: Indicator, rows: Sequence[ObservationInput], keep_comments: bool = False
) -> RecordPlan:
    """A dry run of `observations_record`: what would be created, changed and left, and every problem."""
    plans, problems = _plans(
        indicators={indicator.pk: indicator},
        entries=[ObservationEntry(indicator.pk, row) for row in rows],
        keep_comments=keep_comments,
    )
    plan = plans.get(indicator.pk, RecordPlan(indicator=indicator))
    plan.problems = problems
    return plan


def _audit_value(value: float, denominator: float | None) -> str:
    return (
        _number_label(value)
        if denominator is None
        else f"{_number_label(value)} / {_number_label(denominator)}"
    )


def _write(*, actor, plan: RecordPlan, source: str, keep_comments: bool) -> RecordSummary:
    """Apply one indicator's plan with bulk writes and one audit event; nothing when nothing changes."""
    summary = plan.summary
    if not plan.create and not plan.change:
        return summary
    indicator = plan.indicator
    person = actor if actor is not None and actor.pk else None
    now = timezone.now()
    Observation.objects.bulk_create(
        [
            Observation(
                organisation_id=indicator.organisation_id,
                indicator=indicator,
                period=row.period,
                value=float(row.value),
                denominator=None if row.denominator is None else float(row.denominator),
                comment=clean_text(row.comment),
                recorded_by=person,
            )
            for row in plan.create
        ],
        batch_size=1000,
    )
    changes = []
    changed_observations = []
    for observation, row in plan.change:
        comment = _effective_comment(observation, row, keep_comments)
        changes.append(
            ObservationChange(
                organisation_id=indicator.organisation_id,
                observation=observation,
                value_before=observation.value,
                denominator_before=observation.denominator,
                comment_before=observation.comment,
                value_after=float(row.value),
                denominator_after=None if row.denominator is None else float(row.denominator),
                comment_after=comment,
                source=source,
                changed_by=person,
            )
        )
        observation.value = float(row.value)
        observation.denominator = None if row.denominator is None else float(row.denominator)
        observation.comment = comment
        observation.updated_at = now
        changed_observations.append(observation)
    if changed_observations:
        Observation.objects.bulk_update(
            changed_observations, ["value", "denominator", "comment", "updated_at"], batch_size=1000
        )
        ObservationChange.objects.bulk_create(changes, batch_size=1000)
    changed_periods = sorted(
        [row.period for row in plan.create] + [observation.period for observation, _row in plan.change]
    )
    audit_record(
        actor=actor,
        organisation=indicator.unit.organisation,
        unit=indicator.unit,
        action=AuditAction.OBSERVATIONS_RECORDED,
        target=indicator,
        # Flat and readable in the audit log: "2024-01": "3" or "41 / 50"; the full history is in
        # ObservationChange.
        before={
            period_label(indicator.frequency, change.observation.period): _audit_value(
                change.value_before, change.denominator_before
            )
            for change in changes[:AUDIT_PERIODS_LISTED]
        }
        or None,
        after={
            "source": source,
            "created": summary.created,
            "changed": summary.changed,
            "unchanged": summary.unchanged,
            "periods": ", ".join(
                period_label(indicator.frequency, p) for p in changed_periods[:AUDIT_PERIODS_LISTED]
            )
            + (" …" if len(changed_periods) > AUDIT_PERIODS_LISTED else ""),
        },
    )
    return summary


def _check_source(source: str) -> None:
    if source not in ChangeSource.values:
        raise ValueError(f"Unknown observation source {source!r}")


@transaction.atomic
def observations_record(
    *,
    actor,
    access: Access | None,
    indicator: Indicator,
    rows: Sequence[ObservationInput],
    source: str,
    keep_comments: bool = False,
) -> RecordSummary:
    """Record an indicator's values for some periods: all rows or none.

    New periods are created, changed values are corrected with their history kept, identical rows are
    left untouched. With `keep_comments`, an empty comment leaves an existing comment as it is (a file
    without a comment column). Raises `ObservationsInvalidError` with every problem when any row is wrong.
    """
    _check_source(source)
    indicator = (
        Indicator.objects.select_for_update().select_related("unit__organisation").get(pk=indicator.pk)
    )
    _require_write(access, indicator.unit)
    summaries = _record(
        actor=actor,
        indicators={indicator.pk: indicator},
        entries=[ObservationEntry(indicator.pk, row) for row in rows],
        source=source,
        keep_comments=keep_comments,
    )
    return summaries.get(indicator.pk, RecordSummary())


@transaction.atomic
def observations_record_for_unit(
    *,
    actor,
    access: Access | None,
    unit,
    entries: Sequence[ObservationEntry],
    source: str,
    keep_comments: bool = False,
) -> dict[int, RecordSummary]:
    """Record values of several of a unit's indicators at once (an import, the API): all or none.

    Returns each indicator's summary by id; problems are reported by the entry's position.
    """
    _check_source(source)
    _require_write(access, unit)
    ids = {entry.indicator_id for entry in entries}
    indicators = {
        indicator.pk: indicator
        for indicator in Indicator.objects.select_for_update()
        .filter(unit=unit, organisation_id=unit.organisation_id, pk__in=ids)
        .select_related("unit__organisation")
        .order_by("pk")
    }
    return _record(
        actor=actor, indicators=indicators, entries=entries, source=source, keep_comments=keep_comments
    )


def _record(*, actor, indicators, entries, source, keep_comments) -> dict[int, RecordSummary]:
    plans, problems = _plans(indicators=indicators, entries=entries, keep_comments=keep_comments)
    if problems:
        raise ObservationsInvalidError(problems)
    summaries = {
        indicator_id: _write(actor=actor, plan=plan, source=source, keep_comments=keep_comments)
        for indicator_id, plan in plans.items()
    }
    touched = sorted(pk for pk, summary in summaries.items() if summary.created or summary.changed)
    if touched:
        organisation_id = next(iter(indicators.values())).organisation_id
        analysis_schedule(organisation_id=organisation_id, indicator_ids=touched)
    return summaries


# --- Narratives -------------------------------------------------------------------------------------


@transaction.atomic
def narrative_write(*, actor, access: Access | None, unit, period: date, text: str) -> Narrative | None:
    """Write the unit's words for a period (vad ser vi?). Empty text removes the period's narrative."""
    _require_write(access, unit)
    if unit.closed_at is not None:
        raise ValidationError(_("A closed unit's narratives cannot be changed."))
    if actor is None or not actor.pk:
        raise ValueError("A narrative has an author: pass the person who writes it.")
    if not isinstance(period, date) or period.day != 1:
        raise ValidationError({"period": _("Choose a month.")})
    if period > timezone.localdate().replace(day=1):
        raise ValidationError({"period": _("The period has not started yet.")})
    text = clean_text(text)
    if len(text) > MAX_NARRATIVE_LENGTH:
        raise ValidationError(
            {"text": _("Keep it under %(limit)d characters.") % {"limit": MAX_NARRATIVE_LENGTH}}
        )
    current = Narrative.objects.select_for_update().filter(unit=unit, period=period).first()
    before = {"text": current.text, "author": current.author_id} if current else None
    if current is None and not text:
        raise ValidationError({"text": _("Write what you see in this period.")})
    if current is not None and current.text == text:
        return current
    if not text:
        audit_record(
            actor=actor,
            organisation=unit.organisation,
            unit=unit,
            action=AuditAction.NARRATIVE_WRITTEN,
            target=current,
            before=before,
            after=None,
        )
        current.delete()
        return None
    if current is None:
        current = Narrative.objects.create(
            organisation_id=unit.organisation_id, unit=unit, period=period, text=text, author=actor
        )
    else:
        current.text = text
        current.author = actor
        current.save(update_fields=["text", "author", "updated_at"])
    audit_record(
        actor=actor,
        organisation=unit.organisation,
        unit=unit,
        action=AuditAction.NARRATIVE_WRITTEN,
        target=current,
        before=before,
        after={"text": text, "author": actor.pk},
    )
    return current


# --- Phase changes ----------------------------------------------------------------------------------


@transaction.atomic
def phase_change_create(
    *, actor, access: Access | None, indicator: Indicator, period: date, label: str
) -> PhaseChange:
    """Record a change in the process from this period on: the chart's limits are recalculated there."""
    indicator = (
        Indicator.objects.select_for_update().select_related("unit__organisation").get(pk=indicator.pk)
    )
    _require_write(access, indicator.unit)
    errors: dict[str, list[str]] = {}
    label = clean_line(label)
    if not label:
        errors["label"] = [_("Say what changed in the work.")]
    elif len(label) > 200:
        errors["label"] = [_("Keep it under 200 characters.")]
    if not isinstance(period, date) or not is_aligned(indicator.frequency, period):
        errors["period"] = [_("Choose the first period after the change.")]
    elif period > period_start(indicator.frequency, timezone.localdate()):
        errors["period"] = [_("The period has not started yet.")]
    elif PhaseChange.objects.filter(indicator=indicator, period=period).exists():
        errors["period"] = [_("A change is already recorded from this period.")]
    if errors:
        raise ValidationError(errors)
    phase_change = PhaseChange.objects.create(
        organisation_id=indicator.organisation_id,
        indicator=indicator,
        period=period,
        label=label,
        created_by=actor if actor is not None and actor.pk else None,
    )
    audit_record(
        actor=actor,
        organisation=indicator.unit.organisation,
        unit=indicator.unit,
        action=AuditAction.PHASE_CHANGE_CREATED,
        target=phase_change,
        after={"indicator": indicator.name, "period": period.isoformat(), "label": label},
    )
    analysis_schedule(organisation_id=indicator.organisation_id, indicator_ids=[indicator.pk])
    return phase_change


@transaction.atomic
def phase_change_delete(*, actor, access: Access | None, phase_change: PhaseChange) -> None:
    """Remove a recorded change: the chart's limits run on across that period again."""
    phase_change = PhaseChange.objects.select_related("indicator__unit__organisation").get(pk=phase_change.pk)
    indicator = phase_change.indicator
    _require_write(access, indicator.unit)
    audit_record(
        actor=actor,
        organisation=indicator.unit.organisation,
        unit=indicator.unit,
        action=AuditAction.PHASE_CHANGE_DELETED,
        target=phase_change,
        before={
            "indicator": indicator.name,
            "period": phase_change.period.isoformat(),
            "label": phase_change.label,
        },
    )
    phase_change.delete()
    analysis_schedule(organisation_id=indicator.organisation_id, indicator_ids=[indicator.pk])


# --- Importing a file -------------------------------------------------------------------------------


@dataclass
class IndicatorPreview:
    indicator: Indicator
    summary: RecordSummary
    changes: list[tuple[Observation, ObservationInput]]


@dataclass
class ImportPreview:
    """What applying a file would do, or every reason it cannot be applied (by line)."""

    parsed: ParsedFile
    problems: list[LineProblem]
    indicators: list[IndicatorPreview]
    entries: list[ObservationEntry]

    @property
    def can_apply(self) -> bool:
        return not self.problems and bool(self.entries)

    @property
    def total(self) -> RecordSummary:
        total = RecordSummary()
        for preview in self.indicators:
            total += preview.summary
        return total


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def import_check(*, unit, parsed: ParsedFile) -> ImportPreview:
    """Check a parsed file against the unit's indicators and the stored data, without writing."""
    problems = list(parsed.problems)
    indicators = {
        _name_key(indicator.name): indicator
        for indicator in Indicator.objects.filter(unit=unit, organisation_id=unit.organisation_id)
    }
    entries: list[ObservationEntry] = []
    lines: list[int] = []
    for row in parsed.rows:
        indicator = indicators.get(_name_key(row.indicator))
        if indicator is None:
            problems.append(
                LineProblem(
                    row.line, _("The unit has no indicator called %(name)s.") % {"name": row.indicator}
                )
            )
            continue
        try:
            period = parse_period(row.period, indicator.frequency)
        except PeriodError as error:
            problems.append(LineProblem(row.line, str(error)))
            continue
        entries.append(
            ObservationEntry(
                indicator.pk,
                ObservationInput(period, row.value, row.denominator, row.comment),
            )
        )
        lines.append(row.line)
    by_id = {indicator.pk: indicator for indicator in indicators.values()}
    plans, row_problems = _plans(
        indicators=by_id,
        entries=entries,
        keep_comments=not parsed.has_comment_column,
        row_name=lambda index: _("line %(line)d") % {"line": lines[index]},
    )
    problems.extend(LineProblem(lines[problem.index], problem.message) for problem in row_problems)
    problems.sort(key=lambda problem: problem.line)
    previews = [
        IndicatorPreview(indicator=plan.indicator, summary=plan.summary, changes=plan.change)
        for plan in sorted(plans.values(), key=lambda plan: plan.indicator.name.casefold())
    ]
    if problems:
        entries = []
    return ImportPreview(parsed=parsed, problems=problems, indicators=previews, entries=entries)


@transaction.atomic
def observation_import_create(
    *, actor, access: Access | None, unit, filename: str, content: bytes
) -> ObservationImport:
    """Keep an uploaded file for its preview. Nothing is recorded until it is applied."""
    _require_write(access, unit)
    if unit.closed_at is not None:
        raise ValidationError(_("A closed unit's data cannot be changed."))
    if len(content) > MAX_FILE_BYTES:
        raise ValidationError(
            {
                "file": _("The file is larger than %(limit)d MB. Split it into smaller files.")
                % {"limit": MAX_FILE_BYTES // (1024 * 1024)}
            }
        )
    if not content:
        raise ValidationError({"file": _("The file is empty.")})
    return ObservationImport.objects.create(
        organisation_id=unit.organisation_id,
        unit=unit,
        filename=(filename or "")[-255:],
        sha256=sha256(content),
        content=content,
        uploaded_by=actor if actor is not None and actor.pk else None,
    )


def observation_import_preview(*, observation_import: ObservationImport) -> ImportPreview:
    parsed = parse_file(filename=observation_import.filename, content=bytes(observation_import.content))
    return import_check(unit=observation_import.unit, parsed=parsed)


@transaction.atomic
def observation_import_apply(
    *, actor, access: Access | None, observation_import: ObservationImport
) -> dict[str, dict[str, int]]:
    """Apply a previewed file, all or nothing: exactly the stored content, checked again."""
    observation_import = (
        ObservationImport.objects.select_for_update()
        .select_related("unit__organisation")
        .get(pk=observation_import.pk)
    )
    unit = observation_import.unit
    _require_write(access, unit)
    if observation_import.applied_at is not None:
        raise ValidationError(_("This file has already been applied."))
    preview = observation_import_preview(observation_import=observation_import)
    if preview.problems:
        raise ValidationError(
            [
                _("Line %(line)d: %(reason)s") % {"line": problem.line, "reason": problem.message}
                for problem in preview.problems
            ]
        )
    if not preview.entries:
        raise ValidationError(_("The file has no values to record."))
    summaries = observations_record_for_unit(
        actor=actor,
        access=access,
        unit=unit,
        entries=preview.entries,
        source=ChangeSource.IMPORT,
        keep_comments=not preview.parsed.has_comment_column,
    )
    names = {item.indicator.pk: item.indicator.name for item in preview.indicators}
    observation_import.summary = {
        names[pk]: {"created": s.created, "changed": s.changed, "unchanged": s.unchanged}
        for pk, s in summaries.items()
    }
    observation_import.applied_at = timezone.now()
    observation_import.applied_by = actor if actor is not None and actor.pk else None
    observation_import.save(update_fields=["summary", "applied_at", "applied_by"])
    return observation_import.summary
