"""Writes for experiments: recorded, started (a phase change on each watched chart), studied with the
evidence and a decision, shared, and followed by peers' comments.

Every function checks the caller's access itself (views only pass it on; `access=None` is the demo and
the system) and records an audit event. Phase changes go through tillit.indicators.services, which
re-schedule the analysis.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tillit.audit.enums import AuditAction
from tillit.audit.services import audit_record
from tillit.chain.access import Access
from tillit.chain.models import Membership, Unit
from tillit.chain.selectors import unit_people
from tillit.core.text import clean_line, clean_text
from tillit.experiments import selectors, text
from tillit.experiments.enums import Decision, Expected, ExperimentState
from tillit.experiments.models import Experiment, ExperimentComment, ExperimentIndicator, ExperimentPeer
from tillit.indicators import services as indicator_services
from tillit.indicators.models import Indicator, PhaseChange
from tillit.indicators.periods import period_start
from tillit.notifications.enums import NotificationKind
from tillit.notifications.services import notification_send

MAX_TEXT = 4000
TEXT_FIELDS = ("title", "problem", "change", "hypothesis")


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(
            _("Only the unit's own people and those who manage it can change its experiments.")
        )


def _require_change(access: Access | None, unit) -> None:
    if access is not None:
        _require(unit.closed_at is None and (access.can_write(unit) or access.can_manage(unit)))


def phase_label(title: str) -> str:
    """The chart's annotation, stored in the installation's language whoever records it."""
    with translation.override(settings.LANGUAGE_CODE):
        return (_("Experiment: %(title)s") % {"title": title})[:200]


def _search_text(experiment: Experiment, indicator_names: list[str]) -> str:
    parts = [
        experiment.title,
        experiment.problem,
        experiment.change,
        experiment.hypothesis,
        experiment.learning,
    ]
    return "\n".join([*parts, *indicator_names])


def _reindex(experiment: Experiment) -> None:
    names = list(experiment.watched.values_list("indicator__name", flat=True))
    experiment.search_text = _search_text(experiment, names)
    experiment.search_stems = text.stemmed(experiment.search_text)
    Experiment.objects.filter(pk=experiment.pk).update(
        search_text=experiment.search_text, search_stems=experiment.search_stems
    )


def _clean(values: dict, *, unit) -> tuple[dict, dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    cleaned = {"title": clean_line(values.get("title", ""))}
    for field in ("problem", "change", "hypothesis"):
        cleaned[field] = clean_text(values.get(field, ""))
    prompts = {
        "title": _("Give the experiment a short name."),
        "problem": _("What is the problem you want to solve?"),
        "change": _("What will you do differently?"),
        "hypothesis": _("What do you expect to happen, and which way should the data move?"),
    }
    for field in TEXT_FIELDS:
        if not cleaned[field]:
            errors[field] = [prompts[field]]
        elif len(cleaned[field]) > (200 if field == "title" else MAX_TEXT):
            errors[field] = [_("This is too long.")]
    cleaned["expected"] = values.get("expected") or Expected.IMPROVE
    if cleaned["expected"] not in Expected.values:
        errors["expected"] = [_("Choose a direction.")]
    start_on, study_on = values.get("start_on"), values.get("study_on")
    if not isinstance(start_on, date):
        errors["start_on"] = [_("When does the experiment start?")]
    if not isinstance(study_on, date):
        errors["study_on"] = [_("When will you study what happened?")]
    elif isinstance(start_on, date) and study_on <= start_on:
        errors["study_on"] = [_("The study comes after the start.")]
    cleaned["start_on"], cleaned["study_on"] = start_on, study_on
    indicators = list(values.get("indicators") or [])
    if any(indicator.unit_id != unit.pk or indicator.retired_at is not None for indicator in indicators):
        errors["indicators"] = [_("Choose among the unit's own indicators.")]
    if not indicators:
        errors["indicators"] = [_("Choose at least one indicator to watch on the chart.")]
    cleaned["indicators"] = indicators
    return cleaned, errors


def _has_started(start_on: date, today: date) -> bool:
    return start_on <= today


def _attach(*, actor, experiment: Experiment, indicator: Indicator) -> ExperimentIndicator:
    """Watch one indicator; once started, its chart gets a phase change at the start period (or uses one
    already recorded there)."""
    watched = ExperimentIndicator.objects.create(
        organisation_id=experiment.organisation_id, experiment=experiment, indicator=indicator
    )
    if experiment.state == ExperimentState.RUNNING:
        _mark_start(actor=actor, watched=watched, experiment=experiment)
    return watched


def _mark_start(*, actor, watched: ExperimentIndicator, experiment: Experiment) -> None:
    indicator = watched.indicator
    period = period_start(indicator.frequency, experiment.start_on)
    existing = PhaseChange.objects.filter(indicator=indicator, period=period).first()
    if existing is not None:
        watched.phase_change, watched.owns_phase_change = existing, False
    else:
        # The experiment's own access was checked; the phase change is the unit's record of it.
        watched.phase_change = indicator_services.phase_change_create(
            actor=actor,
            access=Access.system(),
            indicator=indicator,
            period=period,
            label=phase_label(experiment.title),
        )
        watched.owns_phase_change = True
    watched.save(update_fields=["phase_change", "owns_phase_change"])


def _release_phase_change(*, actor, watched: ExperimentIndicator) -> None:
    """This experiment no longer marks the chart. The phase change it made goes too, unless another
    experiment uses it: then that one owns it, and the chart keeps the mark."""
    if not watched.owns_phase_change or watched.phase_change_id is None:
        return
    heir = (
        ExperimentIndicator.objects.filter(phase_change_id=watched.phase_change_id)
        .exclude(pk=watched.pk)
        .order_by("pk")
        .first()
    )
    if heir is not None:
        heir.owns_phase_change = True
        heir.save(update_fields=["owns_phase_change"])
    else:
        indicator_services.phase_change_delete(
            actor=actor, access=Access.system(), phase_change=watched.phase_change
        )


def _detach(*, actor, watched: ExperimentIndicator) -> None:
    _release_phase_change(actor=actor, watched=watched)
    watched.delete()


@transaction.atomic
def experiment_create(
    *, actor, access: Access | None, unit: Unit, previous: Experiment | None = None, **values
) -> Experiment:
    """Record an experiment. If its start has come, it is running and its charts carry the start."""
    unit = Unit.objects.select_related("level", "organisation").get(pk=unit.pk)
    _require_change(access, unit)
    cleaned, errors = _clean(values, unit=unit)
    if previous is not None and previous.unit_id != unit.pk:
        errors["previous"] = [_("A next cycle belongs to the same unit.")]
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    experiment = Experiment.objects.create(
        organisation_id=unit.organisation_id,
        unit=unit,
        unit_kind=unit.level.name,
        title=cleaned["title"],
        problem=cleaned["problem"],
        change=cleaned["change"],
        hypothesis=cleaned["hypothesis"],
        expected=cleaned["expected"],
        start_on=cleaned["start_on"],
        study_on=cleaned["study_on"],
        state=ExperimentState.RUNNING
        if _has_started(cleaned["start_on"], today)
        else ExperimentState.PLANNED,
        previous=previous,
        shared_beyond_organisation=bool(values.get("shared_beyond_organisation", False)),
        created_by=actor if actor is not None and actor.pk else None,
    )
    for indicator in cleaned["indicators"]:
        _attach(actor=actor, experiment=experiment, indicator=indicator)
    _reindex(experiment)
    audit_record(
        actor=actor,
        organisation=unit.organisation,
        unit=unit,
        action=AuditAction.EXPERIMENT_CREATED,
        target=experiment,
        after={
            "title": experiment.title,
            "start_on": experiment.start_on.isoformat(),
            "indicators": [indicator.name for indicator in cleaned["indicators"]],
            "previous": previous.pk if previous else None,
        },
    )
    return experiment


def _locked(experiment: Experiment) -> Experiment:
    return (
        Experiment.objects.select_for_update()
        .select_related("unit__organisation", "unit__level")
        .get(pk=experiment.pk)
    )


@transaction.atomic
def experiment_update(*, actor, access: Access | None, experiment: Experiment, **values) -> Experiment:
    """Change an experiment before it is studied. Indicators taken away lose the experiment's phase
    change; a moved start moves it."""
    experiment = _locked(experiment)
    unit = experiment.unit
    _require_change(access, unit)
    if not experiment.is_open:
        raise ValidationError(_("A studied or cancelled experiment is kept as it was."))
    cleaned, errors = _clean(values, unit=unit)
    start_on = cleaned["start_on"]
    if (
        experiment.state == ExperimentState.RUNNING
        and isinstance(start_on, date)
        and start_on > timezone.localdate()
    ):
        errors["start_on"] = [_("The experiment has started: its start cannot move into the future.")]
    if errors:
        raise ValidationError(errors)
    before = {field: getattr(experiment, field) for field in TEXT_FIELDS}
    moved = cleaned["start_on"] != experiment.start_on
    wanted = {indicator.pk: indicator for indicator in cleaned["indicators"]}
    for watched in list(experiment.watched.select_related("indicator", "phase_change")):
        if watched.indicator_id not in wanted or moved:
            _detach(actor=actor, watched=watched)
    for field in (*TEXT_FIELDS, "expected", "start_on", "study_on"):
        setattr(experiment, field, cleaned[field])
    experiment.save()
    kept = set(experiment.watched.values_list("indicator_id", flat=True))
    for pk, indicator in wanted.items():
        if pk not in kept:
            _attach(actor=actor, experiment=experiment, indicator=indicator)
    _reindex(experiment)
    audit_record(
        actor=actor,
        organisation=unit.organisation,
        unit=unit,
        action=AuditAction.EXPERIMENT_UPDATED,
        target=experiment,
        before={key: str(value) for key, value in before.items()},
        after={
            **{field: str(getattr(experiment, field)) for field in TEXT_FIELDS},
            "start_on": experiment.start_on.isoformat(),
            "indicators": [indicator.name for indicator in wanted.values()],
        },
    )
    return experiment


@transaction.atomic
def experiment_start(
    *, actor, access: Access | None, experiment: Experiment, today: date | None = None
) -> Experiment:
    """A planned experiment whose start has come begins: each watched chart gets its phase change."""
    experiment = _locked(experiment)
    _require_change(access, experiment.unit)
    today = today or timezone.localdate()
    if experiment.state != ExperimentState.PLANNED:
        raise ValidationError(_("The experiment has already started."))
    if not _has_started(experiment.start_on, today):
        raise ValidationError(_("The start date has not come yet."))
    experiment.state = ExperimentState.RUNNING
    experiment.save(update_fields=["state", "updated_at"])
    for watched in experiment.watched.select_related("indicator"):
        _mark_start(actor=actor, watched=watched, experiment=experiment)
    audit_record(
        actor=actor,
        organisation=experiment.unit.organisation,
        unit=experiment.unit,
        action=AuditAction.EXPERIMENT_UPDATED,
        target=experiment,
        before={"state": ExperimentState.PLANNED},
        after={"state": ExperimentState.RUNNING},
    )
    return experiment


@transaction.atomic
def experiment_cancel(*, actor, access: Access | None, experiment: Experiment) -> Experiment:
    """Call off an experiment before it is studied: its phase changes leave the charts."""
    experiment = _locked(experiment)
    _require_change(access, experiment.unit)
    if not experiment.is_open:
        raise ValidationError(_("A studied experiment is kept as it was."))
    state = experiment.state
    for watched in list(experiment.watched.select_related("indicator", "phase_change")):
        _release_phase_change(actor=actor, watched=watched)
        watched.phase_change, watched.owns_phase_change = None, False
        watched.save(update_fields=["phase_change", "owns_phase_change"])
    experiment.state = ExperimentState.CANCELLED
    experiment.save(update_fields=["state", "updated_at"])
    audit_record(
        actor=actor,
        organisation=experiment.unit.organisation,
        unit=experiment.unit,
        action=AuditAction.EXPERIMENT_UPDATED,
        target=experiment,
        before={"state": state},
        after={"state": ExperimentState.CANCELLED},
    )
    return experiment


@transaction.atomic
def experiment_study(
    *,
    actor,
    access: Access | None,
    experiment: Experiment,
    study_notes: str,
    decision: str,
    learning: str,
    shared_beyond_organisation: bool = False,
    today: date | None = None,
) -> Experiment:
    """Record what happened, with the charts' evidence as it stands now, and the decision."""
    experiment = _locked(experiment)
    _require_change(access, experiment.unit)
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if experiment.state != ExperimentState.RUNNING:
        raise ValidationError(_("Only a running experiment can be studied."))
    if today < experiment.study_on:
        errors["study_notes"] = [_("The planned study date has not come yet.")]
    study_notes, learning = clean_text(study_notes), clean_text(learning)
    if not study_notes:
        errors["study_notes"] = [_("What happened? A few sentences are enough.")]
    if not learning:
        errors["learning"] = [_("What did you learn? It is what others will read in the archive.")]
    if decision not in Decision.values:
        errors["decision"] = [_("Adopt, adapt or abandon?")]
    for field, value in (("study_notes", study_notes), ("learning", learning)):
        if len(value) > MAX_TEXT:
            errors[field] = [_("This is too long.")]
    if errors:
        raise ValidationError(errors)
    evidence = selectors.experiment_evidence(experiment=experiment)
    experiment.evidence = {str(item.indicator.pk): item.evidence for item in evidence}
    experiment.study_notes, experiment.decision, experiment.learning = study_notes, decision, learning
    experiment.shared_beyond_organisation = bool(shared_beyond_organisation)
    experiment.state = ExperimentState.STUDIED
    experiment.studied_at = timezone.now()
    experiment.studied_by = actor if actor is not None and actor.pk else None
    experiment.save()
    _reindex(experiment)
    audit_record(
        actor=actor,
        organisation=experiment.unit.organisation,
        unit=experiment.unit,
        action=AuditAction.EXPERIMENT_STUDIED,
        target=experiment,
        after={
            "decision": decision,
            "verdicts": {item.indicator.name: item.evidence["verdict"] for item in evidence},
            "shared_beyond_organisation": experiment.shared_beyond_organisation,
        },
    )
    return experiment


