from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillit.agreements import rules, selectors, services
from tillit.agreements.diff import ADDED, CHANGED, REMOVED
from tillit.agreements.forms import (
    AgreementVersionForm,
    BoundaryReportForm,
    CommentForm,
    CompareForm,
    IndicatorBoundaryFormSet,
    PurposeForm,
    QualitativeBoundaryFormSet,
    SupportPromiseFormSet,
    kept_rows,
)
from tillit.agreements.models import OPEN_STATES, Agreement, AgreementState, BoundaryKind, Side
from tillit.chain import selectors as chain_selectors
from tillit.core.forms import apply_service
from tillit.core.views import unit_context, unit_get_changeable
from tillit.dialogue.selectors import look_for_report


@login_required
def purpose_edit(request, unit_id: int):
    unit = unit_get_changeable(request, unit_id)
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
        unit_context(unit, form=form, current=current),
    )


@login_required
def purpose_history(request, unit_id: int):
    unit = chain_selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    return render(
        request,
        "agreements/purpose_history.html",
        unit_context(
            unit,
            versions=selectors.purpose_history(unit=unit),
        ),
    )


# --- Trust agreements ----------------------------------------------------------------------------------


def _sides(request, agreement: Agreement) -> set[str]:
    return selectors.sides_spoken_for(person=request.user, agreement=agreement)


def _pending_agreement(unit) -> Agreement:
    """The agreement as it would be, to ask who speaks for its sides before it exists (not saved)."""
    return Agreement(organisation_id=unit.organisation_id, unit=unit, upper_unit=unit.parent)


def _version_url(version) -> str:
    return reverse("agreements:agreement-version", kwargs={"version_id": version.pk})


