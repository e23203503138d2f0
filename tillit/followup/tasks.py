from django.tasks import task

from tillit.followup import services


@task()
def analyse_indicators(*, organisation_id: int, indicator_ids: list[int] | None = None) -> int:
    """Recompute the process behaviour analysis of these indicators (all of the organisation's if None)."""
    return services.analysis_run(organisation_id=organisation_id, indicator_ids=indicator_ids).written
