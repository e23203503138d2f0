"""The trust pulse's JSON API: a whole round, the refusals, the anonymous answer and what each reader sees."""

import json
import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories.pulse import TOKEN_IN_LINK, pulse_opened, pulse_world
from tillit.chain.access import Access
from tillit.core.clock import today
from tillit.pulse import services
from tillit.pulse.instrument import DEFAULT_ITEMS
from tillit.pulse.models import Invitation, Pulse, Response

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]

ANSWER = "/api/v1/pulse-answers"
ENGLISH = {"accept-language": "en"}
SIZES = {"Norr": 6, "Söder": 7, "Öster": 4}  # with the manager: 18, and Öster (4) stays below k = 5
MAX_QUERIES = 10


def send(client, method: str, path: str, payload=None, **headers):
    body = json.dumps(payload) if payload is not None else ""
    return getattr(client, method)(
        path, body, content_type="application/json", headers={**ENGLISH, **headers}
    )


def answer(payload, **headers):
    """Answer as a person with the code from their e-mail: no sign-in, a client of its own."""
    return send(Client(), "post", ANSWER, payload, **headers)


def values(pulse: Pulse, index: int) -> dict[str, int]:
    """Varied answers, so that no cell is all alike."""
    return {code: 1 + (index + position) % 5 for position, code in enumerate(pulse.items)}


def closed_round(world, **fields) -> Pulse:
    """A round every invited person answered, closed by the scope's manager."""
    pulse, tokens = pulse_opened(world, **fields)
    for index, token in enumerate(tokens.values()):
        services.pulse_answer(token=token, answers=values(pulse, index))
    return services.pulse_close(actor=world.manager, access=Access.system(world.organisation.pk), pulse=pulse)


@pytest.fixture
def world():
    return pulse_world(SIZES)


@pytest.fixture
def elsewhere():
    return pulse_world({"Grannby": 5}, slug="pulsgrannby")


def test_a_whole_round_through_the_api(api, world):
    manager = api(world.manager)
    closes_on = today() + timedelta(days=14)

    created = send(
        manager,
        "post",
        f"/api/v1/units/{world.scope.pk}/pulses",
        {"title": "Tillitspuls våren", "closes_on": closes_on.isoformat()},
    )
    pulse_id = created.json()["id"]
    updated = send(
        manager,
        "put",
        f"/api/v1/pulses/{pulse_id}",
        {
            "title": "Tillitspuls hösten",
            "closes_on": closes_on.isoformat(),
            "items": ["manager_ability", "above_ability", "team_problems"],
            "support_referent": "HR-stödet",
        },
    )
    opened = send(manager, "post", f"/api/v1/pulses/{pulse_id}/open")

    assert created.status_code == 201
    assert created.json()["state"] == "draft"
    assert [item["code"] for item in created.json()["items"]] == list(DEFAULT_ITEMS)
    assert updated.status_code == 200
    assert updated.json()["title"] == "Tillitspuls hösten"
    assert [item["code"] for item in updated.json()["items"]] == [
        "manager_ability",
        "above_ability",
        "team_problems",
    ]
    assert opened.status_code == 200
    assert opened.json()["state"] == "open"

    # The task worker makes the codes and e-mails them; only their hashes stay.
    mail.outbox.clear()
    services.pulse_invitations_send(pulse_id=pulse_id)
    tokens = [TOKEN_IN_LINK.search(message.body).group(1) for message in mail.outbox]
    pulse = Pulse.objects.get(pk=pulse_id)
    answered = [answer({"token": token, "answers": values(pulse, i)}) for i, token in enumerate(tokens)]
    reminded = send(manager, "post", f"/api/v1/pulses/{pulse_id}/remind")
    closed = send(manager, "post", f"/api/v1/pulses/{pulse_id}/close")

    assert len(tokens) == 18
    assert {response.status_code for response in answered} == {204}
    assert all("no-store" in response["Cache-Control"] for response in answered)
    assert reminded.status_code == 200
    assert reminded.json()["reminded"] == 18
    assert closed.status_code == 200
    assert closed.json()["state"] == "closed"
    assert closed.json()["respondents"] == {"low": 10, "high": 19}
    assert closed.json()["response_rate"] == {"low": 90, "high": 100}

    staff = api(world.people["Norr"][0])
    results = staff.get(f"/api/v1/pulses/{pulse_id}/results", headers=ENGLISH).json()
    assert results["published"] is True
    assert [(unit["name"], unit["own"]) for unit in results["units"]] == [
        ("Förvaltning", True),
        ("Norr", True),
    ]
    norr = results["units"][1]
    assert norr["respondents"] == {"low": 5, "high": 9}
    assert norr["cells"][0]["item"] == "manager_ability"
    assert (
        norr["cells"][0]["text"]
        == "My nearest manager has the knowledge needed to give us good conditions for our work."
    )
    assert norr["cells"][0]["result"]["published"] is True
    assert norr["cells"][0]["result"]["answers"] == {"low": 5, "high": 9}
    assert 1 <= norr["cells"][0]["result"]["mean"] <= 5


