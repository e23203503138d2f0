"""Three years of follow-up data for the demo municipalities, generated deterministically.

The series are drawn from the processes in `followup_catalogue` with one seeded generator per unit and
indicator (the same numbers on every run, whatever else changes). Pure functions (`demo_series`,
`agreement_boundaries`) build the data; `followup_load` writes it through the services (indicators,
observations in bulk per unit, phase changes, narratives, trust agreements) and runs the analysis once,
so that the follow-up pages have results as soon as the demo starts.

The data ends with the last complete month before a fixed reference date, never today's date: the demo
shows the same charts whenever it is loaded.
"""

import math
import zlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np
from django.contrib.auth import get_user_model

from tillit.agreements import services as agreements
from tillit.agreements.models import BoundaryKind
from tillit.chain.access import Access
from tillit.chain.models import Membership, Unit
from tillit.core.clock import frozen_at
from tillit.core.tasks import deferred
from tillit.demo.followup_catalogue import (
    AGREEMENT_EXCEPTIONS,
    KINDS,
    NARRATIVES,
    PAST_REVIEW,
    QUALITATIVE_BOUNDARIES,
    SEASONS,
    STORIES,
    UPPER_AGREEMENTS,
    AgreementPlan,
    IndicatorSpec,
    KindSpec,
    Story,
)
from tillit.followup.tasks import followup_refresh
from tillit.indicators import services as indicators
from tillit.indicators.enums import ChangeSource, DataType, Direction, Frequency
from tillit.indicators.services import ObservationEntry, ObservationInput

SEED = 2026
REFERENCE_DATE = date(2026, 11, 15)  # the data ends with the last complete month before this date
MONTHS = 36

# How far from the process's centre an agreed boundary lies, in the process's standard deviations:
# reliably inside (the natural process limits are at 3) or hit-or-miss (between the limits).
INSIDE_SIGMAS = 5.0
HIT_OR_MISS_SIGMAS = 1.3

# Which of its indicators a unit's agreement bounds, where the kind's default does not fit the story.
BOUNDARY_KEYS: dict[tuple[str, str], tuple[str, ...]] = {
    ("exempelby", "Hemtjänst Norr"): ("falls", "continuity"),
}
# The version that waits for both signatures was proposed a week before this.
PROPOSED_AWAITING_SIGNATURES = datetime(2026, 11, 23, 10, tzinfo=UTC)
# What a unit's agreement adds to its kind's usual mandate.
EXTRA_MANDATE: dict[tuple[str, str], tuple[str, ...]] = {
    ("exempelby", "Hemtjänst Norr"): (
        "Hur de fasta teamen sätts samman och hur vi täcker upp vid frånvaro.",
    ),
}
# Hemtjänst Norr's first agreement (before the fixed teams) bounded continuity less tightly.
NORR_FIRST_CONTINUITY_HIGH = 18.0


def demo_periods(reference: date = REFERENCE_DATE, months: int = MONTHS) -> tuple[date, ...]:
    """The first days of the `months` complete months before `reference`, oldest first."""
    year, month = reference.year, reference.month
    periods = []
    for _ in range(months):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        periods.append(date(year, month, 1))
    return tuple(reversed(periods))


PERIODS = demo_periods()


@dataclass(frozen=True)
class Series:
    """One indicator of one unit with its generated observations."""

    slug: str
    kind: str
    unit: str
    spec: IndicatorSpec
    story: Story | None
    rows: tuple[ObservationInput, ...]
    level: float  # the unit's own centre of the process (before any story's steps)
    size: float  # the unit's own denominator size per month (binomial and rate processes)

    @property
    def phase(self) -> tuple[date, str] | None:
        return self.story.phase if self.story else None

    def plotted(self) -> np.ndarray:
        """The values as the chart shows them (ratios on the indicator's scale)."""
        values = np.array([row.value for row in self.rows], dtype=float)
        if self.spec.data_type in (DataType.PROPORTION, DataType.RATE):
            values = values / np.array([row.denominator for row in self.rows]) * self.spec.scale
        return values


