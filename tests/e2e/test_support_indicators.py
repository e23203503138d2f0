"""The upper level's side of the deal, in the browser: Sofia removes the obstacle Aino raised about the
work phones (anonymously, in the demo), the task worker refreshes Hemtjänsten's support indicators, and
the lead time stands on the follow-up chart of "Hinder: arbetsdagar till undanröjt hinder"."""

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from tillit.core.workdays import working_days_between
from tillit.followup.models import AnalysisResult
from tillit.obstacles.enums import EventKind
from tillit.obstacles.models import Obstacle, ObstacleEvent

from .conftest import unit
from .test_accessibility import Scanner

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SOFIA = "sofia.lindberg@exempelby.se"
REMOVAL = "Hinder: arbetsdagar till undanröjt hinder"


def test_a_removed_obstacle_shows_its_lead_time_in_the_upper_levels_support_indicator(page, login):
    hemtjansten = unit("Hemtjänsten")
    phones = Obstacle.objects.get(title__startswith="Våra arbetstelefoner")
    assert (phones.receiving_unit, phones.shows_name, phones.state) == (hemtjansten, False, "raised")
    today = timezone.localdate()
    # The month's value is then this obstacle's alone: nothing else was removed at Hemtjänsten this month.
    assert not ObstacleEvent.objects.filter(
        from_unit=hemtjansten, kind=EventKind.REMOVED, at__date__gte=today.replace(day=1)
    ).exists()
    scanner = Scanner(page)

    login(SOFIA)
    page.goto(f"/obstacles/{phones.pk}/")
    expect(page.locator("main")).to_contain_text("En medarbetare i Hemtjänst Norr")
    expect(page.locator("main")).not_to_contain_text("Aino")
    page.get_by_role("button", name="Vi har sett det och tar oss an det").click()
    page.get_by_label("Vad gjordes, eller varför inte?").fill("Nya telefoner med extra batteri är beställda.")
    page.get_by_role("button", name="Hindret är undanröjt").click()
    expect(page.locator("main")).to_contain_text("Nya telefoner med extra batteri är beställda.")
    scanner.scan("a removed obstacle")

    # The answer queued the refresh of the support indicators, which queues their analysis.
    call_command("db_worker", "--batch", "--no-startup-delay")
    call_command("db_worker", "--batch", "--no-startup-delay")

    expected = working_days_between(timezone.localtime(phones.raised_at).date(), today)
    result = AnalysisResult.objects.get(indicator__unit=hemtjansten, indicator__name=REMOVAL)
    assert (result.latest_period, result.latest_value) == (today.replace(day=1), expected)

    page.goto(f"/units/{hemtjansten.pk}/follow-up/")
    section = page.locator("main section.indicator-followup").filter(
        has=page.get_by_role("heading", name=REMOVAL, exact=True)
    )
    expect(section.locator("figure.chart svg[role=img]")).to_have_count(1)
    expect(section.locator("table")).to_contain_text(f"{expected}")
    scanner.scan("follow-up with the support indicators")
    assert not scanner.reports, "\n".join(scanner.reports)
