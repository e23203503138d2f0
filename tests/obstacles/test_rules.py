"""The obstacles' rules: who reads, raises, answers and escalates (the access alone where it answers)."""

from datetime import date

import pytest

from tillit.chain.access import Access
from tillit.chain.models import Unit
from tillit.obstacles import rules
from tillit.obstacles.enums import ObstacleState
from tillit.obstacles.models import Obstacle

UPPER = Unit(pk=2, organisation_id=1, path="/1/2/", name="Hemtjänsten", parent_id=1)
UNIT = Unit(pk=3, organisation_id=1, path="/1/2/3/", name="Hemtjänst Norr", parent=UPPER)


def _obstacle(state=ObstacleState.RAISED, due_on=date(2000, 1, 3)) -> Obstacle:
    return Obstacle(
        organisation_id=1, raised_in=UNIT, receiving_unit=UPPER, raised_by_id=7, state=state, due_on=due_on
    )


def _person(*paths: str, person_id: int = 8, write=(), manage=()) -> Access:
    return Access(
        person_id=person_id,
        organisation_id=1,
        member_paths=paths,
        manage_paths=tuple(manage),
        write_unit_ids=frozenset(write),
        administers=False,
        audits=False,
    )


def test_the_raising_or_the_receiving_unit_reads_it():
    assert rules.can_read_obstacle(_person("/1/2/3/"), _obstacle())
    assert rules.can_read_obstacle(Access.system(), _obstacle())
    assert not rules.can_read_obstacle(_person("/1/9/"), _obstacle())


def test_the_raiser_and_the_raising_units_writers_act_for_the_raising_side():
    raiser = type("Person", (), {"pk": 7})()
    other = type("Person", (), {"pk": 8})()

    assert rules.can_act_for_raising_side(_person("/1/2/3/"), _obstacle(), person=raiser)
    assert rules.can_act_for_raising_side(_person("/1/2/3/", write=(3,)), _obstacle(), person=other)
    assert not rules.can_act_for_raising_side(_person("/1/2/"), _obstacle(), person=other)


def test_an_overdue_obstacle_is_escalated_by_the_raising_side_only():
    raiser = type("Person", (), {"pk": 7})()

    assert rules.can_escalate_obstacle(_person("/1/2/3/"), _obstacle(), person=raiser)
    answered = _obstacle(state=ObstacleState.ACKNOWLEDGED)
    assert not rules.can_escalate_obstacle(_person("/1/2/3/"), answered, person=raiser)


@pytest.mark.parametrize(
    ("state", "steps"),
    [
        (ObstacleState.RAISED, {"can_acknowledge", "can_answer", "can_pass_up"}),
        (ObstacleState.ACKNOWLEDGED, {"can_start", "can_answer", "can_pass_up"}),
        (ObstacleState.REMOVED, set()),
    ],
)
def test_a_manager_of_the_receiving_unit_gets_the_steps_that_fit_the_state(state, steps):
    manager = _person("/1/2/", manage=("/1/2/",))  # manages: answered without reading memberships

    offered = rules.answer_steps(manager, _obstacle(state=state), person=None)

    assert {name for name, allowed in offered.items() if allowed} == steps
