"""Query-count guards: every list the API answers costs the same queries for a few rows and for many.

Each guard asks the same operation twice, once where it answers a few rows and once where it answers
many (another unit, a narrower filter, or the same request after rows were added through the services),
and the two answers must cost the same number of queries, under one ceiling for any list. A list
operation added to the API without a guard here fails `test_every_list_operation_is_guarded`.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import person, unit
from tests.notifications.factories import notify
from tillit.chain import services as chain_services
from tillit.chain.access import Access
from tillit.chain.selectors import access_for
from tillit.delegation import services as delegation_services
from tillit.delegation.models import DelegationRegister
from tillit.indicators.models import Indicator, Observation

pytestmark = pytest.mark.integration

MAX_QUERIES = 10  # the sign-in, the caller's access, the unit, the rows and their prefetches
POLITICIAN = "karin.ekstrom@exempelby.se"  # reads the whole care branch
ADMINISTRATOR = "elin.wallin@exempelby.se"


def units(name: str, suffix: str = "", **params) -> Callable[[], tuple[str, dict]]:
    return lambda: (f"/api/v1/units/{unit(name).pk}{suffix}", params)


def path(template: str, **params) -> Callable[[], tuple[str, dict]]:
    return lambda: (template, params)


def observations(*, latest_only: bool) -> Callable[[], tuple[str, dict]]:
    def request():
        indicator = Indicator.objects.filter(unit=unit("Hemtjänst Norr")).order_by("pk").first()
        latest = Observation.objects.filter(indicator=indicator).order_by("-period").first().period
        return f"/api/v1/indicators/{indicator.pk}/observations", {"since": latest} if latest_only else {}

    return request


def register(name: str) -> Callable[[], tuple[str, dict]]:
    return lambda: (f"/api/v1/delegation/registers/{DelegationRegister.objects.get(unit=unit(name)).pk}", {})


def three_more_roles():
    administrator = person(ADMINISTRATOR)
    for number in range(3):
        chain_services.role_create(
            actor=administrator,
            access=access_for(person=administrator),
            organisation=administrator.organisation,
            name=f"Roll {number}",
        )


def one_more_register():
    nämnd = unit("Samhällsbyggnadsnämnden")
    delegation_services.register_create(actor=None, access=Access.system(nämnd.organisation_id), unit=nämnd)


def five_more_notifications():
    for number in range(5):
        notify(person(POLITICIAN), unit=unit("Hemtjänst Norr"), subject=f"Ämne {number}")


@dataclass(frozen=True)
class Guard:
    few: Callable[[], tuple[str, dict]]  # a request that answers a few rows
    many: Callable[[], tuple[str, dict]] | None = None  # one that answers more (None: `few` after `grow`)
    grow: Callable[[], None] | None = None  # adds rows through the services
    rows: Callable[[object], int] = len  # the rows of an answer


GUARDS = {
    "/api/v1/units/{unit_id}": Guard(
        units("Vård- och omsorgsnämnden"), units("Hemtjänsten"), rows=lambda body: len(body["children"])
    ),
    "/api/v1/units/{unit_id}/chain": Guard(
        units("Vård- och omsorgsnämnden", "/chain"), units("Hemtjänst Norr", "/chain")
    ),
    "/api/v1/units/{unit_id}/roles": Guard(units("Hemtjänsten", "/roles"), units("Hemtjänst Norr", "/roles")),
    "/api/v1/roles": Guard(path("/api/v1/roles"), grow=three_more_roles),
    "/api/v1/units/{unit_id}/agreement/versions": Guard(
        units("Hemtjänsten", "/agreement/versions"), units("Hemtjänst Norr", "/agreement/versions")
    ),
    "/api/v1/units/{unit_id}/indicators": Guard(
        units("Vård- och omsorgsnämnden", "/indicators"), units("Hemtjänst Norr", "/indicators")
    ),
    "/api/v1/indicators/{indicator_id}/observations": Guard(
        observations(latest_only=True), observations(latest_only=False)
    ),
    "/api/v1/units/{unit_id}/analysis": Guard(
        units("Vård- och omsorgsnämnden", "/analysis"), units("Hemtjänst Norr", "/analysis")
    ),
    "/api/v1/units/{unit_id}/joint-look": Guard(
        units("Hemtjänst Norr", "/joint-look"),
        units("Kommunfullmäktige", "/joint-look"),
        rows=lambda body: len(body["needs_look"]),
    ),
    "/api/v1/units/{unit_id}/joint-looks": Guard(
        units("Särskilt boende", "/joint-looks"), units("Kommunfullmäktige", "/joint-looks")
    ),
    "/api/v1/units/{unit_id}/obstacles": Guard(
        units("Vård- och omsorgsnämnden", "/obstacles"), units("Hemtjänsten", "/obstacles")
    ),
    "/api/v1/delegation/registers": Guard(path("/api/v1/delegation/registers"), grow=one_more_register),
    "/api/v1/delegation/registers/{register_id}": Guard(
        register("Barn- och utbildningsnämnden"),
        register("Vård- och omsorgsnämnden"),
        rows=lambda body: len(body["in_force_entries"]),
    ),
    "/api/v1/delegation/search": Guard(
        path("/api/v1/delegation/search", q="bistånd", limit=1),
        path("/api/v1/delegation/search", q="bistånd", limit=10),
    ),
    "/api/v1/units/{unit_id}/experiments": Guard(
        units("Hemtjänst Öster", "/experiments"), units("Hemtjänst Norr", "/experiments")
    ),
    "/api/v1/experiments/archive": Guard(
        path("/api/v1/experiments/archive", decision="abandon"), path("/api/v1/experiments/archive")
    ),
    "/api/v1/units/{unit_id}/reporting": Guard(
        units("Särskilt boende", "/reporting"),
        units("Kommunfullmäktige", "/reporting"),
        rows=lambda body: len(body["requirements"]),
    ),
    "/api/v1/units/{unit_id}/data-requests": Guard(
        units("Hemtjänst Söder", "/data-requests"), units("Hemtjänst Norr", "/data-requests")
    ),
    "/api/v1/me/notifications": Guard(path("/api/v1/me/notifications"), grow=five_more_notifications),
}
GUARDED_ELSEWHERE = {
    "/api/v1/units",  # test_api.py: grows the organisation by twenty units
    "/api/v1/pulses",  # tests/pulse/test_api.py: in a small world of its own (no_demo)
}


def rows_and_queries(client, guard: Guard, request) -> tuple[int, int]:
    url, params = request()
    client.get(url, params)  # the first call also records the token's use
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, (url, response.content)
    return guard.rows(response.json()), len(captured)


@pytest.mark.parametrize("template", sorted(GUARDS))
def test_a_list_costs_the_same_queries_for_a_few_rows_and_for_many(api, template):
    guard = GUARDS[template]
    client = api(person(POLITICIAN))

    few_rows, few_queries = rows_and_queries(client, guard, guard.few)
    if guard.grow is not None:
        guard.grow()
    many_rows, many_queries = rows_and_queries(client, guard, guard.many or guard.few)

    assert many_rows > few_rows > 0
    assert many_queries == few_queries <= MAX_QUERIES


def test_every_list_operation_is_guarded(client, db):
    schema = client.get("/api/v1/openapi.json").json()

    lists = {
        template
        for template, operations in schema["paths"].items()
        if "get" in operations
        and operations["get"]["responses"]["200"]["content"]["application/json"]["schema"].get("type")
        == "array"
    }

    assert lists - GUARDED_ELSEWHERE <= set(GUARDS)
    assert set(GUARDS) <= set(schema["paths"])
