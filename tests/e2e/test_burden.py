"""The reporting-burden register in the browser: Johan sees what Hemtjänst Norr's reports cost and which
are never read, proposes removing one, Sofia (who asks for it) answers "remove", and the hours drop."""

import pytest
from playwright.sync_api import expect

from tillit.burden.models import DataRequest, ReportingRequirement

from .conftest import MANAGER, unit
from .test_accessibility import Scanner

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

UPPER_MANAGER = "sofia.lindberg@exempelby.se"  # avdelningschef of Hemtjänsten, who asks for the weekly report
WEEKLY = "Veckorapport om beläggning och vakanser"


def test_a_never_read_report_is_proposed_for_removal_answered_and_its_hours_drop(page, login, demo):
    norr = unit("Hemtjänst Norr")
    weekly = ReportingRequirement.objects.get(unit=norr, name=WEEKLY)
    scanner = Scanner(page)

    login(MANAGER)
    page.goto(f"/units/{norr.pk}/")
    page.get_by_role("link", name="Rapporteringskrav: vad de kostar och vem som använder dem").click()
    expect(page).to_have_url(f"/units/{norr.pk}/reporting/")
    expect(page.locator("main .burden-total")).to_contain_text(
        "108 timmar per år, ungefär 9,0 timmar i månaden"
    )
    candidates = page.locator("main .candidate-list > li")
    never_read = candidates.filter(
        has_text="Ingen har öppnat den eller använt dess data de senaste 12 månaderna"
    )
    expect(never_read).to_have_count(2)
    expect(page.locator("main svg[role=img] rect")).to_have_count(5)
    scanner.scan("reporting requirements of a unit")

    never_read.filter(has_text=WEEKLY).get_by_role("link", name=WEEKLY).click()
    expect(page).to_have_url(f"/reporting-requirements/{weekly.pk}/")
    scanner.scan("reporting requirement")
    page.get_by_role("link", name="Föreslå borttagning").click()
    scanner.scan("propose removal")
    page.get_by_label("Varför kan rapporten tas bort?").fill(
        "Ingen har läst den på ett år; planeraren har siffrorna."
    )
    page.get_by_role("button", name="Skicka förslaget").click()
    expect(page.locator("main")).to_contain_text("Väntar på svar senast")

    # Sofia, whose department asks for the report, answers on her own page.
    page.context.clear_cookies()
    login(UPPER_MANAGER)
    page.goto(f"/units/{norr.parent_id}/reporting/")
    awaiting = page.locator("main #awaiting-heading ~ table")
    expect(awaiting).to_contain_text(WEEKLY)
    scanner.scan("reporting requirements of a level, with proposals to answer")
    awaiting.get_by_role("link", name=WEEKLY).click()
    scanner.scan("answer a removal proposal")
    page.get_by_label("Ta bort den").check()
    page.get_by_label("Svaret i ord").fill("Vi tar beläggningen direkt ur planeringssystemet.")
    page.get_by_role("button", name="För in svaret").click()
    expect(page.locator("main")).to_contain_text("Den här rapporten upphörde")

    # Johan's burden no longer counts its 39 hours.
    page.context.clear_cookies()
    login(MANAGER)
    page.goto(f"/units/{norr.pk}/reporting/")
    expect(page.locator("main .burden-total")).to_contain_text("69 timmar per år")
    assert not scanner.reports, "\n".join(scanner.reports)


def test_the_register_and_data_request_forms_pass_axe(page, login, demo):
    norr = unit("Hemtjänst Norr")
    answered = DataRequest.objects.filter(unit=norr, state="answered").first()
    ivo = ReportingRequirement.objects.get(unit=norr, requester="IVO")
    scanner = Scanner(page)

    login(MANAGER)
    scanner.scan("register a reporting requirement", f"/units/{norr.pk}/reporting/new/")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator("main .form-errors")).to_be_visible()
    scanner.scan("register a reporting requirement, with errors", expect="main .form-errors")
    scanner.scan("change a reporting requirement", f"/reporting-requirements/{ivo.pk}/edit/")
    scanner.scan("end a reporting requirement", f"/reporting-requirements/{ivo.pk}/end/")
    proposal = ivo.proposals.get(answer="")
    scanner.scan("record an external answer", f"/removal-proposals/{proposal.pk}/answer/")
    scanner.scan("data requests of a unit", f"/units/{norr.pk}/data-requests/")
    expect(page.locator("main")).to_contain_text("4 arbetsdagar")
    scanner.scan("ask for data", f"/units/{norr.pk}/data-requests/new/")
    scanner.scan("a data request", f"/data-requests/{answered.pk}/")
    assert not scanner.reports, "\n".join(scanner.reports)
