"""The preview of an observation file: what applying it would do to the unit's indicators, or every
reason it cannot be applied, by line. A read; `services.imports` applies it."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from tillit.core.imports import LineProblem
from tillit.indicators.imports import ParsedFile, parse_file
from tillit.indicators.models import Indicator, Observation, ObservationImport
from tillit.indicators.periods import PeriodError, parse_period
from tillit.indicators.selectors.observations import (
    ObservationEntry,
    ObservationInput,
    RecordSummary,
    observation_plans,
)


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


def observation_file_preview(*, unit, parsed: ParsedFile) -> ImportPreview:
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
    plans, row_problems = observation_plans(
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


def observation_import_preview(*, observation_import: ObservationImport) -> ImportPreview:
    parsed = parse_file(filename=observation_import.filename, content=bytes(observation_import.content))
    return observation_file_preview(unit=observation_import.unit, parsed=parsed)
