from datetime import date

from tillit.chain.access import Access
from tillit.experiments import services
from tillit.experiments.enums import ExperimentState
from tillit.experiments.models import Experiment
from tillit.indicators.models import Indicator


def experiment_targets(*, unit, person) -> dict:
    """For the isolation test: a running experiment of `unit` (the demo's, or one recorded here)."""
    experiment = Experiment.objects.filter(unit=unit, state=ExperimentState.RUNNING).order_by("pk").first()
    if experiment is None:
        experiment = services.experiment_create(
            actor=person,
            access=Access.system(),
            unit=unit,
            title="Prov",
            problem="Ett problem",
            change="En förändring",
            hypothesis="Det blir bättre",
            indicators=[Indicator.objects.filter(unit=unit).order_by("pk").first()],
            start_on=date(2026, 8, 1),
            study_on=date(2027, 2, 1),
        )
    return {"experiment_id": experiment.pk}
