"""The pages and the API: who sees what, the raise form with and without JavaScript, anonymity."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from tillit.audit.models import AuditEvent
from tillit.core.clock import frozen_at
from tillit.obstacles.enums import ObstacleState
from tillit.obstacles.models import Obstacle

from .factories import person, raise_obstacle, register_entry, unit

pytestmark = pytest.mark.integration

SOFIA = "sofia.lindberg@exempelby.se"


@pytest.fixture
def anonymous_obstacle(colleague):
    return raise_obstacle(
        raiser=colleague, raised_in=unit("Hemtjänst Norr"), title="Dörrkoderna byts utan att vi får veta"
    )


def test_the_unit_page_links_to_its_obstacles(client, colleague, home_care_north):
    client.force_login(colleague)
    body = client.get(f"/units/{home_care_north.pk}/").content.decode()
    assert f"/units/{home_care_north.pk}/obstacles/" in body


def test_the_receiver_sees_the_obstacle_without_the_anonymous_raisers_name(client, anonymous_obstacle):
    client.force_login(person(SOFIA))
    page = client.get(f"/obstacles/{anonymous_obstacle.pk}/").content.decode()
    assert "Dörrkoderna byts" in page
    assert "Aino" not in page
    assert "Korhonen" not in page
    assert "En medarbetare i Hemtjänst Norr" in page
    listing = client.get(f"/units/{unit('Hemtjänsten').pk}/obstacles/").content.decode()
    assert "Dörrkoderna byts" in listing
    assert "Aino Korhonen" not in listing


def test_the_raisers_colleagues_and_manager_do_not_see_the_name_either(client, anonymous_obstacle, same_unit):
    client.force_login(same_unit)
    page = client.get(f"/obstacles/{anonymous_obstacle.pk}/").content.decode()
    assert "Aino" not in page


def test_the_raiser_sees_it_was_them(client, anonymous_obstacle, colleague):
    client.force_login(colleague)
    page = client.get(f"/obstacles/{anonymous_obstacle.pk}/").content.decode()
    assert "andra ser inte ditt namn" in page


def test_the_api_hides_the_anonymous_raiser(client, anonymous_obstacle):
    client.force_login(person(SOFIA))
    detail = client.get(f"/api/v1/obstacles/{anonymous_obstacle.pk}").json()
    assert detail["raised_by"] == "En medarbetare i Hemtjänst Norr"
    assert "Aino" not in json.dumps(detail, ensure_ascii=False)
    listing = client.get(f"/api/v1/units/{unit('Hemtjänsten').pk}/obstacles")
    assert listing.status_code == 200
    assert "Aino" not in listing.content.decode()
    assert any(row["id"] == anonymous_obstacle.pk for row in listing.json())


def test_the_audit_log_along_the_chain_does_not_name_the_anonymous_raiser(client, anonymous_obstacle):
    client.force_login(person(SOFIA))
    log = client.get(f"/units/{unit('Hemtjänst Norr').pk}/audit-log/").content.decode()
    row = next(row for row in log.split("<tr") if "Dörrkoderna byts" in row)
    assert "Aino" not in row
    assert "systemet" in row
    assert (
        AuditEvent.objects.filter(
            target_type="obstacles.obstacle", target_id=anonymous_obstacle.pk, actor__isnull=False
        ).count()
        == 0
    )


def test_a_named_obstacle_shows_the_name(client, colleague):
    obstacle = raise_obstacle(
        raiser=colleague, raised_in=unit("Hemtjänst Norr"), title="Bilarna", shows_name=True
    )
    client.force_login(person(SOFIA))
    assert "Aino Korhonen" in client.get(f"/obstacles/{obstacle.pk}/").content.decode()


def test_another_branch_and_another_organisation_get_404(
    client, anonymous_obstacle, other_branch, other_organisation
):
    for someone in (other_branch, other_organisation):
        client.force_login(someone)
        assert client.get(f"/obstacles/{anonymous_obstacle.pk}/").status_code == 404
        assert client.get(f"/api/v1/obstacles/{anonymous_obstacle.pk}").status_code == 404
        assert (
            client.post(f"/obstacles/{anonymous_obstacle.pk}/answer/", {"action": "acknowledge"}).status_code
            == 404
        )


def test_grannbys_obstacles_never_show_in_exempelby(client, other_organisation):
    grannby_obstacle = raise_obstacle(
        raiser=other_organisation,
        raised_in=unit("Hemtjänst Grannby", "grannby"),
        title="Grannbys hemliga hinder",
    )
    client.force_login(person(SOFIA))
    assert client.get(f"/obstacles/{grannby_obstacle.pk}/").status_code == 404
    assert client.get(f"/api/v1/obstacles/{grannby_obstacle.pk}").status_code == 404
    for url in (
        f"/units/{unit('Hemtjänsten').pk}/obstacles/",
        f"/api/v1/units/{unit('Hemtjänsten').pk}/obstacles",
    ):
        assert "Grannbys hemliga hinder" not in client.get(url).content.decode()
    client.force_login(other_organisation)
    body = client.get(f"/units/{unit('Hemtjänst Grannby', 'grannby').pk}/obstacles/").content.decode()
    assert "Grannbys hemliga hinder" in body
    assert "Exempelby" not in body
    assert "Hemtjänsten" not in body


def test_the_receiving_manager_acknowledges_and_declines_with_a_reason_in_the_page(
    client, anonymous_obstacle, colleague
):
    client.force_login(person(SOFIA))
    url = f"/obstacles/{anonymous_obstacle.pk}/answer/"
    page = client.get(f"/obstacles/{anonymous_obstacle.pk}/").content.decode()
    assert "Vi har sett det och tar oss an det" in page
    assert client.post(url, {"action": "acknowledge"}).status_code == 302
    response = client.post(url, {"action": "decline", "text": ""}, follow=True)
    assert "Ge skälet" in response.content.decode()
    anonymous_obstacle.refresh_from_db()
    assert anonymous_obstacle.state == ObstacleState.ACKNOWLEDGED
    client.post(
        url, {"action": "decline", "text": "Koderna styrs av fastighetsägaren; vi ber dem meddela er."}
    )
    anonymous_obstacle.refresh_from_db()
    assert anonymous_obstacle.state == ObstacleState.DECLINED
    client.force_login(colleague)
    assert (
        "Koderna styrs av fastighetsägaren"
        in client.get(f"/obstacles/{anonymous_obstacle.pk}/").content.decode()
    )


def test_the_raising_side_gets_403_for_the_receivers_actions(
    client, anonymous_obstacle, colleague, same_unit
):
    for someone in (colleague, same_unit):
        client.force_login(someone)
        response = client.post(f"/obstacles/{anonymous_obstacle.pk}/answer/", {"action": "acknowledge"})
        assert response.status_code == 403
    assert (
        client.post(f"/obstacles/{anonymous_obstacle.pk}/answer/", {"action": "nonsense"}).status_code == 400
    )


def test_the_raising_side_escalates_an_overdue_obstacle_from_the_page(client, colleague):
    with frozen_at(timezone.now() - timedelta(days=30)):
        late = raise_obstacle(raiser=colleague, raised_in=unit("Hemtjänst Norr"), title="Larmknapparna")
    client.force_login(colleague)
    page = client.get(f"/obstacles/{late.pk}/").content.decode()
    assert "Försenat" in page
    assert "⏰" in page
    listing = client.get(f"/units/{unit('Hemtjänst Norr').pk}/obstacles/").content.decode()
    assert "Försenat" in listing
    client.force_login(person(SOFIA))
    assert "Försenat" in client.get(f"/obstacles/{late.pk}/").content.decode()  # overdue to both sides
    client.force_login(colleague)
    client.post(f"/obstacles/{late.pk}/answer/", {"action": "escalate"})
    late.refresh_from_db()
    assert late.receiving_unit == unit("Vård- och omsorgsförvaltningen")


def test_the_raise_form_raises_anonymously_by_default(client, colleague, home_care_north):
    client.force_login(colleague)
    url = f"/units/{home_care_north.pk}/obstacles/new/"
    page = client.get(url).content.decode()
    assert "Vad hindrar er?" in page
    assert "Vem påverkas?" in page
    assert "Vad föreslår ni?" in page
    assert "som medarbetare i Hemtjänst Norr" in page
    assert "I mitt namn" in page
    assert (
        page.count('name="decision"') == page.count('type="radio" name="decision"') == 1
    )  # only "Vet inte" yet
    response = client.post(
        url,
        {
            "title": "Kylväskorna håller inte kylan",
            "affects": "Brukarna",
            "proposal": "Nya väskor",
            "identity": "member",
            "decision": "unknown",
        },
    )
    obstacle = Obstacle.objects.get(title="Kylväskorna håller inte kylan")
    assert response.status_code == 302
    assert response["Location"] == f"/obstacles/{obstacle.pk}/"
    assert (obstacle.raised_by, obstacle.shows_name) == (colleague, False)


def test_the_search_button_finds_decisions_without_javascript_and_the_choice_routes(
    client, colleague, home_care_north
):
    entry = register_entry(
        register_unit=unit("Vård- och omsorgsnämnden"),
        delegate="Avdelningschef",
        matter="Inköp av arbetsutrustning och IT-utrustning över 100 000 kr upp till 1 000 000 kr",
        code="4.2",
    )
    client.force_login(colleague)
    url = f"/units/{home_care_north.pk}/obstacles/new/"
    data = {"title": "Telefonerna", "proposal": "Inköp av nya telefoner", "identity": "member", "search": "1"}
    page = client.post(url, data).content.decode()
    assert f'value="entry:{entry.pk}"' in page
    assert "Telefonerna" in page  # the input is kept
    del data["search"]
    client.post(url, {**data, "decision": f"entry:{entry.pk}"})
    obstacle = Obstacle.objects.get(title="Telefonerna")
    assert (obstacle.matter, obstacle.receiving_unit) == (entry, unit("Hemtjänsten"))


def test_the_htmx_suggestions_list_register_entries_and_mandate_items(client, colleague, home_care_north):
    client.force_login(colleague)
    response = client.get(
        f"/units/{home_care_north.pk}/obstacles/suggestions/",
        {"title": "Hur besöken planeras mellan medarbetarna"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'value="mandate:' in body
    assert "Vet inte" in body


def test_only_members_may_open_the_raise_form(client, politician, home_care_north, other_branch):
    client.force_login(politician)  # reads Hemtjänst Norr along the chain, is no member of it
    assert client.get(f"/units/{home_care_north.pk}/obstacles/new/").status_code == 403
    client.force_login(other_branch)
    assert client.get(f"/units/{home_care_north.pk}/obstacles/new/").status_code == 404


def test_the_api_raises_an_obstacle_and_checks_membership(client, colleague, politician, home_care_north):
    client.force_login(colleague)
    response = client.post(
        f"/api/v1/units/{home_care_north.pk}/obstacles",
        {"title": "Via API", "proposal": "Något", "shows_name": False},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["raised_by"].startswith("Du, som medarbetare i Hemtjänst Norr")
    assert response.json()["receiving_unit_id"] == unit("Hemtjänsten").pk
    empty = client.post(
        f"/api/v1/units/{home_care_north.pk}/obstacles", {"title": " "}, content_type="application/json"
    )
    assert empty.status_code == 422
    client.force_login(politician)
    refused = client.post(
        f"/api/v1/units/{home_care_north.pk}/obstacles", {"title": "X"}, content_type="application/json"
    )
    assert refused.status_code == 403


def test_raising_as_a_member_of_a_tiny_unit_warns_that_others_may_guess(client, colleague):
    from django.db.models import Count

    from tillit.chain.models import Membership

    people = (
        Membership.objects.filter(ended_at__isnull=True, organisation_id=colleague.organisation_id)
        .values("unit_id")
        .annotate(people=Count("person", distinct=True))
    )
    small = min(people, key=lambda row: (row["people"], row["unit_id"]))
    assert small["people"] < 3
    member = Membership.objects.filter(unit_id=small["unit_id"], ended_at__isnull=True).first().person
    warning = "är en liten enhet: de andra kan gissa vem som lyft det"

    client.force_login(member)
    tiny_page = client.get(f"/units/{small['unit_id']}/obstacles/new/").content.decode()
    client.force_login(colleague)
    norr_page = client.get(f"/units/{unit('Hemtjänst Norr').pk}/obstacles/new/").content.decode()

    assert warning in tiny_page
    assert warning not in norr_page
