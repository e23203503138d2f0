"""Query-count guards of the agreements room's lists: a page or an endpoint reads the same number of
queries whether it lists one row or several (no query per row)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.agreements.factories import access, person, signed_agreement
from tillit.agreements import services
from tillit.agreements.models import BoundaryKind

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("without_agreements")]


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.fixture
def sofia(db):
    return person("sofia.lindberg@exempelby.se")


def _sign_again(same_unit, sofia, home_care_north):
    return signed_agreement(unit=home_care_north, unit_signer=same_unit, upper_signer=sofia)


@pytest.mark.parametrize(
    "path", ["/units/{unit}/agreement/versions/", "/api/v1/units/{unit}/agreement/versions"]
)
def test_the_versions_list_reads_as_many_queries_for_one_version_as_for_three(
    client, path, same_unit, sofia, home_care_north
):
    client.force_login(same_unit)
    url = path.format(unit=home_care_north.pk)
    _sign_again(same_unit, sofia, home_care_north)
    client.get(url)
    one = _queries(client, url)

    _sign_again(same_unit, sofia, home_care_north)
    _sign_again(same_unit, sofia, home_care_north)

    assert _queries(client, url) == one


def test_the_purpose_history_reads_as_many_queries_for_two_versions_as_for_five(
    client, colleague, home_care_north
):
    client.force_login(colleague)
    url = f"/units/{home_care_north.pk}/purpose/history/"
    client.get(url)
    before = _queries(client, url)

    for number in range(3):
        services.purpose_write(
            actor=colleague, access=access(colleague), unit=home_care_north, statement=f"Trygghet {number}."
        )

    assert _queries(client, url) == before


def test_the_boundary_report_page_reads_as_many_queries_for_one_report_as_for_four(
    client, colleague, same_unit, sofia, home_care_north
):
    version = _sign_again(same_unit, sofia, home_care_north)
    boundary = version.boundaries.get(kind=BoundaryKind.QUALITATIVE)
    url = f"/boundaries/{boundary.pk}/report/"
    client.force_login(colleague)

    def report():
        services.boundary_report_create(
            actor=colleague,
            access=access(colleague),
            boundary=boundary,
            occurred_on=timezone.localdate() - timedelta(days=1),
            description="Ett besök uteblev utan besked.",
        )

    report()
    client.get(url)
    one = _queries(client, url)
    for _ in range(3):
        report()

    assert _queries(client, url) == one
