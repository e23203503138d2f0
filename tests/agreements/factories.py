"""Small builders for agreement tests: indicators of a unit and agreements in a given state."""

from datetime import timedelta

from django.utils import timezone

from tests.factories.demo import person  # noqa: F401 -- for the agreement tests
from tests.factories.indicators import indicator as make_indicator
from tillit.agreements import services
from tillit.agreements.models import OPEN_STATES, AgreementState, AgreementVersion, BoundaryKind
from tillit.chain.access import Access
from tillit.chain.selectors import access_for
from tillit.indicators.models import Indicator


def indicator(unit, name: str = "Fall per 1000 besöksdagar") -> Indicator:
    """The unit's indicator of that name (the demo's, or a rate made through the one factory)."""
    found = Indicator.objects.filter(unit=unit, name=name).first()
    return found or make_indicator(
        unit,
        name=name,
        definition="Antal fall delat med besöksdagar, gånger 1000.",
        purpose_link="Trygghet i hemmet.",
        data_type="rate",
        direction="",
        measure_label="",
    )


def signed_agreement(*, unit, unit_signer, upper_signer, boundaries=None, review_in_days=365):
    """A signed version of `unit`'s agreement through the services (closing any open version first)."""
    open_version = AgreementVersion.objects.filter(
        agreement__unit=unit, agreement__upper_unit=unit.parent, state__in=OPEN_STATES
    ).first()
    version = open_version or services.agreement_draft(actor=unit_signer, access=Access.system(), unit=unit)
    services.agreement_version_update(
        actor=unit_signer,
        access=Access.system(),
        version=version,
        purpose="Trygghet hemma.",
        review_date=timezone.localdate() + timedelta(days=review_in_days),
        mandate_items=["Hur vi planerar dagens besök"],
        boundaries=boundaries
        if boundaries is not None
        else [
            services.BoundaryInput(kind=BoundaryKind.QUALITATIVE, description="Ett besök uteblir utan besked")
        ],
        support_promises=[services.PromiseInput(text="Vi svarar på hinder", response_working_days=10)],
    )
    services.agreement_propose(actor=unit_signer, access=Access.system(), version=version)
    services.agreement_sign(actor=unit_signer, access=Access.system(), version=version)
    services.agreement_sign(actor=upper_signer, access=Access.system(), version=version)
    version.refresh_from_db()
    assert version.state == AgreementState.SIGNED
    return version


def access(person_):
    return access_for(person=person_)


def agreement_targets(*, unit) -> dict:
    """For the isolation test: an open draft of `unit`'s agreement and a qualitative boundary of its
    version in force (made through the services by the unit's and the level above's managers)."""
    from tillit.agreements import selectors
    from tillit.chain.models import Membership

    def manager_of(of_unit):
        membership = Membership.objects.filter(
            unit=of_unit, ended_at__isnull=True, role__can_manage=True
        ).select_related("person")
        return membership.order_by("pk").first().person

    unit_signer, upper_signer = manager_of(unit), manager_of(unit.parent)
    in_force = selectors.agreement_version_in_force(unit=unit)
    boundary = None
    if in_force is not None:
        boundary = next((b for b in in_force.boundaries.all() if b.kind == BoundaryKind.QUALITATIVE), None)
    if boundary is None:
        in_force = signed_agreement(unit=unit, unit_signer=unit_signer, upper_signer=upper_signer)
        boundary = in_force.boundaries.get(kind=BoundaryKind.QUALITATIVE)
    draft = selectors.agreement_version_open(unit=unit) or services.agreement_draft(
        actor=unit_signer, access=Access.system(), unit=unit
    )
    return {"version_id": draft.pk, "boundary_id": boundary.pk}
