"""JSON API of the agreements room, mounted at /api/v1/ by tillit.api.api.

Trust agreements (tillitsöverenskommelser) between a unit and the level above, with every version.
Tenant-scoped like the pages: a unit or version outside the caller's chain answers 404.
"""

from datetime import date, datetime

from ninja import Router, Schema

from tillit.agreements import selectors
from tillit.chain import selectors as chain_selectors

router = Router(tags=["agreements"])


class SignatureOut(Schema):
    side: str
    person_id: int
    person_name: str
    signed_at: datetime


class BoundaryOut(Schema):
    id: int
    kind: str
    indicator_id: int | None
    indicator_name: str | None
    low: float | None
    high: float | None
    description: str


class SupportPromiseOut(Schema):
    text: str
    response_working_days: int | None


class AgreementVersionSummaryOut(Schema):
    id: int
    number: int
    state: str
    created_at: datetime
    proposed_at: datetime | None
    signed_at: datetime | None
    review_date: date | None


class AgreementVersionOut(AgreementVersionSummaryOut):
    unit_id: int
    upper_unit_id: int
    purpose: str
    review_overdue: bool
    mandate_items: list[str]
    boundaries: list[BoundaryOut]
    support_promises: list[SupportPromiseOut]
    signatures: list[SignatureOut]


class AgreementOut(Schema):
    unit_id: int
    upper_unit_id: int | None
    in_force: AgreementVersionOut | None
    open_version: AgreementVersionOut | None


def _summary_out(version) -> dict:
    return {
        "id": version.pk,
        "number": version.number,
        "state": version.state,
        "created_at": version.created_at,
        "proposed_at": version.proposed_at,
        "signed_at": version.signed_at,
        "review_date": version.review_date,
    }


def _version_out(version) -> AgreementVersionOut | None:
    if version is None:
        return None
    return AgreementVersionOut(
        **_summary_out(version),
        unit_id=version.agreement.unit_id,
        upper_unit_id=version.agreement.upper_unit_id,
        purpose=version.purpose,
        review_overdue=selectors.review_overdue(version),
        mandate_items=[item.text for item in version.mandate_items.all()],
        boundaries=[
            BoundaryOut(
                id=boundary.pk,
                kind=boundary.kind,
                indicator_id=boundary.indicator_id,
                indicator_name=boundary.indicator.name if boundary.indicator_id else None,
                low=boundary.low,
                high=boundary.high,
                description=boundary.description,
            )
            for boundary in version.boundaries.all()
        ],
        support_promises=[
            SupportPromiseOut(text=promise.text, response_working_days=promise.response_working_days)
            for promise in version.support_promises.all()
        ],
        signatures=[
            SignatureOut(
                side=signature.side,
                person_id=signature.person_id,
                person_name=signature.person.full_name,
                signed_at=signature.signed_at,
            )
            for signature in version.signatures.all()
        ],
    )


@router.get(
    "/units/{unit_id}/agreement",
    response=AgreementOut,
    summary="The unit's trust agreement with the level above: the version in force and the open one",
)
def unit_agreement(request, unit_id: int):
    unit = chain_selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    return AgreementOut(
        unit_id=unit.pk,
        upper_unit_id=unit.parent_id,
        in_force=_version_out(selectors.agreement_version_in_force(unit=unit)),
        open_version=_version_out(selectors.agreement_version_open(unit=unit)),
    )


@router.get(
    "/units/{unit_id}/agreement/versions",
    response=list[AgreementVersionSummaryOut],
    summary="Every version of the unit's trust agreement with the level above, newest first",
)
def unit_agreement_versions(request, unit_id: int):
    unit = chain_selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    agreement = selectors.agreement_for_unit(unit=unit)
    if agreement is None:
        return []
    return [
        AgreementVersionSummaryOut(**_summary_out(v))
        for v in selectors.agreement_versions(agreement=agreement)
    ]


@router.get(
    "/agreement-versions/{version_id}",
    response=AgreementVersionOut,
    summary="One version of a trust agreement with its content and signatures",
)
def agreement_version(request, version_id: int):
    version = selectors.agreement_version_get_readable(access=request.access, version_id=version_id)
    return _version_out(version)
