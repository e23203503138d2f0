"""Pages of the trust pulse (Tillitspuls). Thin: check access, call a selector or a service, render.

The answer page stands apart. Anyone with a code reaches it, signed in or not, and it works the same
for both: it reads neither the person (`request.user`) nor the session, writes no log line, and keeps the
code out of every URL. The invitation link carries the code in its fragment, which browsers never send;
the page's script moves it into a hidden field (POST only) and takes it off the address bar. A refusal
answers 200 with the form (a 4xx would make Django's request logger write a line).

The answer page is exempt from Django's CSRF check, on purpose. The code in the POST is the only right: no
cookie or session is used, so a forged cross-site request has nothing to borrow (whoever holds a code can
send it anyway). And under `Referrer-Policy: no-referrer` browsers send `Origin: null` with a form's POST,
which the CSRF check refuses. So the page sets no cookie of its own either, except the language a person
chooses with its language links (a GET, as the page has no CSRF token for Django's `set_language`).
"""

from dataclasses import dataclass, field
from datetime import date

import numpy as np
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from tillit.analysis import Chart, Direction, analyse_series
from tillit.chain import selectors as chain_selectors
from tillit.charts.spc import ChartSeries, class_label, spc_chart
from tillit.core.forms import add_service_errors, apply_service
from tillit.core.permissions import require
from tillit.dialogue import selectors as dialogue_selectors
from tillit.pulse import rules, selectors, services
from tillit.pulse.enums import PulseState, Relation
from tillit.pulse.forms import AnswerForm, CodeForm, PulseForm, ReleaseForm, SettingsForm, ShareForm
from tillit.pulse.instrument import BY_CODE, MAX_ITEMS, SCALE_LABELS, items_of
from tillit.pulse.models import MIN_FREE_TEXT_GROUP_SIZE, MIN_GROUP_SIZE

# W-14, browser hygiene: nothing cached, no address sent on, not indexed.
ANSWER_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
}
# The Anhøj rules of a run chart (longest run, crossings) can first tell a signal from routine variation
# with about ten useful points; with fewer the page says so instead of reading signals into the rounds.
RUN_CHART_MIN_ROUNDS = 10


# ----------------------------------------------------------------------------------- the answer page


def _anonymous(request, template: str, context: dict):
    response = render(request, template, context)
    for name, value in ANSWER_HEADERS.items():
        response.headers[name] = value
    return response


def _code_page(request, form: CodeForm):
    return _anonymous(request, "pulse/answer_code.html", {"form": form, "k": MIN_GROUP_SIZE})


def _questions_page(request, form: AnswerForm):
    pulse = form.pulse
    return _anonymous(
        request,
        "pulse/answer_questions.html",
        {
            "form": form,
            "pulse": pulse,
            "k": pulse.min_group_size,
            "free_text_k": pulse.min_free_text_group_size,
            "scale": [(value, SCALE_LABELS[value]) for value in (1, 2, 3, 4, 5)],
        },
    )


def _language_chosen(request, language: str):
    """The answer page's language links: remember the choice as `set_language` does, back to the page."""
    response = redirect("pulse:answer")
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    for name, value in ANSWER_HEADERS.items():
        response.headers[name] = value
    return response


@csrf_exempt  # see the module's docstring: the code is the only right, and the browser sends Origin: null
@require_http_methods(["GET", "POST"])
def answer(request):
    """Step 1 takes the code and shows the pulse's questions; step 2 stores the answer and thanks."""
    if request.method == "GET":
        language = request.GET.get("language", "")
        if language in dict(settings.LANGUAGES):
            return _language_chosen(request, language)
        return _code_page(request, CodeForm())
    if request.POST.get("step") != "answer":
        code_form = CodeForm(request.POST)
        if not code_form.is_valid():
            return _code_page(request, code_form)
        token, pulse = code_form.cleaned_data["token"], code_form.cleaned_data["pulse"]
        return _questions_page(request, AnswerForm(initial={"token": token}, pulse=pulse))

    # Step 2: the code again (it may have been used or the pulse closed meanwhile), then the answers.
    code_form = CodeForm({"token": request.POST.get("token", "")})
    if not code_form.is_valid():
        return _code_page(request, code_form)
    token, pulse = code_form.cleaned_data["token"], code_form.cleaned_data["pulse"]
    form = AnswerForm(request.POST, pulse=pulse)
    if form.is_valid():
        try:
            services.pulse_answer(
                token=token, answers=form.answers(), free_text=form.cleaned_data.get("free_text", "")
            )
        except ValidationError as error:
            if "token" in getattr(error, "error_dict", {}):
                return _code_page(request, CodeForm({}, refusal=error.error_dict["token"]))
            add_service_errors(form, error)
        else:
            return _anonymous(
                request, "pulse/answer_thanks.html", {"pulse": pulse, "k": pulse.min_group_size}
            )
    return _questions_page(request, form)


