"""Administration in the browser: a manager creates a sub-unit and renames it; bad input is explained."""

import pytest
from playwright.sync_api import expect

from .conftest import MANAGER, unit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_manager_creates_and_renames_a_sub_unit(page, login):
    login(MANAGER)
    home_care = unit("Hemtjänst Norr")
    page.goto(home_care.get_absolute_url())

    # Bad input first: no name. The error is tied to the field and the chosen level stays chosen.
    page.locator(f"main a[href='/units/{home_care.pk}/new-sub-unit/']").click()
    level = page.locator("select[name=level]")
    level.select_option(label="Arbetslag")
    page.locator("main form button[type=submit]").click()
    name = page.locator("input[name=name]")
    expect(page.locator("main .form-errors")).to_be_visible()
    expect(name).to_have_attribute("aria-invalid", "true")
    error = page.locator(".field--error .field__error")
    expect(error).to_have_count(1)
    error_id = error.get_attribute("id")
    assert error_id in (name.get_attribute("aria-describedby") or "").split()
    expect(page.locator(f"#{error_id}")).not_to_be_empty()
    expect(level.locator("option:checked")).to_have_text("Arbetslag")

    # Then a good name: the new unit's page, below Hemtjänst Norr in the breadcrumb.
    name.fill("Arbetslag Nordost")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main h1")).to_contain_text("Arbetslag Nordost")
    expect(page.locator(".messages")).to_contain_text("Arbetslag Nordost")
    expect(page.locator("main nav.breadcrumb li").nth(-2)).to_have_text("Hemtjänst Norr")
    new_unit = unit("Arbetslag Nordost")
    assert new_unit.parent_id == home_care.pk

    # Rename it.
    page.locator(f"main a[href='/units/{new_unit.pk}/rename/']").click()
    expect(page.locator("input[name=name]")).to_have_value("Arbetslag Nordost")
    page.locator("input[name=name]").fill("Arbetslag Norra älvstranden")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(new_unit.get_absolute_url())
    expect(page.locator("main h1")).to_contain_text("Arbetslag Norra älvstranden")

    # The audit log shows who did it.
    page.locator(f"main a[href='/units/{new_unit.pk}/audit-log/']").click()
    rows = page.locator("#event-rows > tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Johan Nyström")
    expect(rows.first).to_contain_text("Arbetslag Norra älvstranden")
