"""Joint looks in the browser: the home-care group's crossed boundary is talked through by the
enhetschef and the avdelningschef and closed with an outcome that then stands on the chart."""

import pytest
from playwright.sync_api import expect

from tillit.dialogue.models import JointLook

from .conftest import MANAGER, unit
from .test_accessibility import Scanner

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

UPPER_MANAGER = "sofia.lindberg@exempelby.se"  # avdelningschef of Hemtjänsten, above Hemtjänst Norr
SUMMARY = "Två brukare med ny demensdiagnos. Kvällsbesöken förstärks i december; vi följer fallen."


def test_a_crossed_boundary_is_talked_through_and_its_outcome_shows_on_the_chart(page, login):
    norr = unit("Hemtjänst Norr")
    look = JointLook.objects.get(unit=norr, subject="Fall per 1 000 vårddygn", state="open")
    scanner = Scanner(page)

    # Johan (enhetschef) finds the look from the list of what needs a joint look.
    login(MANAGER)
    page.goto(f"/units/{norr.pk}/joint-look/")
    row = page.locator("main table.joint-look-table tbody tr").filter(has_text="Fall per 1 000 vårddygn")
    row.get_by_role("link", name="Öppen sedan").click()
    expect(page).to_have_url(f"/joint-looks/{look.pk}/")
    expect(page.locator("main h1")).to_have_text("Gemensam genomgång: Fall per 1 000 vårddygn")
    expect(page.locator("main .prompt-list")).to_contain_text("Vad behöver ni?")
    expect(page.locator("main figure.chart svg[role=img]")).to_have_count(1)
    scanner.scan("joint look, open")

    # He plans the meeting with Sofia and answers a second question.
    page.get_by_role("link", name="Deltagare och möte").click()
    expect(page.get_by_role("checkbox", name="Sofia Lindberg", exact=False)).to_be_checked()
    page.get_by_label("Vi träffas").fill("2026-12-08")
    scanner.scan("joint look, participants and meeting")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator("main")).to_contain_text("8 december 2026")
    page.get_by_label("Frågan den svarar på").select_option(label="Vad behöver ni?")
    page.get_by_role("textbox", name="Anteckning").fill("Stöd från sjuksköterskan kvällstid.")
    page.get_by_role("button", name="Lägg till anteckningen").click()
    expect(page.locator("main .look-note-entry").last).to_contain_text("Stöd från sjuksköterskan kvällstid.")

    # Sofia (avdelningschef, the level above) closes it with an outcome and a summary.
    page.context.clear_cookies()
    login(UPPER_MANAGER)
    page.goto(f"/joint-looks/{look.pk}/")
    page.get_by_role("link", name="Avsluta med ett utfall").click()
    page.get_by_role("button", name="Avsluta genomgången").click()  # nothing chosen: told what is missing
    expect(page.locator("main .form-errors")).to_be_visible()
    scanner.scan("joint look, close form with errors", expect="main .form-errors")
    page.get_by_label("Försök startat").check()
    page.get_by_label("Sammanfattning").fill(SUMMARY)
    page.get_by_role("button", name="Avsluta genomgången").click()
    expect(page.locator("main .look-summary")).to_contain_text(SUMMARY)
    expect(page.locator("main")).to_contain_text("Avslutad: Försök startat")
    scanner.scan("joint look, closed")

    # The outcome stands on the unit's chart at the period looked at, for everyone along the chain.
    page.goto(f"/units/{norr.pk}/follow-up/")
    section = page.locator(f"main #indicator-{look.indicator_id}-section")
    expect(section.locator(".chart__notes")).to_contain_text(f"Gemensam genomgång: {SUMMARY}")
    page.goto(f"/units/{norr.parent_id}/joint-looks/")
    closed = page.locator("main #closed-heading ~ table")
    expect(closed).to_contain_text("Fall per 1 000 vårddygn")
    expect(closed).to_contain_text("Försök startat")
    scanner.scan("joint looks of a branch")
    assert not scanner.reports, "\n".join(scanner.reports)