def test_suppressed_cells_carry_no_numbers_and_the_level_above_sees_only_shared_units(api, world):
    pulse = closed_round(world)
    url = f"/api/v1/pulses/{pulse.pk}/results"

    before = api(world.manager).get(url).json()
    öster = api(world.people["Öster"][0]).get(url).json()["units"]
    shared = send(
        api(world.people["Norr"][1]),
        "put",
        f"/api/v1/pulses/{pulse.pk}/units/{world.units['Norr'].pk}/share",
        {"shared": True},
    )
    after = api(world.manager).get(url).json()

    # The scope's manager reads the whole, not its units, until a unit shares.
    assert [unit["name"] for unit in before["units"]] == ["Förvaltning"]
    assert öster[1]["name"] == "Öster"
    assert öster[1]["respondents"] in (None, {"low": 0, "high": 4})  # not shown, or "fewer than 5"
    assert öster[1]["response_rate"] is None
    assert {json.dumps(cell["result"]) for cell in öster[1]["cells"]} == {'{"published": false}'}
    assert shared.status_code == 200
    assert shared.json() == {"pulse_id": pulse.pk, "unit_id": world.units["Norr"].pk, "shared_upward": True}
    assert [(unit["name"], unit["own"], unit["shared_upward"]) for unit in after["units"]] == [
        ("Förvaltning", True, False),
        ("Norr", False, True),
    ]


def test_refusals_say_why_and_another_organisation_gets_404(api, world, elsewhere):
    pulse, _tokens = pulse_opened(world)
    staff = api(world.people["Norr"][0])
    closes_on = (today() + timedelta(days=10)).isoformat()

    create = send(
        staff, "post", f"/api/v1/units/{world.scope.pk}/pulses", {"title": "X", "closes_on": closes_on}
    )
    close = send(staff, "post", f"/api/v1/pulses/{pulse.pk}/close")
    change_open = send(
        api(world.manager), "put", f"/api/v1/pulses/{pulse.pk}", {"title": "Y", "closes_on": closes_on}
    )
    no_title = send(
        api(world.manager),
        "post",
        f"/api/v1/units/{world.scope.pk}/pulses",
        {"title": " ", "closes_on": closes_on},
    )
    unreadable = api(world.manager).post(
        f"/api/v1/units/{world.scope.pk}/pulses", "{not json", content_type="application/json"
    )
    stranger = api(elsewhere.manager)
    foreign = [
        stranger.get(f"/api/v1/pulses/{pulse.pk}"),
        stranger.get(f"/api/v1/pulses/{pulse.pk}/results"),
        send(stranger, "post", f"/api/v1/pulses/{pulse.pk}/open"),
        send(stranger, "post", f"/api/v1/pulses/{pulse.pk}/close"),
        send(
            stranger, "post", f"/api/v1/units/{world.scope.pk}/pulses", {"title": "X", "closes_on": closes_on}
        ),
    ]

    assert (create.status_code, create.json()) == (
        403,
        {"detail": "Only the managers of this part of the chain prepare its trust pulse."},
    )
    assert (close.status_code, close.json()) == (
        403,
        {"detail": "Only the managers of this part of the chain close its pulse."},
    )
    assert change_open.status_code == 422
    assert no_title.status_code == 422
    assert "title" in no_title.json()["detail"]
    assert unreadable.status_code == 400
    assert [(response.status_code, response.json()) for response in foreign] == [
        (404, {"detail": "Not Found"})
    ] * 5
    assert stranger.get("/api/v1/pulses").json() == []


