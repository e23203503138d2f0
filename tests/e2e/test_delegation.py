"""The delegation register in the browser: "vem kan besluta om bistånd till hemtjänst?" answered with the
biståndshandläggare and the people holding the function; the register's pages and the import flow are
scanned with axe (WCAG 2.1 AA), zero violations."""

import pytest
from playwright.sync_api import expect

from .conftest import ADMINISTRATOR, STAFF
from .test_accessibility import Scanner

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

QUESTION = "vem kan besluta om bistånd till hemtjänst?"


def _von():
    from tillit.delegation.models import DelegationRegister

    return DelegationRegister.objects.get(unit__name="Vård- och omsorgsnämnden")


def _biståndshandläggare() -> list[str]:
    from tillit.chain.models import Membership

    return sorted(
        Membership.objects.filter(title="Biståndshandläggare", ended_at__isnull=True).values_list(
            "person__full_name", flat=True
        )
    )


# The import runs first: the tests after it find the demo's register (and its search index) as before.
def test_the_administrator_imports_a_new_version_of_the_register(page, login, tmp_path):
    scanner = Scanner(page)
    scan = scanner.scan
    register = _von()
    in_force = register.versions.get(in_force=True)

    login(ADMINISTRATOR)
    page.goto(f"/delegation/registers/{register.pk}/")
    with page.expect_download() as download:
        page.locator(f"a[href='/delegation/versions/{in_force.pk}/csv/']").first.click()
    with open(download.value.path(), encoding="utf-8-sig") as file:
        text = file.read()
    broken = tmp_path / "von-broken.csv"
    broken.write_text(
        text.replace("Biståndshandläggare;4 kap. 1 § SoL;nej", "Biståndshandläggare;4 kap. 1 § SoL;kanske"),
        encoding="utf-8",
    )
    changed = tmp_path / "von-2027.csv"
    changed.write_text(text.replace("upp till 100 000 kr", "upp till 150 000 kr"), encoding="utf-8")

    page.get_by_role("link", name="Importera en ny version").click()
    scan("delegation import upload")
    page.get_by_label("Fil (CSV eller Excel xlsx)").set_input_files(str(broken))
    page.locator("main form button.button--primary").click()
    scan("delegation import with problems", expect="main .import-problems")
    expect(page.locator("main")).to_contain_text("Vidaredelegering är kanske")

    page.get_by_role("link", name="Ladda upp en rättad fil").click()
    page.get_by_label("Fil (CSV eller Excel xlsx)").set_input_files(str(changed))
    page.locator("main form button.button--primary").click()
    scan("delegation import preview", expect="main form button.button--primary")
    expect(page.locator("main")).to_contain_text("Ändrat: 1 ärende")
    page.locator("main form button.button--primary").click()
    scan("delegation import preview with errors", expect="main .form-errors")
    page.get_by_label("Beslut").fill("VON 2027-01-21 § 3")
    page.get_by_label("Antagen").fill("2027-01-21")
    page.locator("main form button.button--primary").click()

    page.wait_for_url(f"**/delegation/registers/{register.pk}/")
    expect(page.locator("main .messages, .messages")).to_contain_text("Version 3 är antagen och gäller.")
    expect(page.locator("main")).to_contain_text("VON 2027-01-21 § 3")
    assert scanner.reports == [], "\n".join(scanner.reports)


def test_staff_ask_who_may_decide_about_home_care_and_see_the_biståndshandläggare(page, login):
    scanner = Scanner(page)
    scan = scanner.scan
    names = _biståndshandläggare()

    login(STAFF)
    page.locator("nav.site-nav").get_by_role("link", name="Vem beslutar?").click()
    page.wait_for_url("**/delegation/search/")
    scan("delegation search, empty")

    page.get_by_label("Vem kan besluta om …?").fill(QUESTION)
    page.locator("main form[role=search] button[type=submit]").click()
    first = page.locator("#search-results li.card").first
    expect(first.locator("h3")).to_have_text("Beslut om bistånd i form av hemtjänst")
    expect(first).to_contain_text("Biståndshandläggare")
    expect(first).to_contain_text("4 kap. 1 § SoL")
    expect(first).to_contain_text("Månadsvis till nämnden")
    expect(first).to_contain_text("VON 2026-03-12 § 34")
    for name in names:
        expect(first).to_contain_text(f"{name}, Biståndshandläggare, Biståndsenheten")
    scan("delegation search with answers", expect="#search-results li.card")

    # Schedules are the enhetschef's: Aino's own, Johan Nyström, comes first, his page one click away.
    page.get_by_label("Vem kan besluta om …?").fill("Vem får ändra schemat och arbetstiden?")
    page.locator("main form[role=search] button[type=submit]").click()
    first = page.locator("#search-results li.card").first
    expect(first.locator("h3")).to_have_text("Schemaläggning och fördelning av arbetstid inom enheten")
    first.get_by_role("link", name="Johan Nyström").click()
    expect(page.locator("main h1")).to_have_text("Johan Nyström")

    # The register the answer came from.
    scan("delegation register", f"/delegation/registers/{_von().pk}/")
    expect(page.locator("main table caption").first).to_be_visible()
    scan("delegation register list", "/delegation/")
    version = _von().versions.get(number=2)
    scan("delegation register version with changes", f"/delegation/versions/{version.pk}/")
    expect(page.locator("main")).to_contain_text("Tillagt: 1 ärende")

    assert scanner.reports == [], "\n".join(scanner.reports)


def test_live_results_arrive_while_typing(page, login):
    login(STAFF)
    page.goto("/delegation/search/")

    with page.expect_request(lambda request: "/delegation/search/?q=" in request.url) as htmx_request:
        page.get_by_label("Vem kan besluta om …?").press_sequentially("skolskjuts", delay=20)

    assert htmx_request.value.headers.get("hx-request") == "true"
    expect(page.locator("#search-results li.card").first).to_contain_text("skolskjuts")
