"""The demo's obstacles: a year of them in every state, Aino's waiting at Hemtjänsten, and the support
indicators of Hemtjänsten and the förvaltning with a monthly series on their follow-up pages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import person, unit
from tillit.followup.models import AnalysisResult
from tillit.indicators.models import Observation
from tillit.obstacles.enums import EventKind, ObstacleState, SupportKind
from tillit.obstacles.models import Obstacle, ObstacleEvent, SupportIndicator
from tillit.obstacles.selectors import is_overdue

pytestmark = pytest.mark.integration


def demo_obstacles():
    return Obstacle.objects.filter(organisation__slug="exempelby")


def test_there_are_twenty_odd_obstacles_in_every_state(db):
    obstacles = demo_obstacles()
    assert 15 <= obstacles.count() <= 35
    states = set(obstacles.values_list("state", flat=True))
    assert states == set(ObstacleState.values)
    assert ObstacleEvent.objects.filter(obstacle__in=obstacles, kind=EventKind.PASSED_UP).count() >= 2
    assert ObstacleEvent.objects.filter(obstacle__in=obstacles, kind=EventKind.ESCALATED).count() >= 1
    assert all(o.answer for o in obstacles.filter(state=ObstacleState.DECLINED))
    assert Obstacle.objects.filter(organisation__slug="grannby").count() == 0


def test_some_are_overdue_and_several_are_anonymous(db):
    obstacles = list(demo_obstacles())
    assert sum(is_overdue(o) for o in obstacles) >= 2
    assert sum(not o.shows_name for o in obstacles) >= 5


def test_they_come_mainly_from_home_care_and_a_school_over_the_last_year(db):
    obstacles = demo_obstacles()
    sources = set(obstacles.values_list("raised_in__name", flat=True))
    assert {"Hemtjänst Norr", "Hemtjänst Söder", "Ekskolan"} <= sources
    oldest = obstacles.order_by("raised_at").first().raised_at
    assert timezone.now() - timedelta(days=370) < oldest < timezone.now() - timedelta(days=300)


def test_ainos_obstacle_waits_anonymously_at_hemtjansten(db, client):
    aino = person("aino.korhonen@exempelby.se")
    obstacle = demo_obstacles().get(
        raised_by=aino, title__startswith="Våra arbetstelefoner laddar ur mitt på passet"
    )
    assert (obstacle.state, obstacle.shows_name, obstacle.receiving_unit) == (
        ObstacleState.RAISED,
        False,
        unit("Hemtjänsten"),
    )
    assert not is_overdue(obstacle)
    client.force_login(person("sofia.lindberg@exempelby.se"))
    page = client.get(f"/obstacles/{obstacle.pk}/").content.decode()
    assert "Våra arbetstelefoner" in page
    assert "Aino" not in page
    assert "Vi har sett det och tar oss an det" in page


@pytest.mark.parametrize("name", ["Hemtjänsten", "Vård- och omsorgsförvaltningen"])
def test_the_upper_levels_have_a_year_of_support_indicators_with_analysis(db, client, name):
    receiving = unit(name)
    mappings = SupportIndicator.objects.filter(unit=receiving)
    assert set(mappings.values_list("kind", flat=True)) == set(SupportKind.values)
    ack = mappings.get(kind=SupportKind.ACKNOWLEDGEMENT).indicator
    periods = list(Observation.objects.filter(indicator=ack).values_list("period", flat=True))
    assert len(periods) >= 8
    assert (periods[-1] - periods[0]).days >= 240
    assert AnalysisResult.objects.filter(indicator=ack).exists()
    client.force_login(person("mikael.holm@exempelby.se"))
    body = client.get(f"/units/{receiving.pk}/follow-up/").content.decode()
    assert "Hinder: arbetsdagar till bekräftelse" in body
    assert "Hinder: arbetsdagar till undanröjt hinder" in body
    listing = client.get(f"/units/{receiving.pk}/obstacles/").content.decode()
    assert "Hur snabbt svarar vi?" in listing
