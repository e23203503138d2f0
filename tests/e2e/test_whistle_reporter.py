"""The whistleblowing channel in a reporter's phone browser: on the reporter host of the live server
(visselblasning.localhost, which Chromium resolves to the loopback address), a reporter reads the
information page, sends a report while the page's proof of work runs in the background, notes the
receipt, signs in with it, reads the handler's answer (marked as new, once), is warned before pasting
the receipt into a message, gives their identity afterwards, downloads a file and signs out. A second
reporter leaves the form open for over an hour: the page fetches a new challenge and the report goes. Every page is scanned with axe (WCAG 2.1 AA, zero violations),
no page breaks the strict CSP, nothing is wider than a 320-pixel screen, and every request goes to the
reporter host itself (T-02).

The channel is built through the services inside the live server's database; the handler's answer too.
"""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.factories.whistle import whistle_world
from tillit.whistle import throttle
from tillit.whistle.enums import MessageKind
from tillit.whistle.models import IdentityKeyCopy, Message, Report
from tillit.whistle.services import cases

from .test_accessibility import Scanner
from .test_pulse import no_csp_errors, report
from .test_reflow import TOO_WIDE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 3,
}


@pytest.fixture
def reporter_origin(live_server, settings, tmp_path):
    settings.WHISTLE_FILES_DIR = tmp_path / "whistle"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    throttle.reset_all()
    yield f"http://visselblasning.localhost:{urlsplit(live_server.url).port}"
    throttle.reset_all()


@pytest.fixture
def phone(browser, reporter_origin):
    context = browser.new_context(**PHONE, locale="sv-SE")
    yield context.new_page()
    context.close()


