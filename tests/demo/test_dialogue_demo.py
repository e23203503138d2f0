"""The demo's joint looks: open ones from follow-up, closed ones with outcomes, summaries on the charts."""

import pytest

from tillit.dialogue.enums import LookState, Outcome
from tillit.dialogue.models import JointLook
from tillit.dialogue.selectors import chart_notes

pytestmark = pytest.mark.integration


def test_the_demo_has_open_and_closed_joint_looks_with_every_outcome(db):
    looks = JointLook.objects.filter(organisation__slug="exempelby")

    assert looks.filter(state=LookState.OPEN).count() == 15
    assert looks.filter(state=LookState.CLOSED).count() == 8
    assert set(looks.exclude(outcome="").values_list("outcome", flat=True)) == set(Outcome.values)
    assert not JointLook.objects.filter(organisation__slug="grannby", state=LookState.CLOSED).exists()


def test_the_home_care_groups_falls_are_open_with_the_first_question_asked(db):
    falls = JointLook.objects.get(
        unit__name="Hemtjänst Norr", subject="Fall per 1 000 vårddygn", state=LookState.OPEN
    )

    assert falls.reasons == ["boundary_crossed", "special_cause"]
    assert list(falls.notes.values_list("prompt", flat=True)) == ["what_happened"]
    earlier = chart_notes(indicator_ids=[falls.indicator_id])[falls.indicator_id]
    assert [(look.period.isoformat(), look.outcome) for look in earlier] == [
        ("2026-03-01", Outcome.UNDERSTOOD)
    ]
