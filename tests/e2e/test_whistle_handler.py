"""The whistleblowing channel's handler pages in the browser: a handler signs in with a password and an
authenticator code (the channel requires two-factor authentication), unlocks their keys, opens a new case
within the seven days, acknowledges it and writes to the reporter with an attachment. Every page is scanned
with axe (WCAG 2.1 AA, zero violations), and no page breaks the strict CSP.

The channel, its people and the report are built through the services, in the live server's database;
the authenticator is activated through allauth. Selectors are structural, not the words, so the test
holds whatever the Swedish catalogue says.
"""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from playwright.sync_api import expect

from tests.factories.whistle import PASSPHRASE, PASSWORD, report_sent, whistle_world
from tillit.whistle.enums import MessageKind
from tillit.whistle.models import Attachment, Message, Report

from .test_accessibility import Scanner, totp_code
from .test_pulse import no_csp_errors, report

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SENTINEL = "Det här är rapportens innehåll, E2E-7d2"


@pytest.fixture
def whistle_files(settings, tmp_path):
    settings.WHISTLE_FILES_DIR = tmp_path / "whistle"
    return settings.WHISTLE_FILES_DIR


def sign_in(page, email: str, *, secret: str | None = None) -> None:
    """The real allauth form, then the authenticator's code when the person has one."""
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    if secret is None:
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.locator("main input[name=code]").fill(totp_code(secret))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/accounts/2fa/" not in url and "/accounts/login/" not in url)


def test_a_handler_unlocks_acknowledges_and_writes(page, live_server, whistle_files, capsys):
    world = whistle_world(slug="vissel-e2e")
    handler = world.handlers[0]
    secret = generate_totp_secret()
    TOTP.activate(handler, secret)
    case, _receipt = report_sent(world, text=SENTINEL, attachments=[("bevis.txt", b"bevis")])
    channel_url = f"/visselblasning/{world.channel.slug}/"
    case_url = f"{channel_url}arenden/{case.pk}/"
    scanner = Scanner(page)
    complaints = no_csp_errors(page)

    # Without two-factor authentication at sign-in the channel is closed, with a way to turn it on.
    sign_in(page, world.custodian.email)
    scanner.scan("whistleblowing: two-factor authentication required", "/visselblasning/", status=403)
    expect(page.locator("main a[href='/accounts/2fa/']")).to_be_visible()
    page.context.clear_cookies()

    # With it: the dashboard, the keys, the list of cases with the keys locked.
    sign_in(page, handler.email, secret=secret)
    scanner.scan("whistleblowing dashboard", "/visselblasning/")
    expect(page.locator(f"main a[href='{channel_url}']")).to_be_visible()
    scanner.scan("whistleblowing keys", "/visselblasning/nycklar/")
    scanner.scan("whistleblowing cases, keys locked", channel_url, expect="#cases")
    expect(page.locator("#unlock-link")).to_be_visible()
    expect(page.locator("#cases")).not_to_contain_text(world.channel.categories[0])

    # Opening the case asks for the key passphrase first; a wrong one is refused next to the field.
    page.goto(case_url)
    page.wait_for_url("**/visselblasning/nycklar/las-upp/**")
    scanner.scan("whistleblowing unlock", expect="main input[name=passphrase]")
    page.locator("main input[name=passphrase]").fill("inte den rätta frasen")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#unlock_passphrase_error")).to_be_visible()
    scanner.scan("whistleblowing unlock refused", expect="#unlock_passphrase_error")
    page.locator("main input[name=passphrase]").fill(PASSPHRASE)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{case_url}")

    # The case: its content, the clock within the seven days, not overdue.
    expect(page.locator("#report")).to_contain_text(SENTINEL)
    expect(page.locator("#ack-clock")).to_be_visible()
    expect(page.locator("#ack-clock strong")).to_have_count(0)
    scanner.scan("whistleblowing case", expect="#ack-clock")

    # Acknowledge receipt, then write a message with an attachment.
    page.locator("#acknowledge-form button[type=submit]").click()
    page.wait_for_url(f"**{case_url}")
    expect(page.locator("#acknowledge-form")).to_have_count(0)
    assert Report.objects.get(pk=case.pk).acknowledged_on is not None
    page.locator("#message_body").fill("Tack. Kan du berätta när det hände?")
    page.locator("#message_files").set_input_files(
        files=[{"name": "frågor.txt", "mimeType": "text/plain", "buffer": "Frågor till dig".encode()}]
    )
    page.locator("#message-form button[type=submit]").click()
    page.wait_for_url(f"**{case_url}")
    expect(page.locator("#conversation")).to_contain_text("Kan du berätta när det hände?")
    expect(page.locator("#conversation")).to_contain_text("frågor.txt")
    scanner.scan("whistleblowing case after writing", expect="#conversation li")
    kinds = list(Message.objects.filter(report=case).order_by("sequence").values_list("kind", flat=True))
    assert kinds == [MessageKind.ACKNOWLEDGEMENT, MessageKind.MESSAGE]
    assert Attachment.objects.filter(report=case, message__isnull=False).count() == 1

    # A refused action shows its reason at the top: closing without feedback.
    page.locator("#case-work form button[type=submit]").first.click()
    expect(page.locator("#action-errors")).to_be_visible()
    scanner.scan("whistleblowing case, closing refused", expect="#action-errors")

    # The other pages of the handler's work, with the keys unlocked.
    scanner.scan("whistleblowing cases, keys unlocked", channel_url, expect="#cases")
    expect(page.locator("#cases")).to_contain_text(world.channel.categories[0])
    scanner.scan("whistleblowing registration entry", f"{case_url}registrering/", expect="#registration")
    scanner.scan("whistleblowing oral report", f"{channel_url}muntlig/")
    scanner.scan("whistleblowing passphrase change", "/visselblasning/nycklar/byt-losenfras/")
    scanner.scan("whistleblowing recovery key", "/visselblasning/nycklar/aterstallningsnyckel/")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#recovery-key")).to_have_text(world.recovery_keys[handler.pk])
    scanner.scan("whistleblowing recovery key shown", expect="#recovery-key")
    scanner.scan("whistleblowing recovery", "/visselblasning/nycklar/aterstall/")

    # Locking: the case asks for the passphrase again.
    page.goto("/visselblasning/nycklar/")
    page.locator("main form[action='/visselblasning/nycklar/las/'] button").click()
    page.goto(case_url)
    page.wait_for_url("**/visselblasning/nycklar/las-upp/**")

    report(scanner, capsys, "the handler's pages")
    assert not complaints, complaints
    assert not scanner.reports, "\n".join(scanner.reports)
