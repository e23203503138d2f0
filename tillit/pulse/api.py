"""JSON API of the trust pulse (Tillitspuls), mounted at /api/v1/ by tillit.api.api.

Preparing, opening, reminding and closing a pulse is the managers' work and needs a sign-in, like the rest of
the API. Answering does not: the one-time code from the invitation e-mail is the only right, and the answer
names no person (security-requirements S-08, S-10). That operation never echoes, logs or stores the code,
answers `Cache-Control: no-store`, and refuses in the caller's language (Accept-Language).

Results are read as the pages read them (`selectors.results_for`): a unit's own, or what a unit shared with the
levels above it; a suppressed cell is `{"published": false}` and carries no number at all.
"""

import json
from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_variables
from ninja import Router, Schema, Status
from ninja.decorators import decorate_view

from tillit.analysis.disclosure import OPEN_ENDED
from tillit.api.schemas import DetailOut
from tillit.chain import selectors as chain_selectors
from tillit.pulse import rules, selectors, services
from tillit.pulse.enums import PulseState
from tillit.pulse.instrument import BY_CODE, DEFAULT_ITEMS, MAX_ITEMS
from tillit.pulse.models import Pulse, PulseUnit

router = Router(tags=["trust pulse"])

REFUSALS = {403: DetailOut, 404: DetailOut, 422: DetailOut}
BODY_REFUSALS = {400: DetailOut, **REFUSALS}  # operations with a body: 400 when it is not JSON
REFUSED_400 = "The request body is not JSON."
REFUSED_403 = (
    "You may see the pulse but not do this (for example: only its managers open, remind and close it)."
)
REFUSED_404 = "No such pulse or unit in the parts of the chain you read (another organisation's pulse too)."
REFUSED_422 = "The input cannot be used; `detail` says why, in the caller's language."


# --- schemas --------------------------------------------------------------------------------------------


class PulseIn(Schema):
    """A pulse being prepared. `items` are codes of the item bank, in the order asked; leave it empty for
    the default instrument. At most twelve."""

    title: str
    closes_on: date
    items: list[str] = []
    support_referent: str = ""
    asks_free_text: bool = False


class ItemOut(Schema):
    code: str
    relation: str  # whom it asks about: team, nearest_manager, level_above, politicians, support
    measures: str  # ability, benevolence, integrity, psychological_safety or principle
    text: str
    reversed: bool
    source: str


class BandOut(Schema):
    """A banded count or rate (S-07): the true value lies in [low, high]; `high` is null for the open-ended
    top band, and `{"low": 0, "high": k - 1}` reads "fewer than k". Rates are whole percent in ten-point
    bands, [low, high)."""

    low: int
    high: int | None


class PulseOut(Schema):
    id: int
    scope_id: int
    scope: str
    title: str
    state: Literal["draft", "open", "closed"]
    items: list[ItemOut]
    support_referent: str
    asks_free_text: bool
    closes_on: date
    min_group_size: int
    created_at: datetime
    opened_at: datetime | None
    closed_at: datetime | None
    reminded_at: datetime | None


class PulseDetailOut(PulseOut):
    can_manage: bool
    respondents: BandOut | None  # the whole pulse, once closed and only when at least k answered
    response_rate: BandOut | None


class RemindedOut(Schema):
    reminded: int
    reminded_at: datetime


class PublishedCellOut(Schema):
    published: Literal[True]
    mean: float
    answers: BandOut | None
    distribution: list[int] | None  # percent per option 1..5; null where it could single someone out (S-06)


class SuppressedCellOut(Schema):
    published: Literal[False]


class CellOut(Schema):
    item: str
    # True for a unit with units below it, on the questions about the work group and the nearest manager:
    # those are read only by the units below, never by the managers above them.
    withheld: bool
    text: str
    relation: str
    measures: str
    reversed: bool
    result: PublishedCellOut | SuppressedCellOut


