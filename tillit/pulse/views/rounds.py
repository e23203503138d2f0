"""The list of pulses and preparing, opening, reminding and closing a round; the thresholds."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillit.core.forms import apply_service
from tillit.core.permissions import require
from tillit.pulse import rules, selectors, services
from tillit.pulse.enums import PulseState
from tillit.pulse.forms import PulseForm, SettingsForm
from tillit.pulse.instrument import MAX_ITEMS, items_of
from tillit.pulse.models import MIN_FREE_TEXT_GROUP_SIZE, MIN_GROUP_SIZE
from tillit.pulse.views.common import _managed_pulse, _scopes, _whole_respondents

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
            "managed": _whole_respondents(managed),
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