def _rng(*parts: str) -> np.random.Generator:
    return np.random.default_rng([SEED, zlib.crc32("|".join(parts).encode())])


def _season_effect(spec: IndicatorSpec, month: int) -> float:
    process = spec.process
    return SEASONS[process.season].get(month, 0.0) * process.amplitude if process.season else 0.0


def _step(story: Story | None, period: date) -> float:
    return sum(change for start, change in (story.steps if story else ()) if period >= start)


def _generate(slug: str, kind: str, unit: str, spec: IndicatorSpec, story: Story | None) -> Series:
    """Draw one unit's monthly values of one indicator from its process (the same on every run)."""
    process = spec.process
    unit_rng = _rng(slug, unit)
    size_factor = unit_rng.uniform(0.8, 1.2)
    rng = _rng(slug, unit, spec.key)
    level_factor = rng.uniform(0.93, 1.07)
    if story and story.level is not None:
        level = story.level
    elif process.model == "binomial":
        level = process.level + (level_factor - 1) * min(process.level, 1 - process.level)
    else:
        level = process.level * level_factor
    size = process.size * size_factor
    periods = [period for period in PERIODS if period.month not in spec.skip_months]
    rows = []
    for period in periods:
        season = _season_effect(spec, period.month)
        step = _step(story, period)
        denominator = None
        if process.model == "normal":
            value = level + season + step + rng.normal(0.0, process.sd)
            value = round(max(value, process.minimum), process.decimals)
            value = float(int(value)) if process.decimals == 0 else value
        elif process.model == "poisson":
            value = float(rng.poisson(max(level * (1 + season) * (1 + step), 0.01)))
        elif process.model == "binomial":
            denominator = float(max(1, rng.poisson(size)))
            p = min(max(level + season + step + rng.normal(0.0, process.over), 0.002), 0.998)
            value = float(rng.binomial(int(denominator), p))
        elif process.model == "rate":
            days = _days_in_month(period)
            denominator = float(round(size * days / 30 * (1 + rng.normal(0.0, 0.02))))
            value = float(rng.poisson(level * (1 + season) * (1 + step) * denominator))
        else:
            raise ValueError(f"unknown process model {process.model!r}")
        rows.append(ObservationInput(period=period, value=value, denominator=denominator))
    if story and story.latest:
        rows[-len(story.latest) :] = [
            _as_observed(spec, row, target)
            for row, target in zip(rows[-len(story.latest) :], story.latest, strict=True)
        ]
    return Series(
        slug=slug, kind=kind, unit=unit, spec=spec, story=story, rows=tuple(rows), level=level, size=size
    )


