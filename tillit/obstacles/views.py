from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillit.chain import selectors as chain_selectors
from tillit.core.forms import apply_service
from tillit.core.views import unit_context
from tillit.obstacles import rules, selectors, services
from tillit.obstacles.forms import UNKNOWN, AnswerForm, ObstacleForm


@login_required
def obstacle_list(request, unit_id: int):
    unit = chain_selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    raised, received = selectors.unit_obstacles(unit=unit)
    for obstacle in raised + received:
        obstacle.raiser = selectors.raiser_label(obstacle=obstacle, viewer=request.user)
    return render(
        request,
        "obstacles/obstacle_list.html",
        unit_context(
            unit,
            raised=raised,
            received=received,
            support=selectors.support_summary(unit=unit),
            can_raise=rules.can_raise_obstacle(request.access, unit, person=request.user),
        ),
    )


def _suggestions(unit, data) -> list:
    query = f"{data.get('title', '')} {data.get('proposal', '')}"
    return selectors.decision_suggestions(unit=unit, query=query)


@login_required
def obstacle_new(request, unit_id: int):
    unit = chain_selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    if not rules.can_raise_obstacle(request.access, unit, person=request.user):
        raise PermissionDenied
    searching = request.method == "POST" and "search" in request.POST
    members = selectors.unit_member_count(unit=unit)
    form = ObstacleForm(request.POST or None, unit=unit, members=members)
    suggestions = _suggestions(unit, request.POST) if request.method == "POST" else []
    if request.method == "POST" and not searching and form.is_valid():
        data = form.cleaned_data
        matter, mandate_item = selectors.decision_from_value(
            unit=unit, value=request.POST.get("decision", "")
        )
        obstacle = apply_service(
            form,
            services.obstacle_raise,
            actor=request.user,
            access=request.access,
            unit=unit,
            title=data["title"],
            affects=data["affects"],
            proposal=data["proposal"],
            shows_name=data["identity"] == "name",
            matter=matter,
            mandate_item=mandate_item,
        )
        if obstacle is not None:
            messages.success(
                request,
                _("Thank you. The obstacle went to %(unit)s.") % {"unit": obstacle.receiving_unit.name},
            )
            return redirect(obstacle)
    if searching:
        form.errors.clear()  # a search is not a submission: no errors yet
    chosen = request.POST.get("decision", UNKNOWN)
    return render(
        request,
        "obstacles/obstacle_form.html",
        unit_context(unit, form=form, suggestions=suggestions, chosen=chosen, searched=searching),
    )


@login_required
def obstacle_suggestions(request, unit_id: int):
    """The decision suggestions as the raiser types (htmx), as a fragment of the raise form."""
    unit = chain_selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    return render(
        request,
        "obstacles/suggestions.html",
        {"suggestions": _suggestions(unit, request.GET), "chosen": request.GET.get("decision", UNKNOWN)},
    )


@login_required
def obstacle_detail(request, obstacle_id: int):
    obstacle = selectors.obstacle_get_readable(access=request.access, obstacle_id=obstacle_id)
    events = list(selectors.obstacle_events(obstacle=obstacle))
    raiser = selectors.raiser_label(obstacle=obstacle, viewer=request.user)
    for event in events:
        # The raiser's own steps carry no actor when anonymous: they read as "a member of <unit>".
        event.who = event.actor.full_name if event.actor_id else raiser
    overdue = selectors.is_overdue(obstacle)
    return render(
        request,
        "obstacles/obstacle_detail.html",
        unit_context(
            obstacle.raised_in,
            obstacle=obstacle,
            events=events,
            raiser=raiser,
            overdue=overdue,
            explanation=selectors.route_explanation(obstacle=obstacle),
            **rules.answer_steps(request.access, obstacle, person=request.user),
            can_escalate=rules.can_escalate_obstacle(request.access, obstacle, person=request.user),
            default_days=selectors.DEFAULT_RESPONSE_WORKING_DAYS,
        ),
    )


@login_required
@require_POST
def obstacle_answer(request, obstacle_id: int):
    obstacle = selectors.obstacle_get_readable(access=request.access, obstacle_id=obstacle_id)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest()
    action, text = form.cleaned_data["action"], form.cleaned_data["text"]
    kwargs = {"actor": request.user, "access": request.access, "obstacle": obstacle}
    calls = {
        "acknowledge": (services.obstacle_acknowledge, {}, _("The obstacle is acknowledged.")),
        "start": (services.obstacle_start, {}, _("Work on the obstacle has started.")),
        "remove": (services.obstacle_remove, {"text": text}, _("The obstacle is marked as removed.")),
        "decline": (
            services.obstacle_decline,
            {"text": text},
            _("The obstacle is declined with your reason."),
        ),
        "pass_up": (services.obstacle_pass_up, {"text": text}, _("The obstacle went further up.")),
        "escalate": (services.obstacle_escalate, {}, _("The obstacle went to the unit above.")),
    }
    service, extra, done = calls[action]
    try:
        service(**kwargs, **extra)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(obstacle)
