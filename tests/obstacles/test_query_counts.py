"""Query-count guards of the obstacles' lists: a page or an endpoint reads the same number of queries
whether it lists a few rows or more (no query per row)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tillit.chain.selectors import access_for
from tillit.obstacles import services

from .factories import person, raise_obstacle, unit

pytestmark = pytest.mark.integration

SOFIA = "sofia.lindberg@exempelby.se"


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _raise_some(colleague, count: int) -> list:
    return [
        raise_obstacle(raiser=colleague, raised_in=unit("Hemtjänst Norr"), title=f"Hinder nummer {number}")
        for number in range(count)
    ]


@pytest.mark.parametrize("path", ["/units/{unit}/obstacles/", "/api/v1/units/{unit}/obstacles"])
@pytest.mark.parametrize("unit_name", ["Hemtjänst Norr", "Hemtjänsten"])  # raised in, received by
def test_the_obstacle_lists_read_as_many_queries_for_one_more_obstacle_as_for_five(
    client, colleague, path, unit_name
):
    client.force_login(person(SOFIA))
    url = path.format(unit=unit(unit_name).pk)
    _raise_some(colleague, 1)
    client.get(url)
    one = _queries(client, url)

    _raise_some(colleague, 4)

    assert _queries(client, url) == one


@pytest.mark.parametrize("path", ["/obstacles/{obstacle}/", "/api/v1/obstacles/{obstacle}"])
def test_an_obstacles_history_reads_as_many_queries_for_one_event_as_for_three(client, colleague, path):
    sofia = person(SOFIA)
    (obstacle,) = _raise_some(colleague, 1)
    client.force_login(sofia)
    url = path.format(obstacle=obstacle.pk)
    client.get(url)
    one = _queries(client, url)

    services.obstacle_acknowledge(actor=sofia, access=access_for(person=sofia), obstacle=obstacle)
    services.obstacle_start(actor=sofia, access=access_for(person=sofia), obstacle=obstacle)

    assert _queries(client, url) == one