# ------------------------------------------------------------------------------------- shared helpers


def _band(low, high, *, percent: bool = False) -> str:
    """A banded count ("10–19", "<5", "500+") or rate ("60–70 %"); empty where nothing may be shown."""
    if not percent:
        return selectors.count_band_text(low, high)
    if low is None or high is None or low < 0:
        return ""
    return _("%(low)s–%(high)s %%") % {"low": low, "high": high}


def _respondents(pulse_unit) -> str:
    """ "10–19 answers, 60–70 %" for a unit whose count may be shown; empty otherwise."""
    answers = _band(pulse_unit.respondents_low, pulse_unit.respondents_high)
    if not answers:
        return ""
    rate = _band(pulse_unit.rate_low, pulse_unit.rate_high, percent=True)
    text = _("%(answers)s answers") % {"answers": answers}
    return _("%(answers)s, %(rate)s of those invited") % {"answers": text, "rate": rate} if rate else text


def _pulse(request, pulse_id: int):
    """A pulse of the person's chain: 404 outside it, and 404 for a draft to those who do not manage it."""
    pulse = get_object_or_404(selectors.pulses_for(request.access), pk=pulse_id)
    if not rules.can_see_pulse(request.access, pulse):
        raise Http404
    if pulse.state == PulseState.DRAFT and not rules.can_manage_pulse(request.access, pulse):
        raise Http404
    return pulse


def _managed_pulse(request, pulse_id: int):
    """A pulse the person manages: 404 outside the chain, 403 inside it without the right."""
    pulse = _pulse(request, pulse_id)
    require(rules.can_manage_pulse(request.access, pulse))
    return pulse


def _whole_respondents(pulse) -> str:
    """The whole pulse's banded count and rate (the frame's top row, the scope as asked), once closed.
    TODO(selectors): a `pulse_whole(pulses)` read in one query; until then one small query per pulse."""
    if pulse.state != PulseState.CLOSED:
        return ""
    whole = pulse.frame.filter(parent__isnull=True).first()
    return _respondents(whole) if whole is not None else ""


def _scopes(access):
    """The units the person may prepare a pulse for (those they manage), in tree order."""
    units = chain_selectors.unit_list_readable(access=access).order_by("path")
    return [unit for unit in units if rules.can_prepare_pulses_for(access, unit)]


# -------------------------------------------------------------------------------------------- the list


@login_required
def pulse_list(request):
    access = request.access
    visible = list(selectors.pulses_for(access))
    managed = [pulse for pulse in visible if rules.can_manage_pulse(access, pulse)]
    managed_ids = {pulse.pk for pulse in managed}
    closed = [pulse for pulse in visible if pulse.state == PulseState.CLOSED and pulse.pk not in managed_ids]
    return render(
        request,
        "pulse/pulse_list.html",
        {
            "open_for_me": selectors.open_pulses_for_person(access),
            "managed": [(pulse, _whole_respondents(pulse)) for pulse in managed],
            "closed": closed,
            "can_prepare": bool(_scopes(access)),
            "can_change_settings": request.user.organisation_id is not None
            and rules.can_change_pulse_settings(access, request.user.organisation),
            "answer_path": selectors.answer_path(),
        },
    )


# -------------------------------------------------------------------------------- preparing a round


def _pulse_form_page(request, form, *, pulse=None, status=200):
    return render(
        request,
        "pulse/pulse_form.html",
        {"form": form, "pulse": pulse, "max_items": MAX_ITEMS},
        status=status,
    )


