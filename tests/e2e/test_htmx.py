"""htmx under Django's strict CSP: the audit log loads older changes in place."""

import pytest
from playwright.sync_api import expect

from .conftest import MANAGER, person, unit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EVENTS = 75  # at least: the demo's own events and enough renames to fill more than one page of 50
PAGE = 50

# Registered before any page script: collects CSP violations in the page itself.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def busy_unit(demo):
    """Hemtjänst Norr after many renames by its manager, each one an audit event."""
    from tillit.audit.selectors import audit_events_for_unit
    from tillit.chain import services
    from tillit.chain.selectors import access_for

    manager = person(MANAGER)
    access = access_for(person=manager)
    home_care = unit("Hemtjänst Norr")
    renames = max(EVENTS - audit_events_for_unit(unit=home_care).count() - 1, 0)  # the last rename below
    for number in range(renames):
        home_care = services.unit_rename(
            actor=manager, access=access, unit=home_care, name=f"Hemtjänst Norr {number}"
        )
    home_care = services.unit_rename(actor=manager, access=access, unit=home_care, name="Hemtjänst Norr")
    return home_care, audit_events_for_unit(unit=home_care).count()


def test_show_older_changes_loads_rows_in_place_under_csp(page, login, busy_unit):
    home_care, event_count = busy_unit
    assert PAGE < event_count <= 3 * PAGE
    second_page_end = min(event_count, 2 * PAGE)
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.add_init_script(CSP_LISTENER)
    login(MANAGER)

    log_url = f"/units/{home_care.pk}/audit-log/"
    page.goto(log_url)
    rows = page.locator("#event-rows > tr")
    expect(rows).to_have_count(50 + 1)  # a full page and the "Show older changes" row
    page.evaluate("window.__samePage = true")  # lost if the browser navigates

    # With the keyboard, as a keyboard or screen-reader user would.
    page.locator("#load-more-row a").focus()
    with page.expect_request(lambda request: "page=2" in request.url) as htmx_request:
        page.keyboard.press("Enter")
    assert htmx_request.value.headers.get("hx-request") == "true"

    more = event_count > second_page_end
    expect(rows).to_have_count(second_page_end + more)  # two pages, and "Show older" only if more remain
    # The link is gone with its row; focus lands on the first older change instead of the page.
    expect(rows.nth(PAGE)).to_be_focused()
    expect(page.locator("#load-more-row")).to_have_count(int(more))
    assert page.url.endswith(log_url)
    assert page.evaluate("window.__samePage") is True
    assert page.evaluate("window.__cspViolations") == []
    assert problems == []
