"""Pages of the reporting-burden register and of "Vilka data behöver du?"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.burden import selectors, services
from tillit.burden.enums import DataRequestState
from tillit.burden.forms import (
    AnswerForm,
    DataAnswerForm,
    DataRequestForm,
    ExternalAnswerForm,
    ProposeForm,
    RequirementForm,
)
from tillit.chain import selectors as chain_selectors
from tillit.chain.models import Unit
from tillit.core.forms import apply_service
from tillit.core.views import can_change, unit_context, unit_get_changeable
from tillit.indicators.selectors import unit_live_indicators


def _requirement_form(request, unit, *, initial=None):
    return RequirementForm(
        request.POST or None,
        initial=initial,
        units=Unit.objects.filter(organisation_id=unit.organisation_id, closed_at__isnull=True).order_by(
            "path"
        ),
        indicators=unit_live_indicators(unit=unit),
    )


def _proposal_rows(proposals, today):
    return [{"proposal": p, "overdue": selectors.is_overdue(p, today=today)} for p in proposals]


@login_required
def unit_reporting(request, unit_id: int):
    unit = chain_selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    requirements = list(selectors.requirements_in_subtree(access=request.access, unit=unit))
    today = timezone.localdate()
    burden = selectors.burden_of(requirements)
    candidates = selectors.candidates_of(requirements, today=today)
    candidate_ids = {candidate.requirement.pk for candidate in candidates}
    return render(
        request,
        "burden/unit_reporting.html",
        unit_context(
            unit,
            burden=burden,
            requirements=[
                {"requirement": r, "candidate": r.pk in candidate_ids}
                for r in requirements
                if r.unit_id == unit.pk
            ],
            below=[r for r in requirements if r.unit_id != unit.pk],
            candidates=candidates,
            awaiting=_proposal_rows(selectors.proposals_awaiting(unit=unit), today),
            can_answer=request.access.can_manage(unit),
            can_write=can_change(request.access, unit),
        ),
    )


@login_required
def requirement_create(request, unit_id: int):
    unit = unit_get_changeable(request, unit_id)
    form = _requirement_form(request, unit)
    if request.method == "POST" and form.is_valid():
        requirement = apply_service(
            form,
            services.reporting_requirement_create,
            actor=request.user,
            access=request.access,
            unit=unit,
            **form.cleaned_data,
        )
        if requirement is not None:
            messages.success(request, _("The reporting requirement is registered."))
            return redirect(requirement)
    return render(request, "burden/requirement_form.html", unit_context(unit, form=form, requirement=None))


@login_required
def requirement_detail(request, requirement_id: int):
    requirement = selectors.requirement_get_readable(access=request.access, requirement_id=requirement_id)
    today = timezone.localdate()
    proposals = list(requirement.proposals.select_related("proposed_by_unit").all())
    return render(
        request,
        "burden/requirement_detail.html",
        unit_context(
            requirement.unit,
            requirement=requirement,
            usage=selectors.requirement_usage(requirement=requirement),
            candidate=next(iter(selectors.candidates_of([requirement], today=today)), None),
            proposals=[
                {
                    "proposal": p,
                    "overdue": selectors.is_overdue(p, today=today),
                    "can_answer": p.is_open and services.can_answer(access=request.access, proposal=p),
                }
                for p in proposals
            ],
            has_open_proposal=any(p.is_open for p in proposals),
            can_write=can_change(request.access, requirement.unit) and requirement.is_active,
        ),
    )


def _changeable_requirement(request, requirement_id: int):
    requirement = selectors.requirement_get_readable(access=request.access, requirement_id=requirement_id)
    if not can_change(request.access, requirement.unit):
        raise PermissionDenied
    return requirement


@login_required
def requirement_edit(request, requirement_id: int):
    requirement = _changeable_requirement(request, requirement_id)
    initial = {
        field: getattr(requirement, field) for field in services.FIELDS if field != "requester_unit"
    } | {
        "requester_unit": requirement.requester_unit_id,
        "indicators": [indicator.pk for indicator in requirement.indicators.all()],
    }
    form = _requirement_form(request, requirement.unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        updated = apply_service(
            form,
            services.reporting_requirement_update,
            actor=request.user,
            access=request.access,
            requirement=requirement,
            **form.cleaned_data,
        )
        if updated is not None:
            messages.success(request, _("The reporting requirement is saved."))
            return redirect(requirement)
    return render(
        request,
        "burden/requirement_form.html",
        unit_context(requirement.unit, form=form, requirement=requirement),
    )


@login_required
def requirement_end(request, requirement_id: int):
    requirement = _changeable_requirement(request, requirement_id)
    if request.method == "POST":
        services.reporting_requirement_end(actor=request.user, access=request.access, requirement=requirement)
        messages.success(request, _("The reporting requirement has ended: its hours no longer count."))
        return redirect(requirement)
    return render(
        request, "burden/requirement_end.html", unit_context(requirement.unit, requirement=requirement)
    )


@login_required
def removal_propose(request, requirement_id: int):
    requirement = _changeable_requirement(request, requirement_id)
    form = ProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        proposal = apply_service(
            form,
            services.removal_propose,
            actor=request.user,
            access=request.access,
            requirement=requirement,
            **form.cleaned_data,
        )
        if proposal is not None:
            messages.success(request, _("The proposal is sent to the requester as a question."))
            return redirect(requirement)
    return render(
        request,
        "burden/removal_propose.html",
        unit_context(requirement.unit, requirement=requirement, form=form),
    )


@login_required
def proposal_answer(request, proposal_id: int):
    proposal = selectors.proposal_get_readable(access=request.access, proposal_id=proposal_id)
    requirement = proposal.requirement
    if not services.can_answer(access=request.access, proposal=proposal):
        raise PermissionDenied
    if not proposal.is_open:
        return redirect(requirement)
    external = requirement.requester_unit_id is None
    form = (ExternalAnswerForm if external else AnswerForm)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        answered = apply_service(
            form,
            services.removal_answer,
            actor=request.user,
            access=request.access,
            proposal=proposal,
            **form.cleaned_data,
        )
        if answered is not None:
            messages.success(request, _("The answer is recorded."))
            return redirect(requirement)
    return render(
        request,
        "burden/proposal_answer.html",
        unit_context(
            requirement.unit,
            proposal=proposal,
            requirement=requirement,
            external=external,
            overdue=selectors.is_overdue(proposal),
            form=form,
        ),
    )


# --- Data requests -------------------------------------------------------------------------------------


def _request_rows(requests):
    return [{"request": r, "lead_time": selectors.lead_time(r)} for r in requests]


@login_required
def unit_data_requests(request, unit_id: int):
    unit = chain_selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    asked, received = selectors.data_requests_of(unit=unit)
    return render(
        request,
        "burden/unit_data_requests.html",
        unit_context(
            unit,
            asked=_request_rows(asked),
            received=_request_rows(received),
            can_write=can_change(request.access, unit),
        ),
    )


@login_required
def data_request_create(request, unit_id: int):
    unit = unit_get_changeable(request, unit_id)
    form = DataRequestForm(request.POST or None, units=selectors.support_units(unit=unit))
    if request.method == "POST" and form.is_valid():
        created = apply_service(
            form,
            services.data_request_create,
            actor=request.user,
            access=request.access,
            unit=unit,
            **form.cleaned_data,
        )
        if created is not None:
            messages.success(request, _("Your question is sent to the support function."))
            return redirect(created)
    return render(request, "burden/data_request_form.html", unit_context(unit, form=form))


@login_required
def data_request_detail(request, request_id: int):
    data_request = selectors.data_request_get_readable(access=request.access, request_id=request_id)
    can_answer = data_request.state == DataRequestState.OPEN and request.access.can_write(
        data_request.to_unit
    )
    form = None
    status = 200
    if request.method == "POST":
        if not can_answer:
            raise PermissionDenied
        form = DataAnswerForm(request.POST)
        if form.is_valid():
            answered = apply_service(
                form,
                services.data_request_answer,
                actor=request.user,
                access=request.access,
                request=data_request,
                **form.cleaned_data,
            )
            if answered is not None:
                messages.success(request, _("Your answer is sent."))
                return redirect(data_request)
        status = 400
    elif can_answer:
        form = DataAnswerForm()
    return render(
        request,
        "burden/data_request_detail.html",
        unit_context(
            data_request.unit,
            data_request=data_request,
            lead_time=selectors.lead_time(data_request),
            form=form,
        ),
        status=status,
    )