@login_required
def pulse_create(request):
    scopes = _scopes(request.access)
    require(bool(scopes), _("Only the managers of a part of the chain prepare its trust pulse."))
    initial = {}
    if request.GET.get("unit", "").isdigit():
        initial["scope"] = int(request.GET["unit"])
    form = PulseForm(request.POST or None, scopes=scopes, initial=initial)
    if request.method == "POST" and form.is_valid():
        scope = next((unit for unit in scopes if unit.pk == form.cleaned_data["scope"]), None)
        if scope is None:  # the choices are the scopes: a stale id only
            form.add_error("scope", _("Choose one of the units you manage."))
        else:
            data = form.cleaned_data
            pulse = apply_service(
                form,
                services.pulse_create,
                actor=request.user,
                access=request.access,
                scope=scope,
                title=data["title"],
                closes_on=data["closes_on"],
                items=data["items"],
                support_referent=data["support_referent"],
                asks_free_text=data["asks_free_text"],
            )
            if pulse is not None:
                messages.success(
                    request, _("The pulse is saved as a draft. Open it when the questions are right.")
                )
                return redirect(pulse)
    return _pulse_form_page(request, form)


@login_required
def pulse_edit(request, pulse_id: int):
    pulse = _managed_pulse(request, pulse_id)
    if pulse.state != PulseState.DRAFT:
        messages.error(request, _("The pulse is already open; its questions stay as they were asked."))
        return redirect(pulse)
    initial = {
        "title": pulse.title,
        "closes_on": pulse.closes_on,
        "items": list(pulse.items),
        "support_referent": pulse.support_referent,
        "asks_free_text": pulse.asks_free_text,
    }
    form = PulseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        updated = apply_service(
            form,
            services.pulse_update,
            actor=request.user,
            access=request.access,
            pulse=pulse,
            **form.cleaned_data,
        )
        if updated is not None:
            messages.success(request, _("The draft is saved."))
            return redirect(updated)
    return _pulse_form_page(request, form, pulse=pulse)


def _confirm(request, pulse, *, template: str, service, success: str, status=200, **extra):
    """A confirmation page whose POST calls `service(actor, access, pulse)` and goes back to the pulse."""
    errors = []
    if request.method == "POST":
        try:
            service(actor=request.user, access=request.access, pulse=pulse)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, success)
            return redirect(pulse)
    return render(
        request, template, {"pulse": pulse, "errors": errors, **extra}, status=400 if errors else status
    )


@login_required
def pulse_open(request, pulse_id: int):
    pulse = _managed_pulse(request, pulse_id)
    if pulse.state != PulseState.DRAFT:
        messages.info(request, _("The pulse is already open; its questions stay as they were asked."))
        return redirect(pulse)
    return _confirm(
        request,
        pulse,
        template="pulse/pulse_open.html",
        service=services.pulse_open,
        success=_("The pulse is open. The invitations go out by e-mail in a moment."),
        items=[item.text(support_referent=pulse.support_referent) for item in items_of(pulse.items)],
    )


@login_required
def pulse_close(request, pulse_id: int):
    pulse = _managed_pulse(request, pulse_id)
    if pulse.state != PulseState.OPEN:
        messages.info(request, _("Only an open pulse can be closed; results are published once."))
        return redirect(pulse)
    return _confirm(
        request,
        pulse,
        template="pulse/pulse_close.html",
        service=services.pulse_close,
        success=_("The pulse is closed and its results are published."),
    )


@login_required
@require_POST
def pulse_remind(request, pulse_id: int):
    pulse = _managed_pulse(request, pulse_id)
    try:
        count = services.pulse_remind(actor=request.user, access=request.access, pulse=pulse)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("A reminder went to all %(count)s invited, with thanks to those who have already answered.")
            % {"count": count},
        )
    return redirect(pulse)


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


# ------------------------------------------------------------------------------ a unit over rounds


@dataclass
class ItemHistory:
    code: str
    text: str
    reversed: bool
    rounds: int
    chart: object | None
    status: str


def _round_period(pulse) -> date:
    return pulse.closes_on.replace(day=1)


def _look_notes(access, unit, pulses) -> list[tuple[date, str]]:
    """Joint looks opened from one of these rounds about the unit, at their round, with their outcome."""
    by_pulse = {pulse.pk: pulse for pulse in pulses}
    notes = []
    for look in dialogue_selectors.looks_in_subtree(access=access, unit=unit):
        if look.unit_id != unit.pk or look.pulse_id not in by_pulse:
            continue
        if look.is_open:
            text = _("Joint look “%(subject)s”: open") % {"subject": look.subject}
        else:
            text = _("Joint look “%(subject)s”: %(outcome)s. %(summary)s") % {
                "subject": look.subject,
                "outcome": look.get_outcome_display(),
                "summary": look.summary,
            }
        notes.append((_round_period(by_pulse[look.pulse_id]), text.strip()))
    notes.sort(key=lambda note: note[0])
    return notes


