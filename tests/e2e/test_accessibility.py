"""axe WCAG 2.1 AA on every distinct page of Tillit, with zero violations allowed.

One test walks all pages, because loading the demo and signing in dominate the cost of a page
scan. Each page is scanned once; the test prints how many distinct pages were scanned and fails
with every page's violations listed together.
"""

import time

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.tokens import default_token_generator
from django.template import loader
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .conftest import ADMINISTRATOR, DEMO_PASSWORD, MANAGER, STAFF, person, unit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WCAG21AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}

# Errors as Django's own form rendering (allauth's templates) and as components/form.html show them.
FORM_ERRORS = "main .errorlist, main .form-errors"

# The distinct pages scanned below; the test fails if a page is added or lost without updating this.
EXPECTED_PAGES = 50


def totp_code(secret: str) -> str:
    """The code an authenticator app would show now, not in the last seconds of its 30."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    if time.time() % 30 > 27:
        time.sleep(30 - time.time() % 30 + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


class Scanner:
    def __init__(self, page):
        self.page = page
        self.axe = Axe()
        self.scanned: list[str] = []
        self.reports: list[str] = []

    def scan(self, name: str, url: str | None = None, *, status: int = 200, expect: str = "main h1"):
        """Open `url` (or scan the page as it is) and record axe's violations under `name`.

        `expect` is a selector that must be visible first, so that the scan sees the intended state.
        """
        assert name not in self.scanned, f"{name} scanned twice"
        if url is not None:
            response = self.page.goto(url)
            assert response.status == status, f"{name}: {url} answered {response.status}"
            assert self.page.url.endswith(url), f"{name}: {url} went on to {self.page.url}"
        self.page.locator(expect).first.wait_for(state="visible", timeout=5000)
        results = self.axe.run(self.page, options=WCAG21AA)
        self.scanned.append(name)
        if results.violations_count:
            self.reports.append(f"--- {name} ({self.page.url})\n{results.generate_report()}")


def test_every_page_passes_axe_wcag21aa(page, login, live_server, capsys):
    scanner = Scanner(page)
    scan = scanner.scan
    home_care = unit("Hemtjänst Norr")
    staff = person(STAFF)

    # Signed out.
    scan("sign-in", "/accounts/login/")
    page.locator("input[name=login]").fill(MANAGER)
    page.locator("input[name=password]").fill("not the password")
    page.locator("main form button[type=submit]").click()
    scan("sign-in with errors", expect=FORM_ERRORS)
    scan("password reset", "/accounts/password/reset/")
    page.locator("main input[name=email]").fill(STAFF)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/accounts/password/reset/done/")
    scan("password reset sent")
    scan("sign-up closed (invitation only)", "/accounts/signup/")
    invited = person("aino.korhonen@exempelby.se")
    uid = urlsafe_base64_encode(force_bytes(invited.pk))
    token = default_token_generator.make_token(invited)
    scan("invitation accept", f"/invitation/{uid}/{token}/")
    page.locator("input[name=password1]").fill("short")
    page.locator("main form button[type=submit]").click()
    scan("invitation accept with errors", expect=".field__error")
    scan("invitation invalid", "/invitation/MQ/not-a-token/", status=400)
    scan("404 signed out", "/no-such-page/", status=404)

    # A manager of Hemtjänst Norr.
    login(MANAGER)
    scan("home: my units", "/")
    scan("chain tree", "/chain/")
    scan("chain tree with closed units", "/chain/?closed=1")
    scan("unit page as manager", home_care.get_absolute_url())
    assert page.locator(f"a[href='/units/{home_care.pk}/new-sub-unit/']").count() == 1
    scan("person page", staff.get_absolute_url())
    scan("audit log", f"/units/{home_care.pk}/audit-log/")
    scan("new sub-unit", f"/units/{home_care.pk}/new-sub-unit/")
    page.locator("main form button[type=submit]").click()
    scan("new sub-unit with errors", expect=".field__error")
    scan("rename unit", f"/units/{home_care.pk}/rename/")
    scan("move unit", f"/units/{home_care.pk}/move/")
    scan("close unit", f"/units/{home_care.pk}/close/")
    scan("invite a person", f"/units/{home_care.pk}/invite/")
    scan("assign a role", f"/units/{home_care.pk}/roles/new/")
    scan("purpose history", f"/units/{home_care.pk}/purpose/history/")
    scan("purpose edit", f"/units/{home_care.pk}/purpose/")
    page.locator("main textarea[name=statement]").fill("")
    page.locator("main form button[type=submit]").click()
    scan("purpose edit with errors", expect=".field__error")
    scan("security", "/me/security/")
    scan("API tokens", "/me/api-tokens/")
    page.locator("input[name=name]").fill("Rapportverktyg")
    page.locator("main form button[type=submit]").last.click()
    scan("API tokens with a new token", expect="#new-token")
    scan("two-factor authentication", "/accounts/2fa/")
    # Activating TOTP asks for the password again first.
    page.goto("/accounts/2fa/totp/activate/")
    scan("reauthentication", expect="input[name=password]")
    page.locator("main input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    scan("TOTP activation", expect="main form")
    page.locator("main input[name=code]").fill("000000")
    page.locator("main form button[type=submit]").click()
    scan("TOTP activation with errors", expect=FORM_ERRORS)
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("main input[name=code]").fill(totp_code(secret))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/totp/activate/" not in url)
    scan("two-factor authentication, TOTP active", "/accounts/2fa/")
    scan("recovery codes", "/accounts/2fa/recovery-codes/")
    scan("new recovery codes", "/accounts/2fa/recovery-codes/generate/")
    scan("TOTP deactivation", "/accounts/2fa/totp/deactivate/")
    scan("password change", "/accounts/password/change/")
    scan("sign out confirmation", "/accounts/logout/")
    scan("404 signed in", "/units/999999/", status=404)
    page.context.clear_cookies()

    # Signing in again now asks for the authenticator's code.
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(MANAGER)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/accounts/2fa/authenticate/")
    scan("two-factor sign-in", expect="main input[name=code]")
    page.context.clear_cookies()

    # A staff member may read the unit but not manage it.
    login(STAFF)
    scan("403", f"/units/{home_care.pk}/new-sub-unit/", status=403)
    scan("unit page as staff", home_care.get_absolute_url())
    page.context.clear_cookies()

    # The organisation's administrator.
    login(ADMINISTRATOR)
    scan("organisation settings", "/organisation/")
    level = home_care.level
    scan("level rename", f"/organisation/levels/{level.pk}/")
    scan("new level", "/organisation/levels/new/")
    scan("new role", "/organisation/roles/new/")
    page.locator("main form button[type=submit]").click()
    scan("new role with errors", expect=".field__error")

    # English.
    page.locator("#language-select").select_option("en")
    with page.expect_navigation():
        page.locator(".language-form button").click()
    assert page.locator("html").get_attribute("lang") == "en"
    scan("organisation settings in English")
    scan("home in English", "/")

    # The 500 page renders without a request context; serve it at a live-server address so
    # that its stylesheet loads as it would in production.
    html = loader.get_template("500.html").render()
    page.route("**/__500__", lambda route: route.fulfill(status=500, body=html, content_type="text/html"))
    scan("500", "/__500__", status=500)

    with capsys.disabled():
        print(  # noqa: T201 -- the page count belongs in the test output
            f"\naxe WCAG 2.1 AA: {len(scanner.scanned)} distinct pages scanned, {len(scanner.reports)} with violations"
        )
    assert not scanner.reports, "\n".join(scanner.reports)
    assert len(scanner.scanned) == EXPECTED_PAGES, scanner.scanned
