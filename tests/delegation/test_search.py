""" "Vem kan besluta om …?": full-text search over the entries in force, with Swedish stemming, on SQLite
(FTS5 and snowballstemmer) and PostgreSQL ('swedish' text search); and who holds the delegate function."""

import pytest

from tests.conftest import person, unit
from tests.delegation.factories import csv_file, register_with_version
from tillit.delegation.selectors import entries_search, entry_holders
from tillit.delegation.text import query_words

pytestmark = pytest.mark.integration

BISTÅND = "Beslut om bistånd i form av hemtjänst"


def matters(someone, query, limit=10):
    return [
        entry.matter
        for entry in entries_search(organisation_id=someone.organisation_id, query=query, limit=limit)
    ]


def test_the_question_about_home_care_finds_the_biståndshandläggare_first(colleague):
    found = entries_search(
        organisation_id=colleague.organisation_id, query="vem kan besluta om bistånd till hemtjänst?"
    )

    first = found[0]
    assert first.matter == BISTÅND
    assert (first.delegate, first.legal_basis, first.redelegation_allowed, first.reporting) == (
        "Biståndshandläggare",
        "4 kap. 1 § SoL",
        False,
        "Månadsvis till nämnden",
    )
    assert first.version.decision == "VON 2026-03-12 § 34"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("hemtjänsten", BISTÅND),
        ("Vem beslutar om inköpen?", "Inköp av varor och tjänster inom enhetens budget upp till 100 000 kr"),
        ("skolskjutsen", "Beslut om skolskjuts för elev i grundskolan"),
        ("Vem får anställa en enhetschef?", "Anställning av enhetschef"),
        ("lex Sarah", "Beslut om att anmäla allvarligt missförhållande till IVO (lex Sarah)"),
    ],
)
def test_inflected_forms_find_the_base_form(colleague, query, expected):
    assert expected in matters(colleague, query, limit=4)


def test_skolskjuts_in_any_form_finds_every_skolskjuts_matter(colleague):
    for query in ("skolskjuts", "skolskjutsen", "skolskjutsar"):
        assert len([m for m in matters(colleague, query) if "skolskjuts" in m]) == 4


def test_question_words_alone_find_nothing(colleague):
    assert query_words("Vem kan besluta om vad?") == []
    assert matters(colleague, "Vem kan besluta om vad?") == []
    assert matters(colleague, "") == []


def test_only_the_version_in_force_answers(colleague):
    # Matdistribution was a matter of the 2024 version only.
    assert matters(colleague, "matdistribution") == []
    assert "Inköp av varor och tjänster inom enhetens budget upp till 50 000 kr" not in matters(
        colleague, "inköp"
    )


def test_a_new_version_replaces_the_old_entries_in_the_index(same_unit, home_care_north):
    register_with_version(
        unit=home_care_north,
        actor=same_unit,
        content=csv_file("1;Ekonomi;Beslut om fikapengar till arbetslaget;Enhetschef;;nej;;;"),
    )
    assert matters(same_unit, "fikapengar") == ["Beslut om fikapengar till arbetslaget"]

    register_with_version(
        unit=home_care_north,
        actor=same_unit,
        content=csv_file("1;Ekonomi;Beslut om kaffemaskin;Enhetschef;;nej;;;"),
    )

    assert matters(same_unit, "fikapengar") == []
    assert matters(same_unit, "kaffemaskinen") == ["Beslut om kaffemaskin"]


def test_another_organisations_entries_are_never_found(same_unit, other_organisation):
    register_with_version(
        unit=unit("Grannby omsorgsnämnd", "grannby"),
        actor=other_organisation,
        content=csv_file(
            "1;Bistånd;Beslut om bistånd i form av hemtjänst i Grannby;Biståndshandläggare;4 kap. 1 § SoL;nej;;;",
            "2;Ekonomi;Inköp av hemtjänstbilar;Enhetschef;;nej;;;",
        ),
    )

    exempelby = entries_search(
        organisation_id=same_unit.organisation_id, query="bistånd hemtjänst Grannby", limit=50
    )
    grannby = matters(other_organisation, "vem kan besluta om bistånd till hemtjänst?")

    assert {entry.organisation_id for entry in exempelby} == {same_unit.organisation_id}
    assert "Grannby" not in " ".join(entry.matter for entry in exempelby)
    assert grannby[0] == "Beslut om bistånd i form av hemtjänst i Grannby"
    assert all("Grannby" in m or "hemtjänstbilar" in m for m in grannby)


