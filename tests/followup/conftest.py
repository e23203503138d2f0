"""Indicators with chosen data (through the services) and boundaries on them: these tests are about the
analysis."""

import pytest

from tests.factories.indicators import indicator_with_values, month  # noqa: F401 -- month for the tests
from tillit.agreements.models import Agreement, AgreementState, AgreementVersion, Boundary, BoundaryKind
from tillit.indicators.models import Indicator

STABLE = [20, 22, 19, 21, 23, 20, 18, 21, 22, 20, 19, 21, 20, 22, 21, 19, 20, 21, 22, 20, 21, 19, 20, 21]


@pytest.fixture
def make_indicator(db):
    """Indicators of the test's own, analysed on their own: the demo's results are removed first so
    that counts on the pages are the test's."""
    from tillit.followup.models import AnalysisResult

    AnalysisResult.objects.all().delete()

    def make(unit, name, values, *, data_type="measurement", direction="down", denominators=None, scale=1.0):
        return indicator_with_values(
            unit,
            values,
            denominators=denominators,
            name=f"Prov: {name}",
            definition=f"Definition of {name}",
            purpose_link="Safety at home",
            data_type=data_type,
            direction=direction,
            measure_label="st",
            scale=scale,
        )

    return make


@pytest.fixture
def sign_boundary(db, same_unit):
    """Put a boundary on an indicator into a signed agreement of its unit with the unit above."""

    def sign(indicator, *, low=None, high=None):
        unit = indicator.unit
        agreement, _ = Agreement.objects.get_or_create(
            organisation_id=unit.organisation_id, unit=unit, upper_unit_id=unit.parent_id
        )
        version = agreement.versions.filter(state=AgreementState.SIGNED).first()
        if version is None:
            version = AgreementVersion.objects.create(
                organisation_id=unit.organisation_id,
                agreement=agreement,
                number=agreement.versions.count() + 1,
                state=AgreementState.SIGNED,
                created_by=same_unit,
            )
        Boundary.objects.create(
            organisation_id=unit.organisation_id,
            version=version,
            kind=BoundaryKind.INDICATOR,
            indicator=indicator,
            low=low,
            high=high,
        )

    return sign


def analyse_mine():
    """Run the analysis for every indicator these tests made (named "Prov: ..."), and no other."""
    from tillit.followup.tasks import followup_refresh

    mine = Indicator.objects.filter(name__startswith="Prov: ")
    return followup_refresh(
        organisation_id=mine[0].organisation_id, indicator_ids=list(mine.values_list("pk", flat=True))
    )
