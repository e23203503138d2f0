"""Reflow (WCAG 1.4.10, which axe does not check): at 320 CSS pixels, the width of a phone or of
a 1280-pixel screen at 400 % zoom, nothing but a data table is wider than the screen."""

import pytest

from .conftest import ADMINISTRATOR, unit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Data tables are exempt (they need two dimensions): hide them, then measure what is left.
# (CSSOM changes are allowed under the strict CSP; only inline style attributes are not.)
TOO_WIDE = """(width) => {
  document.querySelectorAll("table").forEach((table) => { table.style.display = "none"; });
  const overflowing = document.documentElement.scrollWidth;
  return overflowing > width ? `${overflowing}px: ${document.title}` : "";
}"""


def test_pages_reflow_at_320_css_pixels(page, login):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/accounts/login/")
    too_wide = {"/accounts/login/": page.evaluate(TOO_WIDE, 320)}

    login(ADMINISTRATOR)
    home_care = unit("Hemtjänst Norr")
    for url in [
        "/",
        "/chain/",
        home_care.get_absolute_url(),
        f"/units/{home_care.pk}/audit-log/",
        f"/units/{home_care.pk}/move/",
        f"/units/{home_care.pk}/roles/new/",
        "/organisation/",
        "/me/api-tokens/",
        "/accounts/2fa/",
        "/accounts/password/change/",
    ]:
        page.goto(url)
        too_wide[url] = page.evaluate(TOO_WIDE, 320)

    assert {url: elements for url, elements in too_wide.items() if elements} == {}
