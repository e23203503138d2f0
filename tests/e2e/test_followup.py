"""Follow-up in the browser: the politician's joint-look view of a whole branch, and a unit's charts."""

import re

import pytest
from playwright.sync_api import expect

from tillit.chain.models import Unit

from .conftest import MANAGER, POLITICIAN, unit
from .test_accessibility import Scanner

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_politician_sees_only_the_signals_and_boundaries_of_the_whole_branch(page, login):
    nämnd = unit("Vård- och omsorgsnämnden")
    scanner = Scanner(page)
    login(POLITICIAN)

    # Home: the committee's card says how much needs a joint look below it, and links to the list.
    card = page.locator(".card").filter(has=page.get_by_role("link", name=nämnd.name, exact=True))
    looks = card.locator(".card__looks a")
    expect(looks).to_have_text(re.compile(r"\d+ (sak behöver|saker behöver) en gemensam genomgång"))
    scanner.scan("home with joint-look counts")
    looks.click()
    expect(page).to_have_url(f"/units/{nämnd.pk}/joint-look/")
    scanner.scan("joint-look view of a committee")

    # Only a handful of rows, all from the committee's own branch; the rest is summarised in one line.
    rows = page.locator("main table.joint-look-table tbody tr")
    count = rows.count()
    assert 1 <= count <= 15, count
    unit_names = rows.locator("td:first-child a").all_inner_texts()
    branch = set(
        Unit.objects.filter(path__startswith=nämnd.path, organisation=nämnd.organisation).values_list(
            "name", flat=True
        )
    )
    assert set(unit_names) <= branch, set(unit_names) - branch
    expect(page.locator("main .frame-summary")).to_contain_text(
        re.compile(r"[Ii]nom överenskomna ramar: \d+")
    )

    # A row leads to the unit's follow-up page, at the indicator's chart.
    first = rows.first.locator("th a")
    name = first.inner_text()
    first.click()
    expect(page.locator("main h1")).to_contain_text("Uppföljning")
    section = page.locator("main section.indicator-followup").filter(
        has=page.get_by_role("heading", name=name)
    )
    expect(section.locator("figure.chart svg[role=img]")).to_have_count(1)
    expect(section.locator(".look-note")).to_be_visible()
    scanner.scan("follow-up page as politician")
    assert not scanner.reports, "\n".join(scanner.reports)


def test_a_manager_sees_the_units_charts_with_status_in_words_and_the_table_opens(page, login):
    norr = unit("Hemtjänst Norr")
    scanner = Scanner(page)
    login(MANAGER)

    page.goto(norr.get_absolute_url())
    page.locator("main").get_by_role("link", name=re.compile("Enhetens uppföljning")).click()
    expect(page).to_have_url(f"/units/{norr.pk}/follow-up/")
    charts = page.locator("main figure.chart")
    assert charts.count() >= 10
    # Each chart carries its status in words, not only in colour.
    expect(page.locator("main .status-list").first).to_contain_text("Variation")
    details = charts.first.locator("details")
    details.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(details.locator("table")).to_be_visible()
    scanner.scan("follow-up page as manager, a data table open")
    page.goto(f"/units/{norr.pk}/joint-look/")
    scanner.scan("joint-look view of a unit")
    assert not scanner.reports, "\n".join(scanner.reports)