class UnitResultOut(Schema):
    unit_id: int
    name: str  # as the pulse asked it (S-09)
    parent_unit_id: int | None
    depth: int
    own: bool  # one's own unit (or above one's own); false: shared with the levels above
    shared_upward: bool
    respondents: BandOut | None
    response_rate: BandOut | None
    cells: list[CellOut]


class ResultsOut(Schema):
    pulse_id: int
    state: Literal["draft", "open", "closed"]
    published: bool  # false until the pulse closes: there are no results before that (S-05)
    units: list[UnitResultOut]


class ShareIn(Schema):
    shared: bool


class ShareOut(Schema):
    pulse_id: int
    unit_id: int
    shared_upward: bool


class AnswerIn(Schema):
    """The one-time code from the invitation (26 letters and digits; spaces and dashes are ignored), the
    answers by item code (1–5, or 0 for "don't know"; leave a question out to skip it), and, when the pulse
    asks it, free text ("What would increase trust?")."""

    token: str
    answers: dict[str, int]
    free_text: str = ""


# --- helpers --------------------------------------------------------------------------------------------


def _band(low, high) -> dict | None:
    if low is None or high is None or low < 0:
        return None
    return {"low": low, "high": None if high == OPEN_ENDED else high}


def _items_out(pulse: Pulse) -> list[dict]:
    return [
        {
            "code": item.code,
            "relation": item.relation,
            "measures": item.construct,
            "text": item.text(support_referent=pulse.support_referent),
            "reversed": item.reversed,
            "source": item.source,
        }
        for item in (BY_CODE[code] for code in pulse.items if code in BY_CODE)
    ]


def _pulse_out(pulse: Pulse) -> dict:
    return {
        "id": pulse.pk,
        "scope_id": pulse.scope_id,
        "scope": pulse.scope.name,
        "title": pulse.title,
        "state": pulse.state,
        "items": _items_out(pulse),
        "support_referent": pulse.support_referent,
        "asks_free_text": pulse.asks_free_text,
        "closes_on": pulse.closes_on,
        "min_group_size": pulse.min_group_size,
        "created_at": pulse.created_at,
        "opened_at": pulse.opened_at,
        "closed_at": pulse.closed_at,
        "reminded_at": pulse.reminded_at,
    }


def _pulse_get(request, pulse_id: int) -> Pulse:
    """A pulse in a part of the chain the caller reads; 404 otherwise (another organisation's too)."""
    pulse = selectors.pulse_get_readable(request.access, pulse_id)
    if pulse is None:
        raise Http404
    return pulse


def _frame_row(request, pulse: Pulse, unit_id: int) -> PulseUnit:
    """The unit as the pulse asked it, when the caller reads that unit; 404 otherwise."""
    row = selectors.frame_unit(request.access, pulse, unit_id)
    if row is None:
        raise Http404
    return row


def _cell_out(item_result) -> dict:
    item, cell = item_result.item, item_result.cell
    result: dict[str, Any] = {"published": False}
    if cell is not None and cell.published:
        result = {
            "published": True,
            "mean": cell.mean,
            "answers": _band(cell.answers_low, cell.answers_high),
            "distribution": cell.distribution,
        }
    return {
        "item": item.code,
        "withheld": item_result.withheld,
        "text": item_result.text,
        "relation": item.relation,
        "measures": item.construct,
        "reversed": item.reversed,
        "result": result,
    }


def _unit_result_out(unit_result) -> dict:
    row = unit_result.pulse_unit
    parent = row.frame_path.strip("/").split("/")
    return {
        "unit_id": row.unit_id,
        "name": row.name,
        "parent_unit_id": int(parent[-2]) if len(parent) > 1 else None,
        "depth": row.depth,
        "own": unit_result.is_own,
        "shared_upward": row.shared_upward,
        "respondents": _band(row.respondents_low, row.respondents_high),
        "response_rate": _band(row.rate_low, row.rate_high),
        "cells": [_cell_out(item_result) for item_result in unit_result.items],
    }


# --- preparing, opening, reminding, closing -------------------------------------------------------------

