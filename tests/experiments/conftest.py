from datetime import date  # noqa: F401

import pytest
from django.utils import timezone

from tests.conftest import unit
from tests.followup.conftest import make_indicator, month  # noqa: F401 -- shared fixtures
from tillit.chain.selectors import access_for
from tillit.experiments import services

FLAT = [20, 22, 19, 21, 23, 20, 18, 21, 22, 20, 19, 21, 20, 22, 21, 19, 20, 21, 22, 20, 21, 19, 20, 21]
# The same process, ten lower from month 12 on (lower is better).
SHIFTED = FLAT[:12] + [value - 10 for value in FLAT[12:]]


@pytest.fixture
def record(db):
    """Record an experiment through the service, as `person` with their own access."""

    def make(person, where, indicators, *, start_on=None, study_on=None, **values):
        fields = {
            "title": "Fasta team",
            "problem": "Brukarna möter för många olika medarbetare.",
            "change": "Vi planerar i fasta team.",
            "hypothesis": "Kontinuiteten blir bättre.",
        } | values
        return services.experiment_create(
            actor=person,
            access=access_for(person=person),
            unit=where,
            indicators=indicators,
            start_on=start_on or month(12),
            study_on=study_on or month(20),
            **fields,
        )

    return make


@pytest.fixture
def ekskolan(db):
    return unit("Ekskolan")


@pytest.fixture
def today():
    return timezone.localdate()
