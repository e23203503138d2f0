"""The experiment pages: recording in the browser's forms, the evidence in words and a table, peers
and comments, and another organisation's view without names."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import person
from tillit.chain.selectors import access_for
from tillit.dialogue import services as dialogue_services
from tillit.dialogue.enums import Outcome
from tillit.experiments import services
from tillit.experiments.enums import Decision, ExperimentState
from tillit.experiments.models import Experiment
from tillit.followup.services import analysis_run
from tillit.indicators.models import PhaseChange

from .conftest import FLAT, SHIFTED, month

pytestmark = pytest.mark.integration


def test_a_unit_records_an_experiment_with_the_form(client, make_indicator, same_unit, home_care_north):
    indicator = make_indicator(home_care_north, "Kontinuitet", FLAT)
    client.force_login(same_unit)

    response = client.post(
        reverse("experiments:experiment-new", args=[home_care_north.pk]),
        {
            "title": "Fasta team",
            "problem": "För många ansikten.",
            "change": "Fasta team.",
            "hypothesis": "Färre ansikten.",
            "expected": "improve",
            "indicators": [indicator.pk],
            "start_on": month(12).isoformat(),
            "study_on": month(20).isoformat(),
        },
    )

    experiment = Experiment.objects.get(unit=home_care_north, title="Fasta team")
    assert response.status_code == 302
    assert response["Location"] == experiment.get_absolute_url()
    assert PhaseChange.objects.filter(indicator=indicator, period=month(12)).exists()


def test_the_detail_page_says_in_words_and_a_table_what_the_chart_shows(
    client, make_indicator, record, same_unit, home_care_north
):
    indicator = make_indicator(home_care_north, "Kontinuitet", SHIFTED)
    experiment = record(same_unit, home_care_north, [indicator])
    analysis_run(organisation_id=home_care_north.organisation_id, indicator_ids=[indicator.pk])
    client.force_login(same_unit)

    page = client.get(experiment.get_absolute_url()).content.decode()

    assert "<caption>" in page
    assert "Försök: Fasta team" in page  # the chart's annotation at the start
    assert f'id="indicator-{indicator.pk}' in page  # the chart
    assert "En signal syntes i den förväntade riktningen." in page


def test_the_study_page_records_the_decision_and_adapt_offers_the_next_cycle(
    client, make_indicator, record, same_unit, home_care_north
):
    indicator = make_indicator(home_care_north, "Kontinuitet", FLAT)
    experiment = record(same_unit, home_care_north, [indicator], start_on=month(6), study_on=month(11))
    client.force_login(same_unit)

    response = client.post(
        reverse("experiments:experiment-study", args=[experiment.pk]),
        {"study_notes": "Ingen skillnad.", "decision": Decision.ADAPT, "learning": "Mindre team."},
    )
    page = client.get(experiment.get_absolute_url()).content.decode()
    next_form = client.get(
        reverse("experiments:experiment-new", args=[home_care_north.pk]) + f"?previous={experiment.pk}"
    )

    experiment.refresh_from_db()
    assert response.status_code == 302
    assert experiment.state == ExperimentState.STUDIED
    assert f"?previous={experiment.pk}" in page
    assert next_form.status_code == 200
    assert next_form.context["form"].initial["indicators"] == [indicator.pk]


def test_a_joint_look_that_chose_an_experiment_offers_to_start_it_prefilled(
    client, make_indicator, same_unit, home_care_north
):
    indicator = make_indicator(home_care_north, "Kontinuitet", FLAT)
    access = access_for(person=same_unit)
    look = dialogue_services.joint_look_open(
        actor=same_unit, access=access, unit=home_care_north, subject="Kontinuiteten", indicator=indicator
    )
    dialogue_services.joint_look_close(
        actor=same_unit, access=access, look=look, outcome=Outcome.EXPERIMENT, summary="Vi provar fasta team."
    )
    client.force_login(same_unit)

    look_page = client.get(look.get_absolute_url()).content.decode()
    form = client.get(
        reverse("experiments:experiment-new", args=[home_care_north.pk]) + f"?from_look={look.pk}"
    )

    assert f"?from_look={look.pk}" in look_page
    assert form.context["form"].initial["problem"] == "Vi provar fasta team."
    assert form.context["form"].initial["indicators"] == [indicator.pk]


def test_an_invited_peer_reads_and_comments_and_others_in_the_organisation_do_not(
    client, make_indicator, record, same_unit, other_branch, home_care_north, ekskolan
):
    indicator = make_indicator(home_care_north, "Kontinuitet", FLAT)
    experiment = record(same_unit, home_care_north, [indicator])
    client.force_login(other_branch)
    assert client.get(experiment.get_absolute_url()).status_code == 404

    services.experiment_peers_invite(
        actor=same_unit, access=access_for(person=same_unit), experiment=experiment, units=[ekskolan]
    )
    response = client.post(
        reverse("experiments:experiment-comment", args=[experiment.pk]), {"text": "Hur gick det?"}
    )
    page = client.get(experiment.get_absolute_url()).content.decode()

    assert response.status_code == 302
    assert "Hur gick det?" in page
    assert "Leila Hassan" in page


def test_another_organisation_reads_a_shared_experiment_without_any_persons_name(
    client, make_indicator, record, same_unit, colleague, other_organisation, home_care_north
):
    indicator = make_indicator(home_care_north, "Kontinuitet", FLAT)
    experiment = record(same_unit, home_care_north, [indicator], start_on=month(6), study_on=month(11))
    access = access_for(person=same_unit)
    services.experiment_comment(
        actor=colleague, access=access_for(person=colleague), experiment=experiment, text="Bra"
    )
    services.experiment_study(
        actor=same_unit,
        access=access,
        experiment=experiment,
        study_notes="Lugnare.",
        decision="adopt",
        learning="Ja.",
    )
    client.force_login(other_organisation)
    assert client.get(experiment.get_absolute_url()).status_code == 404

    services.experiment_share(actor=same_unit, access=access, experiment=experiment, shared=True)
    response = client.get(experiment.get_absolute_url())
    page = response.content.decode()
    archive = client.get(reverse("experiments:archive") + "?q=fasta").content.decode()

    assert response.status_code == 200
    assert "Exempelby kommun" in page
    for name in ("Johan Nyström", "Aino Korhonen", "johan.nystrom"):
        assert name not in page
        assert name not in archive
    assert experiment.title in archive
    assert client.get(reverse("experiments:experiment-study", args=[experiment.pk])).status_code == 403


def test_the_unit_page_and_the_follow_up_page_link_to_the_experiments(client, same_unit, home_care_north):
    client.force_login(same_unit)
    target = reverse("experiments:unit-experiments", args=[home_care_north.pk])

    assert target in client.get(home_care_north.get_absolute_url()).content.decode()
    assert target in client.get(reverse("followup:unit-followup", args=[home_care_north.pk])).content.decode()
    assert client.get(target).status_code == 200


def test_the_archive_page_lists_and_searches(client, other_branch):
    client.force_login(other_branch)

    everything = client.get(reverse("experiments:archive"))
    found = client.get(reverse("experiments:archive") + "?q=kontinuiteten&decision=adopt")

    assert everything.status_code == 200
    assert "Fasta team i planeringen" in found.content.decode()
    assert "Digitala nycklar" not in found.content.decode()
    assert person("leila.hassan@exempelby.se") == other_branch


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_experiment_lists_query_count_does_not_grow(
    client, record, make_indicator, same_unit, home_care_north
):
    indicator = make_indicator(home_care_north, "Kontinuitet", FLAT)
    client.force_login(same_unit)
    pages = [
        reverse("experiments:unit-experiments", args=[home_care_north.pk]),
        reverse("experiments:archive") + "?q=team",
    ]
    client.get(pages[0])  # warm the session
    record(same_unit, home_care_north, [indicator])
    small = [_queries(client, url) for url in pages]
    for number in range(12):
        experiment = record(
            same_unit,
            home_care_north,
            [indicator],
            title=f"Fasta team {number}",
            start_on=month(6),
            study_on=month(11),
        )
        if number % 2:
            services.experiment_study(
                actor=same_unit,
                access=access_for(person=same_unit),
                experiment=experiment,
                study_notes="Det blev lugnare.",
                decision=Decision.ADOPT,
                learning="Vi lärde oss att planera i team.",
            )
    large = [_queries(client, url) for url in pages]

    assert large == small
    # The unit's experiments with their watched indicators; the archive's search and its kinds (and the
    # navigation's unread count on each).
    assert small <= [10, 9]
