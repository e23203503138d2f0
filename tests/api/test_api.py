"""The JSON API at /api/v1/: published schema, tenant-scoped reads, the same access as the pages."""

import pytest

from tests.conftest import person, unit
from tillit.chain import services
from tillit.chain.models import Membership, Unit
from tillit.chain.selectors import access_for

pytestmark = pytest.mark.integration

CHAIN_TO_NORR = [
    "Kommunfullmäktige",
    "Vård- och omsorgsnämnden",
    "Vård- och omsorgsförvaltningen",
    "Hemtjänsten",
]


def test_openapi_schema_lists_every_path(client, db):
    response = client.get("/api/v1/openapi.json")

    schema = response.json()
    assert response.status_code == 200
    assert schema["info"]["title"] == "Tillit API"
    methods = {path: sorted(operations) for path, operations in schema["paths"].items()}
    assert methods == {
        "/api/v1/agreement-versions/{version_id}": ["get"],
        "/api/v1/delegation/registers": ["get"],
        "/api/v1/delegation/registers/{register_id}": ["get"],
        "/api/v1/delegation/search": ["get"],
        "/api/v1/indicators/{indicator_id}": ["get"],
        "/api/v1/joint-looks/{look_id}": ["get"],
        "/api/v1/indicators/{indicator_id}/analysis": ["get"],
        "/api/v1/indicators/{indicator_id}/observations": ["get"],
        "/api/v1/me": ["get"],
        "/api/v1/me/notifications": ["get"],
        "/api/v1/me/notifications/{notification_id}/read": ["post"],
        "/api/v1/obstacles/{obstacle_id}": ["get"],
        "/api/v1/roles": ["get"],
        "/api/v1/units": ["get"],
        "/api/v1/units/{unit_id}": ["get"],
        "/api/v1/units/{unit_id}/agreement": ["get"],
        "/api/v1/units/{unit_id}/agreement/versions": ["get"],
        "/api/v1/units/{unit_id}/analysis": ["get"],
        "/api/v1/units/{unit_id}/chain": ["get"],
        "/api/v1/units/{unit_id}/indicators": ["get"],
        "/api/v1/units/{unit_id}/joint-look": ["get"],
        "/api/v1/units/{unit_id}/joint-looks": ["get"],
        "/api/v1/units/{unit_id}/observations": ["post"],  # the one write: bulk observations
        "/api/v1/units/{unit_id}/obstacles": ["get", "post"],  # obstacles: the list, and raising one
        "/api/v1/units/{unit_id}/purpose": ["get"],
        "/api/v1/units/{unit_id}/roles": ["get"],
        # experiments
        "/api/v1/experiments/archive": ["get"],
        "/api/v1/experiments/{experiment_id}": ["get"],
        "/api/v1/units/{unit_id}/experiments": ["get"],
        # burden: the reporting-burden register and "Vilka data behöver du?"
        "/api/v1/units/{unit_id}/reporting": ["get"],
        "/api/v1/reporting-requirements/{requirement_id}": ["get"],
        "/api/v1/units/{unit_id}/data-requests": ["get", "post"],
        # the trust pulse (tests/pulse/test_api.py); answering alone needs no sign-in
        "/api/v1/units/{unit_id}/pulses": ["post"],
        "/api/v1/pulses": ["get"],
        "/api/v1/pulses/{pulse_id}": ["get", "put"],
        "/api/v1/pulses/{pulse_id}/open": ["post"],
        "/api/v1/pulses/{pulse_id}/remind": ["post"],
        "/api/v1/pulses/{pulse_id}/close": ["post"],
        "/api/v1/pulses/{pulse_id}/results": ["get"],
        "/api/v1/pulses/{pulse_id}/units/{unit_id}/share": ["put"],
        "/api/v1/pulse-answers": ["post"],
    }
    assert schema["components"]["securitySchemes"]["PersonalTokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }


def test_units_lists_only_the_units_a_staff_member_can_read(api, colleague, home_care_north):
    response = api(colleague).get("/api/v1/units")

    units = response.json()
    assert response.status_code == 200
    assert [u["name"] for u in units] == [*CHAIN_TO_NORR, "Hemtjänst Norr"]
    norr = units[-1]
    assert norr == {
        "id": home_care_north.pk,
        "name": "Hemtjänst Norr",
        "level": "Arbetslag",
        "parent_id": unit("Hemtjänsten").pk,
        "depth": 4,
        "path": [int(part) for part in home_care_north.path.strip("/").split("/")],
        "closed_at": None,
    }


@pytest.mark.parametrize(
    "email",
    [
        "karin.ekstrom@exempelby.se",
        "leila.hassan@exempelby.se",
        "per.sandberg@exempelby.se",
        "ville.virtanen@grannby.se",
    ],
)
def test_units_equal_the_readable_units_of_each_person(api, email):
    someone = person(email)
    readable = Unit.objects.filter(access_for(person=someone).readable_units_filter(), closed_at__isnull=True)

    ids = [u["id"] for u in api(someone).get("/api/v1/units").json()]

    assert sorted(ids) == sorted(readable.values_list("pk", flat=True))
    assert len(ids) == len(set(ids))


def test_closed_units_are_listed_only_when_asked(api, administrator):
    services.unit_close(
        actor=administrator, access=access_for(person=administrator), unit=unit("Nattpatrullen")
    )
    client = api(administrator)

    default = [u["name"] for u in client.get("/api/v1/units").json()]
    everything = client.get("/api/v1/units", {"include_closed": "true"}).json()

    assert "Nattpatrullen" not in default
    closed = [u for u in everything if u["name"] == "Nattpatrullen"]
    assert len(closed) == 1
    assert closed[0]["closed_at"] is not None
    assert len(everything) == len(default) + 1 == 65


def test_unit_detail_has_the_chain_above_and_the_sub_units(api, politician):
    hemtjansten = unit("Hemtjänsten")

    response = api(politician).get(f"/api/v1/units/{hemtjansten.pk}")

    detail = response.json()
    assert response.status_code == 200
    assert (detail["id"], detail["name"], detail["level"], detail["depth"]) == (
        hemtjansten.pk,
        "Hemtjänsten",
        "Avdelning",
        3,
    )
    assert [u["name"] for u in detail["chain"]] == CHAIN_TO_NORR[:3]
    assert [u["name"] for u in detail["children"]] == [
        "Hemtjänst Centrum",
        "Hemtjänst Norr",
        "Hemtjänst Söder",
        "Hemtjänst Väster",
        "Hemtjänst Öster",
        "Nattpatrullen",
    ]


def test_unit_of_another_branch_answers_404(api, other_branch, home_care_north):
    client = api(other_branch)

    for suffix in ("", "/chain", "/roles"):
        response = client.get(f"/api/v1/units/{home_care_north.pk}{suffix}")
        assert response.status_code == 404
        assert response.json() == {"detail": "Not Found"}


def test_unit_chain_runs_from_the_top_to_the_unit(api, colleague, home_care_north):
    response = api(colleague).get(f"/api/v1/units/{home_care_north.pk}/chain")

    assert [u["name"] for u in response.json()] == [*CHAIN_TO_NORR, "Hemtjänst Norr"]
    assert [u["depth"] for u in response.json()] == [0, 1, 2, 3, 4]


def test_unit_roles_lists_the_active_roles_managers_first(
    api, politician, colleague, same_unit, home_care_north
):
    membership = Membership.objects.get(person=colleague, unit=home_care_north, ended_at__isnull=True)
    services.membership_end(actor=same_unit, access=access_for(person=same_unit), membership=membership)

    roles = api(politician).get(f"/api/v1/units/{home_care_north.pk}/roles").json()

    assert len(roles) == 5
    assert roles[0]["person_name"] == "Johan Nyström"
    assert roles[0]["role"]["name"] == "Enhetschef"
    assert roles[0]["role"]["capabilities"] == ["read", "write", "manage"]
    assert "Aino Korhonen" not in [r["person_name"] for r in roles]
    assert {r["unit_id"] for r in roles} == {home_care_north.pk}
    assert {r["ended_at"] for r in roles} == {None}


def test_roles_lists_the_organisations_roles_with_capabilities(api, colleague):
    response = api(colleague).get("/api/v1/roles")

    assert response.status_code == 200
    assert [(r["name"], r["capabilities"]) for r in response.json()] == [
        ("Analytiker", ["read", "write"]),
        ("Avdelningschef", ["read", "write", "manage"]),
        ("Enhetschef", ["read", "write", "manage"]),
        ("Förtroendevald", ["read"]),
        ("Förvaltningschef", ["read", "write", "manage"]),
        ("Internrevisor", ["read", "audit"]),
        ("Medarbetare", ["read", "write"]),
        ("Ordförande", ["read", "write"]),
        ("Stödfunktion", ["read", "write"]),
        ("Systemadministratör", ["read", "administer"]),
    ]


def test_roles_of_another_organisation_are_its_own(api, other_organisation, colleague):
    grannby_ids = {r["id"] for r in api(other_organisation).get("/api/v1/roles").json()}
    exempelby_ids = {r["id"] for r in api(colleague).get("/api/v1/roles").json()}

    assert len(grannby_ids) == len(exempelby_ids) == 10
    assert grannby_ids.isdisjoint(exempelby_ids)


def test_me_describes_the_person_and_their_roles(api, colleague, home_care_north):
    response = api(colleague).get("/api/v1/me")

    me = response.json()
    assert response.status_code == 200
    assert {key: me[key] for key in ("id", "full_name", "email", "organisation")} == {
        "id": colleague.pk,
        "full_name": "Aino Korhonen",
        "email": "aino.korhonen@exempelby.se",
        "organisation": "Exempelby kommun",
    }
    assert [(m["unit_id"], m["role"]["name"], m["title"]) for m in me["memberships"]] == [
        (home_care_north.pk, "Medarbetare", "Undersköterska")
    ]


def test_the_browser_session_also_signs_in_to_the_api(client, colleague):
    client.force_login(colleague)

    response = client.get("/api/v1/me")

    assert response.status_code == 200
    assert response.json()["full_name"] == "Aino Korhonen"


def test_api_without_credentials_answers_401(client, db, home_care_north):
    for path in ("/api/v1/me", "/api/v1/units", f"/api/v1/units/{home_care_north.pk}", "/api/v1/roles"):
        response = client.get(path)
        assert response.status_code == 401
        assert response.json() == {"detail": "Unauthorized"}


def test_unit_id_that_is_not_a_number_is_refused(api, colleague):
    response = api(colleague).get("/api/v1/units/norr")

    assert response.status_code == 422


def test_a_platform_operator_without_organisation_reads_nothing(client, db):
    from django.contrib.auth import get_user_model

    operator = get_user_model().objects.create_user(
        "drift@tillit.example", None, full_name="Drift", is_staff=True
    )
    client.force_login(operator)

    assert client.get("/api/v1/units").json() == []
    assert client.get("/api/v1/roles").status_code == 404
    assert client.get(f"/api/v1/units/{unit('Kommunfullmäktige').pk}").status_code == 404
    assert client.get("/api/v1/me").json()["organisation"] == ""


def test_units_query_count_does_not_grow_with_the_organisation(
    api, administrator, django_assert_max_num_queries
):
    client = api(administrator)
    client.get("/api/v1/units")

    with django_assert_max_num_queries(4):
        small = client.get("/api/v1/units").json()
    access = access_for(person=administrator)
    norr = unit("Hemtjänst Norr")
    for number in range(20):
        services.unit_create(
            actor=administrator,
            access=access,
            organisation=norr.organisation,
            parent=norr,
            level=norr.level,
            name=f"Team {number}",
        )
    with django_assert_max_num_queries(4):
        large = client.get("/api/v1/units").json()

    assert len(large) == len(small) + 20


def test_a_token_speaks_for_its_own_person_even_beside_another_session(api, client, other_branch, colleague):
    client.force_login(other_branch)
    as_colleague = api(colleague)

    names = [u["name"] for u in as_colleague.get("/api/v1/units").json()]

    assert names == [*CHAIN_TO_NORR, "Hemtjänst Norr"]
    assert as_colleague.get("/api/v1/me").json()["full_name"] == "Aino Korhonen"
