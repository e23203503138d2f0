"""Who may do what with obstacles: named predicates asked by the services (through
`core.permissions.require`), the views (which hand booleans to the templates) and the API.

Cheap first: a membership is read (one query) only when the access alone does not answer.
"""

from tillit.chain.access import Access
from tillit.chain.models import Unit
from tillit.obstacles.enums import OPEN_STATES, ObstacleState
from tillit.obstacles.models import Obstacle
from tillit.obstacles.selectors import is_member_of, is_overdue, speaks_for_unit


def can_read_obstacle(access: Access, obstacle: Obstacle) -> bool:
    """Whoever reads the raising or the receiving unit."""
    return access.can_read(obstacle.raised_in) or access.can_read(obstacle.receiving_unit)


def can_raise_obstacle(access: Access, unit: Unit, *, person) -> bool:
    """A member of the unit who can read it (everyone with an active role in exactly this unit)."""
    if unit.closed_at is not None or not access.can_read(unit):
        return False
    return is_member_of(person=person, unit=unit)


def can_answer_obstacle(access: Access, obstacle: Obstacle, *, person) -> bool:
    """Answer for the receiving unit (acknowledge, start, remove, decline, pass up): who manages it, or
    who answers for it (its managers; a unit without one, its writers)."""
    unit = obstacle.receiving_unit
    return access.can_manage(unit) or speaks_for_unit(person=person, unit=unit)


def can_act_for_raising_side(access: Access, obstacle: Obstacle, *, person) -> bool:
    """The raiser, or anyone who can write in the raising unit."""
    return getattr(person, "pk", None) == obstacle.raised_by_id or access.can_write(obstacle.raised_in)


def can_escalate_obstacle(access: Access, obstacle: Obstacle, *, person) -> bool:
    """The raising side takes an overdue obstacle further up, when there is a unit above."""
    return (
        is_overdue(obstacle)
        and obstacle.receiving_unit.parent_id is not None
        and can_act_for_raising_side(access, obstacle, person=person)
    )


def answer_steps(access: Access, obstacle: Obstacle, *, person) -> dict[str, bool]:
    """Which of the receiving side's steps fit now, for the detail page's buttons."""
    answers = can_answer_obstacle(access, obstacle, person=person)
    is_open = obstacle.state in OPEN_STATES
    return {
        "can_acknowledge": answers and obstacle.state == ObstacleState.RAISED,
        "can_start": answers and obstacle.state == ObstacleState.ACKNOWLEDGED,
        "can_answer": answers and is_open,
        "can_pass_up": answers and is_open and obstacle.receiving_unit.parent_id is not None,
    }