ITEMS_HELP = (
    f"`items` are codes of the item bank (at most {MAX_ITEMS}); empty asks the default instrument: "
    f"{', '.join(DEFAULT_ITEMS)}. An organisation picks items, it never writes a free question, so no pulse "
    "can ask for a name, an age or a gender."
)


@router.post(
    "/units/{unit_id}/pulses",
    response={201: PulseDetailOut, **BODY_REFUSALS},
    summary="Prepare a trust pulse (a draft) for a unit and every unit below it",
    description=(
        "The pulse asks about relations in the steering chain (my nearest manager, the level above, the "
        "politicians, a support function, the work group), never about a person's performance. "
        + ITEMS_HELP
        + " Only the unit's managers prepare its pulse; nothing is sent until the pulse is opened.\n\n"
        f"400: {REFUSED_400} 403: {REFUSED_403} 404: {REFUSED_404} 422: {REFUSED_422}"
    ),
)
def pulse_create(request, unit_id: int, payload: PulseIn):
    unit = chain_selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    pulse = services.pulse_create(
        actor=request.auth,
        access=request.access,
        scope=unit,
        title=payload.title,
        closes_on=payload.closes_on,
        items=payload.items,
        support_referent=payload.support_referent,
        asks_free_text=payload.asks_free_text,
    )
    return Status(201, _detail_out(request, pulse))


@router.put(
    "/pulses/{pulse_id}",
    response={200: PulseDetailOut, **BODY_REFUSALS},
    summary="Change a pulse that is still being prepared",
    description=(
        "Replaces the title, the closing day, the items, the support function asked about and the free-text "
        "question. Only a draft changes: once invitations are out, every answer was given to the questions "
        "as they then stood (422 otherwise). "
        + ITEMS_HELP
        + f"\n\n400: {REFUSED_400} 403: {REFUSED_403} 404: {REFUSED_404} 422: {REFUSED_422}"
    ),
)
def pulse_update(request, pulse_id: int, payload: PulseIn):
    pulse = _pulse_get(request, pulse_id)
    pulse = services.pulse_update(
        actor=request.auth,
        access=request.access,
        pulse=pulse,
        title=payload.title,
        closes_on=payload.closes_on,
        items=payload.items,
        support_referent=payload.support_referent,
        asks_free_text=payload.asks_free_text,
    )
    return _detail_out(request, pulse)


@router.post(
    "/pulses/{pulse_id}/open",
    response={200: PulseDetailOut, **REFUSALS},
    summary="Open a pulse: freeze the units asked and send the invitations",
    description=(
        "The units asked and who answers for which unit are fixed now (S-09): moving or splitting a unit "
        "later changes nothing in this pulse. The task worker then makes one random code per invited person "
        "and e-mails it; the code is never stored, only its hash. 422 when the pulse is not a draft or its "
        f"closing day has passed.\n\n403: {REFUSED_403} 404: {REFUSED_404} 422: {REFUSED_422}"
    ),
)
def pulse_open(request, pulse_id: int):
    pulse = _pulse_get(request, pulse_id)
    pulse = services.pulse_open(actor=request.auth, access=request.access, pulse=pulse)
    return _detail_out(request, pulse)


@router.post(
    "/pulses/{pulse_id}/remind",
    response={200: RemindedOut, **REFUSALS},
    summary="Remind everyone invited to an open pulse",
    description=(
        "Tillit does not know who has answered, so the reminder goes to everyone invited and thanks those "
        "who already did. `reminded` is how many people it went to. 422 when the pulse is not open."
        f"\n\n403: {REFUSED_403} 404: {REFUSED_404} 422: {REFUSED_422}"
    ),
)
def pulse_remind(request, pulse_id: int):
    pulse = _pulse_get(request, pulse_id)
    reminded = services.pulse_remind(actor=request.auth, access=request.access, pulse=pulse)
    pulse.refresh_from_db(fields=["reminded_at"])
    return {"reminded": reminded, "reminded_at": pulse.reminded_at}