def _history_chart(item, points, notes):
    values = [
        point.cell.mean if point.cell is not None and point.cell.published else None for point in points
    ]
    numbers = np.array([np.nan if value is None else value for value in values], dtype=np.float64)
    if not np.isfinite(numbers).any():
        return None, ""
    result = analyse_series(
        numbers, chart=Chart.RUN, direction=Direction.DOWN if item.reversed else Direction.UP
    )
    periods = [_round_period(point.pulse) for point in points]
    chart = spc_chart(
        series=ChartSeries.from_result(periods=periods, frequency="month", result=result),
        title=item.text(support_referent=points[-1].pulse.support_referent),
        unit_label=_("mean, 1–5"),
        annotations=[note for note in notes if note[0] in periods],
        chart_id=f"pulse-item-{item.code}",
        decimals=1,
    )
    rounds = int(np.isfinite(numbers).sum())
    if rounds < RUN_CHART_MIN_ROUNDS:
        status = ngettext(
            "%(rounds)s round with a result so far. The run chart's rules need at least %(min)s before they "
            "can tell a signal from routine variation, so none is claimed: read the points as they are.",
            "%(rounds)s rounds with a result so far. The run chart's rules need at least %(min)s before they "
            "can tell a signal from routine variation, so none is claimed: read the points as they are.",
            rounds,
        ) % {"rounds": rounds, "min": RUN_CHART_MIN_ROUNDS}
    else:
        latest = int(result.latest)
        code = int(result.point_class[latest]) if latest >= 0 else 0
        names = {0: "common", 1: "improvement", 2: "concern", 3: "special"}
        status = _("The latest round: %(class)s.") % {"class": class_label(names.get(code, "common"))}
    return chart, status


@login_required
def unit_history(request, unit_id: int):
    access = request.access
    unit = chain_selectors.unit_get_readable(access=access, unit_id=unit_id)
    rounds = sorted(
        (
            pulse
            for pulse in selectors.pulses_for(access)
            if pulse.state == PulseState.CLOSED and unit.path.startswith(pulse.scope.path)
        ),
        key=lambda pulse: (pulse.closes_on, pulse.pk),
    )
    codes = list(dict.fromkeys(code for pulse in rounds for code in pulse.items if code in BY_CODE))
    notes = _look_notes(access, unit, rounds)
    histories = []
    for code in codes:
        points = selectors.unit_history(access, unit, code)
        if not points:
            continue
        item = BY_CODE[code]
        chart, status = _history_chart(item, points, notes)
        histories.append(
            ItemHistory(
                code=code,
                text=item.text(support_referent=points[-1].pulse.support_referent),
                reversed=item.reversed,
                rounds=len(points),
                chart=chart,
                status=status,
            )
        )
    return render(
        request,
        "pulse/unit_history.html",
        {
            "unit": unit,
            "chain": chain_selectors.unit_chain(unit=unit),
            "histories": histories,
            "notes": notes,
            "min_rounds": RUN_CHART_MIN_ROUNDS,
        },
    )


# ---------------------------------------------------------------------------------------- settings


@login_required
def pulse_settings(request):
    organisation = request.user.organisation
    if organisation is None:
        raise Http404
    require(rules.can_change_pulse_settings(request.access, organisation))
    current = getattr(organisation, "pulse_settings", None)  # none until the first change
    initial = {
        "min_group_size": current.min_group_size if current else MIN_GROUP_SIZE,
        "min_free_text_group_size": current.min_free_text_group_size if current else MIN_FREE_TEXT_GROUP_SIZE,
    }
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = apply_service(
            form,
            services.pulse_settings_set,
            actor=request.user,
            access=request.access,
            organisation=organisation,
            **form.cleaned_data,
        )
        if saved is not None:
            messages.success(request, _("The thresholds are saved. Pulses created from now on use them."))
            return redirect("pulse:settings")
    return render(
        request,
        "pulse/settings.html",
        {"form": form, "floor": MIN_GROUP_SIZE, "free_text_floor": MIN_FREE_TEXT_GROUP_SIZE},
    )
