"""The learning archive: full-text search with Swedish stems on SQLite and PostgreSQL, filters, and
what another organisation may see."""

import pytest

from tests.conftest import unit
from tillit.chain.selectors import access_for
from tillit.experiments import services
from tillit.experiments.enums import Decision
from tillit.experiments.selectors import ArchiveFilters, archive_search
from tillit.experiments.text import fts5_query, stems

from .conftest import FLAT, month

pytestmark = pytest.mark.integration


def _studied(record, person, where, indicator, *, decision=Decision.ADOPT, shared=False, **values):
    experiment = record(person, where, [indicator], start_on=month(6), study_on=month(11), **values)
    return services.experiment_study(
        actor=person,
        access=access_for(person=person),
        experiment=experiment,
        study_notes="Det blev lugnare.",
        decision=decision,
        learning=values.get("learning_text", "Vi lärde oss att planera tillsammans."),
        shared_beyond_organisation=shared,
    )


def _search(person, **filters):
    return archive_search(access=access_for(person=person), filters=ArchiveFilters(**filters))


def test_stemming_makes_inflected_swedish_words_meet():
    assert stems("kontinuiteten fallen") == stems("kontinuitet fall")
    assert fts5_query('fall" OR x') == '"fall"* "or"* "x"*'  # query syntax never reaches FTS5


@pytest.mark.parametrize(
    ("query", "found"),
    [("kontinuiteten", True), ("kontinuitet", True), ("fallen", True), ("fall", True), ("trycksår", False)],
)
def test_the_archive_finds_an_experiment_by_an_inflected_word(
    make_indicator, record, same_unit, other_branch, home_care_north, query, found
):
    indicator = make_indicator(home_care_north, "Fall i hemmet", FLAT)
    experiment = _studied(
        record,
        same_unit,
        home_care_north,
        indicator,
        title="Bättre kontinuitet i teamen",
        hypothesis="Kontinuiteten blir bättre och fallen blir färre.",
    )

    hits = _search(other_branch, query=query)

    assert (experiment in hits) is found


def test_the_archive_searches_indicator_names_and_filters_on_indicator_kind_and_decision(
    make_indicator, record, same_unit, home_care_north
):
    indicator = make_indicator(home_care_north, "Nattfasta", FLAT)
    adopted = _studied(record, same_unit, home_care_north, indicator, title="Sen kvällsmat")

    assert adopted in _search(same_unit, query="nattfastor")
    assert adopted in _search(same_unit, indicator="nattfasta", kind=home_care_north.level.name)
    assert adopted not in _search(same_unit, decision=Decision.ABANDON)
    assert adopted not in _search(same_unit, kind="Skola")


def test_running_experiments_are_not_in_the_archive(make_indicator, record, same_unit, home_care_north):
    indicator = make_indicator(home_care_north, "Kontinuitet", FLAT)
    running = record(same_unit, home_care_north, [indicator], title="Unikt ordexempel")

    assert running not in _search(same_unit, query="ordexempel")


def test_another_organisations_experiment_shows_only_when_it_chose_to_share(
    make_indicator, record, other_organisation, same_unit
):
    grannby = unit("Hemtjänst Grannby", "grannby")
    indicator = make_indicator(grannby, "Kontinuitet", FLAT)
    private = _studied(record, other_organisation, grannby, indicator, title="Hemligt grannbyförsök")
    shared = _studied(
        record, other_organisation, grannby, indicator, title="Delat grannbyförsök", shared=True
    )

    hits = _search(same_unit, query="grannbyförsök")

    assert shared in hits
    assert private not in hits
    assert private not in _search(same_unit)


def test_the_demo_archive_shows_grannbys_shared_experiment_to_exempelby_but_not_its_private_one(same_unit):
    titles = {experiment.title for experiment in _search(same_unit, query="kontinuitet")}

    assert "Små team kring varje brukare" in titles
    assert "Rörelsesensorer nattetid" not in {e.title for e in _search(same_unit)}
    assert "Fasta team i planeringen" in titles


def test_the_best_match_comes_first_even_when_it_is_the_oldest(
    make_indicator, record, same_unit, other_branch, home_care_north
):
    indicator = make_indicator(home_care_north, "Fall i hemmet", FLAT)
    best = _studied(
        record,
        same_unit,
        home_care_north,
        indicator,
        title="Nattfasta nattbesök",
        hypothesis="Nattbesöken blir lugnare när nattbesöken planeras.",
    )
    passing = _studied(
        record,
        same_unit,
        home_care_north,
        indicator,
        title="Kortare rutter",
        hypothesis="Färre bilresor; ibland ett nattbesök mindre.",
    )
    assert passing.studied_at >= best.studied_at  # the newer one would lead if ranked by date

    hits = [hit for hit in _search(other_branch, query="nattbesök") if hit in (best, passing)]

    assert hits == [best, passing]