@router.post(
    "/pulses/{pulse_id}/close",
    response={200: PulseDetailOut, **REFUSALS},
    summary="Close an open pulse and publish its frozen results",
    description=(
        "No answer is taken afterwards. The results are computed once, now, with the anonymity rules "
        "(at least k answers per published cell, no cell that is the difference of published cells below k, "
        "no distribution where everyone answered alike, counts only in bands) and never again (S-05). "
        "A pulse also closes by itself the day after its closing day. 422 when the pulse is not open."
        f"\n\n403: {REFUSED_403} 404: {REFUSED_404} 422: {REFUSED_422}"
    ),
)
def pulse_close(request, pulse_id: int):
    pulse = _pulse_get(request, pulse_id)
    pulse = services.pulse_close(actor=request.auth, access=request.access, pulse=pulse)
    return _detail_out(request, pulse)


# --- reading --------------------------------------------------------------------------------------------


def _detail_out(request, pulse: Pulse) -> dict:
    whole = selectors.pulse_whole(pulse)
    return {
        **_pulse_out(pulse),
        "can_manage": rules.can_manage_pulse(request.access, pulse),
        "respondents": _band(whole.respondents_low, whole.respondents_high) if whole else None,
        "response_rate": _band(whole.rate_low, whole.rate_high) if whole else None,
    }


@router.get(
    "/pulses",
    response={200: list[PulseOut], 422: DetailOut},
    summary="Trust pulses in the parts of the chain you read, newest closing day first",
    description=(
        "Every pulse whose unit (its scope) you read: your own units, the units below them and the chain "
        "above them. `state` filters: draft, open or closed (422 for anything else). A pulse listed here "
        "does not mean you read its results: see `/pulses/{pulse_id}/results`."
    ),
)
def pulse_list(request, state: str = ""):
    pulses = selectors.pulses_for(request.access)
    if state:
        if state not in PulseState.values:
            raise ValidationError(
                _("Choose the state draft, open or closed; “%(state)s” is none of them.")
                % {"state": state[:20]}
            )
        pulses = pulses.filter(state=state)
    return [_pulse_out(pulse) for pulse in pulses]


@router.get(
    "/pulses/{pulse_id}",
    response={200: PulseDetailOut, 404: DetailOut},
    summary="One trust pulse: its questions, state and, once closed, the banded response of the whole",
    description=(
        "The questions as asked (in the caller's language), the closing day and the state. Once the pulse "
        "has closed, `respondents` and `response_rate` of the whole pulse in bands, and only when at least "
        f"k people answered (S-07).\n\n404: {REFUSED_404}"
    ),
)
def pulse_detail(request, pulse_id: int):
    return _detail_out(request, _pulse_get(request, pulse_id))


@router.get(
    "/pulses/{pulse_id}/results",
    response={200: ResultsOut, 404: DetailOut},
    summary="The frozen results of a closed pulse that you may read",
    description=(
        "One entry per unit whose results you read: your own unit and the units above it in the pulse (each "
        "for its whole part of the chain), and a unit below you only when it has shared its results "
        "upward. Never a table of every unit: a unit that has not shared is simply absent. "
        'Per item, `result` is either `{"published": false}` (too few answers, or a group below k could be '
        "worked out from the published cells: the reason is not said) or the mean on the 1–5 scale, the "
        'number of answers in a band such as `{"low": 5, "high": 9}`, and the share per option (null where '
        "everyone answered alike, S-06). Reversed items (agreeing means less trust) are marked, not turned. "
        "`published` is false and `units` empty until the pulse closes (S-05)."
        f"\n\n404: {REFUSED_404}"
    ),
)
def pulse_results(request, pulse_id: int):
    pulse = _pulse_get(request, pulse_id)
    units = selectors.results_for(request.access, pulse)
    return {
        "pulse_id": pulse.pk,
        "state": pulse.state,
        "published": pulse.state == PulseState.CLOSED,
        "units": [_unit_result_out(unit_result) for unit_result in units],
    }


