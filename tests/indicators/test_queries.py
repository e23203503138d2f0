"""Query-count guards: every list page and list endpoint of the indicators room costs the same number of
queries however many rows it lists (no query per indicator, observation, narrative or upload)."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.indicators.factories import make_indicator
from tillit.accounts.services import api_token_create
from tillit.chain.access import Access
from tillit.indicators.services import (
    ObservationInput,
    narrative_write,
    observation_import_create,
    observations_record,
)

pytestmark = pytest.mark.integration


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def grow(unit, *, person, start: int) -> None:
    """Three more indicators with data, a narrative and an upload: more of every row a list shows."""
    for number in range(start, start + 3):
        indicator = make_indicator(unit, name=f"Test: mått {number}", definition=f"Mått nummer {number}.")
        observations_record(
            actor=None,
            access=Access.system(),
            indicator=indicator,
            rows=[ObservationInput(date(2024, month, 1), month) for month in range(1, 4)],
            source="demo",
        )
        narrative_write(
            actor=person,
            access=Access.system(),
            unit=unit,
            period=date(2023, number % 12 + 1, 1),
            text=f"Text {number}",
        )
        observation_import_create(
            actor=person,
            access=Access.system(),
            unit=unit,
            filename=f"fil-{number}.csv",
            content=f"indikator;period;värde\nTest: mått {number};2024-04;1\n".encode(),
        )


@pytest.mark.parametrize(
    "path",
    ["/units/{unit}/indicators/", "/units/{unit}/import/", "/units/{unit}/import/template.csv"],
)
def test_the_unit_lists_cost_the_same_queries_for_more_indicators(client, same_unit, home_care_north, path):
    url = path.format(unit=home_care_north.pk)
    grow(home_care_north, person=same_unit, start=1)
    client.force_login(same_unit)
    client.get(url)  # warm the session and the caches
    few = queries(client, url)
    grow(home_care_north, person=same_unit, start=10)

    assert queries(client, url) == few


def test_the_preview_of_a_file_costs_the_same_queries_for_more_indicators(client, same_unit, home_care_north):
    grow(home_care_north, person=same_unit, start=1)
    client.force_login(same_unit)

    def preview(lines: list[str]) -> int:
        file = SimpleUploadedFile("fil.csv", "\n".join(["indikator;period;värde", *lines]).encode())
        upload = client.post(f"/units/{home_care_north.pk}/import/", {"file": file})
        return queries(client, upload["Location"])

    few = preview(["Test: mått 1;2024-01;5"])
    many = preview([f"Test: mått {number};2024-{month:02d};5" for number in (1, 2, 3) for month in (1, 2, 5)])

    assert many == few


@pytest.fixture
def api(client):
    def as_person(someone):
        _token, plain = api_token_create(person=someone, name="Test")
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {plain}"
        return client

    return as_person


def test_the_api_lists_cost_the_same_queries_for_more_rows(api, same_unit, home_care_north, falls):
    client = api(same_unit)
    indicators = f"/api/v1/units/{home_care_north.pk}/indicators"
    observations = f"/api/v1/indicators/{falls.pk}/observations"
    observations_record(
        actor=None,
        access=Access.system(),
        indicator=falls,
        rows=[ObservationInput(date(2024, 1, 1), 1)],
        source="demo",
    )
    client.get(indicators)  # the token's first use is recorded once
    few = (queries(client, indicators), queries(client, observations))
    grow(home_care_north, person=same_unit, start=1)
    rows = [ObservationInput(date(2022 + i // 12, i % 12 + 1, 1), i % 4) for i in range(24)]
    observations_record(actor=None, access=Access.system(), indicator=falls, rows=rows, source="demo")
    observations_record(
        actor=None,
        access=Access.system(),
        indicator=falls,
        rows=[ObservationInput(row.period, row.value + 1) for row in rows],
        source="demo",
    )

    assert (queries(client, indicators), queries(client, observations)) == few
