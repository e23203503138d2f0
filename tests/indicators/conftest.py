"""Indicators of Hemtjänst Norr made for these tests through the services (the demo's own may differ)."""

from functools import partial

import pytest

from tests.factories.indicators import indicator as make_indicator


@pytest.fixture
def falls(home_care_north):
    return make_indicator(home_care_north)


@pytest.fixture
def continuity(home_care_north):
    return make_indicator(
        home_care_north,
        name="Test: personalkontinuitet",
        definition="Andel besök av någon av brukarens fem vanligaste medarbetare.",
        data_type="proportion",
        direction="up",
        measure_label="besök",
        scale=100,
    )


@pytest.fixture
def satisfaction(home_care_north):
    return make_indicator(
        home_care_north,
        name="Test: nöjdhet",
        definition="Brukarnas nöjdhet, medel på en skala 1–5, per kvartal.",
        data_type="measurement",
        direction="up",
        frequency="quarter",
        origin="external",
        required_by="Socialstyrelsen",
    )


@pytest.fixture(autouse=True)
def english():
    """Service messages are asserted as their English msgids (Swedish is checked in test_swedish.py)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def api(api):
    """The API client of `tests/conftest.py`, asking for English answers (asserted as msgids)."""
    return partial(api, language="en")
