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
from tillit.dialogue import rules, selectors, services
from tillit.dialogue.enums import LookState
from tillit.dialogue.forms import CloseForm, LookOpenForm, NoteForm, PlanForm
from tillit.dialogue.labels import PROMPTS, prompt_label
from tillit.followup.chart_markup import charts_markup
from tillit.followup.reasons import reason_labels


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
            can_open=rules.can_open_look(request.access, unit),
        ),
    )


@login_required
def look_open(request, unit_id: int):
    unit = chain_selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    if not rules.can_open_look(request.access, unit):
        raise PermissionDenied
    form = LookOpenForm(request.POST or None, indicators=selectors.look_indicator_choices(unit=unit))
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
    item = selectors.look_chart_item(look=look)
    return None if item is None else charts_markup([item]).get(item.indicator.pk)


def _detail(request, look, *, note_form=None, status=200):
    takes_part = rules.can_take_part_in_look(request.access, look)
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


def _look_to_take_part_in(request, look_id: int):
    """The look (404 outside the chain), if the person takes part in it (403 for others who read it)."""
    look = selectors.look_get_readable(access=request.access, look_id=look_id)
    if not rules.can_take_part_in_look(request.access, look):
        raise PermissionDenied
    return look


@login_required
def look_detail(request, look_id: int):
    look = selectors.look_get_readable(access=request.access, look_id=look_id)
    return _detail(request, look)


@login_required
@require_POST
def look_note(request, look_id: int):
    look = _look_to_take_part_in(request, look_id)
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
    look = _look_to_take_part_in(request, look_id)
    initial = {
        "participants": [participant.person_id for participant in look.participants.all()],
        "meeting_on": look.meeting_on,
    }
    form = PlanForm(
        request.POST or None, initial=initial, memberships=selectors.participant_choices(look=look)
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
    look = _look_to_take_part_in(request, look_id)
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
