"""The follow-up after data changes: the analysis, then the joint looks it calls for.

Follow-up's services never import the dialogue: the analysis stores why a series needs a look, and the
dialogue reads that. This module runs the two in that order, for the task worker and for the callers
that want it done at once (the unit page's button, `tillit analyse`, the demo).
"""

from django.tasks import task

from tillit.chain.access import Access
from tillit.core.permissions import require
from tillit.dialogue.services import joint_looks_sync
from tillit.followup import rules, selectors, services
from tillit.followup.services import AnalysisRun


def followup_refresh(*, organisation_id: int, indicator_ids: list[int] | None = None) -> AnalysisRun:
    """Recompute the analysis (system work), then open a look once per signal episode and end the
    episodes of series back inside their frame."""
    run = services.analysis_run(organisation_id=organisation_id, indicator_ids=indicator_ids)
    joint_looks_sync(organisation_id=organisation_id, indicator_ids=indicator_ids)
    return run


def unit_followup_refresh(*, access: Access, unit) -> AnalysisRun:
    """On demand: recompute a unit's own indicators now (its own people may ask). Derived data only, so
    nothing is audited."""
    require(rules.can_analyse_unit(access, unit))
    return followup_refresh(
        organisation_id=unit.organisation_id, indicator_ids=selectors.unit_indicator_ids(unit=unit)
    )


@task()
def analyse_indicators(*, organisation_id: int, indicator_ids: list[int] | None = None) -> int:
    """Recompute the process behaviour analysis of these indicators (all of the organisation's if None)."""
    return followup_refresh(organisation_id=organisation_id, indicator_ids=indicator_ids).written
