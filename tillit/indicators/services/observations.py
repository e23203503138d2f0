"""Observations: the single write path. Every value of an indicator, typed, imported, sent through the
API or counted by the platform, is recorded here, all rows or none, with the history of corrections."""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tillit.audit.enums import AuditAction
from tillit.audit.services import audit_record
from tillit.chain.access import Access
from tillit.core.clock import now
from tillit.core.rows import locked
from tillit.core.text import clean_text
from tillit.followup.services import analysis_schedule
from tillit.indicators.enums import ChangeSource
from tillit.indicators.models import Indicator, Observation, ObservationChange
from tillit.indicators.periods import period_label
from tillit.indicators.selectors.observations import (
    ObservationEntry,
    ObservationInput,
    RecordPlan,
    RecordSummary,
    RowProblem,
    effective_comment,
    number_label,
    observation_plans,
)
from tillit.indicators.services.indicators import require_indicator_change

AUDIT_PERIODS_LISTED = 100  # the audit event lists the changed periods up to this many


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


def _audit_value(value: float, denominator: float | None) -> str:
    return (
        number_label(value) if denominator is None else f"{number_label(value)} / {number_label(denominator)}"
    )


def _write(*, actor, plan: RecordPlan, source: str, keep_comments: bool) -> RecordSummary:
    """Apply one indicator's plan with bulk writes and one audit event; nothing when nothing changes."""
    summary = plan.summary
    if not plan.create and not plan.change:
        return summary
    indicator = plan.indicator
    person = actor if actor is not None and actor.pk else None
    moment = now()
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
        comment = effective_comment(observation, row, keep_comments)
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
        observation.updated_at = moment
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
    access: Access,
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
    indicator = locked(Indicator.objects.select_related("unit__organisation"), pk=indicator.pk)
    require_indicator_change(access, indicator.unit)
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
    access: Access,
    unit,
    entries: Sequence[ObservationEntry],
    source: str,
    keep_comments: bool = False,
) -> dict[int, RecordSummary]:
    """Record values of several of a unit's indicators at once (an import, the API): all or none.

    Returns each indicator's summary by id; problems are reported by the entry's position.
    """
    _check_source(source)
    require_indicator_change(access, unit)
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
    plans, problems = observation_plans(indicators=indicators, entries=entries, keep_comments=keep_comments)
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