def test_sharing_another_units_results_is_refused(api, world):
    pulse = closed_round(world)
    path = f"/api/v1/pulses/{pulse.pk}/units/{world.units['Norr'].pk}/share"

    sibling = send(api(world.people["Söder"][0]), "put", path, {"shared": True})
    above = send(api(world.manager), "put", path, {"shared": True})

    assert sibling.status_code == 404  # another branch: not in the chain Söder reads
    assert above.status_code == 403
    assert above.json() == {
        "detail": "Only the unit's own people decide whether the levels above see its pulse."
    }


def test_an_answer_needs_no_sign_in_but_preparing_a_pulse_does(world, client):
    pulse, tokens = pulse_opened(world)
    closes_on = (today() + timedelta(days=10)).isoformat()

    created = send(
        client, "post", f"/api/v1/units/{world.scope.pk}/pulses", {"title": "X", "closes_on": closes_on}
    )
    listed = client.get("/api/v1/pulses")
    answered = send(
        client, "post", ANSWER, {"token": tokens[next(iter(tokens))], "answers": {pulse.items[0]: 4}}
    )

    assert created.status_code == listed.status_code == 401
    assert answered.status_code == 204
    assert answered.content == b""
    assert Response.objects.filter(pulse=pulse, answers={pulse.items[0]: 4}).count() == 1


def test_a_replayed_code_answers_400_and_no_code_is_echoed_or_logged(world, caplog):
    pulse, tokens = pulse_opened(world)
    token = next(iter(tokens.values()))
    grouped = "-".join(token[i : i + 4] for i in range(0, len(token), 4)).upper()

    with caplog.at_level(logging.DEBUG):
        first = answer({"token": grouped, "answers": {pulse.items[0]: 5}, "free_text": ""})
        again = answer({"token": token, "answers": {pulse.items[0]: 1}})

    assert first.status_code == 204
    assert (again.status_code, again.json()) == (
        400,
        {"detail": "This code has already been used: each code answers once."},
    )
    assert "no-store" in again["Cache-Control"]
    assert token not in again.content.decode()
    assert token not in caplog.text.lower()
    assert Response.objects.filter(pulse=pulse, answers__isnull=False).count() == 1
    assert Invitation.objects.filter(pulse=pulse, used=True).count() == 1


@pytest.mark.parametrize(
    ("body", "status", "detail"),
    [
        ("{broken", 400, "The answer could not be read"),
        ("[]", 400, "The answer could not be read"),
        (json.dumps({"answers": {}}), 400, "Give the code from your invitation e-mail."),
        (json.dumps({"token": "abc", "answers": {}}), 400, "The code is not complete"),
        (json.dumps({"token": "a" * 26, "answers": {}}), 400, "We do not recognise this code."),
        (json.dumps({"token": "TOKEN", "answers": []}), 422, "“answers” must map each question's code"),
        (
            json.dumps({"token": "TOKEN", "answers": {"no_such_item": 3}}),
            422,
            "“no_such_item” is not a question",
        ),
        (json.dumps({"token": "TOKEN", "answers": {"ITEM": 7}}), 422, "Answer "),
        (json.dumps({"token": "TOKEN", "answers": {}}), 422, "Answer at least one question."),
    ],
)
def test_an_answer_that_cannot_be_used_is_refused_clearly_and_stores_nothing(world, body, status, detail):
    pulse, tokens = pulse_opened(world)
    token = next(iter(tokens.values()))
    body = body.replace("TOKEN", token).replace("ITEM", pulse.items[0])

    response = Client().post(ANSWER, body, content_type="application/json", headers=ENGLISH)

    assert response.status_code == status
    assert response.json()["detail"].startswith(detail)
    assert token not in response.content.decode()
    assert not Response.objects.filter(pulse=pulse, answers__isnull=False).exists()
    assert not Invitation.objects.filter(pulse=pulse, used=True).exists()


