"""Obstacles in the browser: Aino raises one anonymously-within-unit, Sofia at Hemtjänsten sees it without
Aino's name and declines it with a reason, and Aino reads the reason. Every page is scanned with axe."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from .conftest import STAFF, unit
from .test_accessibility import Scanner

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SOFIA = "sofia.lindberg@exempelby.se"
TITLE = "Dörrkoderna hos brukarna byts utan att vi får veta"
REASON = "Koderna ägs av fastighetsbolaget. Vi har bett dem skicka ändringar till hemtjänsten i förväg."


def test_an_anonymous_obstacle_is_declined_with_a_reason_the_raiser_reads(page, login):
    norr, hemtjansten = unit("Hemtjänst Norr"), unit("Hemtjänsten")
    scanner = Scanner(page)
    login(STAFF)

    # From the unit page to the unit's obstacles and the raise form.
    page.goto(f"/units/{norr.pk}/")
    page.get_by_role("link", name=re.compile("^Hinder")).click()
    expect(page).to_have_url(f"/units/{norr.pk}/obstacles/")
    scanner.scan("obstacle list of a unit")
    page.get_by_role("link", name="Vad hindrar er? Lyft ett hinder").click()
    expect(page.locator("main h1")).to_have_text("Vad hindrar er?")
    page.get_by_label("Vad hindrar er?").fill(TITLE)
    page.get_by_label("Vem påverkas?").fill("Brukarna, som får vänta utanför dörren.")
    page.get_by_label("Vad föreslår ni?").fill("Att vi får besked om nya koder en vecka i förväg.")
    expect(page.get_by_label(re.compile("Anonymt, som medarbetare i Hemtjänst Norr"))).to_be_checked()
    expect(page.get_by_label("Vet inte")).to_be_checked()
    scanner.scan("raise an obstacle")
    page.get_by_role("button", name="Lyft hindret").click()

    expect(page.locator("main h1")).to_have_text(TITLE)
    expect(page.locator(".messages")).to_contain_text("Hindret gick till Hemtjänsten")
    expect(page.locator("main")).to_contain_text("Du, som medarbetare i Hemtjänst Norr")
    expect(page.locator(".obstacle-route")).to_contain_text("Gick till Hemtjänsten")
    obstacle_url = urlsplit(page.url).path
    scanner.scan("obstacle page as the raiser")

    # Sofia, avdelningschef of Hemtjänsten, receives it: no name, only the unit.
    page.context.clear_cookies()
    login(SOFIA)
    page.goto(f"/units/{hemtjansten.pk}/obstacles/")
    received = page.locator("main table").filter(has_text=TITLE)
    expect(received).to_contain_text("En medarbetare i Hemtjänst Norr")
    expect(page.locator("main")).not_to_contain_text("Aino")
    expect(page.locator("main")).to_contain_text("Hur snabbt svarar vi?")
    scanner.scan("obstacle list of the receiving unit")
    received.get_by_role("link", name=TITLE).click()
    expect(page.locator("main")).not_to_contain_text("Aino")
    expect(page.locator("main")).to_contain_text("En medarbetare i Hemtjänst Norr")
    scanner.scan("obstacle page as the receiver")

    # Declining without a reason is refused; with one it goes through.
    page.get_by_role("button", name="Avböj, med skälet").click()
    expect(page.locator(".messages")).to_contain_text("Ge skälet")
    page.get_by_label("Vad gjordes, eller varför inte?").fill(REASON)
    page.get_by_role("button", name="Avböj, med skälet").click()
    expect(page.locator(".messages")).to_contain_text("Hindret är avböjt")
    expect(page.locator("main")).to_contain_text("Avböjt, med skäl")

    # Aino reads the reason.
    page.context.clear_cookies()
    login(STAFF)
    page.goto(obstacle_url)
    expect(page.locator(".obstacle-answer")).to_have_text(REASON)
    expect(page.locator("main h3").filter(has_text="Varför det avböjdes")).to_be_visible()
    scanner.scan("declined obstacle as the raiser")
    assert not scanner.reports, "\n".join(scanner.reports)


def test_suggestions_appear_as_the_raiser_types(page, login):
    norr = unit("Hemtjänst Norr")
    login(STAFF)
    page.goto(f"/units/{norr.pk}/obstacles/new/")
    page.get_by_label("Vad hindrar er?").press_sequentially("Hur besöken planeras mellan medarbetarna")
    suggestion = page.locator("#decision-suggestions input[value^='mandate:']").first
    expect(suggestion).to_be_attached(timeout=5000)
    suggestion.check()
    page.get_by_role("button", name="Lyft hindret").click()
    expect(page.locator(".obstacle-route")).to_contain_text("tillitsöverenskommelsen för Hemtjänst Norr")
