"""The three demo personas sign in with the form and see the steering chain from their place in it."""

import pytest
from playwright.sync_api import expect

from .conftest import MANAGER, POLITICIAN, STAFF, unit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CARE_CHAIN = [
    "Kommunfullmäktige",
    "Vård- och omsorgsnämnden",
    "Vård- och omsorgsförvaltningen",
    "Hemtjänsten",
]


@pytest.mark.parametrize(
    ("email", "own_unit", "chain_above"),
    [
        pytest.param(POLITICIAN, "Vård- och omsorgsnämnden", CARE_CHAIN[:1], id="politician"),
        pytest.param(MANAGER, "Hemtjänst Norr", CARE_CHAIN, id="manager"),
        pytest.param(STAFF, "Hemtjänst Norr", CARE_CHAIN, id="staff"),
    ],
)
def test_persona_sees_the_chain_from_their_place(page, login, email, own_unit, chain_above):
    login(email)

    # Home: "my units" lists the persona's unit, with the chain above it.
    expect(page).to_have_url("/")
    card = page.locator(".card").filter(has=page.get_by_role("link", name=own_unit, exact=True))
    expect(card).to_have_count(1)
    expect(card.locator(".card__chain")).to_contain_text(chain_above[-1])

    # The steering chain: the whole organisation, their own part of it as links.
    page.locator(".site-nav a[href='/chain/']").click()
    expect(page).to_have_url("/chain/")
    tree = page.locator("main .tree").first
    expect(tree.get_by_role("link", name=own_unit, exact=True)).to_be_visible()
    for above in chain_above:
        expect(tree.get_by_role("link", name=above, exact=True)).to_be_visible()
    # Another branch of the organisation is shown as text only: outside the persona's chain.
    expect(tree.locator(".tree__item--outside > .tree__name", has_text="Redovisning")).to_have_count(1)
    expect(tree.get_by_role("link", name="Redovisning", exact=True)).to_have_count(0)

    # Their unit, with the chain above as a breadcrumb ending at the unit itself.
    tree.get_by_role("link", name=own_unit, exact=True).click()
    expect(page).to_have_url(unit(own_unit).get_absolute_url())
    expect(page.locator("main h1")).to_contain_text(own_unit)
    crumbs = page.locator("main nav.breadcrumb li")
    expect(crumbs).to_have_text([*chain_above, own_unit])
    expect(crumbs.last.locator("a")).to_have_attribute("aria-current", "page")

    # The breadcrumb leads up the chain.
    crumbs.nth(len(chain_above) - 1).locator("a").click()
    expect(page.locator("main h1")).to_contain_text(chain_above[-1])
