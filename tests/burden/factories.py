from tests.factories.indicators import indicator as make_indicator
from tillit.burden import services
from tillit.burden.enums import ReportFrequency, RequesterKind
from tillit.burden.models import DataRequest, RemovalProposal, ReportingRequirement
from tillit.chain.access import Access
from tillit.chain.models import Unit
from tillit.indicators.models import Indicator


def indicator(unit, name, *, purpose_link="Trygghet i eget hem"):
    """A monthly count of `unit` made through the one factory. A blank `purpose_link` (which the service
    refuses today) is older data's: it is blanked after the indicator is made."""
    made = make_indicator(
        unit,
        name=name,
        definition=f"Definition av {name}",
        purpose_link=purpose_link if purpose_link.strip() else "Tills vidare",
        direction="",
        measure_label="",
    )
    if not purpose_link.strip():
        Indicator.objects.filter(pk=made.pk).update(purpose_link=purpose_link)
        made.purpose_link = purpose_link
    return made


def requirement(unit, *, actor=None, indicators=(), **data):
    values = {
        "name": "Rapport",
        "description": "",
        "requester_kind": RequesterKind.STATE_AGENCY,
        "requester": "Socialstyrelsen",
        "requester_unit": None,
        "legal_basis": "",
        "frequency": ReportFrequency.MONTH,
        "times_per_year": None,
        "minutes_each": 60,
        "readers": "",
        "starts_on": None,
        "ends_on": None,
    } | data
    return services.reporting_requirement_create(
        actor=actor, access=Access.system(), unit=unit, indicators=indicators, **values
    )


def burden_targets(*, unit, person) -> dict:
    """For the isolation test: a requirement of `unit` with an open proposal to an external requester,
    and a data request from `unit` to a support function."""
    found = ReportingRequirement.objects.filter(unit=unit, requester="IVO", ended_at__isnull=True).first()
    if found is None:
        found = requirement(unit, actor=person, name="Rapport till IVO", requester="IVO")
    proposal = RemovalProposal.objects.filter(requirement=found, answer="").first()
    if proposal is None:
        proposal = services.removal_propose(
            actor=person, access=Access.system(), requirement=found, reason="Används inte"
        )
    request = DataRequest.objects.filter(unit=unit).order_by("pk").first()
    if request is None:
        support = Unit.objects.get(organisation_id=unit.organisation_id, name="Analys och uppföljning")
        request = services.data_request_create(
            actor=person,
            access=Access.system(),
            unit=unit,
            to_unit=support,
            what="Data",
            why="För att förstå",
        )
    return {"requirement_id": found.pk, "proposal_id": proposal.pk, "request_id": request.pk}
