"""JSON API of joint looks, mounted at /api/v1/. Read-only: the dialogue itself happens in the pages."""

from datetime import date, datetime

from ninja import Router, Schema

from tillit.chain import selectors as chain_selectors
from tillit.dialogue import selectors
from tillit.dialogue.models import JointLook

router = Router(tags=["joint looks"])


class LookOut(Schema):
    id: int
    unit_id: int
    upper_unit_id: int | None
    subject: str
    origin: str
    reasons: list[str]
    indicator_id: int | None
    period: date | None
    state: str
    opened_at: datetime
    meeting_on: date | None
    outcome: str | None
    summary: str
    closed_at: datetime | None


class NoteOut(Schema):
    prompt: str
    text: str
    author: str
    created_at: datetime


class LookDetailOut(LookOut):
    participants: list[str]
    notes: list[NoteOut]


def _out(look: JointLook) -> dict:
    return {
        "id": look.pk,
        "unit_id": look.unit_id,
        "upper_unit_id": look.upper_unit_id,
        "subject": look.subject,
        "origin": look.origin,
        "reasons": look.reasons,
        "indicator_id": look.indicator_id,
        "period": look.period,
        "state": look.state,
        "opened_at": look.opened_at,
        "meeting_on": look.meeting_on,
        "outcome": look.outcome or None,
        "summary": look.summary,
        "closed_at": look.closed_at,
    }


@router.get(
    "/units/{unit_id}/joint-looks",
    response=list[LookOut],
    summary="The joint looks of a unit and the units below it, newest first",
)
def unit_joint_looks(request, unit_id: int, state: str | None = None):
    unit = chain_selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    state = state if state in ("open", "closed") else None
    return [_out(look) for look in selectors.looks_in_subtree(access=request.access, unit=unit, state=state)]


@router.get("/joint-looks/{look_id}", response=LookDetailOut, summary="One joint look with its record")
def joint_look_detail(request, look_id: int):
    look = selectors.look_get_readable(access=request.access, look_id=look_id)
    return {
        **_out(look),
        "participants": [participant.person.full_name for participant in look.participants.all()],
        "notes": [
            {
                "prompt": note.prompt,
                "text": note.text,
                "author": note.author.full_name,
                "created_at": note.created_at,
            }
            for note in look.notes.all()
        ],
    }
