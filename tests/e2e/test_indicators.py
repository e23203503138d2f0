"""Indicators in the browser: a manager imports data, a broken file is rejected line by line and a good
one previewed and applied; every page of the indicators room passes axe WCAG 2.1 AA."""

import pytest
from playwright.sync_api import expect

from .conftest import MANAGER, unit
from .test_accessibility import FORM_ERRORS, Scanner

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FALLS = "E2E: fall i hemmet"
CONTINUITY = "E2E: personalkontinuitet"

BROKEN = (
    "indikator;period;värde;nämnare\n"
    f"{FALLS};2024-01;3;\n"
    f"{FALLS};2024-02;tre;\n"  # line 3: not a number
    f"{CONTINUITY};2024-01;12;10\n"  # line 4: numerator above denominator
    "Okänd indikator;2024-01;1;\n"  # line 5: no such indicator
)
GOOD = (
    "indikator;period;värde;nämnare;kommentar\n"
    f"{FALLS};2024-01;3;;\n"
    f"{FALLS};2024-02;7;;Halt väglag\n"
    f"{CONTINUITY};2024-01;41;50;\n"
)


def make_indicators(home_care):
    from tillit.chain.access import Access
    from tillit.indicators.services import indicator_create

    common = {
        "actor": None,
        "access": Access.system(),
        "unit": home_care,
        "frequency": "month",
        "origin": "unit",
    }
    falls = indicator_create(
        **common,
        name=FALLS,
        definition="Antal fall i brukarens hem under månaden, ur avvikelsesystemet.",
        purpose_link="Trygghet hemma",
        data_type="count",
        direction="down",
    )
    continuity = indicator_create(
        **common,
        name=CONTINUITY,
        definition="Andel besök av någon av brukarens fem vanligaste medarbetare.",
        purpose_link="Samma ansikten",
        data_type="proportion",
        direction="up",
        scale=100,
    )
    return falls, continuity


def choose_file(page, name: str, text: str):
    page.locator("input[name=file]").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": text.encode("utf-8")}
    )
    page.locator("main form button[type=submit]").click()


def test_manager_rejects_a_broken_file_line_by_line_and_applies_a_good_one(page, login, capsys):
    home_care = unit("Hemtjänst Norr")
    falls, continuity = make_indicators(home_care)
    scanner = Scanner(page)
    scan = scanner.scan
    login(MANAGER)

    scan("indicator list", f"/units/{home_care.pk}/indicators/")
    page.locator(f"main a[href='/units/{home_care.pk}/import/']").first.click()
    scan("import upload")

    # A broken file: every problem with its line, and nothing to apply.
    choose_file(page, "trasig.csv", BROKEN)
    problems = page.locator(".import-problems tbody tr")
    expect(problems).to_have_count(3)
    expect(problems.nth(0).locator("th")).to_have_text("3")
    expect(problems.nth(0).locator("td")).to_contain_text("tre")
    expect(problems.nth(1).locator("th")).to_have_text("4")
    expect(problems.nth(1).locator("td")).to_contain_text("12")
    expect(problems.nth(2).locator("th")).to_have_text("5")
    expect(problems.nth(2).locator("td")).to_contain_text("Okänd indikator")
    expect(page.locator("form[action$='/apply/']")).to_have_count(0)
    scan("import with problems")

    # A good file: the preview counts, then apply.
    page.locator(f"main a[href='/units/{home_care.pk}/import/']").first.click()
    choose_file(page, "bra.csv", GOOD)
    preview = page.locator("main table").first
    expect(preview.locator("tbody tr")).to_have_count(2)
    expect(preview.locator("tbody tr", has_text=FALLS).locator("td").first).to_have_text("2")
    scan("import preview")
    page.locator("form[action$='/apply/'] button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()
    expect(page.locator("main .notice--success")).to_be_visible()
    scan("import result")

    # The values are on the indicator page, with the comment.
    page.goto(falls.get_absolute_url())
    rows = page.locator(".observation-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator("th")).to_have_text("2024-02")
    expect(rows.nth(0)).to_contain_text("7")
    expect(rows.nth(0)).to_contain_text("Halt väglag")
    scan("indicator page")

    # Correct a value: the history shows it.
    page.locator(f"main a[href='/indicators/{falls.pk}/record/?period=2024-02']").click()
    scan("enter a value")
    page.locator("input[name=value]").fill("abc")
    page.locator("main form button[type=submit]").click()
    scan("enter a value with errors", expect=FORM_ERRORS)
    page.locator("input[name=value]").fill("6")
    page.locator("main form button[type=submit]").click()
    corrections = page.locator(".observation-table tbody tr").nth(0).locator("details")
    corrections.locator("summary").click()
    expect(corrections).to_contain_text("7 → 6")
    expect(corrections).to_contain_text("Johan Nyström")
    scan("indicator page with a correction open")

    page.goto(continuity.get_absolute_url())
    expect(page.locator(".observation-table tbody tr").first).to_contain_text("41 / 50")
    scan("the rest of the room's pages: a proportion", expect="main h1")
    scan("new indicator", f"/units/{home_care.pk}/indicators/new/")
    page.locator("main form button[type=submit]").click()
    scan("new indicator with errors", expect=FORM_ERRORS)
    scan("edit indicator", f"/indicators/{falls.pk}/edit/")
    scan("record a change in the work", f"/indicators/{falls.pk}/phase-changes/new/")
    scan("retire indicator", f"/indicators/{falls.pk}/retire/")
    scan("what do we see", f"/units/{home_care.pk}/narrative/")
    page.locator("textarea[name=text]").fill("Fler fall i februari: halt väglag.")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Fler fall i februari")
    scan("indicator list with a narrative")

    with capsys.disabled():
        print(f"\naxe scanned {len(scanner.scanned)} indicator pages")  # noqa: T201
    assert scanner.reports == [], "\n".join(scanner.reports)
