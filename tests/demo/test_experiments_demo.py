"""The demo's experiments: visible shifts on their charts, an archive of about twenty, two running."""

from collections import Counter

import pytest

from tillit.experiments.enums import Decision, ExperimentState
from tillit.experiments.models import Experiment, ExperimentComment
from tillit.experiments.selectors import experiment_evidence

pytestmark = pytest.mark.integration


def test_the_demo_archive_holds_about_twenty_studied_experiments_with_every_decision(db):
    exempelby = Experiment.objects.filter(organisation__slug="exempelby")
    decisions = Counter(exempelby.filter(state=ExperimentState.STUDIED).values_list("decision", flat=True))

    assert sum(decisions.values()) == 20
    assert set(decisions) == set(Decision.values)
    assert exempelby.filter(state=ExperimentState.RUNNING).count() == 2
    assert exempelby.filter(previous__isnull=False).count() == 1
    # The kind of unit is its level's name: the demo's working units are "Enhet" and "Arbetslag".
    assert set(exempelby.values_list("unit_kind", flat=True)) == {"Enhet", "Arbetslag"}
    assert ExperimentComment.objects.filter(organisation__slug="exempelby").count() == 4


def test_experiments_on_the_demos_real_shifts_show_a_signal_in_the_expected_direction(db):
    for title in (
        "Fasta team i planeringen",
        "Tjugo minuters läsning varje dag",
        "E-tjänst med checklista för bygglov",
        "Hjälp med e-tjänsten i receptionen",
    ):
        experiment = Experiment.objects.get(title=title)
        verdicts = {item.evidence["verdict"] for item in experiment_evidence(experiment=experiment)}
        assert verdicts == {"expected"}, title


def test_grannby_shares_one_experiment_and_keeps_the_other(db):
    grannby = Experiment.objects.filter(organisation__slug="grannby")

    assert list(grannby.filter(shared_beyond_organisation=True).values_list("title", flat=True)) == [
        "Små team kring varje brukare"
    ]
    assert grannby.count() == 2