@transaction.atomic
def experiment_share(*, actor, access: Access | None, experiment: Experiment, shared: bool) -> Experiment:
    experiment = _locked(experiment)
    _require_change(access, experiment.unit)
    if experiment.shared_beyond_organisation != shared:
        experiment.shared_beyond_organisation = shared
        experiment.save(update_fields=["shared_beyond_organisation", "updated_at"])
        audit_record(
            actor=actor,
            organisation=experiment.unit.organisation,
            unit=experiment.unit,
            action=AuditAction.EXPERIMENT_SHARED,
            target=experiment,
            after={"shared_beyond_organisation": shared},
        )
    return experiment


@transaction.atomic
def experiment_peers_invite(
    *, actor, access: Access | None, experiment: Experiment, units
) -> list[ExperimentPeer]:
    """Invite other units of the organisation to follow the experiment and comment on it."""
    experiment = _locked(experiment)
    _require_change(access, experiment.unit)
    units = list(units)
    if not units:
        raise ValidationError({"units": [_("Choose at least one unit to invite.")]})
    for unit in units:
        if unit.organisation_id != experiment.organisation_id or unit.pk == experiment.unit_id:
            raise ValidationError({"units": [_("Invite other units of your own organisation.")]})
    known = set(experiment.peers.values_list("unit_id", flat=True))
    invited = [
        ExperimentPeer.objects.create(
            organisation_id=experiment.organisation_id,
            experiment=experiment,
            unit=unit,
            invited_by=actor if actor is not None and actor.pk else None,
        )
        for unit in units
        if unit.pk not in known
    ]
    if invited:
        notification_send(
            organisation=experiment.unit.organisation,
            recipients=unit_people(unit_ids=[peer.unit_id for peer in invited], managers_only=True),
            kind=NotificationKind.EXPERIMENT_INVITED,
            params={"unit": experiment.unit.name, "subject": experiment.title},
            url=experiment.get_absolute_url(),
            unit=experiment.unit,
            actor=actor,
        )
        audit_record(
            actor=actor,
            organisation=experiment.unit.organisation,
            unit=experiment.unit,
            action=AuditAction.EXPERIMENT_PEERS_INVITED,
            target=experiment,
            after={"units": [peer.unit.name for peer in invited]},
        )
    return invited


