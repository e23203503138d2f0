"""Why something needs a joint look: one rule, one order of severity, one set of words."""

import pytest
from django.utils import translation

from tillit.analysis import Assurance, Variation
from tillit.followup.reasons import Reason, look_reasons, reason_labels, severity

pytestmark = pytest.mark.unit


def test_the_reasons_come_most_serious_first_and_none_when_nothing_calls_for_a_look():
    assert look_reasons(variation=Variation.COMMON, assurance=Assurance.INSIDE, boundary_crossed=False) == []
    assert look_reasons(
        variation=Variation.CONCERN_HIGH, assurance=Assurance.HIT_OR_MISS, boundary_crossed=True
    ) == [Reason.BOUNDARY_CROSSED, Reason.HIT_OR_MISS, Reason.SPECIAL_CAUSE]
    assert look_reasons(
        variation=Variation.CONCERN_LOW, assurance=Assurance.OUTSIDE, boundary_crossed=False
    ) == [
        Reason.OUTSIDE,
        Reason.SPECIAL_CAUSE,
    ]
    # An improvement or a signal without a direction is no reason.
    assert (
        look_reasons(variation=Variation.IMPROVEMENT_HIGH, assurance=Assurance.NONE, boundary_crossed=False)
        == []
    )
    assert (
        look_reasons(variation=Variation.SPECIAL_LOW, assurance=Assurance.NONE, boundary_crossed=False) == []
    )


def test_a_reason_outweighs_every_combination_of_the_reasons_after_it():
    assert severity([]) == 0
    assert severity(["boundary_crossed"]) > severity(["outside", "hit_or_miss", "special_cause"])
    assert severity(["outside"]) > severity(["hit_or_miss", "special_cause"])
    assert severity(["hit_or_miss"]) > severity(["special_cause"]) > 0
    assert severity(["boundary_crossed", "outside"]) > severity(["boundary_crossed", "hit_or_miss"])


def test_the_reasons_in_swedish_and_unknown_codes_left_out():
    with translation.override("sv"):
        assert reason_labels(["boundary_crossed", "no_such_code"]) == [
            "Det senaste värdet passerade en överenskommen gräns"
        ]
