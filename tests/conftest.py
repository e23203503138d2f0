"""Shared fixtures: the demo municipality loaded once, the small persona world, and the API client.

The demo is loaded once per session, before the first test that reaches the database, unless every
such test is marked `no_demo` (they build their own small world: `personas`, tests/factories/).

The demo's people the isolation tests use:
- `same_unit`: Johan Nyström, enhetschef of Hemtjänst Norr (manages it);
- `colleague`: Aino Korhonen, undersköterska in Hemtjänst Norr (same unit, no management);
- `other_branch`: Leila Hassan, enhetschef of Ekskolan (same organisation, another branch);
- `other_organisation`: Ville Virtanen, enhetschef in Grannby kommun.
"""

import os

import pytest

from tests.factories.demo import person, unit


def pytest_configure(config):
    config.addinivalue_line("markers", "no_demo: the test builds its own small world and needs no demo")


@pytest.fixture(scope="session")
def demo_municipality(django_db_setup, django_db_blocker):
    """The demo, committed once for the session (first in every database test that is not `no_demo`)."""
    from tillit.demo.snapshot import demo_load_cached

    with django_db_blocker.unblock():
        demo_load_cached()  # loads the demo and keeps a copy that puts it back fast after a flush


def pytest_collection_modifyitems(items):
    for item in items:
        uses_database = "django_db_setup" in item.fixturenames or item.get_closest_marker("django_db")
        if uses_database and not item.get_closest_marker("no_demo"):
            item.fixturenames.insert(0, "demo_municipality")  # set up before the test's transaction


@pytest.fixture
def api(db, client):
    """A client that signs in to the API with a personal token: `api(person).get(...)`, or
    `api(person, language="en")` to ask for the answers in English."""
    from tillit.accounts.services import api_token_create

    def as_person(someone, *, language: str | None = None):
        _token, plain = api_token_create(person=someone, name="Test")
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {plain}"
        if language is not None:
            client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
        return client

    return as_person


@pytest.fixture
def personas(db):
    """A tiny world of the test's own (tests/factories/personas.py): alice manages unit A, bob works
    there, dave works in unit B, charlie manages a unit in another organisation."""
    from tests.factories.personas import personas_create

    return personas_create()


@pytest.fixture
def alice(personas):
    return personas.alice


@pytest.fixture
def bob(personas):
    return personas.bob


@pytest.fixture
def dave(personas):
    return personas.dave


@pytest.fixture
def charlie(personas):
    return personas.charlie


@pytest.fixture
def same_unit(db):
    return person("johan.nystrom@exempelby.se")


@pytest.fixture
def colleague(db):
    return person("aino.korhonen@exempelby.se")


@pytest.fixture
def other_branch(db):
    return person("leila.hassan@exempelby.se")


@pytest.fixture
def other_organisation(db):
    return person("ville.virtanen@grannby.se")


@pytest.fixture
def politician(db):
    return person("karin.ekstrom@exempelby.se")


@pytest.fixture
def administrator(db):
    return person("elin.wallin@exempelby.se")


@pytest.fixture
def auditor(db):
    return person("per.sandberg@exempelby.se")


@pytest.fixture
def home_care_north(db):
    return unit("Hemtjänst Norr")


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    """In CI a skipped test fails the run, and so does a run in which no browser test passed."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if not os.environ.get("CI") or reporter is None:
        return
    if skipped:
        reporter.write_line(f"FAILED: {len(skipped)} test(s) were skipped; CI runs every test.", red=True)
        session.exitstatus = 1
    browser_tests = [r for r in reporter.stats.get("passed", []) if r.when == "call" and "e2e" in r.keywords]
    if not browser_tests:
        reporter.write_line("FAILED: no browser (e2e) test passed; CI needs them to run.", red=True)
        session.exitstatus = 1
