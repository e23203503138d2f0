"""The delegation register's JSON API: the registers, one register's version in force, the search."""

import pytest

from tillit.delegation.models import DelegationRegister

pytestmark = pytest.mark.integration


def test_the_registers_are_listed_with_their_version_in_force(api, other_branch):
    registers = api(other_branch).get("/api/v1/delegation/registers").json()

    assert [(r["unit_name"], r["in_force"]["number"], r["in_force"]["decision"]) for r in registers] == [
        ("Vård- och omsorgsnämnden", 2, "VON 2026-03-12 § 34"),
        ("Barn- och utbildningsnämnden", 1, "BUN 2025-11-20 § 88"),
    ]
    assert registers[0]["in_force"]["entries"] == 36


def test_a_register_gives_its_versions_and_the_entries_in_force(api, colleague):
    von = DelegationRegister.objects.get(unit__name="Vård- och omsorgsnämnden")

    body = api(colleague).get(f"/api/v1/delegation/registers/{von.pk}").json()

    assert [v["number"] for v in body["versions"]] == [2, 1]
    assert len(body["in_force_entries"]) == 36
    first = next(e for e in body["in_force_entries"] if e["code"] == "2.1")
    assert first == {
        "id": first["id"],
        "code": "2.1",
        "matter_group": "Bistånd enligt socialtjänstlagen",
        "matter": "Beslut om bistånd i form av hemtjänst",
        "delegate": "Biståndshandläggare",
        "role_id": None,
        "legal_basis": "4 kap. 1 § SoL",
        "redelegation_allowed": False,
        "reporting": "Månadsvis till nämnden",
        "substitute": "Enhetschef",
        "note": "Upp till 150 timmar per månad",
    }


def test_another_organisation_gets_404_for_the_register_and_finds_nothing(api, other_organisation):
    von = DelegationRegister.objects.get(unit__name="Vård- och omsorgsnämnden")
    client = api(other_organisation)

    assert client.get(f"/api/v1/delegation/registers/{von.pk}").status_code == 404
    assert client.get("/api/v1/delegation/registers").json() == []
    assert client.get("/api/v1/delegation/search", {"q": "bistånd hemtjänst"}).json() == []


def test_the_search_answers_with_the_entry_and_its_holders(api, colleague):
    hits = (
        api(colleague)
        .get("/api/v1/delegation/search", {"q": "vem kan besluta om bistånd till hemtjänst?"})
        .json()
    )

    first = hits[0]
    assert (first["matter"], first["delegate"], first["version_number"], first["decision"]) == (
        "Beslut om bistånd i form av hemtjänst",
        "Biståndshandläggare",
        2,
        "VON 2026-03-12 § 34",
    )
    assert {(h["title"], h["unit_name"]) for h in first["holders"]} == {
        ("Biståndshandläggare", "Biståndsenheten")
    }
    assert len(first["holders"]) == 3


def test_the_search_needs_a_sign_in(client, db):
    assert client.get("/api/v1/delegation/search", {"q": "bistånd"}).status_code == 401
