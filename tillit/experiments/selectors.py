"""Reads of experiments: who may read and write one, the evidence on its charts, and the archive search."""

import statistics
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404

from tillit.analysis.codes import HIGH_RULES, LOW_RULES, PointClass
from tillit.chain.access import Access
from tillit.chain.models import Membership, Unit
from tillit.experiments import rules, text
from tillit.experiments.enums import Decision, Expected, ExperimentState
from tillit.experiments.models import Experiment, ExperimentComment, ExperimentIndicator
from tillit.indicators.enums import Direction
from tillit.indicators.models import Indicator, PhaseChange

# A shift: this many points in a row on one side of the centre line the process had before the start
# (the classic rule of eight; the engine's own rules run on the new limits, which follow the shift).
SHIFT_RUN = 8
ARCHIVE_LIMIT = 50


def experiment_get_readable(*, access: Access, experiment_id: int) -> Experiment:
    """The experiment if the person may read it; 404 otherwise, as for a unit outside the chain."""
    experiment = (
        Experiment.objects.filter(pk=experiment_id)
        .select_related("unit__level", "unit__organisation", "organisation", "created_by", "previous")
        .prefetch_related("peers__unit")
        .first()
    )
    if experiment is None or (access.organisation_id is None and not access.is_system):
        raise Http404
    if not rules.can_read_experiment(access, experiment):
        raise Http404
    return experiment


def experiments_with_unit() -> QuerySet[Experiment]:
    """Experiments with their unit (and its level and organisation), as the rules and audit need them."""
    return Experiment.objects.select_related("unit__organisation", "unit__level")


def phase_change_at(*, indicator, period: date) -> PhaseChange | None:
    """The phase change already recorded on the indicator's chart at this period, if any."""
    return PhaseChange.objects.filter(indicator=indicator, period=period).first()


def comment_author_unit(*, person, experiment: Experiment):
    """The commenter's unit: an invited one they belong to, else the one nearest the experiment's unit."""
    memberships = list(
        Membership.objects.filter(
            person=person, organisation_id=experiment.organisation_id, ended_at__isnull=True
        )
        .select_related("unit")
        .order_by("-unit__depth")
    )
    peers = {peer.unit_id for peer in experiment.peers.all()}
    for membership in memberships:
        if membership.unit_id in peers:
            return membership.unit
    for membership in memberships:
        if experiment.unit.path.startswith(membership.unit.path):
            return membership.unit
    return memberships[0].unit if memberships else None


def watchable_indicators(*, unit) -> QuerySet[Indicator]:
    """The unit's live indicators: those an experiment of the unit may watch."""
    return Indicator.objects.filter(
        organisation_id=unit.organisation_id, unit=unit, retired_at__isnull=True
    ).order_by("name")


def watched_indicator_ids(*, experiment: Experiment) -> list[int]:
    return list(experiment.watched.values_list("indicator_id", flat=True))


def watched_indicators(*, experiment: Experiment) -> list[Indicator]:
    """The indicators the experiment watches, with their stored analysis (one query)."""
    return [item.indicator for item in experiment.watched.select_related("indicator__analysis")]


def phase_changes_by_indicator(*, indicator_ids) -> dict[int, list[PhaseChange]]:
    """The phase changes of these indicators' charts, in order, by indicator (one query)."""
    phases: dict[int, list[PhaseChange]] = {}
    for phase in PhaseChange.objects.filter(indicator_id__in=indicator_ids).order_by("period"):
        phases.setdefault(phase.indicator_id, []).append(phase)
    return phases


def experiment_comments(*, experiment: Experiment) -> list[ExperimentComment]:
    return list(experiment.comments.select_related("author", "author_unit"))


def next_cycles(*, experiment: Experiment) -> list[Experiment]:
    """The experiments that continue this one (not the cancelled ones)."""
    return list(experiment.next_cycles.exclude(state=ExperimentState.CANCELLED))


def experiments_of_unit(*, unit) -> QuerySet[Experiment]:
    return (
        Experiment.objects.filter(organisation_id=unit.organisation_id, unit=unit)
        .exclude(state=ExperimentState.CANCELLED)
        .prefetch_related("watched__indicator")
        .order_by("-start_on", "-pk")
    )


