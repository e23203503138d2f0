"""Recording, starting, changing, calling off and studying experiments; phase changes on the charts."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.conftest import person
from tillit.audit.enums import AuditAction
from tillit.audit.models import AuditEvent
from tillit.chain.selectors import access_for
from tillit.experiments import services
from tillit.experiments.enums import Decision, ExperimentState
from tillit.followup.services import analysis_run
from tillit.indicators.models import PhaseChange
from tillit.notifications.models import Notification

from .conftest import FLAT, SHIFTED, month

pytestmark = pytest.mark.integration


def test_recording_a_started_experiment_marks_its_start_on_each_watched_chart(
    make_indicator, record, same_unit, home_care_north
):
    first = make_indicator(home_care_north, "Kontinuitet", FLAT)
    second = make_indicator(home_care_north, "Nöjdhet", FLAT, direction="up")

    experiment = record(same_unit, home_care_north, [first, second], title="Fasta team")

    assert experiment.state == ExperimentState.RUNNING
    assert experiment.unit_kind == home_care_north.level.name
    phases = PhaseChange.objects.filter(indicator__in=[first, second])
    assert sorted((p.indicator_id, p.period, p.label) for p in phases) == [
        (first.pk, month(12), "Försök: Fasta team"),
        (second.pk, month(12), "Försök: Fasta team"),
    ]
    assert AuditEvent.objects.filter(
        action=AuditAction.EXPERIMENT_CREATED, target_id=str(experiment.pk)
    ).exists()


def test_a_future_start_waits_as_planned_and_starting_it_marks_the_chart(
    make_indicator, record, same_unit, home_care_north
):
    indicator = make_indicator(home_care_north, "Kontinuitet", FLAT)
    soon = timezone.localdate().replace(day=1) + timedelta(days=40)

    experiment = record(
        same_unit, home_care_north, [indicator], start_on=soon, study_on=soon + timedelta(days=200)
    )

    assert experiment.state == ExperimentState.PLANNED
    assert not PhaseChange.objects.filter(indicator=indicator).exists()
    with pytest.raises(ValidationError):
        services.experiment_start(actor=same_unit, access=access_for(person=same_unit), experiment=experiment)


def test_taking_an_indicator_away_or_calling_off_removes_the_experiments_phase_change(
    make_indicator, record, same_unit, home_care_north
):
    first = make_indicator(home_care_north, "Kontinuitet", FLAT)
    second = make_indicator(home_care_north, "Nöjdhet", FLAT, direction="up")
    experiment = record(same_unit, home_care_north, [first, second])
    access = access_for(person=same_unit)

    services.experiment_update(
        actor=same_unit,
        access=access,
        experiment=experiment,
        title=experiment.title,
        problem=experiment.problem,
        change=experiment.change,
        hypothesis=experiment.hypothesis,
        expected=experiment.expected,
        indicators=[first],
        start_on=experiment.start_on,
        study_on=experiment.study_on,
    )
    assert list(
        PhaseChange.objects.filter(indicator__in=[first, second]).values_list("indicator_id", flat=True)
    ) == [first.pk]

    services.experiment_cancel(actor=same_unit, access=access, experiment=experiment)
    experiment.refresh_from_db()
    assert experiment.state == ExperimentState.CANCELLED
    assert not PhaseChange.objects.filter(indicator__in=[first, second]).exists()


def test_a_change_already_recorded_at_the_start_is_used_and_never_removed(
    make_indicator, record, same_unit, home_care_north
):
    indicator = make_indicator(home_care_north, "Kontinuitet", FLAT)
    recorded = PhaseChange.objects.create(
        organisation_id=indicator.organisation_id, indicator=indicator, period=month(12), label="Nytt schema"
    )

    experiment = record(same_unit, home_care_north, [indicator])
    services.experiment_cancel(actor=same_unit, access=access_for(person=same_unit), experiment=experiment)

    assert list(PhaseChange.objects.filter(indicator=indicator)) == [recorded]


def test_cancelling_one_experiment_keeps_the_start_mark_another_experiment_uses(
    make_indicator, record, same_unit, home_care_north
):
    indicator = make_indicator(home_care_north, "Kontinuitet", FLAT)
    first = record(same_unit, home_care_north, [indicator], title="Fasta team")
    second = record(same_unit, home_care_north, [indicator], title="Fasta team, kvällar")
    mark = PhaseChange.objects.get(indicator=indicator, period=month(12))

    services.experiment_cancel(actor=same_unit, access=access_for(person=same_unit), experiment=first)

    assert list(PhaseChange.objects.filter(indicator=indicator)) == [mark]
    kept = second.watched.get()
    assert (kept.phase_change, kept.owns_phase_change) == (mark, True)
    services.experiment_cancel(actor=same_unit, access=access_for(person=same_unit), experiment=second)
    assert not PhaseChange.objects.filter(indicator=indicator).exists()


def test_studying_stores_the_evidence_and_the_decision(make_indicator, record, same_unit, home_care_north):
    indicator = make_indicator(home_care_north, "Kontinuitet", SHIFTED)
    experiment = record(same_unit, home_care_north, [indicator])
    analysis_run(organisation_id=home_care_north.organisation_id, indicator_ids=[indicator.pk])

    studied = services.experiment_study(
        actor=same_unit,
        access=access_for(person=same_unit),
        experiment=experiment,
        study_notes="Färre olika ansikten.",
        decision=Decision.ADOPT,
        learning="Fasta team fungerar.",
    )

    assert studied.state == ExperimentState.STUDIED
    assert studied.decision == Decision.ADOPT
    assert studied.evidence[str(indicator.pk)]["verdict"] == "expected"
    assert studied.studied_by == same_unit


def test_a_study_needs_its_words_and_a_decision_and_waits_for_the_study_date(
    make_indicator, record, same_unit, home_care_north
):
    indicator = make_indicator(home_care_north, "Kontinuitet", FLAT)
    early = record(
        same_unit,
        home_care_north,
        [indicator],
        start_on=month(12),
        study_on=timezone.localdate() + timedelta(days=30),
    )
    access = access_for(person=same_unit)

    with pytest.raises(ValidationError) as refused:
        services.experiment_study(
            actor=same_unit, access=access, experiment=early, study_notes="", decision="", learning=""
        )

    assert set(refused.value.error_dict) == {"study_notes", "decision", "learning"}


def test_adapt_leads_to_a_next_cycle_that_follows_it(make_indicator, record, same_unit, home_care_north):
    indicator = make_indicator(home_care_north, "Kontinuitet", FLAT)
    first = record(same_unit, home_care_north, [indicator], start_on=month(6), study_on=month(11))
    services.experiment_study(
        actor=same_unit,
        access=access_for(person=same_unit),
        experiment=first,
        study_notes="Ingen skillnad.",
        decision=Decision.ADAPT,
        learning="Teamen var för stora.",
    )

    second = record(same_unit, home_care_north, [indicator], previous=first, title="Fasta team, andra cykeln")

    assert second.previous == first
    assert list(first.next_cycles.all()) == [second]


def test_only_the_units_own_people_and_its_managers_record_experiments(
    make_indicator, record, other_branch, colleague, home_care_north
):
    indicator = make_indicator(home_care_north, "Kontinuitet", FLAT)
    manager_above = person("sofia.lindberg@exempelby.se")

    with pytest.raises(PermissionDenied):
        record(other_branch, home_care_north, [indicator])
    assert record(colleague, home_care_north, [indicator], title="Från golvet").unit == home_care_north
    assert record(
        manager_above, home_care_north, [indicator], title="Från avdelningen", start_on=month(13)
    ).pk


def test_an_indicator_of_another_unit_cannot_be_watched(
    make_indicator, record, same_unit, home_care_north, ekskolan
):
    elsewhere = make_indicator(ekskolan, "Läsning", FLAT)

    with pytest.raises(ValidationError) as refused:
        record(same_unit, home_care_north, [elsewhere])

    assert "indicators" in refused.value.error_dict


def test_peers_are_invited_and_they_and_the_chain_comment_but_others_do_not(
    make_indicator, record, same_unit, other_branch, home_care_north, ekskolan
):
    from tests.conftest import unit

    indicator = make_indicator(home_care_north, "Kontinuitet", FLAT)
    experiment = record(same_unit, home_care_north, [indicator])
    access = access_for(person=same_unit)

    with pytest.raises(PermissionDenied):
        services.experiment_comment(
            actor=other_branch, access=access_for(person=other_branch), experiment=experiment, text="Hej"
        )
    services.experiment_peers_invite(actor=same_unit, access=access, experiment=experiment, units=[ekskolan])
    comment = services.experiment_comment(
        actor=other_branch,
        access=access_for(person=other_branch),
        experiment=experiment,
        text="Hur gick det?",
    )
    own = services.experiment_comment(actor=same_unit, access=access, experiment=experiment, text="Bra!")

    assert (comment.author_unit, own.author_unit) == (ekskolan, home_care_north)
    assert list(experiment.comments.values_list("text", flat=True)) == ["Hur gick det?", "Bra!"]
    invitation = Notification.objects.get(kind="experiment.invited", url=experiment.get_absolute_url())
    assert invitation.person == other_branch  # Ekskolan's manager hears of it
    assert invitation.params == {"unit": "Hemtjänst Norr", "subject": experiment.title}
    with pytest.raises(ValidationError):
        services.experiment_peers_invite(
            actor=same_unit,
            access=access,
            experiment=experiment,
            units=[unit("Hemtjänst Grannby", "grannby")],
        )
