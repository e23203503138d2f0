"""The demo's trust pulse: three quarterly rounds for vård och omsorg with one real shift, and one open round."""

from datetime import timedelta
from itertools import pairwise

import pytest
from django.db.models import Q

from tests.factories.demo import person, unit
from tillit.chain.selectors import access_for
from tillit.core.clock import today
from tillit.demo import snapshot as demo_snapshot
from tillit.pulse import selectors
from tillit.pulse.enums import PulseState
from tillit.pulse.models import FreeTextAnswer, Invitation, Pulse, PulseCell, PulseUnit, Response

pytestmark = pytest.mark.integration

SCOPE = "Vård- och omsorgsförvaltningen"
ABOVE = ("above_ability", "above_benevolence", "above_integrity", "principle_support")
ROUTINE = ("manager_ability", "manager_benevolence", "manager_integrity", "team_problems", "principle_trust")


def rounds():
    return list(Pulse.objects.filter(scope=unit(SCOPE), state=PulseState.CLOSED).order_by("closes_on"))


def scope_means(pulse: Pulse) -> dict[str, float]:
    return dict(
        PulseCell.objects.filter(pulse=pulse, pulse_unit__unit=pulse.scope, published=True).values_list(
            "item", "mean"
        )
    )


def test_vard_och_omsorg_has_three_quarterly_closed_rounds_and_one_open(db):
    closed = rounds()
    open_round = Pulse.objects.get(scope=unit(SCOPE), state=PulseState.OPEN)

    assert len(closed) == 3
    assert Pulse.objects.filter(organisation__slug="exempelby").count() == 4
    assert not Pulse.objects.filter(organisation__slug="grannby").exists()
    assert today() - timedelta(days=300) < closed[0].closes_on
    gaps = [(later.closes_on - earlier.closes_on).days for earlier, later in pairwise(closed)]
    assert all(80 <= gap <= 100 for gap in gaps), gaps
    assert timedelta(days=7) <= open_round.closes_on - today() <= timedelta(days=21)
    assert open_round.invited == 49
    assert not Response.objects.filter(pulse=open_round, answers__isnull=False).exists()


def test_between_sixty_and_seventy_five_percent_answer_each_round(db):
    for pulse in rounds():
        answered = Response.objects.filter(pulse=pulse, answers__isnull=False).count()
        assert 0.6 <= answered / pulse.invited <= 0.76, (pulse.title, answered, pulse.invited)


def test_trust_in_the_level_above_rises_in_the_third_round_and_the_rest_stays(db):
    first, second, third = (scope_means(pulse) for pulse in rounds())

    for code in ABOVE:
        assert third[code] - max(first[code], second[code]) >= 0.5, code
    for code in ROUTINE:
        assert abs(third[code] - (first[code] + second[code]) / 2) < 0.4, code


def test_small_units_are_suppressed_and_one_group_of_five_too_by_the_residual_rule(db):
    k = 5
    suppressed = PulseCell.objects.filter(pulse__in=rounds(), published=False)
    answered = {}
    for row in PulseUnit.objects.filter(pulse__in=rounds()):
        answered[row.pk] = Response.objects.filter(
            Q(pulse_unit__frame_path__startswith=row.frame_path), pulse=row.pulse, answers__isnull=False
        ).count()

    small = {cell.pulse_unit_id for cell in suppressed if answered[cell.pulse_unit_id] < k}
    residual = {cell.pulse_unit_id for cell in suppressed if answered[cell.pulse_unit_id] >= k}
    assert suppressed.exists()
    assert small
    assert residual  # five answered, yet the förvaltning's own few would be its difference with the whole


def test_hemtjanst_norr_shares_every_round_and_the_level_above_reads_only_that(db):
    karin = access_for(person=person("karin.ekstrom@exempelby.se"))

    for pulse in rounds():
        shared = PulseUnit.objects.filter(pulse=pulse, shared_upward=True).values_list("name", flat=True)
        assert list(shared) == ["Hemtjänst Norr"]
        assert [result.pulse_unit.name for result in selectors.results_for(karin, pulse)] == [
            "Hemtjänst Norr"
        ]


def test_the_demo_copy_keeps_the_pulse_and_no_code_or_free_text_exists(db):
    kept = {table.name for table in demo_snapshot._snapshot.tables}

    assert {model._meta.db_table for model in (Pulse, PulseUnit, PulseCell, Invitation, Response)} <= kept
    assert not FreeTextAnswer.objects.exists()
    assert all(
        len(token_hash) == 64 for token_hash in Invitation.objects.values_list("token_hash", flat=True)
    )


def test_through_the_api_the_chair_reads_norr_and_the_chief_reads_the_whole(api):
    third = rounds()[-1]
    url = f"/api/v1/pulses/{third.pk}/results"

    chair = api(person("karin.ekstrom@exempelby.se")).get(url).json()
    chief = api(person("mikael.holm@exempelby.se")).get(url).json()

    assert [(unit["name"], unit["own"]) for unit in chair["units"]] == [("Hemtjänst Norr", False)]
    assert [unit["name"] for unit in chief["units"]] == [SCOPE, "Hemtjänst Norr"]
    whole = {cell["item"]: cell["result"] for cell in chief["units"][0]["cells"]}
    assert whole["above_ability"]["published"] is True
    assert whole["above_ability"]["answers"] == {"low": 20, "high": 49}
