"""Query-count guards: every list page and list endpoint of the delegation register costs the same number
of queries however many registers, versions, matters or uploads it lists."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.delegation.factories import SMALL_REGISTER, csv_file, register_with_version
from tillit.accounts.services import api_token_create
from tillit.chain.access import Access
from tillit.chain.models import Unit
from tillit.delegation import services

pytestmark = pytest.mark.integration


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def bigger_register(size: int) -> bytes:
    """A register of `size` matters in `size // 3 + 1` groups, each with its own delegate."""
    return csv_file(
        *(
            f"{number};Grupp {number // 3};Ärende nummer {number};Delegat {number};6 kap. 37 § KL;nej;;;"
            for number in range(1, size + 1)
        )
    )


@pytest.fixture
def register(administrator, home_care_north):
    register, _version = register_with_version(unit=home_care_north, actor=administrator)
    return register


def test_the_pages_of_a_register_cost_the_same_queries_for_more_matters_and_versions(
    client, administrator, register
):
    client.force_login(administrator)
    urls = lambda: [  # noqa: E731  (the version in force changes as versions are adopted)
        "/delegation/",
        f"/delegation/registers/{register.pk}/",
        f"/delegation/versions/{register.versions.get(in_force=True).pk}/",
        f"/delegation/registers/{register.pk}/import/",
    ]
    # A version with a previous one: its page shows the changes (a query more, once).
    register_with_version(
        unit=register.unit, actor=administrator, content=bigger_register(3), decision="Beslut 3"
    )
    for url in urls():
        client.get(url)
    few = [queries(client, url) for url in urls()]
    for size in (10, 30):
        register_with_version(
            unit=register.unit, actor=administrator, content=bigger_register(size), decision=f"Beslut {size}"
        )
    for unit in Unit.objects.filter(organisation=register.organisation, parent=register.unit.parent)[:2]:
        register_with_version(unit=unit, actor=administrator)

    assert [queries(client, url) for url in urls()] == few


def test_the_preview_of_a_file_costs_the_same_queries_for_more_matters(client, administrator, register):
    client.force_login(administrator)

    def preview(content: bytes) -> int:
        upload = services.register_import_create(
            actor=administrator, access=Access.system(), register=register, filename="ny.csv", content=content
        )
        return queries(client, f"/delegation/imports/{upload.pk}/")

    few = preview(SMALL_REGISTER)

    assert preview(bigger_register(40)) == few


@pytest.fixture
def api(client):
    def as_person(someone):
        _token, plain = api_token_create(person=someone, name="Test")
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {plain}"
        return client

    return as_person


def test_the_api_lists_cost_the_same_queries_for_more_registers_and_matters(api, administrator, register):
    client = api(administrator)
    urls = ["/api/v1/delegation/registers", f"/api/v1/delegation/registers/{register.pk}"]
    client.get(urls[0])  # the token's first use is recorded once
    few = [queries(client, url) for url in urls]
    register_with_version(unit=register.unit, actor=administrator, content=bigger_register(30), decision="Ny")
    for unit in Unit.objects.filter(organisation=register.organisation, parent=register.unit.parent)[:2]:
        register_with_version(unit=unit, actor=administrator)

    assert [queries(client, url) for url in urls] == few
