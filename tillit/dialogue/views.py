"""Pages of joint looks: a sub-tree's looks, one look with its chart and record, and its forms."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillit.chain import selectors as chain_selectors
from tillit.core.forms import apply_service
from tillit.core.views import unit_context
from tillit.dialogue import selectors, services
from tillit.dialogue.enums import LookState
from tillit.dialogue.forms import CloseForm, LookOpenForm, NoteForm, PlanForm
from tillit.dialogue.labels import PROMPTS, prompt_label, reason_labels
from tillit.followup.chart_markup import charts_markup
from tillit.followup.selectors import IndicatorFollowup
from tillit.indicators.selectors import unit_live_indicators


@login_required
def unit_looks(request, unit_id: int):
    unit = chain_selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    looks = list(selectors.looks_in_subtree(access=request.access, unit=unit))
    return render(
        request,
        "dialogue/unit_looks.html",
        unit_context(
            unit,
            open_looks=[look for look in looks if look.state == LookState.OPEN],
            closed_looks=[look for look in looks if look.state == LookState.CLOSED],
            can_open=request.access.can_write(unit) or request.access.can_manage(unit),
        ),
    )


@login_required
def look_open(request, unit_id: int):
    unit = chain_selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    if not (request.access.can_write(unit) or request.access.can_manage(unit)):
        raise PermissionDenied
    indicators = unit_live_indicators(unit=unit)
    form = LookOpenForm(request.POST or None, indicators=indicators)
    if request.method == "POST" and form.is_valid():
        look = apply_service(
            form,
            services.joint_look_open,
            actor=request.user,
            access=request.access,
            unit=unit,
            **form.cleaned_data,
        )
        if look is not None:
            messages.success(request, _("The joint look is open. Start with what has happened."))
            return redirect(look)
    return render(request, "dialogue/look_open.html", unit_context(unit, form=form))


def _chart_for(look):
    """The look's indicator chart with earlier looks' summaries on it (from the chart cache)."""
    indicator = look.indicator
    if indicator is None:
        return None
    result = getattr(indicator, "analysis", None)
    if result is None:
        return None
    notes = selectors.chart_notes(indicator_ids=[indicator.pk]).get(indicator.pk, [])
    item = IndicatorFollowup(indicator, result, list(indicator.phase_changes.order_by("period")), notes)
    return charts_markup([item]).get(indicator.pk)


def _detail(request, look, *, note_form=None, status=200):
    takes_part = services.takes_part(access=request.access, look=look)
    notes = [{"note": note, "prompt": prompt_label(note.prompt)} for note in look.notes.all()]
    return render(
        request,
        "dialogue/look_detail.html",
        unit_context(
            look.unit,
            look=look,
            reasons=reason_labels(look.reasons),
            notes=notes,
            prompts=[str(label) for label in PROMPTS.values()],
            chart=_chart_for(look),
            takes_part=takes_part,
            note_form=note_form or (NoteForm() if takes_part and look.is_open else None),
        ),
        status=status,
    )


@login_required
def look_detail(request, look_id: int):
    look = selectors.look_get_readable(access=request.access, look_id=look_id)
    return _detail(request, look)


@login_required
@require_POST
def look_note(request, look_id: int):
    look = selectors.look_get_readable(access=request.access, look_id=look_id)
    if not services.takes_part(access=request.access, look=look):
        raise PermissionDenied
    form = NoteForm(request.POST)
    if form.is_valid():
        note = apply_service(
            form,
            services.joint_look_note_add,
            actor=request.user,
            access=request.access,
            look=look,
            **form.cleaned_data,
        )
        if note is not None:
            return redirect(f"{look.get_absolute_url()}#note-{note.pk}")
    return _detail(request, look, note_form=form, status=400)


@login_required
def look_plan(request, look_id: int):
    look = selectors.look_get_readable(access=request.access, look_id=look_id)
    if not services.takes_part(access=request.access, look=look):
        raise PermissionDenied
    initial = {
        "participants": [participant.person_id for participant in look.participants.all()],
        "meeting_on": look.meeting_on,
    }
    form = PlanForm(
        request.POST or None, initial=initial, memberships=services.participant_choices(look=look)
    )
    if request.method == "POST" and form.is_valid():
        planned = apply_service(
            form,
            services.joint_look_plan,
            actor=request.user,
            access=request.access,
            look=look,
            person_ids=form.cleaned_data["participants"],
            meeting_on=form.cleaned_data["meeting_on"],
        )
        if planned is not None:
            messages.success(request, _("Participants and meeting saved."))
            return redirect(look)
    return render(request, "dialogue/look_plan.html", unit_context(look.unit, look=look, form=form))


@login_required
def look_close(request, look_id: int):
    look = selectors.look_get_readable(access=request.access, look_id=look_id)
    if not services.takes_part(access=request.access, look=look):
        raise PermissionDenied
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        closed = apply_service(
            form,
            services.joint_look_close,
            actor=request.user,
            access=request.access,
            look=look,
            **form.cleaned_data,
        )
        if closed is not None:
            messages.success(request, _("The joint look is closed. Its summary is now on the chart."))
            return redirect(look)
    return render(request, "dialogue/look_close.html", unit_context(look.unit, look=look, form=form))