@router.put(
    "/pulses/{pulse_id}/units/{unit_id}/share",
    response={200: ShareOut, **BODY_REFUSALS},
    summary="Show (or stop showing) a unit's results of a closed pulse to the levels above it",
    description=(
        "The unit decides: its own people who may write in it (its manager, in practice). The levels above "
        "read a unit's results only while it shares them. 422 before the pulse has closed."
        f"\n\n400: {REFUSED_400} 403: {REFUSED_403} 404: {REFUSED_404} 422: {REFUSED_422}"
    ),
)
def pulse_results_share(request, pulse_id: int, unit_id: int, payload: ShareIn):
    pulse = _pulse_get(request, pulse_id)
    row = _frame_row(request, pulse, unit_id)
    row = services.pulse_results_share(
        actor=request.auth, access=request.access, pulse_unit=row, shared=payload.shared
    )
    return {"pulse_id": pulse.pk, "unit_id": row.unit_id, "shared_upward": row.shared_upward}


# --- answering ------------------------------------------------------------------------------------------

UNREADABLE = gettext_lazy(
    "The answer could not be read: send a JSON object with “token”, “answers” and, if you like, “free_text”."
)
NO_TOKEN = gettext_lazy("Give the code from your invitation e-mail.")
ANSWERS_NOT_A_MAP = gettext_lazy("“answers” must map each question's code to 1–5, or 0 for “don't know”.")
FREE_TEXT_NOT_TEXT = gettext_lazy("“free_text” must be text.")


class _Unreadable(Exception):  # noqa: N818 -- a refusal, not a failure
    def __init__(self, message):
        super().__init__(str(message))


@sensitive_variables("body", "data", "token")
def _answer_read(body: bytes) -> tuple[str, dict, str]:
    """The answer's three parts. A body that is not a JSON object, or has no code, raises `_Unreadable`
    (400); answers or free text of the wrong kind raise `ValidationError` (422). The code is never part of
    a message."""
    try:
        data = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise _Unreadable(UNREADABLE) from None
    if not isinstance(data, dict):
        raise _Unreadable(UNREADABLE)
    token = data.get("token")
    if not isinstance(token, str) or not token.strip():
        raise _Unreadable(NO_TOKEN)
    answers = data.get("answers")
    answers = {} if answers is None else answers
    if not isinstance(answers, dict):
        raise ValidationError({"answers": str(ANSWERS_NOT_A_MAP)})
    free_text = data.get("free_text")
    free_text = "" if free_text is None else free_text
    if not isinstance(free_text, str):
        raise ValidationError({"free_text": str(FREE_TEXT_NOT_TEXT)})
    return token, answers, free_text


@router.post(
    "/pulse-answers",
    auth=None,
    response={204: None, 400: DetailOut, 422: DetailOut},
    summary="Answer a trust pulse with the code from the invitation (no sign-in)",
    description=(
        "The code is the only right and answers once. Nothing about the person, the code or the moment is "
        "stored with the answer; the code is never logged or echoed, and the answer is never cached "
        "(`Cache-Control: no-store`). Send it in the body, never in the address.\n\n"
        "204: stored. 400: the body cannot be read, or the code is missing, incomplete, unknown, already used "
        "or its pulse has closed. 422: an answer cannot be used (a question that is not in this pulse, a "
        "value other than 1–5 or 0, nothing answered, free text too long). Messages follow Accept-Language "
        "(Swedish unless English is asked for)."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": AnswerIn.model_json_schema()}},
        }
    },
)
@decorate_view(never_cache)
@sensitive_variables("token", "answers", "free_text")
def pulse_answer(request):
    try:
        token, answers, free_text = _answer_read(request.body)
        services.pulse_answer(token=token, answers=answers, free_text=free_text)
    except _Unreadable as refusal:
        return Status(400, {"detail": str(refusal)})
    except ValidationError as error:
        status = 400 if hasattr(error, "error_dict") and "token" in error.error_dict else 422
        return Status(status, {"detail": " ".join(str(message) for message in error.messages)})
    return Status(204, None)