def test_a_reporter_on_a_phone_reports_signs_in_with_the_receipt_and_reads_the_answer(
    phone, reporter_origin, capsys
):
    world = whistle_world(slug="vissel")
    page = phone
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    scanner = Scanner(page)
    complaints = no_csp_errors(page)
    base = f"{reporter_origin}/vissel"

    # The information page: the channel's own texts and the fixed legal information.
    scanner.scan("whistle: information", f"{base}/")
    expect(page.locator("main")).to_contain_text("meddelarfrihet")
    expect(page.locator("main")).to_contain_text("Arbetsmiljöverket")
    assert page.context.cookies() == []
    page.locator("main .whistle-actions a.button--primary").first.click()

    # The form: the proof of work runs at once and enables the button; the identity fields show only
    # for a confidential report.
    expect(page.locator("#report-form")).to_be_visible()
    expect(page.locator("#report-submit")).to_be_enabled(timeout=15_000)
    assert page.locator("#pow-counter").input_value() != ""
    expect(page.locator("#report-identity")).to_be_hidden()
    page.locator("input[name=mode][value=confidential]").check()
    expect(page.locator("#report-identity")).to_be_visible()
    scanner.scan("whistle: report form, confidential", expect="#report-identity")
    page.locator("input[name=mode][value=anonymous]").check()
    expect(page.locator("#report-identity")).to_be_hidden()
    scanner.scan("whistle: report form", expect="#report-form")

    # Sending nothing: the error summary, linked to the fields.
    page.locator("#report-submit").click()
    expect(page.locator("main .form-errors")).to_be_visible()
    expect(page.locator("main .form-errors a[href='#id_what']")).to_be_visible()
    expect(page.locator("#report-submit")).to_be_enabled(timeout=15_000)
    scanner.scan("whistle: report form with errors", expect="main .form-errors")

    page.locator("select[name=category]").select_option(index=1)
    page.locator("textarea[name=what]").fill("Någon tar betalt för tjänster som aldrig utförs.")
    page.locator("#report-files").set_input_files(
        files=[{"name": "underlag.txt", "mimeType": "text/plain", "buffer": b"Fakturor 2026"}]
    )
    page.locator("#report-submit").click()

    # The receipt, once, grouped in fours.
    receipt_box = page.locator("#receipt")
    expect(receipt_box).to_be_visible()
    receipt = re.sub(r"\D", "", receipt_box.inner_text())
    assert len(receipt) == 16
    assert receipt_box.locator("span").count() == 4
    assert receipt not in page.url
    scanner.scan("whistle: receipt", expect="#receipt")
    assert page.context.cookies() == []  # still no cookie at all
    report_row = Report.objects.get(channel=world.channel)

    # The inbox: a wrong receipt first, then the right one.
    page.locator("main a.button--primary").click()
    expect(page.locator("input[name=receipt]")).to_have_attribute("autocomplete", "off")
    scanner.scan("whistle: sign-in", expect="input[name=receipt]")
    page.locator("input[name=receipt]").fill("0000 0000 0000 0000")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main .form-errors")).to_be_visible()
    scanner.scan("whistle: sign-in refused", expect="main .form-errors")
    page.locator("input[name=receipt]").fill(" ".join(receipt[i : i + 4] for i in range(0, 16, 4)))
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main h1")).to_contain_text(report_row.case_number)
    cookies = page.context.cookies()
    assert [(c["name"], c["httpOnly"], c["sameSite"]) for c in cookies] == [
        ("tillit-whistle", True, "Strict")
    ]
    scanner.scan("whistle: inbox", expect="main .whistle-facts")

    # The handler answers, through the staff side's services.
    handler = world.handlers[0]
    cases.case_acknowledge(report=report_row, handler=handler, private_key=world.key(handler))
    cases.case_message(
        report=report_row,
        handler=handler,
        private_key=world.key(handler),
        body="Tack. Vilka månader gäller det?",
        kind=MessageKind.MESSAGE,
    )
    page.reload()
    answer = page.locator(".whistle-message", has_text="Vilka månader gäller det?")
    expect(answer).to_be_visible()
    expect(answer).to_contain_text("Handläggare 0")
    expect(page.locator("main .whistle-news")).to_be_visible()  # new since the last visit
    scanner.scan("whistle: inbox with the handler's answer", expect=".whistle-news")
    page.reload()
    expect(page.locator("main .whistle-news")).to_have_count(0)  # shown once

    # Pasting the receipt into a message: held back with a warning until confirmed.
    page.locator("textarea[name=message-body]").fill(f"Mars och april. (Mitt kvitto: {receipt})")
    page.locator("form.whistle-write button[type=submit]").click()
    expect(page.locator("input[name=message-send_anyway]")).to_be_visible()
    assert not Message.objects.filter(report=report_row, author="reporter").exists()
    scanner.scan("whistle: receipt warning", expect="input[name=message-send_anyway]")
    page.locator("textarea[name=message-body]").fill("Mars och april.")
    page.locator("form.whistle-write button[type=submit]").click()
    expect(page.locator("main .notice--success")).to_be_visible()
    assert Message.objects.filter(report=report_row, author="reporter").count() == 1

    # Giving the identity afterwards (L-17): a collapsed section, opened, confirmed, sealed.
    offer = page.locator("details.whistle-disclose")
    expect(offer.locator("input[name=identity-name]")).to_be_hidden()
    offer.locator("summary").click()
    expect(offer.locator("input[name=identity-name]")).to_be_visible()
    scanner.scan("whistle: identity offer", expect="input[name=identity-name]")
    offer.locator("form button[type=submit]").click()
    expect(page.locator("details.whistle-disclose[open] .form-errors")).to_be_visible()
    scanner.scan("whistle: identity offer with errors", expect="details.whistle-disclose .form-errors")
    page.locator("input[name=identity-name]").fill("Vera Visselblåsare")
    page.locator("input[name=identity-confirm]").check()
    page.locator("details.whistle-disclose form button[type=submit]").click()
    expect(page.locator("main .notice--success")).to_be_visible()
    expect(page.locator("details.whistle-disclose")).to_have_count(0)
    given = page.locator("main details.whistle-details")
    given.locator("summary").click()
    expect(given).to_contain_text("Vera Visselblåsare")
    scanner.scan("whistle: identity given", expect="main details.whistle-details[open]")
    report_row.refresh_from_db()
    assert report_row.identity
    assert [copy.person for copy in IdentityKeyCopy.objects.filter(report=report_row)] == [world.custodian]

    # The report's own file, as a download named as it was sent.
    with page.expect_download() as download:
        page.locator("main .whistle-files a", has_text="underlag.txt").click()
    assert download.value.suggested_filename == "underlag.txt"

    # Signing out: the cookie is gone, and the page says so.
    page.locator("form.whistle-sign-out button").click()
    expect(page.locator("main h1")).to_be_visible()
    assert page.context.cookies() == []
    scanner.scan("whistle: signed out")
    page.goto(f"{base}/inkorg/")
    expect(page.locator("input[name=receipt]")).to_be_visible()

    # English, by the path; and the reporter host's own 404.
    page.goto(f"{base}/")
    page.locator(".whistle-languages a[hreflang=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    scanner.scan("whistle: information in English", expect="main h1")
    scanner.scan("whistle: page not found", f"{base}/inget-sadant/", status=404)

    # Reflow (WCAG 1.4.10): at 320 CSS pixels nothing is wider than the screen.
    page.set_viewport_size({"width": 320, "height": 640})
    too_wide = {}
    for path in ("/", "/rapportera/", "/inkorg/"):
        page.goto(f"{base}{path}")
        too_wide[path] = page.evaluate(TOO_WIDE, 320)
    assert {path: width for path, width in too_wide.items() if width} == {}

    page.wait_for_load_state("networkidle")
    foreign = [
        address
        for address in requests
        if urlsplit(address).scheme != "data"
        and f"{urlsplit(address).scheme}://{urlsplit(address).netloc}" != reporter_origin
    ]
    assert requests
    assert foreign == []
    assert any(address.endswith("/static/whistle/proof.js") for address in requests)
    report(scanner, capsys, "the reporter pages")
    assert not complaints, complaints
    assert not scanner.reports, "\n".join(scanner.reports)


def test_a_form_left_open_for_over_an_hour_gets_a_new_challenge_and_is_sent(phone, reporter_origin):
    """The challenge lives an hour. The page renews it after 50 minutes by its timer, and again when
    the reporter sends on a page whose challenge is old (here the clock jumps without the timer)."""
    world = whistle_world(slug="vissel")
    page = phone
    renewals: list[str] = []
    page.on("request", lambda request: renewals.append(request.url) if "/utmaning/" in request.url else None)
    complaints = no_csp_errors(page)
    page.clock.install()
    page.goto(f"{reporter_origin}/vissel/rapportera/")
    expect(page.locator("#report-submit")).to_be_enabled(timeout=15_000)
    first = page.locator("#pow-challenge").input_value()
    page.locator("select[name=category]").select_option(index=1)
    page.locator("textarea[name=what]").fill("Skrivet under lång tid.")

    page.clock.fast_forward("51:00")
    expect(page.locator("#pow-challenge")).not_to_have_value(first, timeout=15_000)
    expect(page.locator("#report-submit")).to_be_enabled(timeout=15_000)
    second = page.locator("#pow-challenge").input_value()
    assert renewals == [f"{reporter_origin}/vissel/rapportera/utmaning/"]

    page.clock.set_system_time(page.evaluate("Date.now()") + 51 * 60 * 1000)
    page.locator("#report-submit").click()
    expect(page.locator("#receipt")).to_be_visible(timeout=15_000)
    assert len(renewals) == 2
    assert Report.objects.filter(channel=world.channel).count() == 1
    assert page.context.cookies() == []
    assert second != first
    assert not complaints, complaints
