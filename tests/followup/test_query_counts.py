"""The follow-up lists of the JSON API ask the database a fixed number of times, however many series
(the pages' own guards are in test_views)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import unit

from .conftest import STABLE, analyse_mine

pytestmark = pytest.mark.integration


def _queries(client, url) -> tuple[int, list]:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.json()


def test_a_units_analysis_needs_the_same_queries_for_two_or_twelve_indicators(
    api,
    same_unit,
    home_care_north,
    make_indicator,
):
    client, url = api(same_unit), f"/api/v1/units/{home_care_north.pk}/analysis"
    for i in range(2):
        make_indicator(home_care_north, f"Serie {i}", STABLE)
    analyse_mine()
    few, _ = _queries(client, url)

    for i in range(2, 12):
        make_indicator(home_care_north, f"Serie {i}", [*STABLE, 40])
    analyse_mine()
    many, rows = _queries(client, url)

    assert len(rows) == 12
    assert many == few


def test_the_joint_look_of_a_branch_needs_the_same_queries_for_one_or_many_signals(
    api,
    politician,
    make_indicator,
):
    nämnd, norr = unit("Vård- och omsorgsnämnden"), unit("Hemtjänst Norr")
    client, url = api(politician), f"/api/v1/units/{nämnd.pk}/joint-look"
    make_indicator(norr, "Signal 0", [*STABLE, 40])
    analyse_mine()
    few, _ = _queries(client, url)

    for i in range(1, 10):
        make_indicator(norr, f"Signal {i}", [*STABLE, 40])
    analyse_mine()
    many, overview = _queries(client, url)

    assert len(overview["needs_look"]) >= 10
    assert many == few
