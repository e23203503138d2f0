"""A closed round's results: per unit, sharing them upward, a joint look about them, the free text."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tillit.core.forms import apply_service
from tillit.core.permissions import require
from tillit.pulse import rules, selectors, services
from tillit.pulse.enums import PulseState, Relation
from tillit.pulse.forms import ReleaseForm, ShareForm
from tillit.pulse.instrument import SCALE_LABELS, items_of
from tillit.pulse.views.common import _band, _pulse, _respondents

# ------------------------------------------------------------------------------------- the results


@dataclass(frozen=True)
class Segment:
    option: int
    label: str
    percent: int
    x: float
    width: float


@dataclass
class ItemRow:
    code: str
    text: str
    relation: str
    reversed: bool
    shown: bool
    withheld: bool = False
    mean: float | None = None
    answers: str = ""
    segments: list[Segment] = field(default_factory=list)


def _segments(distribution) -> list[Segment]:
    """The shares of 1–5 as a bar of width 100 (rounded shares may not add up to exactly 100)."""
    if not distribution:
        return []
    total = sum(distribution) or 1
    x, segments = 0.0, []
    for option, percent in enumerate(distribution, start=1):
        width = round(100 * percent / total, 2)
        segments.append(Segment(option, str(SCALE_LABELS[option]), int(percent), round(x, 2), width))
        x += width
    return segments


def _item_rows(result) -> list[ItemRow]:
    rows = []
    for item_result in result.items:
        item, cell = item_result.item, item_result.cell
        row = ItemRow(
            code=item.code,
            text=item_result.text,
            relation=str(Relation(item.relation).label),
            reversed=item.reversed,
            shown=bool(cell is not None and cell.published and cell.mean is not None),
            withheld=item_result.withheld,
        )
        if row.shown:
            row.mean = cell.mean
            row.answers = _band(cell.answers_low, cell.answers_high)
            row.segments = _segments(cell.distribution)
        rows.append(row)
    return rows


@dataclass
class UnitSection:
    pulse_unit: object
    is_own: bool
    is_whole: bool
    respondents: str
    rows: list[ItemRow]
    can_share: bool


def _sections(access, pulse) -> list[UnitSection]:
    sections = []
    for result in selectors.results_for(access, pulse):
        row = result.pulse_unit
        sections.append(
            UnitSection(
                pulse_unit=row,
                is_own=result.is_own,
                is_whole=row.parent_id is None,
                respondents=_respondents(row),
                rows=_item_rows(result),
                can_share=result.is_own and rules.can_share_results(access, row),
            )
        )
    return sections


@login_required
def pulse_detail(request, pulse_id: int):
    access = request.access
    pulse = _pulse(request, pulse_id)
    can_manage = rules.can_manage_pulse(access, pulse)
    context = {
        "pulse": pulse,
        "can_manage": can_manage,
        "items": [
            (item, item.text(support_referent=pulse.support_referent)) for item in items_of(pulse.items)
        ],
        "answer_path": selectors.answer_path(),
    }
    if pulse.state == PulseState.CLOSED:
        sections = _sections(access, pulse)
        whole = next((section for section in sections if section.is_whole), None)
        context["sections"] = sections
        context["reads_whole"] = whole is not None
        if pulse.asks_free_text and whole is not None:
            context["free_text"] = list(selectors.free_text_for(access, pulse))
        if pulse.asks_free_text and rules.can_release_free_text(access, pulse):
            waiting = selectors.free_text_for(access, pulse, released_only=False)
            context["free_text_waiting"] = sum(1 for answer in waiting if not answer.released)
    return render(request, "pulse/pulse_detail.html", context)


def _own_pulse_unit(request, pulse, pulse_unit_id: int):
    """A frame unit of a closed pulse whose results the person reads: 404 otherwise."""
    for result in selectors.results_for(request.access, pulse):
        if result.pulse_unit.pk == pulse_unit_id:
            return result.pulse_unit
    raise Http404


@login_required
@require_POST
def results_share(request, pulse_id: int, pulse_unit_id: int):
    pulse = _pulse(request, pulse_id)
    pulse_unit = _own_pulse_unit(request, pulse, pulse_unit_id)
    require(rules.can_share_results(request.access, pulse_unit))
    form = ShareForm(request.POST)
    shared = form.is_valid() and form.cleaned_data["shared"]
    try:
        services.pulse_results_share(
            actor=request.user, access=request.access, pulse_unit=pulse_unit, shared=shared
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if shared:
            messages.success(
                request,
                _("%(unit)s's results are now shown to the levels above.") % {"unit": pulse_unit.name},
            )
        else:
            messages.success(
                request,
                _("%(unit)s's results are no longer shown to the levels above.") % {"unit": pulse_unit.name},
            )
    return redirect(f"{pulse.get_absolute_url()}#unit-{pulse_unit.pk}")


# The questions a look about the pulse starts from: curiosity about the relations, never a ranking.
LOOK_QUESTIONS = (
    gettext_lazy("What do we recognise in the results, and what surprises us?"),
    gettext_lazy("What in our everyday work makes it look like this?"),
    gettext_lazy(
        "What do we need from each other, and from the level above, to be able, willing and daring?"
    ),
    gettext_lazy("What can we try before the next pulse?"),
)


@login_required
def look_open(request, pulse_id: int, pulse_unit_id: int):
    pulse = _pulse(request, pulse_id)
    pulse_unit = _own_pulse_unit(request, pulse, pulse_unit_id)
    require(rules.can_share_results(request.access, pulse_unit))
    errors = []
    if request.method == "POST":
        try:
            look = services.pulse_look_open(actor=request.user, access=request.access, pulse_unit=pulse_unit)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("The joint look is open. Start with what you recognise."))
            return redirect(look)
    return render(
        request,
        "pulse/look_open.html",
        {
            "pulse": pulse,
            "pulse_unit": pulse_unit,
            "questions": [str(question) for question in LOOK_QUESTIONS],
            "errors": errors,
        },
        status=400 if errors else 200,
    )


# --------------------------------------------------------------------------------------- free text


def _free_text_page(request, pulse, *, forms_by_answer=None, status=200):
    answers = list(selectors.free_text_for(request.access, pulse, released_only=False))
    forms_by_answer = forms_by_answer or {}
    waiting = [
        (
            answer,
            forms_by_answer.get(answer.pk)
            or ReleaseForm(prefix=str(answer.pk), initial={"redacted": answer.text}),
        )
        for answer in answers
        if not answer.released
    ]
    return render(
        request,
        "pulse/free_text.html",
        {
            "pulse": pulse,
            "waiting": waiting,
            "released": [answer for answer in answers if answer.released],
            "enough": selectors.enough_for_free_text(pulse),
        },
        status=status,
    )


def _free_text_pulse(request, pulse_id: int):
    pulse = _pulse(request, pulse_id)
    require(rules.can_release_free_text(request.access, pulse))
    if pulse.state != PulseState.CLOSED or not pulse.asks_free_text:
        raise Http404
    return pulse


@login_required
def free_text(request, pulse_id: int):
    return _free_text_page(request, _free_text_pulse(request, pulse_id))


@login_required
@require_POST
def free_text_release(request, pulse_id: int, answer_id):
    pulse = _free_text_pulse(request, pulse_id)
    answer = selectors.free_text_for(request.access, pulse, released_only=False).filter(pk=answer_id).first()
    if answer is None:
        raise Http404
    form = ReleaseForm(request.POST, prefix=str(answer.pk))
    if form.is_valid():
        released = apply_service(
            form,
            services.free_text_release,
            actor=request.user,
            access=request.access,
            answer=answer,
            redacted=form.cleaned_data["redacted"],
        )
        if released is not None:
            messages.success(request, _("The answer is released in the words you wrote."))
            return redirect("pulse:free-text", pulse_id=pulse.pk)
    return _free_text_page(request, pulse, forms_by_answer={answer.pk: form}, status=400)
