"""The register in the JSON API: the same figures and the same access as the pages."""

import pytest

from tillit.burden.models import DataRequest, ReportingRequirement

pytestmark = pytest.mark.integration


def test_a_units_reporting_has_hours_by_requester_and_candidates(api, same_unit, home_care_north):
    body = api(same_unit).get(f"/api/v1/units/{home_care_north.pk}/reporting").json()

    assert body["hours_per_year"] == 108
    assert body["by_requester"][0] == {
        "requester": "Hemtjänsten",
        "requester_kind": "chain_level",
        "reports": 2,
        "hours_per_year": 51,
    }
    assert len(body["candidates"]) == 3


def test_a_requirement_has_its_use_and_proposals(api, colleague, home_care_north):
    ivo = ReportingRequirement.objects.get(unit=home_care_north, requester="IVO")
    monthly = ReportingRequirement.objects.get(unit=home_care_north, name="Månadsrapport till förvaltningen")

    unused = api(colleague).get(f"/api/v1/reporting-requirements/{ivo.pk}").json()
    used = api(colleague).get(f"/api/v1/reporting-requirements/{monthly.pk}").json()

    assert unused["last_used"] is None
    assert unused["proposals"][0]["answer"] is None
    assert used["last_used"] is not None
    assert used["hours_per_year"] == 36


def test_a_unit_asks_for_data_through_the_api(api, same_unit, other_branch, home_care_north):
    analysis_id = DataRequest.objects.filter(unit=home_care_north).first().to_unit_id
    payload = {"to_unit_id": analysis_id, "what": "Larmtider", "why": "Se mönster"}

    created = api(same_unit).post(
        f"/api/v1/units/{home_care_north.pk}/data-requests", payload, content_type="application/json"
    )
    listed = api(same_unit).get(f"/api/v1/units/{home_care_north.pk}/data-requests").json()
    elsewhere = api(other_branch).post(
        f"/api/v1/units/{home_care_north.pk}/data-requests", payload, content_type="application/json"
    )

    assert created.status_code == 201
    assert created.json()["state"] == "open"
    assert created.json()["id"] in [row["id"] for row in listed]
    assert elsewhere.status_code == 404