def test_an_answer_after_the_close_is_refused_and_the_language_follows_accept_language(world):
    pulse, tokens = pulse_opened(world)
    services.pulse_close(actor=world.manager, access=Access.system(world.organisation.pk), pulse=pulse)
    token = next(iter(tokens.values()))

    english = answer({"token": token, "answers": {pulse.items[0]: 3}})
    swedish = answer({"token": token, "answers": {pulse.items[0]: 3}}, **{"accept-language": "sv"})

    assert english.status_code == swedish.status_code == 400
    assert english.json()["detail"].startswith("The pulse closed on")
    assert (english["Content-Language"], swedish["Content-Language"]) == ("en", "sv")


def test_the_openapi_schema_documents_every_pulse_operation(client):
    schema = client.get("/api/v1/openapi.json").json()
    operations = {
        "/api/v1/units/{unit_id}/pulses": {"post": {"201", "400", "403", "404", "422"}},
        "/api/v1/pulses": {"get": {"200", "422"}},
        "/api/v1/pulses/{pulse_id}": {"get": {"200", "404"}, "put": {"200", "400", "403", "404", "422"}},
        "/api/v1/pulses/{pulse_id}/open": {"post": {"200", "403", "404", "422"}},
        "/api/v1/pulses/{pulse_id}/remind": {"post": {"200", "403", "404", "422"}},
        "/api/v1/pulses/{pulse_id}/close": {"post": {"200", "403", "404", "422"}},
        "/api/v1/pulses/{pulse_id}/results": {"get": {"200", "404"}},
        "/api/v1/pulses/{pulse_id}/units/{unit_id}/share": {"put": {"200", "400", "403", "404", "422"}},
        "/api/v1/pulse-answers": {"post": {"204", "400", "422"}},
    }

    for path, methods in operations.items():
        for method, statuses in methods.items():
            operation = schema["paths"][path][method]
            assert operation["summary"], (path, method)
            assert len(operation["description"]) > 80, (path, method)
            assert set(operation["responses"]) == statuses, (path, method)
            assert ("security" in operation) == (path != ANSWER), (path, method)
    body = schema["paths"][ANSWER]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert set(body["properties"]) == {"token", "answers", "free_text"}
    assert "PublishedCellOut" in schema["components"]["schemas"]


def test_the_list_of_pulses_costs_the_same_queries_for_a_few_rows_and_for_many(api, world):
    client = api(world.manager)
    closed_round(world)

    few, few_queries = rows_and_queries(client, "/api/v1/pulses")
    for number in range(3):
        services.pulse_create(
            actor=world.manager,
            access=Access.system(world.organisation.pk),
            scope=world.units["Norr"] if number else world.scope,
            title=f"Tillitspuls {number}",
            closes_on=today() + timedelta(days=20),
        )
    many, many_queries = rows_and_queries(client, "/api/v1/pulses")

    assert (len(few), len(many)) == (1, 4)
    assert many_queries == few_queries <= MAX_QUERIES


def test_the_results_cost_the_same_queries_for_one_unit_and_for_several(api, world):
    client = api(world.manager)
    pulse = closed_round(world)
    url = f"/api/v1/pulses/{pulse.pk}/results"

    few, few_queries = rows_and_queries(client, url)
    for name in ("Norr", "Söder", "Öster"):
        services.pulse_results_share(
            actor=world.people[name][0],
            access=Access.system(world.organisation.pk),
            pulse_unit=pulse.frame.get(unit=world.units[name]),
            shared=True,
        )
    many, many_queries = rows_and_queries(client, url)

    assert (len(few["units"]), len(many["units"])) == (1, 4)
    assert many_queries == few_queries <= MAX_QUERIES


def rows_and_queries(client, url: str):
    client.get(url)  # the first call also records the token's use
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json(), len(captured)


def test_no_filter_narrows_the_results_so_no_complement_can_be_taken(api, world):
    """T-50: the pulse asks nothing about the person (no gender, age or tenure), so the only partition of
    the answers is the units. A filter in the query is not a feature: it changes nothing."""
    pulse = closed_round(world)
    url = f"/api/v1/pulses/{pulse.pk}/results"
    reader = api(world.people["Norr"][0])

    plain = reader.get(url).json()
    for query in ("?gender=kvinna", "?age=20-29", "?unit=Norr", "?item=manager_ability", "?exclude=Söder"):
        assert reader.get(url + query).json() == plain, query
    assert {cell["item"] for unit in plain["units"] for cell in unit["cells"]} <= set(pulse.items)