def _error_message(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@login_required
def agreement_detail(request, unit_id: int):
    """The agreement in force between a unit and the level above, readable by everyone who reads the unit."""
    unit = chain_selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    in_force = selectors.agreement_version_in_force(unit=unit)
    summary = selectors.unit_agreement_summary(unit=unit)
    sides = _sides(request, _pending_agreement(unit)) if unit.parent_id else set()
    context = unit_context(
        unit,
        version=in_force,
        open_version=summary.open_version,
        overdue=summary.overdue,
        overdue_below=summary.overdue_below,
        proposed_below=summary.proposed_below,
        can_start=rules.can_start_draft(request.access, unit, sides, open_version=summary.open_version),
        has_versions=in_force is not None
        or summary.open_version is not None
        or selectors.agreement_for_unit(unit=unit) is not None,
    )
    if in_force is not None:
        context |= _boundary_report_context(request, in_force)
    return render(request, "agreements/agreement_detail.html", context)


def _boundary_report_context(request, version) -> dict:
    counts = selectors.boundary_report_counts(version=version)
    for boundary in version.boundaries.all():
        boundary.report_count = counts.get(boundary.pk, 0)
    return {"can_report": _can_report(request, version.agreement.unit)}


def _can_report(request, unit) -> bool:
    role = selectors.has_role_here_or_above(person=request.user, unit=unit)
    return rules.can_report_boundary(request.access, unit, has_role_here_or_above=role)


@login_required
def agreement_versions(request, unit_id: int):
    unit = chain_selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    agreement = selectors.agreement_for_unit(unit=unit)
    versions = list(selectors.agreement_versions(agreement=agreement)) if agreement else []
    return render(
        request,
        "agreements/agreement_versions.html",
        unit_context(unit, versions=versions),
    )


@login_required
@require_POST
def agreement_draft(request, unit_id: int):
    unit = chain_selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    pending = _pending_agreement(unit) if unit.parent_id else None
    if pending is None or not rules.can_change_agreement(request.access, pending, _sides(request, pending)):
        raise PermissionDenied
    try:
        version = services.agreement_draft(actor=request.user, access=request.access, unit=unit)
    except ValidationError as error:
        _error_message(request, error)
        open_version = selectors.agreement_version_open(unit=unit)
        return redirect(_version_url(open_version) if open_version else unit)
    messages.success(request, _("A new draft is started. Work on it together with the other side."))
    return redirect("agreements:agreement-version-edit", version_id=version.pk)


@login_required
def agreement_version(request, version_id: int):
    version = selectors.agreement_version_get_readable(access=request.access, version_id=version_id)
    agreement = version.agreement
    unit = agreement.unit
    sides = _sides(request, agreement)
    is_open = version.state in OPEN_STATES
    signatures = {signature.side: signature for signature in version.signatures.all()}
    context = unit_context(
        unit,
        version=version,
        is_open=is_open,
        is_current_parent=unit.parent_id == agreement.upper_unit_id,
        previous=selectors.agreement_version_previous(version=version),
        can_edit=rules.can_edit_version(request.access, version, sides),
        can_propose=rules.can_propose_version(request.access, version, sides),
        can_sign=rules.can_sign_version(request.access, version, sides, person=request.user),
        can_comment=rules.can_comment_on_version(request.access, version),
        comment_form=CommentForm(),
        unit_signature=signatures.get(Side.UNIT),
        upper_signature=signatures.get(Side.UPPER),
    )
    if version.state == AgreementState.SIGNED:
        context |= _boundary_report_context(request, version)
    return render(request, "agreements/agreement_version.html", context)


@login_required
def agreement_version_edit(request, version_id: int):
    version = selectors.agreement_version_get_readable(access=request.access, version_id=version_id)
    agreement = version.agreement
    unit = agreement.unit
    if not rules.can_change_agreement(request.access, agreement, _sides(request, agreement)):
        raise PermissionDenied
    if version.state not in OPEN_STATES:
        messages.error(request, _("Only a version that is being worked on can be changed."))
        return redirect(_version_url(version))
    indicators = list(selectors.boundary_indicator_choices(version=version))  # read once for every row
    boundaries = list(version.boundaries.all())
    data = request.POST if request.method == "POST" else None
    form = AgreementVersionForm(
        data,
        initial={
            "purpose": version.purpose,
            "review_date": version.review_date,
            "mandate_items": "\n".join(item.text for item in version.mandate_items.all()),
        },
    )
    indicator_formset = IndicatorBoundaryFormSet(
        data,
        prefix="indicator_boundaries",
        form_kwargs={"indicators": indicators},
        initial=[
            {"indicator": b.indicator, "low": b.low, "high": b.high, "description": b.description}
            for b in boundaries
            if b.kind == BoundaryKind.INDICATOR
        ],
    )
    qualitative_formset = QualitativeBoundaryFormSet(
        data,
        prefix="qualitative_boundaries",
        initial=[{"description": b.description} for b in boundaries if b.kind == BoundaryKind.QUALITATIVE],
    )
    promise_formset = SupportPromiseFormSet(
        data,
        prefix="promises",
        initial=[
            {"text": p.text, "response_working_days": p.response_working_days}
            for p in version.support_promises.all()
        ],
    )
    formsets = (indicator_formset, qualitative_formset, promise_formset)
    if request.method == "POST" and form.is_valid() and all(formset.is_valid() for formset in formsets):
        boundary_inputs = [
            services.BoundaryInput(
                kind=BoundaryKind.INDICATOR,
                indicator=row["indicator"],
                low=row["low"],
                high=row["high"],
                description=row["description"],
            )
            for row in kept_rows(indicator_formset)
            if row.get("indicator") is not None
        ] + [
            services.BoundaryInput(kind=BoundaryKind.QUALITATIVE, description=row["description"])
            for row in kept_rows(qualitative_formset)
            if (row.get("description") or "").strip()
        ]
        promises = [
            services.PromiseInput(text=row["text"], response_working_days=row["response_working_days"])
            for row in kept_rows(promise_formset)
            if (row.get("text") or "").strip()
        ]
        was_proposed = version.state == AgreementState.PROPOSED
        saved = apply_service(
            form,
            services.agreement_version_update,
            actor=request.user,
            access=request.access,
            version=version,
            purpose=form.cleaned_data["purpose"],
            review_date=form.cleaned_data["review_date"],
            mandate_items=form.cleaned_data["mandate_items"],
            boundaries=boundary_inputs,
            support_promises=promises,
        )
        if saved is not None:
            if was_proposed and saved.state == AgreementState.DRAFT:
                messages.success(
                    request, _("The changes are saved. The version is a draft again; propose it when ready.")
                )
            else:
                messages.success(request, _("The draft is saved."))
            if "add_rows" in request.POST:
                return redirect("agreements:agreement-version-edit", version_id=version.pk)
            return redirect(_version_url(version))
    return render(
        request,
        "agreements/agreement_version_form.html",
        unit_context(
            unit,
            version=version,
            form=form,
            indicator_formset=indicator_formset,
            qualitative_formset=qualitative_formset,
            promise_formset=promise_formset,
            has_indicators=bool(indicators),
        ),
    )


def _action(request, version_id: int, service, success: str, **kwargs):
    version = selectors.agreement_version_get_readable(access=request.access, version_id=version_id)
    try:
        service(actor=request.user, access=request.access, version=version, **kwargs)
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(request, success)
    return redirect(_version_url(version))


@login_required
@require_POST
def agreement_propose(request, version_id: int):
    return _action(
        request,
        version_id,
        services.agreement_propose,
        _("The version is proposed. Both sides can now read it through and sign it."),
    )


@login_required
@require_POST
def agreement_sign(request, version_id: int):
    version = selectors.agreement_version_get_readable(access=request.access, version_id=version_id)
    try:
        services.agreement_sign(actor=request.user, access=request.access, version=version)
    except ValidationError as error:
        _error_message(request, error)
        return redirect(_version_url(version))
    if version.state == AgreementState.SIGNED:  # the service brought `version` up to date
        messages.success(request, _("Both sides have signed. The agreement is in force."))
        return redirect("agreements:agreement-detail", unit_id=version.agreement.unit_id)
    messages.success(request, _("You have signed. The agreement is in force when the other side has signed."))
    return redirect(_version_url(version))


@login_required
@require_POST
def agreement_comment(request, version_id: int):
    form = CommentForm(request.POST)
    text = request.POST.get("text", "") if not form.is_valid() else form.cleaned_data["text"]
    return _action(request, version_id, services.agreement_comment, _("Your comment is added."), text=text)


@login_required
def agreement_diff(request, version_id: int):
    """What changed in a version compared with another version of the same agreement (the previous one
    unless `?against=` names another)."""
    version = selectors.agreement_version_get_readable(access=request.access, version_id=version_id)
    agreement = version.agreement
    others = [v for v in selectors.agreement_versions(agreement=agreement) if v.pk != version.pk]
    compare = CompareForm(request.GET or None, versions=others)
    against = None
    if request.GET.get("against"):
        if not compare.is_valid():
            raise Http404
        against = selectors.agreement_version_get_readable(
            access=request.access, version_id=compare.cleaned_data["against"]
        )
    else:
        against = selectors.agreement_version_previous(version=version)
        if against is not None:
            compare = CompareForm(initial={"against": against.pk}, versions=others)
    diff = None
    if against is not None:
        old, new = (against, version) if against.number < version.number else (version, against)
        diff = selectors.agreement_version_diff(old=old, new=new)
    return render(
        request,
        "agreements/agreement_diff.html",
        unit_context(
            agreement.unit,
            version=version,
            against=against,
            diff=diff,
            compare_form=compare,
            ADDED=ADDED,
            REMOVED=REMOVED,
            CHANGED=CHANGED,
        ),
    )


@login_required
def boundary_report(request, boundary_id: int):
    boundary = selectors.boundary_get_readable(access=request.access, boundary_id=boundary_id)
    version = boundary.version
    unit = version.agreement.unit
    if boundary.kind != BoundaryKind.QUALITATIVE or version.state != AgreementState.SIGNED:
        raise Http404
    if not _can_report(request, unit):
        raise PermissionDenied
    form = BoundaryReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        report = apply_service(
            form,
            services.boundary_report_create,
            actor=request.user,
            access=request.access,
            boundary=boundary,
            **form.cleaned_data,
        )
        if report is not None:
            messages.success(
                request, _("Thank you. The report is saved; both levels can now look at it together.")
            )
            look = look_for_report(report=report)
            return redirect(look) if look else redirect("agreements:agreement-detail", unit_id=unit.pk)
    return render(
        request,
        "agreements/boundary_report_form.html",
        unit_context(
            unit,
            boundary=boundary,
            form=form,
            reports=selectors.boundary_reports(boundary=boundary),
        ),
    )
