"""The language form in the header switches the interface from Swedish to English."""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from .conftest import MANAGER

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_header_form_switches_to_english(page, login):
    login(MANAGER)
    page.goto("/chain/")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    swedish_heading = page.locator("main h1").inner_text()

    page.locator("#language-select").select_option("en")
    with page.expect_navigation():
        page.locator(".language-form button[type=submit]").click()

    # Back on the same page, now in English.
    expect(page).to_have_url("/chain/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main h1")).to_have_text("Steering chain")
    expect(page.locator(".site-nav")).to_contain_text("My units")
    expect(page.locator("#language-select option:checked")).to_have_attribute("value", "en")
    if Path(settings.LOCALE_PATHS[0], "sv", "LC_MESSAGES", "django.mo").exists():
        assert swedish_heading != "Steering chain"

    # The choice holds on the next page.
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main h1")).to_have_text("My units")