def _days_in_month(period: date) -> int:
    following = date(period.year + period.month // 12, period.month % 12 + 1, 1)
    return (following - period).days


def _as_observed(spec: IndicatorSpec, row: ObservationInput, target: float) -> ObservationInput:
    """A row whose plotted value is `target` (on the indicator's scale)."""
    if row.denominator is None:
        return ObservationInput(period=row.period, value=float(target), denominator=None)
    return ObservationInput(
        period=row.period,
        value=float(round(target / spec.scale * row.denominator)),
        denominator=row.denominator,
    )


def demo_series(slug: str) -> list[Series]:
    """Every unit's indicators with three years of monthly values, in a fixed order."""
    return [
        _generate(slug, kind_name, unit, spec, STORIES.get((slug, unit, spec.key)))
        for kind_name, kind in KINDS[slug].items()
        for unit in kind.units
        for spec in kind.indicators_of(unit)
    ]


# --- Boundaries ---------------------------------------------------------------------------------------


def _sigma(series: Series) -> float:
    """The process's standard deviation on the plotted (plain) scale, seasons included."""
    process = series.spec.process
    season_sd = 0.0
    if process.season:
        season_sd = float(np.std([SEASONS[process.season].get(month, 0.0) for month in range(1, 13)]))
    season_sd *= abs(process.amplitude)
    level = series.level
    if process.model == "normal":
        return math.hypot(process.sd, season_sd)
    if process.model == "poisson":
        return math.hypot(math.sqrt(level), level * season_sd)
    if process.model == "binomial":
        return math.sqrt(level * (1 - level) / series.size + process.over**2 + season_sd**2)
    return math.hypot(math.sqrt(level / series.size), level * season_sd)


def _nice_step(value: float) -> float:
    """The largest of 1, 2, 5 times a power of ten that is not above `value`."""
    power = 10 ** math.floor(math.log10(value))
    return max(step * power for step in (1, 2, 5) if step * power <= value)


def boundary_for(series: Series, placement: str | float) -> tuple[float | None, float | None] | None:
    """The off-limits value on the worse side of the process, on the indicator's scale.

    "inside": far beyond the natural process limits (the process reliably stays inside);
    "hit_or_miss": between the centre and the limit (some months will be beyond it); a number: as given.
    None when the indicator has no improvement direction or the boundary would be meaningless.
    """
    direction = series.spec.direction
    if direction == Direction.NEUTRAL:
        return None
    high_side = direction == Direction.DOWN
    if not isinstance(placement, str):
        return (None, float(placement)) if high_side else (float(placement), None)
    scale = series.spec.scale
    centres = [series.level, series.level + _step(series.story, PERIODS[-1])]
    # After a recorded change the latest phase is the process; without one, the worse of before and after.
    worse = max(centres) if high_side else min(centres)
    centre = centres[-1] if series.phase is not None else worse
    sigma = _sigma(series)
    sigmas = INSIDE_SIGMAS if placement == "inside" else HIT_OR_MISS_SIGMAS
    raw = (centre + sigmas * sigma if high_side else centre - sigmas * sigma) * scale
    step = _nice_step(sigma * scale)
    if placement == "inside":
        value = math.ceil(raw / step) * step if high_side else math.floor(raw / step) * step
    else:
        value = round(raw / step) * step
    value = round(value, 6)
    if value <= 0 or (series.spec.data_type == DataType.PROPORTION and value >= 100):
        return None
    return (None, value) if high_side else (value, None)


def _placement(series: Series) -> str | float:
    return series.story.boundary if series.story and series.story.boundary is not None else "inside"


def agreement_boundaries(
    slug: str, unit: str, kind: KindSpec, by_key: dict[str, Series]
) -> list[tuple[str, float | None, float | None]]:
    """The unit's indicator boundaries (key, low, high): its story's bounded indicators first, then the
    kind's usual ones, at most two."""
    keys = list(BOUNDARY_KEYS.get((slug, unit), ()))
    keys += [key for key, series in by_key.items() if series.story and series.story.boundary is not None]
    keys += list(kind.boundary_keys)
    chosen: list[tuple[str, float | None, float | None]] = []
    for key in dict.fromkeys(keys):
        series = by_key.get(key)
        if series is None:
            continue
        bounds = boundary_for(series, _placement(series))
        if bounds is not None:
            chosen.append((key, *bounds))
        if len(chosen) == 2:
            break
    return chosen


def agreement_plan(slug: str, unit: str, index: int) -> AgreementPlan:
    plan = AGREEMENT_EXCEPTIONS.get((slug, unit), AgreementPlan())
    if plan.review_date is None:
        review = (
            PAST_REVIEW.get(unit)
            or (date(2027, 3, 31), date(2027, 6, 30), date(2027, 9, 30), date(2027, 12, 31))[index % 4]
        )
        plan = AgreementPlan(state=plan.state, review_date=review, revised=plan.revised)
    return plan


# --- Writing it through the services ------------------------------------------------------------------


def _speakers(organisation) -> dict[int, object]:
    """unit id -> the person who speaks for the unit: its manager, or a political body's chair."""
    memberships = (
        Membership.objects.filter(organisation=organisation, ended_at__isnull=True)
        .select_related("person", "role")
        .order_by("unit_id", "-role__can_manage", "pk")
    )
    speakers: dict[int, object] = {}
    for membership in memberships:
        speaks = membership.role.can_manage or membership.role.name == "Ordförande"
        if speaks and membership.unit_id not in speakers:
            speakers[membership.unit_id] = membership.person
    return speakers


def _signed_at(index: int, offset_days: int = 0) -> datetime:
    """Signatures spread over early 2025 (the year the agreements were first made)."""
    day = date(2025, 1, 13).toordinal() + (index * 3) % 90 + offset_days
    return datetime.combine(date.fromordinal(day), datetime.min.time(), tzinfo=UTC).replace(hour=10)


def _write_agreement(
    *,
    unit,
    unit_actor,
    upper_actor,
    purpose: str,
    mandate,
    boundaries,
    promises,
    review_date: date,
    state: str,
    signed_at: datetime,
):
    # Demo history: the version was started and proposed in the weeks before it was signed.
    made = signed_at if state == "signed" else PROPOSED_AWAITING_SIGNATURES
    system = Access.system(unit.organisation_id)
    with frozen_at(made - timedelta(days=21)):
        version = agreements.agreement_draft(actor=unit_actor, access=system, unit=unit)
        agreements.agreement_version_update(
            actor=unit_actor,
            access=system,
            version=version,
            purpose=purpose,
            review_date=review_date,
            mandate_items=list(mandate),
            boundaries=boundaries,
            support_promises=[
                agreements.PromiseInput(text=text, response_working_days=days) for text, days in promises
            ],
        )
    with frozen_at(made - timedelta(days=7)):
        agreements.agreement_propose(actor=unit_actor, access=system, version=version)
    if state == "signed":
        with frozen_at(signed_at):
            agreements.agreement_sign(actor=unit_actor, access=system, version=version)
        with frozen_at(signed_at.replace(hour=15)):
            agreements.agreement_sign(actor=upper_actor, access=system, version=version)
    return version


def _indicator_boundaries(bounds, indicator_of: dict[str, object], kind: KindSpec, event: str) -> list:
    given = [
        agreements.BoundaryInput(kind=BoundaryKind.INDICATOR, indicator=indicator_of[key], low=low, high=high)
        for key, low, high in bounds
    ]
    given.append(agreements.BoundaryInput(kind=BoundaryKind.QUALITATIVE, description=event))
    return given


@dataclass(frozen=True)
class FollowupResult:
    indicators: int
    observations: int
    agreements_signed: int


def followup_load(*, organisation) -> FollowupResult:
    """Write one demo organisation's indicators, data, narratives and agreements, then analyse them.

    The writes queue no background analysis: one synchronous run at the end covers them all."""
    with deferred():
        result = _followup_write(organisation=organisation)
    followup_refresh(organisation_id=organisation.pk)
    return result


def _followup_write(*, organisation) -> FollowupResult:
    from tillit.agreements.models import Purpose

    slug = organisation.slug
    units = {
        unit.name: unit for unit in Unit.objects.filter(organisation=organisation).select_related("parent")
    }
    speakers = _speakers(organisation)
    series_by_unit: dict[str, list[Series]] = {}
    for series in demo_series(slug):
        series_by_unit.setdefault(series.unit, []).append(series)

    indicator_count = observation_count = 0
    indicator_of: dict[tuple[str, str], object] = {}
    for unit_name, unit_series in series_by_unit.items():
        unit = units[unit_name]
        actor = speakers[unit.pk]
        entries = []
        for series in unit_series:
            spec = series.spec
            indicator = indicators.indicator_create(
                actor=actor,
                access=Access.system(unit.organisation_id),
                unit=unit,
                name=spec.name,
                definition=spec.definition,
                purpose_link=spec.purpose_link,
                data_type=spec.data_type,
                direction=spec.direction,
                frequency=Frequency.MONTH,
                measure_label=spec.measure_label,
                origin=spec.origin,
                required_by=spec.required_by,
                scale=spec.scale,
            )
            indicator_of[unit_name, spec.key] = indicator
            entries += [ObservationEntry(indicator.pk, row) for row in series.rows]
            indicator_count += 1
        indicators.observations_record_for_unit(
            actor=actor,
            access=Access.system(unit.organisation_id),
            unit=unit,
            entries=entries,
            source=ChangeSource.DEMO,
        )
        observation_count += len(entries)
        for series in unit_series:
            if series.phase is not None:
                period, label = series.phase
                indicators.phase_change_create(
                    actor=actor,
                    access=Access.system(unit.organisation_id),
                    indicator=indicator_of[unit_name, series.spec.key],
                    period=period,
                    label=label,
                )

    people = {
        person.full_name: person for person in get_user_model().objects.filter(organisation=organisation)
    }
    for narrative_slug, unit_name, period, author, text in NARRATIVES:
        if narrative_slug != slug:
            continue
        unit = units[unit_name]
        indicators.narrative_write(
            actor=people[author] if author else speakers[unit.pk],
            access=Access.system(unit.organisation_id),
            unit=unit,
            period=period,
            text=text,
        )

    purposes = {
        purpose.unit_id: purpose.statement
        for purpose in Purpose.objects.filter(organisation=organisation).order_by("unit_id", "version")
    }
    signed = 0
    index = 0
    for kind in KINDS[slug].values():
        for unit_name in kind.units:
            plan = agreement_plan(slug, unit_name, index)
            index += 1
            if plan.state == "none":
                continue
            unit = units[unit_name]
            by_key = {series.spec.key: series for series in series_by_unit.get(unit_name, [])}
            bounds = agreement_boundaries(slug, unit_name, kind, by_key)
            of_unit = {key: indicator_of[unit_name, key] for key in by_key}
            event = QUALITATIVE_BOUNDARIES.get((slug, unit_name), kind.qualitative_boundary)
            common = {
                "unit": unit,
                "unit_actor": speakers[unit.pk],
                "upper_actor": speakers[unit.parent_id],
                "purpose": purposes.get(unit.pk, kind.purpose),
                "promises": kind.promises,
                "review_date": plan.review_date,
            }
            if plan.revised:
                first = [
                    (key, low, NORR_FIRST_CONTINUITY_HIGH if key == "continuity" else high)
                    for key, low, high in bounds
                ]
                _write_agreement(
                    **(common | {"review_date": date(2025, 12, 31)}),
                    mandate=kind.mandate[:2],
                    boundaries=_indicator_boundaries(first, of_unit, kind, event),
                    state="signed",
                    signed_at=_signed_at(index),
                )
                signed += 1
            _write_agreement(
                **common,
                mandate=kind.mandate + EXTRA_MANDATE.get((slug, unit_name), ()),
                boundaries=_indicator_boundaries(bounds, of_unit, kind, event),
                state=plan.state,
                signed_at=_signed_at(index, offset_days=120 if plan.revised else 0),
            )
            signed += plan.state == "signed"
    for (upper_slug, unit_name), (purpose, mandate, qualitative, promises) in UPPER_AGREEMENTS.items():
        if upper_slug != slug:
            continue
        unit = units[unit_name]
        _write_agreement(
            unit=unit,
            unit_actor=speakers[unit.pk],
            upper_actor=speakers[unit.parent_id],
            purpose=purposes.get(unit.pk, purpose),
            mandate=mandate,
            boundaries=[agreements.BoundaryInput(kind=BoundaryKind.QUALITATIVE, description=qualitative)],
            promises=promises,
            review_date=date(2027, 12, 31),
            state="signed",
            signed_at=_signed_at(index),
        )
        index += 1
        signed += 1

    return FollowupResult(
        indicators=indicator_count, observations=observation_count, agreements_signed=signed
    )
