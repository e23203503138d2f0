"""Keyboard use: the skip link comes first and leads to the content; focus is always visible."""

import pytest
from playwright.sync_api import expect

from .conftest import MANAGER

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FOCUSED = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  return {
    tag: element.tagName.toLowerCase(),
    id: element.id,
    className: element.className,
    focusVisible: element.matches(":focus-visible"),
    outlineStyle: style.outlineStyle,
    outlineWidth: style.outlineWidth,
  };
}"""


def test_skip_link_is_the_first_tab_stop_and_focus_is_visible(page, login):
    login(MANAGER)
    page.goto("/chain/")

    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUSED)
    assert focused["className"] == "skip-link"
    expect(page.locator(".skip-link")).to_be_in_viewport()  # it shows itself when focused
    assert focused["focusVisible"]
    assert focused["outlineStyle"] != "none"
    assert focused["outlineWidth"] != "0px"

    page.keyboard.press("Enter")
    assert page.evaluate(FOCUSED)["id"] == "main"
    assert page.url.endswith("/chain/#main")

    # The next Tab stop is the first control inside main, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")

    # Every kind of control shows its keyboard focus: links, buttons, selects, summaries.
    page.goto("/")
    seen = set()
    for _stop in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["tag"] == "body":
            break
        assert focused["focusVisible"], focused
        assert focused["outlineStyle"] != "none", focused
        assert focused["outlineWidth"] != "0px", focused
        seen.add(focused["tag"])
    assert {"a", "button", "select"} <= seen, seen
