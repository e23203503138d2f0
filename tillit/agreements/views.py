from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tillit.agreements import selectors, services
from tillit.agreements.forms import PurposeForm
from tillit.chain import selectors as chain_selectors
from tillit.core.forms import apply_service


@login_required
def purpose_edit(request, unit_id: int):
    unit = chain_selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    if not request.access.can_write(unit) or unit.closed_at is not None:
        raise PermissionDenied
    current = selectors.purpose_current(unit=unit)
    initial = (
        {"statement": current.statement, "serves": current.serves, "valued": current.valued}
        if current
        else {}
    )
    form = PurposeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        purpose = apply_service(
            form,
            services.purpose_write,
            actor=request.user,
            access=request.access,
            unit=unit,
            **form.cleaned_data,
        )
        if purpose is not None:
            messages.success(request, _("The purpose is saved."))
            return redirect(unit)
    return render(
        request,
        "agreements/purpose_form.html",
        {"unit": unit, "chain": chain_selectors.unit_chain(unit=unit), "form": form, "current": current},
    )


@login_required
def purpose_history(request, unit_id: int):
    unit = chain_selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    return render(
        request,
        "agreements/purpose_history.html",
        {
            "unit": unit,
            "chain": chain_selectors.unit_chain(unit=unit),
            "versions": selectors.purpose_history(unit=unit),
        },
    )
