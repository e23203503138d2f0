"""JSON API of the reporting-burden register and of data requests, mounted at /api/v1/."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from tillit.api.schemas import DetailOut
from tillit.burden import selectors, services
from tillit.chain import selectors as chain_selectors

router = Router(tags=["reporting burden"])


class RequirementOut(Schema):
    id: int
    unit_id: int
    name: str
    description: str
    requester_kind: str
    requester: str
    requester_unit_id: int | None
    legal_basis: str
    frequency: str
    times_per_year: int
    minutes_each: int
    hours_per_year: float
    indicator_ids: list[int]
    readers: str
    starts_on: date | None
    ends_on: date | None
    ended_at: datetime | None


class RequesterHoursOut(Schema):
    requester: str
    requester_kind: str
    reports: int
    hours_per_year: float


class CandidateOut(Schema):
    requirement_id: int
    reasons: list[str]


class UnitReportingOut(Schema):
    unit_id: int
    hours_per_year: float
    by_requester: list[RequesterHoursOut]
    requirements: list[RequirementOut]
    candidates: list[CandidateOut]


class UsedByOut(Schema):
    unit: str
    kinds: list[str]


class ProposalOut(Schema):
    id: int
    reason: str
    deadline: date
    proposed_at: datetime
    answer: str | None
    answer_text: str
    answered_by: str
    answered_at: datetime | None


class RequirementDetailOut(RequirementOut):
    last_used: date | None
    used_by: list[UsedByOut]
    proposals: list[ProposalOut]


class DataRequestOut(Schema):
    id: int
    unit_id: int
    to_unit_id: int
    what: str
    why: str
    state: str
    answer: str
    asked_at: datetime
    answered_at: datetime | None
    lead_time_working_days: int | None


class DataRequestIn(Schema):
    to_unit_id: int
    what: str
    why: str


def _requirement_out(requirement) -> dict:
    return {
        "id": requirement.pk,
        "unit_id": requirement.unit_id,
        "name": requirement.name,
        "description": requirement.description,
        "requester_kind": requirement.requester_kind,
        "requester": requirement.requester,
        "requester_unit_id": requirement.requester_unit_id,
        "legal_basis": requirement.legal_basis,
        "frequency": requirement.frequency,
        "times_per_year": requirement.yearly_times,
        "minutes_each": requirement.minutes_each,
        "hours_per_year": round(requirement.hours_per_year, 2),
        "indicator_ids": sorted(indicator.pk for indicator in requirement.indicators.all()),
        "readers": requirement.readers,
        "starts_on": requirement.starts_on,
        "ends_on": requirement.ends_on,
        "ended_at": requirement.ended_at,
    }


def _request_out(request) -> dict:
    return {
        "id": request.pk,
        "unit_id": request.unit_id,
        "to_unit_id": request.to_unit_id,
        "what": request.what,
        "why": request.why,
        "state": request.state,
        "answer": request.answer,
        "asked_at": request.asked_at,
        "answered_at": request.answered_at,
        "lead_time_working_days": selectors.lead_time(request),
    }


@router.get(
    "/units/{unit_id}/reporting",
    response=UnitReportingOut,
    summary="A unit's reporting burden with its sub-units: requirements, hours by requester, candidates",
)
def unit_reporting(request, unit_id: int):
    unit = chain_selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    requirements = list(selectors.requirements_in_subtree(access=request.access, unit=unit))
    burden = selectors.burden_of(requirements)
    return {
        "unit_id": unit.pk,
        "hours_per_year": round(burden.hours, 2),
        "by_requester": [
            {
                "requester": row.requester,
                "requester_kind": row.kind,
                "reports": row.count,
                "hours_per_year": round(row.hours, 2),
            }
            for row in burden.by_requester
        ],
        "requirements": [_requirement_out(r) for r in requirements],
        "candidates": [
            {"requirement_id": c.requirement.pk, "reasons": c.reasons}
            for c in selectors.candidates_of(requirements)
        ],
    }


@router.get(
    "/reporting-requirements/{requirement_id}",
    response=RequirementDetailOut,
    summary="One reporting requirement with its use and removal proposals",
)
def reporting_requirement_detail(request, requirement_id: int):
    requirement = selectors.requirement_get_readable(access=request.access, requirement_id=requirement_id)
    usage = selectors.requirement_usage(requirement=requirement)
    return {
        **_requirement_out(requirement),
        "last_used": usage.last_used,
        "used_by": [{"unit": name, "kinds": kinds} for name, kinds in usage.used_by],
        "proposals": [
            {
                "id": p.pk,
                "reason": p.reason,
                "deadline": p.deadline,
                "proposed_at": p.proposed_at,
                "answer": p.answer or None,
                "answer_text": p.answer_text,
                "answered_by": p.answered_by_text,
                "answered_at": p.answered_at,
            }
            for p in requirement.proposals.all()
        ],
    }


@router.get(
    "/units/{unit_id}/data-requests",
    response=list[DataRequestOut],
    summary="Data the unit asked for and was asked for (Vilka data behöver du?)",
)
def unit_data_requests(request, unit_id: int):
    unit = chain_selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    asked, received = selectors.data_requests_of(unit=unit)
    return [_request_out(r) for r in asked + received]


@router.post(
    "/units/{unit_id}/data-requests",
    response={201: DataRequestOut, 403: DetailOut, 422: DetailOut},
    summary="Ask a support function for data, saying what it will help with",
)
def unit_data_request_create(request, unit_id: int, payload: DataRequestIn):
    unit = chain_selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    to_unit = selectors.support_units(unit=unit).filter(pk=payload.to_unit_id).first()
    if to_unit is None:
        raise ValidationError(_("Choose a support function in your organisation."))
    created = services.data_request_create(
        actor=request.auth,
        access=request.access,
        unit=unit,
        to_unit=to_unit,
        what=payload.what,
        why=payload.why,
    )
    return Status(201, _request_out(created))
