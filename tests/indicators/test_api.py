"""The indicators API: tenant-scoped reads and the all-or-nothing bulk write, in the OpenAPI schema."""

import json
from datetime import date

import pytest

from tillit.audit.models import AuditEvent
from tillit.chain.access import Access
from tillit.indicators.models import Observation, ObservationChange
from tillit.indicators.services import ObservationInput, indicator_retire, observations_record

pytestmark = pytest.mark.integration


def post_rows(client, unit, rows):
    return client.post(
        f"/api/v1/units/{unit.pk}/observations", json.dumps(rows), content_type="application/json"
    )


def test_the_schema_publishes_the_indicator_paths(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    assert {
        "/api/v1/units/{unit_id}/indicators",
        "/api/v1/indicators/{indicator_id}",
        "/api/v1/indicators/{indicator_id}/observations",
        "/api/v1/units/{unit_id}/observations",
    } <= set(paths)
    assert "post" in paths["/api/v1/units/{unit_id}/observations"]
    assert "422" in paths["/api/v1/units/{unit_id}/observations"]["post"]["responses"]


def test_unit_indicators_list_the_units_own(api, colleague, falls, satisfaction, home_care_north):
    indicators = api(colleague).get(f"/api/v1/units/{home_care_north.pk}/indicators").json()

    names = {indicator["name"]: indicator for indicator in indicators}
    assert {falls.name, satisfaction.name} <= set(names)
    assert names[satisfaction.name]["origin"] == "external"
    assert names[satisfaction.name]["required_by"] == "Socialstyrelsen"
    assert names[falls.name]["purpose_link"] == "Trygghet hemma"


def test_observations_are_listed_oldest_first_with_their_corrections(api, politician, falls):
    observations_record(
        actor=None,
        access=Access.system(),
        indicator=falls,
        rows=[ObservationInput(date(2024, 2, 1), 4), ObservationInput(date(2024, 1, 1), 3)],
        source="demo",
    )
    observations_record(
        actor=None,
        access=Access.system(),
        indicator=falls,
        rows=[ObservationInput(date(2024, 1, 1), 2)],
        source="demo",
    )

    rows = api(politician).get(f"/api/v1/indicators/{falls.pk}/observations").json()

    assert [(row["period"], row["value"], row["corrections"]) for row in rows] == [
        ("2024-01-01", 2.0, 1),
        ("2024-02-01", 4.0, 0),
    ]
    since = api(politician).get(f"/api/v1/indicators/{falls.pk}/observations?since=2024-02-01").json()
    assert [row["period"] for row in since] == ["2024-02-01"]


@pytest.mark.parametrize("persona", ["other_branch", "other_organisation"])
def test_outside_the_chain_an_indicator_is_not_found(request, api, falls, persona):
    client = api(request.getfixturevalue(persona))

    assert client.get(f"/api/v1/indicators/{falls.pk}").status_code == 404
    assert client.get(f"/api/v1/indicators/{falls.pk}/observations").status_code == 404
    assert (
        client.get(f"/api/v1/indicators/{falls.pk}").json()
        == client.get("/api/v1/indicators/987654321").json()
    )


def test_bulk_write_records_every_row(api, same_unit, falls, continuity, home_care_north):
    response = post_rows(
        api(same_unit),
        home_care_north,
        [
            {"indicator_id": falls.pk, "period": "2024-01-01", "value": 3},
            {"indicator_id": falls.pk, "period": "2024-02-01", "value": 1, "comment": "Lugnt"},
            {"indicator_id": continuity.pk, "period": "2024-01-01", "value": 40, "denominator": 50},
        ],
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["created"], body["changed"], body["unchanged"]) == (3, 0, 0)
    assert sorted((row["indicator_id"], row["created"]) for row in body["indicators"]) == sorted(
        [(falls.pk, 2), (continuity.pk, 1)]
    )
    assert Observation.objects.get(indicator=falls, period=date(2024, 2, 1)).comment == "Lugnt"
    event = AuditEvent.objects.filter(action="observations.recorded", target_id=falls.pk).get()
    assert event.after["source"] == "api"
    assert event.actor == same_unit


def test_bulk_write_rolls_back_everything_and_lists_every_problem_with_its_row(
    api, same_unit, falls, continuity, home_care_north
):
    observations_record(
        actor=None,
        access=Access.system(),
        indicator=falls,
        rows=[ObservationInput(date(2024, 1, 1), 3)],
        source="demo",
    )

    response = post_rows(
        api(same_unit),
        home_care_north,
        [
            {"indicator_id": falls.pk, "period": "2024-01-01", "value": 9},  # a valid correction
            {"indicator_id": falls.pk, "period": "2024-02-15", "value": 1},
            {"indicator_id": continuity.pk, "period": "2024-01-01", "value": 40},
            {"indicator_id": 987654321, "period": "2024-01-01", "value": 1},
        ],
    )

    assert response.status_code == 422
    assert response.json() == {
        "detail": "Nothing was recorded: some rows are wrong.",
        "problems": [
            {
                "row": 1,
                "message": "2024-02-15 is not the first day of a period: a month starts on its first day.",
            },
            {"row": 2, "message": "A proportion needs a denominator: the number it is a part of."},
            {"row": 3, "message": "There is no such indicator in this unit."},
        ],
    }
    assert Observation.objects.get(indicator=falls).value == 3.0
    assert not ObservationChange.objects.filter(observation__indicator=falls).exists()
    assert not Observation.objects.filter(indicator=continuity).exists()


def test_bulk_write_of_the_same_rows_again_changes_nothing(api, same_unit, falls, home_care_north):
    rows = [{"indicator_id": falls.pk, "period": "2024-01-01", "value": 3}]
    client = api(same_unit)
    post_rows(client, home_care_north, rows)
    events = AuditEvent.objects.count()

    again = post_rows(client, home_care_north, rows).json()

    assert (again["created"], again["changed"], again["unchanged"]) == (0, 0, 1)
    assert AuditEvent.objects.count() == events


def test_bulk_write_to_a_retired_indicator_is_refused(api, same_unit, falls, home_care_north):
    indicator_retire(actor=None, access=Access.system(), indicator=falls)

    response = post_rows(
        api(same_unit), home_care_north, [{"indicator_id": falls.pk, "period": "2024-01-01", "value": 3}]
    )

    assert response.status_code == 422
    assert "retired" in response.json()["problems"][0]["message"]


def test_a_reader_above_gets_403_and_outsiders_404_for_the_bulk_write(
    api, politician, other_branch, other_organisation, falls, home_care_north
):
    rows = [{"indicator_id": falls.pk, "period": "2024-01-01", "value": 3}]

    assert post_rows(api(politician), home_care_north, rows).status_code == 403
    assert post_rows(api(other_branch), home_care_north, rows).status_code == 404
    assert post_rows(api(other_organisation), home_care_north, rows).status_code == 404
    assert not Observation.objects.filter(indicator=falls).exists()


def test_an_indicator_of_another_unit_cannot_be_written_through_this_one(api, other_branch, falls):
    from tillit.chain.models import Unit

    school = Unit.objects.get(name="Ekskolan")

    response = post_rows(
        api(other_branch), school, [{"indicator_id": falls.pk, "period": "2024-01-01", "value": 3}]
    )

    assert response.status_code == 422
    assert response.json()["problems"] == [{"row": 0, "message": "There is no such indicator in this unit."}]
    assert not Observation.objects.filter(indicator=falls).exists()


def test_a_malformed_body_is_refused_before_anything_is_written(api, same_unit, falls, home_care_north):
    response = post_rows(
        api(same_unit), home_care_north, [{"indicator_id": falls.pk, "period": "januari", "value": 3}]
    )

    assert response.status_code == 422
    assert not Observation.objects.filter(indicator=falls).exists()