def peer_unit_choices(*, experiment: Experiment) -> QuerySet[Unit]:
    """Other open units of the same organisation and level: the peers most likely to learn from it."""
    return (
        Unit.objects.filter(organisation_id=experiment.organisation_id, closed_at__isnull=True)
        .filter(level_id=experiment.unit.level_id)
        .exclude(pk=experiment.unit_id)
        .select_related("level")
        .order_by("path")
    )


# --- Evidence --------------------------------------------------------------------------------------------


def expected_sign(expected: str, indicator_direction: str) -> int:
    """+1 when the values should rise, -1 when they should fall, 0 when no direction can be judged."""
    if expected == Expected.UP:
        return 1
    if expected == Expected.DOWN:
        return -1
    return {Direction.UP: 1, Direction.DOWN: -1}.get(indicator_direction, 0)


def _longest_run(values: list[float], centre: float, sign: int) -> int:
    longest = current = 0
    for value in values:
        current = current + 1 if (value - centre) * sign > 0 else 0
        longest = max(longest, current)
    return longest


def _last(values: list) -> float | None:
    found = [value for value in values if value is not None]
    return found[-1] if found else None


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def evidence_from_points(points: dict, *, start: date, sign: int) -> dict:
    """Before and after the start in one stored series: means, centre lines, and whether a signal
    appeared in the expected direction.

    A signal is a shift (SHIFT_RUN points in a row on one side of the earlier centre line) or a point
    beyond the earlier process limits, while the mean moved the same way. `verdict` is "expected", "opposite", "none" (no signal),
    "too_early" (no signal, and fewer than SHIFT_RUN points after the start), "no_direction" or "no_data".
    """
    periods = points.get("periods", [])
    split = next((i for i, day in enumerate(periods) if day >= start.isoformat()), len(periods))
    values = points.get("values", [])
    before = [v for v in values[:split] if v is not None]
    after = [v for v in values[split:] if v is not None]
    result = {
        "n_before": len(before),
        "n_after": len(after),
        "mean_before": _mean(before),
        "mean_after": _mean(after),
        "centre_before": _last(points.get("centre", [])[:split]),
        "centre_after": _last(points.get("centre", [])[split:]),
        "run_expected": 0,
        "run_opposite": 0,
        "beyond_expected": 0,
        "beyond_opposite": 0,
        "signals_after": 0,
        "verdict": "no_data",
    }
    if not before or not after:
        return result
    # Runs are counted around the median of the earlier values, as a run chart does: robust to skew.
    line = statistics.median(before)
    upper = _last(points.get("upper", [])[:split])
    lower = _last(points.get("lower", [])[:split])
    # The engine's own verdict on each later point (a special cause against the limits of its segment).
    classes = points.get("class", [])[split:]
    result["signals_after"] = sum(
        1 for code in classes if code in (PointClass.IMPROVEMENT, PointClass.CONCERN, PointClass.SPECIAL)
    )
    result["flagged_high"] = sum(1 for bits in points.get("flags", [])[split:] if bits & HIGH_RULES)
    result["flagged_low"] = sum(1 for bits in points.get("flags", [])[split:] if bits & LOW_RULES)
    if sign == 0:
        result["verdict"] = "no_direction"
        return result
    result["run_expected"] = _longest_run(after, line, sign)
    result["run_opposite"] = _longest_run(after, line, -sign)
    if upper is not None and lower is not None:
        high = sum(1 for v in after if v > upper)
        low = sum(1 for v in after if v < lower)
        result["beyond_expected"], result["beyond_opposite"] = (high, low) if sign > 0 else (low, high)
    # A signal counts for the hypothesis only if the level moved that way too.
    moved = (result["mean_after"] - result["mean_before"]) * sign
    if (result["run_expected"] >= SHIFT_RUN or result["beyond_expected"]) and moved > 0:
        result["verdict"] = "expected"
    elif (result["run_opposite"] >= SHIFT_RUN or result["beyond_opposite"]) and moved < 0:
        result["verdict"] = "opposite"
    elif len(after) < SHIFT_RUN:
        result["verdict"] = "too_early"
    else:
        result["verdict"] = "none"
    return result