def test_the_holders_of_biståndshandläggare_are_found_by_their_title(colleague):
    entry = entries_search(organisation_id=colleague.organisation_id, query="bistånd hemtjänst")[0]

    holders = entry_holders(entry=entry, person=colleague)

    assert len(holders) == 3
    assert {(m.title, m.unit.name) for m in holders} == {("Biståndshandläggare", "Biståndsenheten")}


def test_the_holders_in_the_askers_own_chain_come_first(colleague, other_branch):
    entry = entries_search(
        organisation_id=colleague.organisation_id, query="schemaläggning arbetstid", person=colleague
    )[0]
    assert entry.version.register.unit.name == "Vård- och omsorgsnämnden"

    holders = entry_holders(entry=entry, person=colleague)

    # Aino works in Hemtjänst Norr: its enhetschef Johan Nyström first, then the rest of the nämnd's units.
    assert holders[0].person.full_name == "Johan Nyström"
    assert holders[0].unit.name == "Hemtjänst Norr"
    assert len(holders) == 11
    assert {m.unit.name for m in holders[1:]} >= {"Hemtjänst Söder", "Björkgården", "Biståndsenheten"}
    paths = [m.unit.path for m in holders[1:]]
    assert paths == sorted(paths)
    # Someone outside the nämnd gets the same people, in tree order.
    assert [m.unit.path for m in entry_holders(entry=entry, person=other_branch)] == sorted(
        m.unit.path for m in holders
    )


def test_holders_nearest_above_the_asker_come_before_those_further_up(colleague):
    entry = entries_search(
        organisation_id=colleague.organisation_id, query="uppsägning personliga skäl", person=colleague
    )[0]
    assert entry.delegate == "Förvaltningschef"

    holders = entry_holders(entry=entry, person=colleague)

    assert [(m.person.full_name, m.unit.name) for m in holders] == [
        ("Mikael Holm", "Vård- och omsorgsförvaltningen")
    ]


def test_holders_are_only_within_the_registers_unit(colleague):
    entry = entries_search(organisation_id=colleague.organisation_id, query="skolskjuts grundskolan")[0]
    assert entry.version.register.unit.name == "Barn- och utbildningsnämnden"
    entry_with_avdelningschef = entries_search(
        organisation_id=colleague.organisation_id, query="läromedel IT-utrustning"
    )[0]

    holders = entry_holders(entry=entry_with_avdelningschef, person=person("aino.korhonen@exempelby.se"))

    assert entry_holders(entry=entry, person=colleague) == []  # no Skolskjutshandläggare in the demo
    assert {m.unit.name for m in holders} == {
        "Grundskolan",
        "Förskolan",
        "Gymnasium och vuxenutbildning",
        "Elevhälsan",
    }


def test_the_index_follows_rows_that_arrive_or_go_without_the_services(colleague):
    # As a test database's flush and the demo snapshot's restore do: plain DELETE and INSERT of the rows.
    from django.db import connection

    table = "delegation_delegationentrysearch"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT entry_id, matter, other FROM {table}")  # noqa: S608
        rows = cursor.fetchall()
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        emptied = matters(colleague, "hemtjänst") if connection.vendor == "sqlite" else []
        cursor.executemany(f"INSERT INTO {table} (entry_id, matter, other) VALUES (%s, %s, %s)", rows)  # noqa: S608

    assert emptied == []
    assert matters(colleague, "vem kan besluta om bistånd till hemtjänst?")[0] == BISTÅND


def test_deleted_entries_are_no_longer_found(same_unit, home_care_north):
    _register, version = register_with_version(
        unit=home_care_north,
        actor=same_unit,
        content=csv_file("1;Ekonomi;Beslut om fikapengar;Enhetschef;;nej;;;"),
    )
    assert matters(same_unit, "fikapengar") == ["Beslut om fikapengar"]

    version.entries.all().delete()

    assert matters(same_unit, "fikapengar") == []


def test_the_holders_of_many_hits_cost_the_same_few_queries(colleague, django_assert_max_num_queries):
    from tillit.delegation.selectors import entries_holders, entries_in_force

    entries = list(
        entries_in_force(organisation_id=colleague.organisation_id).select_related("version__register__unit")[
            :30
        ]
    )
    assert len(entries) == 30

    with django_assert_max_num_queries(4):
        holders = entries_holders(entries=entries, person=colleague)

    assert set(holders) == {entry.pk for entry in entries}
    assert all(holders[entry.pk] == entry_holders(entry=entry, person=colleague) for entry in entries)
