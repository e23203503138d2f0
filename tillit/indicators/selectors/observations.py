"""Checks and plans of observations: every reason a row cannot be recorded, and what recording rows
would do (create, change, leave), computed without writing. The write path is
`services.observations`; file previews and the API's dry runs read from here too."""

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from tillit.core.clock import today
from tillit.core.text import clean_text
from tillit.indicators.enums import WITH_DENOMINATOR, DataType
from tillit.indicators.models import Indicator, Observation
from tillit.indicators.periods import alignment_hint, is_aligned, period_label, period_start

MAX_COMMENT_LENGTH = 2000
MAX_ABS_VALUE = 1e12  # beyond any real count or measurement: a typo, e.g. a pasted id


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


def number_label(value: float) -> str:
    return f"{value:g}"


def observation_problems(*, indicator: Indicator, row: ObservationInput, on: date) -> list[str]:
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
    elif row.period > period_start(indicator.frequency, on):
        problems.append(_("The period %(period)s has not started yet.") % {"period": label})

    value = row.value
    if value is None or isinstance(value, bool) or not isinstance(value, numbers.Real):
        problems.append(_("The value is missing."))
        return problems
    if not math.isfinite(value):
        problems.append(_("The value must be a finite number."))
        return problems
    if abs(value) > MAX_ABS_VALUE:
        problems.append(_("The value %(value)s is too large to be real.") % {"value": number_label(value)})
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
                % {"denominator": number_label(denominator)}
            )
        if value < 0:
            problems.append(
                _("The numerator cannot be negative (%(value)s).") % {"value": number_label(value)}
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
                % {"value": number_label(value), "denominator": number_label(denominator)}
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
        problems.append(message % {"value": number_label(value)})
    if len(row.comment or "") > MAX_COMMENT_LENGTH:
        problems.append(_("The comment can be at most %(limit)d characters.") % {"limit": MAX_COMMENT_LENGTH})
    return problems


def same_observation(observation: Observation, row: ObservationInput, comment: str) -> bool:
    return (
        observation.value == row.value
        and observation.denominator == row.denominator
        and observation.comment == comment
    )


def effective_comment(observation: Observation | None, row: ObservationInput, keep_comments: bool) -> str:
    comment = clean_text(row.comment)
    if keep_comments and not comment and observation is not None:
        return observation.comment
    return comment


def observation_plans(
    *,
    indicators: dict[int, Indicator],
    entries: Sequence[ObservationEntry],
    keep_comments: bool,
    row_name=None,
) -> tuple[dict[int, RecordPlan], list[RowProblem]]:
    """Check every row and sort it into create / change / unchanged, one query for existing rows.

    `row_name(index)` names another row in a message (a file names its lines instead of rows)."""
    on = today()
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
        row_problems = observation_problems(indicator=indicator, row=row, on=on)
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
            comment = effective_comment(observation, row, keep_comments)
            if observation is None:
                plan.create.append(row)
            elif same_observation(observation, row, comment):
                plan.unchanged.append(observation)
            else:
                plan.change.append((observation, row))
    return plans, problems


def observations_plan(
    *, indicator: Indicator, rows: Sequence[ObservationInput], keep_comments: bool = False
) -> RecordPlan:
    """A dry run of `observations_record`: what would be created, changed and left, and every problem."""
    plans, problems = observation_plans(
        indicators={indicator.pk: indicator},
        entries=[ObservationEntry(indicator.pk, row) for row in rows],
        keep_comments=keep_comments,
    )
    plan = plans.get(indicator.pk, RecordPlan(indicator=indicator))
    plan.problems = problems
    return plan