@dataclass
class IndicatorEvidence:
    watched: ExperimentIndicator
    sign: int
    evidence: dict

    @property
    def indicator(self):
        return self.watched.indicator


def experiment_evidence(*, experiment: Experiment) -> list[IndicatorEvidence]:
    """Per watched indicator, the evidence in its stored analysis (2 queries). A studied experiment
    shows what was seen when it was studied."""
    watched = list(
        ExperimentIndicator.objects.filter(experiment=experiment).select_related("indicator__analysis")
    )
    found = []
    for item in watched:
        indicator = item.indicator
        sign = expected_sign(experiment.expected, indicator.direction)
        stored = (
            experiment.evidence.get(str(indicator.pk))
            if experiment.state == ExperimentState.STUDIED
            else None
        )
        if stored is None:
            result = getattr(indicator, "analysis", None)
            stored = (
                evidence_from_points(result.points, start=experiment.start_on, sign=sign)
                if result is not None and experiment.state != ExperimentState.PLANNED
                else evidence_from_points({}, start=experiment.start_on, sign=sign)
            )
        found.append(IndicatorEvidence(item, sign, stored))
    return found


# --- The learning archive ----------------------------------------------------------------------------


def _archive_base(*, access: Access) -> QuerySet[Experiment]:
    """Studied experiments of the person's organisation, and those other organisations chose to share."""
    return Experiment.objects.filter(
        Q(organisation_id=access.organisation_id) | Q(shared_beyond_organisation=True),
        state=ExperimentState.STUDIED,
    )


# Constant SQL over the FTS5 table; the query's stems are always a parameter.
_FTS_IDS = "SELECT rowid FROM experiments_experiment_fts WHERE experiments_experiment_fts MATCH %s"
_FTS_RANK = (
    "SELECT -rank FROM experiments_experiment_fts"
    " WHERE experiments_experiment_fts MATCH %s AND rowid = experiments_experiment.id"
)


def _fts5_matching(experiments: QuerySet[Experiment], query: str) -> QuerySet[Experiment] | None:
    """SQLite: the experiments whose stemmed text holds every stem of the query, with `rank` (higher is
    better, as on PostgreSQL: FTS5's bm25 rank is negated). None when the query has no words."""
    match = text.fts5_query(query)
    if not match:
        return None
    return experiments.filter(pk__in=RawSQL(_FTS_IDS, [match])).annotate(  # noqa: S611 -- constant SQL
        rank=RawSQL(_FTS_RANK, [match])  # noqa: S611 -- constant SQL
    )


@dataclass
class ArchiveFilters:
    query: str = ""
    indicator: str = ""
    kind: str = ""
    decision: str = ""


def archive_search(
    *, access: Access, filters: ArchiveFilters, limit: int = ARCHIVE_LIMIT
) -> list[Experiment]:
    """The learning archive: matching studied experiments the person may read, best match first."""
    if access.organisation_id is None:
        return []
    experiments = _archive_base(access=access).select_related("unit", "organisation")
    query = filters.query.strip()
    if query and connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = SearchVector("search_text", config="swedish")
        search = SearchQuery(query, config="swedish", search_type="plain")
        experiments = experiments.annotate(found=vector, rank=SearchRank(vector, search)).filter(found=search)
    elif query:
        matching = _fts5_matching(experiments, query)
        if matching is None:
            return []
        experiments = matching
    if filters.indicator:
        experiments = experiments.filter(watched__indicator__name__icontains=filters.indicator).distinct()
    if filters.kind:
        experiments = experiments.filter(unit_kind=filters.kind)
    if filters.decision in Decision.values:
        experiments = experiments.filter(decision=filters.decision)
    ordering = ("-rank", "-studied_at", "-pk") if query else ("-studied_at", "-pk")
    return list(experiments.prefetch_related("watched__indicator").order_by(*ordering)[:limit])


def archive_kinds(*, access: Access) -> list[str]:
    """The kinds of unit found in the archive, for its filter."""
    return sorted(set(_archive_base(access=access).values_list("unit_kind", flat=True)))