@transaction.atomic
def experiment_comment(
    *, actor, access: Access | None, experiment: Experiment, text: str, at=None
) -> ExperimentComment:
    """A comment from the unit's chain or an invited peer unit."""
    experiment = (
        Experiment.objects.select_related("unit__organisation")
        .prefetch_related("peers__unit")
        .get(pk=experiment.pk)
    )
    if access is not None and not selectors.can_comment(access=access, experiment=experiment):
        raise PermissionDenied(_("Only the unit's chain and the invited units comment here."))
    text = clean_text(text)
    if not text:
        raise ValidationError({"text": [_("Write your comment.")]})
    if len(text) > MAX_TEXT:
        raise ValidationError({"text": [_("This is too long.")]})
    author_unit = _author_unit(actor=actor, experiment=experiment)
    comment = ExperimentComment.objects.create(
        organisation_id=experiment.organisation_id,
        experiment=experiment,
        author=actor,
        author_unit=author_unit,
        text=text,
        at=at or timezone.now(),
    )
    audit_record(
        actor=actor,
        organisation=experiment.unit.organisation,
        unit=experiment.unit,
        action=AuditAction.EXPERIMENT_COMMENTED,
        target=comment,
        after={"experiment": experiment.title},
    )
    return comment


def _author_unit(*, actor, experiment: Experiment):
    """The commenter's unit: an invited one they belong to, else the one nearest the experiment's unit."""
    memberships = list(
        Membership.objects.filter(
            person=actor, organisation_id=experiment.organisation_id, ended_at__isnull=True
        )
        .select_related("unit")
        .order_by("-unit__depth")
    )
    peers = {peer.unit_id for peer in experiment.peers.all()}
    for membership in memberships:
        if membership.unit_id in peers:
            return membership.unit
    for membership in memberships:
        if experiment.unit.path.startswith(membership.unit.path):
            return membership.unit
    return memberships[0].unit if memberships else None
