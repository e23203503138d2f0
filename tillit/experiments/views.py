"""Pages of experiments: a unit's experiments, recording and studying one, peers and comments, and the
learning archive."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillit.chain import selectors as chain_selectors
from tillit.core.forms import apply_service
from tillit.core.views import unit_context
from tillit.dialogue import selectors as dialogue_selectors
from tillit.experiments import selectors, services
from tillit.experiments.enums import Decision, ExperimentState
from tillit.experiments.forms import ArchiveForm, CommentForm, ExperimentForm, PeersForm, StudyForm
from tillit.followup.chart_markup import charts_markup
from tillit.followup.selectors import IndicatorFollowup
from tillit.indicators.models import PhaseChange
from tillit.indicators.selectors import unit_live_indicators


def _verdict(code: str) -> str:
    return {
        "expected": _("A signal appeared in the expected direction."),
        "opposite": _("A signal appeared, but in the other direction."),
        "none": _("No signal yet: the values vary as before."),
        "too_early": _("Too early to tell: fewer than eight periods since the start."),
        "no_direction": _("No expected direction to judge against."),
        "no_data": _("Not enough data before and after the start."),
    }.get(code, "")


def _unit_indicators(unit):
    return unit_live_indicators(unit=unit)


def _shown(value, indicator) -> str:
    if value is None:
        return "–"
    shown = value * indicator.scale
    digits = 1 if abs(shown) < 100 else 0
    text = f"{shown:.{digits}f}".replace(".", ",") if digits else f"{shown:.0f}"
    return f"{text}\u00a0{indicator.measure_label}" if indicator.measure_label else text


def _evidence_rows(experiment):
    rows = []
    for item in selectors.experiment_evidence(experiment=experiment):
        evidence, indicator = item.evidence, item.indicator
        before, after = evidence.get("mean_before"), evidence.get("mean_after")
        moved = ""
        if before is not None and after is not None:
            moved = _("higher") if after > before else _("lower") if after < before else _("unchanged")
        rows.append(
            {
                "indicator": indicator,
                "mean_before": _shown(before, indicator),
                "mean_after": _shown(after, indicator),
                "centre_before": _shown(evidence.get("centre_before"), indicator),
                "centre_after": _shown(evidence.get("centre_after"), indicator),
                "n_before": evidence.get("n_before", 0),
                "n_after": evidence.get("n_after", 0),
                "moved": moved,
                "expected": {1: _("up"), -1: _("down")}.get(item.sign, _("no direction")),
                "verdict": evidence.get("verdict", "no_data"),
                "verdict_text": _verdict(evidence.get("verdict", "no_data")),
                "signals_after": evidence.get("signals_after", 0),
                "run_expected": evidence.get("run_expected", 0),
            }
        )
    return rows


def _charts(experiment, *, with_looks: bool):
    watched = list(experiment.watched.select_related("indicator__analysis"))
    indicators = [item.indicator for item in watched]
    ids = [indicator.pk for indicator in indicators]
    notes = dialogue_selectors.chart_notes(indicator_ids=ids) if with_looks else {}
    phases: dict[int, list] = {}
    for phase in PhaseChange.objects.filter(indicator_id__in=ids).order_by("period"):
        phases.setdefault(phase.indicator_id, []).append(phase)
    items = [
        IndicatorFollowup(
            indicator,
            getattr(indicator, "analysis", None),
            phases.get(indicator.pk, []),
            notes.get(indicator.pk, []),
        )
        for indicator in indicators
    ]
    markup = charts_markup(items)
    return [{"indicator": item.indicator, "chart": markup.get(item.indicator.pk)} for item in items]


@login_required
def unit_experiments(request, unit_id: int):
    unit = chain_selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    experiments = list(selectors.experiments_of_unit(unit=unit))
    return render(
        request,
        "experiments/unit_experiments.html",
        unit_context(
            unit,
            open_experiments=[e for e in experiments if e.is_open],
            studied=[e for e in experiments if e.state == ExperimentState.STUDIED],
            can_change=request.access.can_write(unit) or request.access.can_manage(unit),
        ),
    )


def _initial(request, unit) -> tuple[dict, object]:
    """Prefill from a joint look that chose an experiment, or from the cycle this one follows."""
    initial: dict = {"start_on": timezone.localdate().replace(day=1)}
    previous = None
    look_id = request.GET.get("from_look", "")
    if look_id.isdigit():
        look = dialogue_selectors.look_get_readable(access=request.access, look_id=int(look_id))
        if look.unit_id == unit.pk:
            initial["problem"] = look.summary
            initial["title"] = look.subject
            if look.indicator_id:
                initial["indicators"] = [look.indicator_id]
    previous_id = request.GET.get("previous", "") or request.POST.get("previous", "")
    if previous_id.isdigit():
        previous = selectors.experiment_get_readable(access=request.access, experiment_id=int(previous_id))
        if previous.unit_id != unit.pk:
            raise Http404
        initial |= {
            "title": _("%(title)s, next cycle") % {"title": previous.title},
            "problem": previous.problem,
            "change": previous.change,
            "hypothesis": previous.hypothesis,
            "expected": previous.expected,
            "indicators": list(previous.watched.values_list("indicator_id", flat=True)),
        }
    return initial, previous


@login_required
def experiment_new(request, unit_id: int):
    unit = chain_selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    if not (request.access.can_write(unit) or request.access.can_manage(unit)) or unit.closed_at:
        raise PermissionDenied
    initial, previous = _initial(request, unit)
    form = ExperimentForm(request.POST or None, initial=initial, indicators=_unit_indicators(unit))
    if request.method == "POST" and form.is_valid():
        experiment = apply_service(
            form,
            services.experiment_create,
            actor=request.user,
            access=request.access,
            unit=unit,
            previous=previous,
            **form.cleaned_data,
        )
        if experiment is not None:
            messages.success(request, _("The experiment is recorded. Its start is marked on the charts."))
            return redirect(experiment)
    return render(
        request,
        "experiments/experiment_form.html",
        unit_context(unit, form=form, previous=previous, experiment=None),
    )


def _changeable(request, experiment_id: int):
    experiment = selectors.experiment_get_readable(access=request.access, experiment_id=experiment_id)
    if not selectors.can_change(access=request.access, experiment=experiment):
        raise PermissionDenied
    return experiment


@login_required
def experiment_detail(request, experiment_id: int):
    experiment = selectors.experiment_get_readable(access=request.access, experiment_id=experiment_id)
    foreign = selectors.is_foreign(access=request.access, experiment=experiment)
    can_comment = selectors.can_comment(access=request.access, experiment=experiment)
    context = {
        "experiment": experiment,
        "foreign": foreign,
        "evidence": _evidence_rows(experiment),
        "charts": _charts(experiment, with_looks=not foreign),
        "can_change": not foreign and selectors.can_change(access=request.access, experiment=experiment),
        "can_start": experiment.state == ExperimentState.PLANNED
        and experiment.start_on <= timezone.localdate(),
        "can_study": experiment.state == ExperimentState.RUNNING
        and experiment.study_on <= timezone.localdate(),
        "comments": [] if foreign else list(experiment.comments.select_related("author", "author_unit")),
        "comment_form": CommentForm() if can_comment else None,
        "next_cycles": []
        if foreign
        else list(experiment.next_cycles.exclude(state=ExperimentState.CANCELLED)),
        "adapt": experiment.decision == Decision.ADAPT,
    }
    if foreign:
        return render(
            request, "experiments/experiment_detail.html", {"unit": experiment.unit, "chain": [], **context}
        )
    return render(request, "experiments/experiment_detail.html", unit_context(experiment.unit, **context))


@login_required
def experiment_edit(request, experiment_id: int):
    experiment = _changeable(request, experiment_id)
    if not experiment.is_open:
        raise PermissionDenied
    initial = {
        field: getattr(experiment, field)
        for field in ("title", "problem", "change", "hypothesis", "expected", "start_on", "study_on")
    }
    initial["indicators"] = list(experiment.watched.values_list("indicator_id", flat=True))
    form = ExperimentForm(request.POST or None, initial=initial, indicators=_unit_indicators(experiment.unit))
    if request.method == "POST" and form.is_valid():
        updated = apply_service(
            form,
            services.experiment_update,
            actor=request.user,
            access=request.access,
            experiment=experiment,
            **form.cleaned_data,
        )
        if updated is not None:
            messages.success(request, _("The experiment is saved."))
            return redirect(updated)
    return render(
        request,
        "experiments/experiment_form.html",
        unit_context(experiment.unit, form=form, experiment=experiment, previous=experiment.previous),
    )


def _simple_action(request, experiment_id: int, service, message: str):
    experiment = _changeable(request, experiment_id)
    try:
        service(actor=request.user, access=request.access, experiment=experiment)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, message)
    return redirect(experiment)


@login_required
@require_POST
def experiment_start(request, experiment_id: int):
    return _simple_action(request, experiment_id, services.experiment_start, _("The experiment has started."))


@login_required
@require_POST
def experiment_cancel(request, experiment_id: int):
    return _simple_action(
        request,
        experiment_id,
        services.experiment_cancel,
        _("The experiment is called off; its marks left the charts."),
    )


@login_required
def experiment_study(request, experiment_id: int):
    experiment = _changeable(request, experiment_id)
    if experiment.state != ExperimentState.RUNNING:
        raise PermissionDenied
    form = StudyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        studied = apply_service(
            form,
            services.experiment_study,
            actor=request.user,
            access=request.access,
            experiment=experiment,
            **form.cleaned_data,
        )
        if studied is not None:
            messages.success(request, _("The experiment is studied and is now in the learning archive."))
            return redirect(studied)
    return render(
        request,
        "experiments/experiment_study.html",
        unit_context(
            experiment.unit,
            experiment=experiment,
            form=form,
            evidence=_evidence_rows(experiment),
            too_early=experiment.study_on > timezone.localdate(),
        ),
    )


@login_required
def experiment_peers(request, experiment_id: int):
    experiment = _changeable(request, experiment_id)
    form = PeersForm(request.POST or None, units=selectors.peer_unit_choices(experiment=experiment))
    if request.method == "POST" and form.is_valid():
        invited = apply_service(
            form,
            services.experiment_peers_invite,
            actor=request.user,
            access=request.access,
            experiment=experiment,
            units=form.cleaned_data["units"],
        )
        if invited is not None:
            messages.success(request, _("The units are invited to follow the experiment and comment."))
            return redirect(experiment)
    return render(
        request,
        "experiments/experiment_peers.html",
        unit_context(experiment.unit, experiment=experiment, form=form),
    )


@login_required
@require_POST
def experiment_comment(request, experiment_id: int):
    experiment = selectors.experiment_get_readable(access=request.access, experiment_id=experiment_id)
    if not selectors.can_comment(access=request.access, experiment=experiment):
        raise PermissionDenied
    form = CommentForm(request.POST)
    if form.is_valid():
        comment = apply_service(
            form,
            services.experiment_comment,
            actor=request.user,
            access=request.access,
            experiment=experiment,
            **form.cleaned_data,
        )
        if comment is not None:
            return redirect(f"{experiment.get_absolute_url()}#comment-{comment.pk}")
    messages.error(request, _("Write your comment."))
    return redirect(f"{experiment.get_absolute_url()}#comments-heading")


@login_required
def archive(request):
    kinds = selectors.archive_kinds(access=request.access)
    form = ArchiveForm(request.GET or None, kinds=kinds)
    filters = selectors.ArchiveFilters()
    searched = False
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.ArchiveFilters(
            query=data["q"], indicator=data["indicator"], kind=data["kind"], decision=data["decision"]
        )
        searched = any((data["q"], data["indicator"], data["kind"], data["decision"]))
    found = selectors.archive_search(access=request.access, filters=filters)
    return render(
        request,
        "experiments/archive.html",
        {
            "form": form,
            "results": found,
            "searched": searched,
            "own_organisation": request.access.organisation_id,
        },
    )
