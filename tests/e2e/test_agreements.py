"""A trust agreement in the browser: the manager drafts, proposes and signs; the level above signs; it is
in force. Every agreement page is scanned with axe (WCAG 2.1 AA), zero violations."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import MANAGER, STAFF, unit
from .test_accessibility import Scanner

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

UPPER_MANAGER = "sofia.lindberg@exempelby.se"  # avdelningschef of Hemtjänsten, above Hemtjänst Norr


def _fresh_start(norr):
    """Hemtjänst Norr without an agreement (whatever the demo signed) and with an indicator to bound."""
    from tests.agreements.factories import indicator
    from tillit.agreements.models import Agreement, BoundaryReport

    BoundaryReport.objects.filter(unit=norr).delete()
    Agreement.objects.filter(unit=norr).delete()
    return indicator(norr)


def _sign_out(page):
    page.context.clear_cookies()


def test_manager_drafts_proposes_and_signs_the_level_above_signs_and_it_is_in_force(page, login):
    norr = unit("Hemtjänst Norr")
    falls = _fresh_start(norr)
    scanner = Scanner(page)
    scan = scanner.scan

    # Johan, enhetschef of Hemtjänst Norr, starts the agreement with Hemtjänsten.
    login(MANAGER)
    scan("agreement page without an agreement", f"/units/{norr.pk}/agreement/")
    page.locator(f"main form[action='/units/{norr.pk}/agreement/new-version/'] button").click()
    page.wait_for_url("**/edit/")
    scan("agreement draft form")

    # A boundary with the values the wrong way round is explained, and the input is kept.
    page.locator("textarea[name=mandate_items]").fill("Hur vi planerar dagens besök\nVilka som går till vem")
    page.locator("input[name=review_date]").fill("2030-06-30")
    page.locator("select[name='indicator_boundaries-0-indicator']").select_option(str(falls.pk))
    page.locator("input[name='indicator_boundaries-0-low']").fill("9")
    page.locator("input[name='indicator_boundaries-0-high']").fill("2")
    page.locator("textarea[name='qualitative_boundaries-0-description']").fill(
        "Ett besök uteblir utan besked"
    )
    page.locator("textarea[name='promises-0-text']").fill("Vi svarar på ett hinder ni tar upp")
    page.locator("input[name='promises-0-response_working_days']").fill("10")
    page.locator("main form.agreement-form button.button--primary").click()
    scan("agreement draft form with errors", expect="main .form-errors")
    expect(page.locator("input[name='indicator_boundaries-0-low']")).to_have_value("9")

    # With a decimal comma and a lower value below the upper one it is saved.
    page.locator("input[name='indicator_boundaries-0-low']").fill("")
    page.locator("input[name='indicator_boundaries-0-high']").fill("12,5")
    page.locator("main form.agreement-form button.button--primary").click()
    page.wait_for_url(lambda url: "/edit/" not in url)
    version = _open_version(norr)
    assert [(b.kind, b.low, b.high) for b in version.boundaries.all()] == [
        ("indicator", None, 12.5),
        ("qualitative", None, None),
    ]
    scan("agreement draft version")

    # A comment, then propose and sign for the unit.
    page.locator("main textarea[name=text]").fill("Ska helgerna med i mandatet?")
    page.locator(f"main form[action='/agreement-versions/{version.pk}/comment/'] button").click()
    expect(page.locator("main .agreement-comment")).to_contain_text("Ska helgerna med i mandatet?")
    page.locator(f"main form[action='/agreement-versions/{version.pk}/propose/'] button").click()
    page.locator(f"main form[action='/agreement-versions/{version.pk}/sign/'] button").click()
    expect(page.locator("main .agreement-signatures")).to_contain_text("Johan Nyström")
    expect(page.locator(f"main form[action='/agreement-versions/{version.pk}/sign/']")).to_have_count(0)
    scan("agreement version signed by one side")

    # Sofia Lindberg signs for Hemtjänsten: the agreement is in force.
    _sign_out(page)
    login(UPPER_MANAGER)
    page.goto(f"/units/{norr.parent_id}/")  # her own unit's page lists what waits for her signature
    page.locator(f"main #agreement-heading ~ ul a[href='/agreement-versions/{version.pk}/']").click()
    page.wait_for_url(f"**/agreement-versions/{version.pk}/")
    page.locator(f"main form[action='/agreement-versions/{version.pk}/sign/'] button").click()
    page.wait_for_url(f"**/units/{norr.pk}/agreement/")
    expect(page.locator("main .agreement-signatures")).to_contain_text("Johan Nyström")
    expect(page.locator("main .agreement-signatures")).to_contain_text("Sofia Lindberg")
    expect(page.locator("main .agreement-boundaries")).to_contain_text("Fall per 1000 besöksdagar")
    expect(page.locator("main .agreement-boundaries")).to_contain_text("12,5")
    scan("agreement in force")
    version.refresh_from_db()
    assert version.state == "signed"

    # The unit page's section says so, for both units.
    scan("unit page with its agreement", f"/units/{norr.pk}/")
    expect(page.locator("main #agreement-heading")).to_be_visible()

    # The versions list, a new version and what changed.
    scan("agreement versions", f"/units/{norr.pk}/agreement/versions/")
    page.goto(f"/units/{norr.pk}/agreement/")
    page.locator(f"main form[action='/units/{norr.pk}/agreement/new-version/'] button").click()
    page.wait_for_url("**/edit/")
    page.locator("textarea[name=mandate_items]").fill("Hur vi planerar dagens besök och helgerna")
    page.locator("main form.agreement-form button.button--primary").click()
    page.wait_for_url(lambda url: "/edit/" not in url)
    second = _open_version(norr)
    scan("agreement changes between versions", f"/agreement-versions/{second.pk}/changes/")
    expect(page.locator("main ins").first).to_be_visible()
    expect(page.locator("main del").first).to_be_visible()
    scan("agreement changes of the first version", f"/agreement-versions/{version.pk}/changes/")

    # Aino, staff in Hemtjänst Norr, reports that the qualitative boundary was crossed.
    _sign_out(page)
    login(STAFF)
    boundary = version.boundaries.get(kind="qualitative")
    scan("boundary report form", f"/boundaries/{boundary.pk}/report/")
    page.locator("main button[type=submit]").click()
    scan("boundary report form with errors", expect="main .form-errors")
    page.locator("input[name=occurred_on]").fill(str(timezone.localdate() - timedelta(days=2)))
    page.locator("textarea[name=description]").fill("Ett besök uteblev utan att någon ringde.")
    page.locator("main button[type=submit]").click()
    # The report opened a joint look of the unit and the level above, about the reported event.
    page.wait_for_url("**/joint-looks/*/")
    expect(page.locator("main")).to_contain_text("Ett besök uteblev utan att någon ringde.")
    expect(page.locator("main")).to_contain_text("Någon rapporterade att en gräns har passerats")
    page.goto(f"/units/{norr.pk}/agreement/")
    expect(page.locator("main .agreement-report").first).to_be_visible()

    assert scanner.reports == [], "\n".join(scanner.reports)
    print(f"\naxe scanned {len(scanner.scanned)} agreement pages")  # noqa: T201


def _open_version(norr):
    from tillit.agreements.selectors import agreement_version_open

    return agreement_version_open(unit=norr)
