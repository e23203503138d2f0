"""New observations reach the stored analysis through the real task queue and worker."""

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from tests.conftest import person, unit
from tests.factories.indicators import indicator as indicator_via_service
from tillit.chain.selectors import access_for
from tillit.followup.models import AnalysisResult
from tillit.indicators.services import ObservationInput, observations_record

from .conftest import STABLE, month

pytestmark = pytest.mark.integration


@pytest.fixture
def committed_demo(transactional_db):
    """The demo, committed: the worker must see what the service wrote (see tests/accounts)."""
    from tillit.chain.models import Organisation
    from tillit.demo.generate import demo_load

    if not Organisation.objects.filter(slug="exempelby").exists():
        demo_load()


def test_recorded_observations_are_analysed_by_the_task_worker(committed_demo):
    manager, norr = person("johan.nystrom@exempelby.se"), unit("Hemtjänst Norr")
    access = access_for(person=manager)
    indicator = indicator_via_service(
        norr,
        actor=manager,
        access=access,
        name="Larm utan åtgärd",
        definition="Trygghetslarm som inte besvarats inom 30 minuter.",
        purpose_link="Trygghet i det egna hemmet",
    )
    DBTaskResult.objects.all().delete()

    observations_record(
        actor=manager,
        access=access,
        indicator=indicator,
        rows=[ObservationInput(period=month(i), value=v) for i, v in enumerate(STABLE)],
        source="form",
    )

    task = DBTaskResult.objects.get(task_path="tillit.followup.tasks.analyse_indicators")
    assert task.status == "READY"
    assert not AnalysisResult.objects.filter(indicator=indicator).exists()

    call_command("db_worker", "--batch", "--no-startup-delay")

    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    result = AnalysisResult.objects.get(indicator=indicator)
    assert result.chart == "c"
    assert result.n == len(STABLE)


def test_writes_inside_a_deferred_block_queue_no_analysis(
    home_care_north, django_capture_on_commit_callbacks
):
    from tillit.core.tasks import deferred
    from tillit.followup.services import analysis_schedule

    with django_capture_on_commit_callbacks() as callbacks:
        with deferred() as held:
            analysis_schedule(organisation_id=home_care_north.organisation_id, indicator_ids=[1])
            analysis_schedule(organisation_id=home_care_north.organisation_id, indicator_ids=[1])
        analysis_schedule(organisation_id=home_care_north.organisation_id, indicator_ids=[2])

    assert len(callbacks) == 1
    assert [call.arguments for call in held] == [
        {"organisation_id": home_care_north.organisation_id, "indicator_ids": [1]}
    ]


def test_retiring_an_indicator_removes_its_analysis_at_once(make_indicator, home_care_north, same_unit):
    from tillit.chain.selectors import access_for
    from tillit.followup.services import analysis_run as run
    from tillit.indicators.services import indicator_retire

    indicator = make_indicator(home_care_north, "Fall", [*STABLE, 40])
    run(organisation_id=home_care_north.organisation_id, indicator_ids=[indicator.pk])

    indicator_retire(actor=same_unit, access=access_for(person=same_unit), indicator=indicator)

    assert not AnalysisResult.objects.filter(indicator=indicator).exists()


def test_an_agreement_coming_into_force_queues_the_analysis_of_its_units_indicators(
    home_care_north, django_capture_on_commit_callbacks
):
    from tillit.agreements.models import AgreementState, AgreementVersion
    from tillit.agreements.services import agreement_sign

    centrum = unit("Hemtjänst Centrum")  # the demo leaves its version proposed, unsigned
    version = AgreementVersion.objects.get(agreement__unit=centrum, state=AgreementState.PROPOSED)
    manager = centrum.memberships.get(role__can_manage=True, ended_at__isnull=True).person
    upper = unit("Hemtjänsten").memberships.get(role__can_manage=True, ended_at__isnull=True).person
    agreement_sign(actor=manager, access=access_for(person=manager), version=version)
    DBTaskResult.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        agreement_sign(actor=upper, access=access_for(person=upper), version=version)

    task = DBTaskResult.objects.get(task_path="tillit.followup.tasks.analyse_indicators")
    assert sorted(task.args_kwargs["kwargs"]["indicator_ids"]) == sorted(
        centrum.indicators.values_list("pk", flat=True)
    )


def test_moving_a_unit_queues_the_analysis_of_its_branch(
    home_care_north, administrator, django_capture_on_commit_callbacks
):
    from tillit.chain.services import unit_move

    DBTaskResult.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        unit_move(
            actor=administrator,
            access=access_for(person=administrator),
            unit=unit("Hemtjänsten"),
            new_parent=unit("Socialförvaltningen"),
        )

    task = DBTaskResult.objects.get(task_path="tillit.followup.tasks.analyse_indicators")
    norr_ids = set(home_care_north.indicators.values_list("pk", flat=True))
    assert norr_ids
    assert norr_ids <= set(task.args_kwargs["kwargs"]["indicator_ids"])
