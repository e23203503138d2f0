"""JSON API of follow-up: stored analysis results and what needs a joint look, mounted at /api/v1/."""

from datetime import date, datetime

from ninja import Router, Schema

from tillit.analysis import Assurance, Variation
from tillit.analysis.codes import ASSURANCE_NAMES, POINT_CLASS_NAMES, VARIATION_NAMES, rule_names
from tillit.chain import selectors as chain_selectors
from tillit.followup import selectors
from tillit.followup.models import AnalysisResult

router = Router(tags=["follow-up"])


class PointOut(Schema):
    period: date
    value: float | None
    centre: float | None
    lower: float | None
    upper: float | None
    lower_2s: float | None
    upper_2s: float | None
    rules: list[str]
    point_class: str | None


class AnalysisOut(Schema):
    indicator_id: int
    indicator: str
    unit_id: int
    chart: str
    n: int
    limits_shown: bool
    variation: str | None
    assurance: str | None
    boundary_crossed: bool
    needs_look: bool
    boundary_low: float | None
    boundary_high: float | None
    latest_period: date | None
    latest_value: float | None
    computed_at: datetime


class AnalysisDetailOut(AnalysisOut):
    points: list[PointOut]


class JointLookOut(Schema):
    unit_id: int
    needs_look: list[AnalysisOut]
    within_frame: int
    too_little_data: int


def _out(result: AnalysisResult) -> dict:
    return {
        "indicator_id": result.indicator_id,
        "indicator": result.indicator.name,
        "unit_id": result.unit_id,
        "chart": result.chart,
        "n": result.n,
        "limits_shown": result.limits_shown,
        "variation": VARIATION_NAMES[Variation(result.variation)],
        "assurance": ASSURANCE_NAMES[Assurance(result.assurance)],
        "boundary_crossed": result.boundary_crossed,
        "needs_look": result.needs_look,
        "boundary_low": result.boundary_low,
        "boundary_high": result.boundary_high,
        "latest_period": result.latest_period,
        "latest_value": result.latest_value,
        "computed_at": result.computed_at,
    }


def _points(result: AnalysisResult) -> list[dict]:
    p = result.points
    return [
        {
            "period": day,
            "value": p["values"][i],
            "centre": p["centre"][i],
            "lower": p["lower"][i],
            "upper": p["upper"][i],
            "lower_2s": p["lower_2s"][i],
            "upper_2s": p["upper_2s"][i],
            "rules": rule_names(p["flags"][i]),
            "point_class": POINT_CLASS_NAMES[p["class"][i]],
        }
        for i, day in enumerate(p["periods"])
    ]


@router.get(
    "/units/{unit_id}/analysis", response=list[AnalysisOut], summary="The analysis of a unit's own indicators"
)
def unit_analysis(request, unit_id: int):
    unit = chain_selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    return [_out(item.result) for item in selectors.unit_followup(unit=unit).items if item.result is not None]


@router.get(
    "/indicators/{indicator_id}/analysis",
    response=AnalysisDetailOut | None,
    summary="One indicator's process behaviour chart: limits, rules and class per period (null before data)",
)
def indicator_analysis(request, indicator_id: int):
    _indicator, result = selectors.indicator_analysis_readable(
        access=request.access, indicator_id=indicator_id
    )
    if result is None:
        return None
    return {**_out(result), "points": _points(result)}


@router.get(
    "/units/{unit_id}/joint-look",
    response=JointLookOut,
    summary="What needs a joint look in a unit's sub-tree, and how many indicators are within the frame",
)
def unit_joint_look(request, unit_id: int):
    unit = chain_selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    overview = selectors.joint_look_overview(access=request.access, unit=unit)
    return {
        "unit_id": unit.pk,
        "needs_look": [_out(result) for result in overview.items],
        "within_frame": overview.within_frame,
        "too_little_data": overview.too_little_data,
    }
