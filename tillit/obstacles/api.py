"""JSON API of obstacles (hinder), mounted at /api/v1/ by tillit.api.api.

Tenant-scoped like the pages: an obstacle is readable by whoever reads its raising or its receiving
unit. The raiser appears only as "a member of <unit>" unless the obstacle was raised in their own name.
"""

from datetime import date, datetime

from ninja import Router, Schema, Status

from tillit.api.schemas import DetailOut
from tillit.chain import selectors as chain_selectors
from tillit.obstacles import selectors, services

router = Router(tags=["obstacles"])


class EventOut(Schema):
    kind: str
    from_unit_id: int | None
    to_unit_id: int | None
    reason: str
    actor_name: str  # "a member of <unit>" for an anonymous raiser's own steps
    at: datetime


class ObstacleOut(Schema):
    id: int
    title: str
    affects: str
    proposal: str
    raised_in_id: int
    raised_by: str  # a name only when raised in the raiser's own name
    receiving_unit_id: int
    routing_basis: str
    route: str
    matter_id: int | None
    mandate_item_id: int | None
    state: str
    answer: str
    due_on: date
    response_working_days: int
    overdue: bool
    raised_at: datetime
    acknowledged_at: datetime | None
    closed_at: datetime | None


class ObstacleDetailOut(ObstacleOut):
    events: list[EventOut]


class ObstacleIn(Schema):
    title: str
    affects: str = ""
    proposal: str = ""
    shows_name: bool = False
    decision: str = (
        ""  # "entry:<id>" (delegation register) or "mandate:<id>" (trust agreement); empty: find it
    )


def _out(obstacle, viewer) -> dict:
    return {
        "id": obstacle.pk,
        "title": obstacle.title,
        "affects": obstacle.affects,
        "proposal": obstacle.proposal,
        "raised_in_id": obstacle.raised_in_id,
        "raised_by": selectors.raiser_label(obstacle=obstacle, viewer=viewer),
        "receiving_unit_id": obstacle.receiving_unit_id,
        "routing_basis": obstacle.routing_basis,
        "route": selectors.route_explanation(obstacle=obstacle),
        "matter_id": obstacle.matter_id,
        "mandate_item_id": obstacle.mandate_item_id,
        "state": obstacle.state,
        "answer": obstacle.answer,
        "due_on": obstacle.due_on,
        "response_working_days": obstacle.response_working_days,
        "overdue": selectors.is_overdue(obstacle),
        "raised_at": obstacle.raised_at,
        "acknowledged_at": obstacle.acknowledged_at,
        "closed_at": obstacle.closed_at,
    }


@router.get(
    "/units/{unit_id}/obstacles",
    response=list[ObstacleOut],
    summary="Obstacles raised in a unit and obstacles the unit answers",
)
def unit_obstacles(request, unit_id: int):
    unit = chain_selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    raised, received = selectors.unit_obstacles(unit=unit)
    seen, rows = set(), []
    for obstacle in raised + received:
        if obstacle.pk not in seen:
            seen.add(obstacle.pk)
            rows.append(_out(obstacle, request.auth))
    return rows


@router.post(
    "/units/{unit_id}/obstacles",
    response={201: ObstacleOut, 403: DetailOut, 422: DetailOut},
    summary="Raise an obstacle in a unit you are a member of; it is routed to whoever can remove it",
)
def unit_obstacle_raise(request, unit_id: int, payload: ObstacleIn):
    unit = chain_selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    matter, mandate_item = selectors.decision_from_value(unit=unit, value=payload.decision)
    obstacle = services.obstacle_raise(
        actor=request.auth,
        access=request.access,
        unit=unit,
        title=payload.title,
        affects=payload.affects,
        proposal=payload.proposal,
        shows_name=payload.shows_name,
        matter=matter,
        mandate_item=mandate_item,
    )
    obstacle = selectors.obstacle_get_readable(access=request.access, obstacle_id=obstacle.pk)
    return Status(201, _out(obstacle, request.auth))


@router.get("/obstacles/{obstacle_id}", response=ObstacleDetailOut, summary="An obstacle with its history")
def obstacle_detail(request, obstacle_id: int):
    obstacle = selectors.obstacle_get_readable(access=request.access, obstacle_id=obstacle_id)
    raiser = selectors.raiser_label(obstacle=obstacle, viewer=request.auth)
    events = [
        {
            "kind": event.kind,
            "from_unit_id": event.from_unit_id,
            "to_unit_id": event.to_unit_id,
            "reason": event.reason,
            "actor_name": event.actor.full_name if event.actor_id else raiser,
            "at": event.at,
        }
        for event in selectors.obstacle_events(obstacle=obstacle)
    ]
    return {**_out(obstacle, request.auth), "events": events}
