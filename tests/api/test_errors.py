"""The API's one set of error answers: every refusal is JSON with a `detail`, whatever raised it."""

import json

import pytest
from django.http import Http404
from django.test import RequestFactory

from tests.conftest import unit
from tillit.api.api import api as ninja_api
from tillit.chain.models import Unit
from tillit.indicators import api as indicators_api

pytestmark = pytest.mark.integration

ENGLISH = {"accept-language": "en"}


def post_json(client, path, payload):
    return client.post(path, json.dumps(payload), content_type="application/json", headers=ENGLISH)


def test_a_refusal_answers_403_with_the_services_reason(api, politician, home_care_north):
    client = api(politician)

    bulk = post_json(client, f"/api/v1/units/{home_care_north.pk}/observations", [])
    obstacle = post_json(client, f"/api/v1/units/{home_care_north.pk}/obstacles", {"title": "X"})

    assert (bulk.status_code, bulk.json()) == (
        403,
        {"detail": "Only the unit's own people can record its data."},
    )
    assert (obstacle.status_code, obstacle.json()) == (
        403,
        {"detail": "Only the unit's own people can raise an obstacle here."},
    )


def test_input_that_cannot_be_used_answers_422_with_every_message(api, same_unit, home_care_north):
    client = api(same_unit)
    support = unit("Hemtjänsten")

    empty = post_json(
        client,
        f"/api/v1/units/{home_care_north.pk}/data-requests",
        {"to_unit_id": support.pk, "what": " ", "why": " "},
    )
    nowhere = post_json(
        client,
        f"/api/v1/units/{home_care_north.pk}/data-requests",
        {"to_unit_id": 987654321, "what": "Larmtider", "why": "Se mönster"},
    )

    assert empty.status_code == nowhere.status_code == 422
    assert empty.json() == {
        "detail": "Say which data you need. Say what the data will help you with.",
    }
    assert nowhere.json() == {"detail": "Choose a support function in your organisation."}


def test_too_many_rows_answer_422_with_the_problem_at_the_first_row_too_many(
    api, same_unit, home_care_north, monkeypatch
):
    monkeypatch.setattr(indicators_api, "MAX_ROWS", 1)
    rows = [{"indicator_id": 1, "period": "2024-01-01", "value": 1}] * 2

    response = post_json(api(same_unit), f"/api/v1/units/{home_care_north.pk}/observations", rows)

    assert response.status_code == 422
    assert response.json() == {
        "detail": "Nothing was recorded: some rows are wrong.",
        "problems": [{"row": 1, "message": "At most 1 rows per request."}],
    }


@pytest.mark.parametrize("error", [Unit.DoesNotExist(), Http404("no such unit")])
def test_a_missing_row_answers_404_like_a_unit_outside_the_chain(error):
    response = ninja_api.on_exception(RequestFactory().get("/api/v1/units/1"), error)

    assert response.status_code == 404
    assert json.loads(response.content) == {"detail": "Not Found"}
