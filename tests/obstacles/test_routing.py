"""Routing: the lowest level that holds the mandate, from the register, the agreements, or the unit above."""

import pytest

from tillit.chain import services as chain
from tillit.chain.access import Access
from tillit.chain.models import Level, Role
from tillit.delegation.models import RegisterVersion
from tillit.obstacles.enums import RoutingBasis
from tillit.obstacles.selectors import obstacle_route

from .factories import person, raise_obstacle, register_entry, unit

pytestmark = pytest.mark.integration


def test_a_register_entry_held_in_the_raisers_own_unit_routes_there(db):
    entry = register_entry(
        register_unit=unit("Vård- och omsorgsnämnden"),
        delegate="Enhetschef",
        matter="Beslut om schemaläggning inom enheten",
        code="3.1",
    )
    route = obstacle_route(raised_in=unit("Hemtjänst Norr"), title="Schemat", matter=entry)
    assert route.unit == unit("Hemtjänst Norr")
    assert route.basis == RoutingBasis.DELEGATION_REGISTER
    assert route.matter == entry


def test_a_register_entry_held_above_routes_to_the_lowest_ancestor_holding_it(db):
    entry = register_entry(
        register_unit=unit("Vård- och omsorgsnämnden"),
        delegate="Avdelningschef",
        matter="Inköp av arbetsutrustning och IT-utrustning över 100 000 kr upp till 1 000 000 kr",
        code="4.2",
    )
    route = obstacle_route(raised_in=unit("Hemtjänst Norr"), title="Telefonerna", matter=entry)
    assert route.unit == unit("Hemtjänsten")


def test_the_entrys_role_counts_as_well_as_its_delegate_text(db):
    role = Role.objects.get(organisation__slug="exempelby", name="Förvaltningschef")
    entry = register_entry(
        register_unit=unit("Vård- och omsorgsnämnden"),
        delegate="Förvaltningens chef",
        matter="Organisation av förvaltningen",
        role=role,
    )
    route = obstacle_route(raised_in=unit("Hemtjänst Norr"), title="x", matter=entry)
    assert route.unit == unit("Vård- och omsorgsförvaltningen")


def test_a_delegate_held_only_in_another_branch_routes_to_the_nearest_holder_there(db):
    ifo = unit("Individ- och familjeomsorgen")
    enhet = Level.objects.get(organisation__slug="exempelby", name="Enhet")
    bistand = chain.unit_create(
        access=Access.system(), organisation=ifo.organisation, parent=ifo, level=enhet, name="Biståndsenheten"
    )
    staff = Role.objects.get(organisation__slug="exempelby", name="Medarbetare")
    chain.membership_create(
        access=Access.system(),
        person=person("leila.hassan@exempelby.se"),
        unit=bistand,
        role=staff,
        title="Biståndshandläggare",
    )
    entry = register_entry(
        register_unit=unit("Socialnämnden"),
        delegate="Biståndshandläggare",
        matter="Beslut om bistånd i form av hemtjänst enligt 4 kap. 1 § SoL",
    )
    route = obstacle_route(raised_in=unit("Hemtjänst Norr"), title="Biståndet", matter=entry)
    assert route.unit == bistand


def test_a_mandate_item_of_the_units_own_agreement_routes_to_the_unit_itself(db):
    route = obstacle_route(
        raised_in=unit("Hemtjänst Norr"),
        title="Vi får inte byta besökstider fast vi planerar besöken själva",
    )
    assert route.basis == RoutingBasis.AGREEMENT_MANDATE
    assert route.unit == unit("Hemtjänst Norr")
    assert "besök" in route.mandate_item.text.lower()


def test_a_mandate_item_of_an_upper_agreement_routes_to_that_unit(db):
    # Where no register says who decides (here: none in force), the agreements' mandates do.
    RegisterVersion.objects.update(in_force=False)
    route = obstacle_route(
        raised_in=unit("Hemtjänst Norr"), title="Budgeten fördelas orättvist mellan enheterna i hemtjänsten"
    )
    assert route.basis == RoutingBasis.AGREEMENT_MANDATE
    assert route.unit == unit("Hemtjänsten")


def test_the_top_register_hit_is_used_when_it_shares_two_words(db):
    register_entry(
        register_unit=unit("Vård- och omsorgsnämnden"),
        delegate="Avdelningschef",
        matter="Teckna avtal om leasing av tjänstecyklar",
    )
    route = obstacle_route(raised_in=unit("Hemtjänst Norr"), title="Leasing av tjänstecyklar dröjer")
    assert route.basis == RoutingBasis.DELEGATION_REGISTER
    assert route.unit == unit("Hemtjänsten")


def test_a_register_hit_sharing_one_word_is_not_enough(db):
    register_entry(
        register_unit=unit("Vård- och omsorgsnämnden"),
        delegate="Enhetschef",
        matter="Attestera fakturor för tjänstecyklar",
    )
    route = obstacle_route(raised_in=unit("Hemtjänst Norr"), title="Tjänstecyklar saknas helt")
    assert route.basis == RoutingBasis.UNIT_ABOVE
    assert route.unit == unit("Hemtjänsten")


def test_without_any_mandate_the_unit_above_receives_it(db):
    route = obstacle_route(raised_in=unit("Ekskolan"), title="Kaffemaskinen i personalrummet läcker")
    assert route.basis == RoutingBasis.UNIT_ABOVE
    assert route.unit == unit("Grundskolan")


def test_raising_records_the_route_and_the_obstacle_page_explains_it(client, colleague):
    entry = register_entry(
        register_unit=unit("Vård- och omsorgsnämnden"),
        delegate="Avdelningschef",
        matter="Inköp av arbetsutrustning och IT-utrustning över 100 000 kr upp till 1 000 000 kr",
        code="4.2",
    )
    obstacle = raise_obstacle(
        raiser=colleague, raised_in=unit("Hemtjänst Norr"), title="Telefonerna", matter=entry
    )
    assert (obstacle.receiving_unit, obstacle.routing_basis, obstacle.matter) == (
        unit("Hemtjänsten"),
        RoutingBasis.DELEGATION_REGISTER,
        entry,
    )
    client.force_login(colleague)
    body = client.get(f"/obstacles/{obstacle.pk}/").content.decode()
    assert "Gick till Hemtjänsten eftersom avdelningschef får besluta om" in body
    assert f"enligt delegationsordningen, punkt {entry.code}" in body
