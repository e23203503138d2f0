"""Experiments in the browser: Hemtjänst Norr records an experiment, sees its start on the chart,
studies it and decides; the enhetschef of a school then finds it in the learning archive."""

import pytest
from playwright.sync_api import expect

from tillit.experiments.models import Experiment

from .conftest import MANAGER, unit
from .test_accessibility import Scanner

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OTHER_MANAGER = "leila.hassan@exempelby.se"  # enhetschef of Ekskolan
TITLE = "Tvåmannarutter på kvällen"


def test_an_experiment_is_recorded_studied_and_found_in_the_archive(page, login):
    norr = unit("Hemtjänst Norr")
    scanner = Scanner(page)

    login(MANAGER)
    scanner.scan("experiments of a unit", f"/units/{norr.pk}/experiments/")
    page.get_by_role("link", name="Registrera ett försök").click()
    scanner.scan("experiment, new form")
    page.get_by_label("Försökets namn").fill(TITLE)
    page.get_by_label("Vad är problemet?").fill(
        "Kvällsbesöken blir korta när en ensam medarbetare har långa avstånd."
    )
    page.get_by_label("Vilken förändring vill ni pröva?").fill(
        "Två medarbetare kör tillsammans och delar rutten."
    )
    page.get_by_label("Vad tror ni kommer att hända?").fill("Mer tid hos brukarna på kvällen.")
    page.get_by_label("Tid hos brukare").check()
    page.locator("input[name=start_on]").fill("2025-06-01")
    page.locator("input[name=study_on]").fill("2026-06-01")
    page.get_by_role("button", name="Registrera försöket").click()
    experiment = Experiment.objects.get(title=TITLE)
    expect(page).to_have_url(f"/experiments/{experiment.pk}/")
    expect(page.locator("main h1")).to_have_text(f"Försök: {TITLE}")
    expect(page.locator("main figure.chart svg[role=img]")).to_have_count(1)
    scanner.scan("experiment, running")

    # The start stands on the unit's chart; the analysis is brought up to date from the page.
    page.goto(f"/units/{norr.pk}/follow-up/")
    page.locator("main form[action$='/follow-up/analyse/'] button").click()
    indicator = experiment.watched.get().indicator
    section = page.locator(f"main #indicator-{indicator.pk}-section")
    expect(section.locator(".chart__notes")).to_contain_text(f"Försök: {TITLE}")

    # The study: the evidence in words and a table, then a decision.
    page.goto(f"/experiments/{experiment.pk}/")
    page.get_by_role("link", name="Följ upp vad som hände").click()
    expect(page.locator("main table caption")).to_have_text("Före och efter starten, per indikator")
    scanner.scan("experiment, study form")
    page.get_by_label("Vad hände?").fill("Besöken blev lugnare men tiden hos brukarna ändrades lite.")
    page.get_by_label("Behåll: förändringen blir det nya sättet").check()
    page.get_by_label("Vad lärde ni er?").fill(
        "Tvåmannarutter ger trygghet på kvällen; restiden är inte vunnen."
    )
    page.get_by_role("button", name="Spara uppföljningen och beslutet").click()
    expect(page.locator("main")).to_contain_text("Uppföljt: Behåll")
    scanner.scan("experiment, studied")

    # Another unit's manager finds it in the archive by a word from its text.
    page.context.clear_cookies()
    login(OTHER_MANAGER)
    page.goto("/experiments/")
    scanner.scan("learning archive")
    page.get_by_label("Sök", exact=True).fill("tvåmannarutten")
    page.locator("main form[role=search] button").click()
    expect(page.locator("main .archive-hit")).to_have_count(1)
    page.get_by_role("link", name=TITLE).click()
    expect(page).to_have_url(f"/experiments/{experiment.pk}/")
    expect(page.locator("main .chart__notes")).to_contain_text(f"Försök: {TITLE}")
    scanner.scan("experiment, read from another unit")
    assert not scanner.reports, "\n".join(scanner.reports)


def test_peers_are_invited_from_the_experiment_page(page, login):
    experiment = Experiment.objects.get(title="Tio minuter för samtal")
    scanner = Scanner(page)

    login(MANAGER)
    page.goto(f"/experiments/{experiment.pk}/")
    page.get_by_role("link", name="Bjud in kollegor att kommentera").click()
    scanner.scan("experiment, invite peers")
    page.get_by_label("Hemtjänst Öster", exact=False).check()
    page.get_by_role("button", name="Bjud in").click()
    expect(page.locator("main")).to_contain_text("Hemtjänst Öster")
    page.get_by_label("Din kommentar").fill("Vi ser fram emot era synpunkter.")
    page.get_by_role("button", name="Lägg till kommentaren").click()
    expect(page.locator("main .look-note-entry").last).to_contain_text("Vi ser fram emot era synpunkter.")
    assert not scanner.reports, "\n".join(scanner.reports)
