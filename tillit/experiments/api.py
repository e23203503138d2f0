"""JSON API of experiments and the learning archive, mounted at /api/v1/. Read-only."""

from datetime import date

from ninja import Router, Schema

from tillit.chain import selectors as chain_selectors
from tillit.experiments import selectors
from tillit.experiments.models import Experiment

router = Router(tags=["experiments"])


class ExperimentOut(Schema):
    id: int
    organisation: str
    unit_id: int
    unit: str
    unit_kind: str
    title: str
    problem: str
    change: str
    hypothesis: str
    expected: str
    indicator_ids: list[int]
    indicators: list[str]
    start_on: date
    study_on: date
    state: str
    decision: str | None
    learning: str
    previous_id: int | None
    shared_beyond_organisation: bool


class EvidenceOut(Schema):
    indicator_id: int
    indicator: str
    expected_sign: int
    verdict: str
    n_before: int
    n_after: int
    mean_before: float | None
    mean_after: float | None
    centre_before: float | None
    centre_after: float | None
    signals_after: int


class ExperimentDetailOut(ExperimentOut):
    study_notes: str
    evidence: list[EvidenceOut]


def _out(experiment: Experiment) -> dict:
    watched = list(experiment.watched.all())
    return {
        "id": experiment.pk,
        "organisation": experiment.organisation.name,
        "unit_id": experiment.unit_id,
        "unit": experiment.unit.name,
        "unit_kind": experiment.unit_kind,
        "title": experiment.title,
        "problem": experiment.problem,
        "change": experiment.change,
        "hypothesis": experiment.hypothesis,
        "expected": experiment.expected,
        "indicator_ids": [item.indicator_id for item in watched],
        "indicators": [item.indicator.name for item in watched],
        "start_on": experiment.start_on,
        "study_on": experiment.study_on,
        "state": experiment.state,
        "decision": experiment.decision or None,
        "learning": experiment.learning,
        "previous_id": experiment.previous_id,
        "shared_beyond_organisation": experiment.shared_beyond_organisation,
    }


@router.get("/units/{unit_id}/experiments", response=list[ExperimentOut], summary="A unit's experiments")
def unit_experiments(request, unit_id: int):
    unit = chain_selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    experiments = selectors.experiments_of_unit(unit=unit).select_related("organisation", "unit")
    return [_out(experiment) for experiment in experiments]


@router.get(
    "/experiments/archive",
    response=list[ExperimentOut],
    summary="The learning archive: studied experiments matching a full-text query",
)
def experiments_archive(request, q: str = "", indicator: str = "", kind: str = "", decision: str = ""):
    filters = selectors.ArchiveFilters(query=q, indicator=indicator, kind=kind, decision=decision)
    return [
        _out(experiment) for experiment in selectors.archive_search(access=request.access, filters=filters)
    ]


@router.get(
    "/experiments/{experiment_id}", response=ExperimentDetailOut, summary="One experiment with its evidence"
)
def experiment_detail(request, experiment_id: int):
    experiment = selectors.experiment_get_readable(access=request.access, experiment_id=experiment_id)
    evidence = [
        {
            "indicator_id": item.indicator.pk,
            "indicator": item.indicator.name,
            "expected_sign": item.sign,
            "verdict": item.evidence.get("verdict", "no_data"),
            "n_before": item.evidence.get("n_before", 0),
            "n_after": item.evidence.get("n_after", 0),
            "mean_before": item.evidence.get("mean_before"),
            "mean_after": item.evidence.get("mean_after"),
            "centre_before": item.evidence.get("centre_before"),
            "centre_after": item.evidence.get("centre_after"),
            "signals_after": item.evidence.get("signals_after", 0),
        }
        for item in selectors.experiment_evidence(experiment=experiment)
    ]
    return {**_out(experiment), "study_notes": experiment.study_notes, "evidence": evidence}
