"""Follow-up: run the process behaviour engine over indicators and store one result per indicator."""

from dataclasses import dataclass

from django.db import transaction


@dataclass(frozen=True)
class AnalysisRun:
    analysed: int  # series given to the engine
    written: int  # results created or changed (an unchanged series is not rewritten)


def analysis_schedule(*, organisation_id: int, indicator_ids: list[int] | None = None) -> None:
    """Enqueue a recomputation once the current transaction commits (the task worker runs it)."""
    from tillit.followup.tasks import analyse_indicators  # the task module imports this one

    transaction.on_commit(
        lambda: analyse_indicators.enqueue(organisation_id=organisation_id, indicator_ids=indicator_ids)
    )


def analysis_run(*, organisation_id: int, indicator_ids: list[int] | None = None) -> AnalysisRun:
    raise NotImplementedError  # written next
