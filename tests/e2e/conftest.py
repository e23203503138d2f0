"""Browser tests: Debian Chromium driven by pytest-playwright against Django's live server.

The live server runs in a thread, so the data must be committed: every e2e test uses
`django_db(transaction=True)`, which flushes the database after each test. The session-loaded
demo of `tests/conftest.py` is therefore gone here; the `demo` fixture loads it again per test.
"""

import os
from urllib.parse import urlsplit

import pytest

# Sync Playwright runs an event loop in the test thread; Django's ORM refuses that without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

DEMO_PASSWORD = "tillit-demo"  # the demo's printed password, not a secret
POLITICIAN = "karin.ekstrom@exempelby.se"
MANAGER = "johan.nystrom@exempelby.se"
STAFF = "aino.korhonen@exempelby.se"
ADMINISTRATOR = "elin.wallin@exempelby.se"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM", "/usr/bin/chromium"),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Swedish is the default language; the browser asks for it like a Swedish user's would.
    return {**browser_context_args, "locale": "sv-SE"}


@pytest.fixture(scope="session")
def base_url(live_server):
    # Session-scoped because pytest-playwright's browser_context_args depends on it.
    return live_server.url


@pytest.fixture
def live_host(base_url):
    return urlsplit(base_url).netloc


@pytest.fixture
def demo(transactional_db):
    """The demo municipality, committed so that the live server's thread sees it.

    The first transactional test still finds the demo that `django_db_setup` loaded for the session;
    every later one finds a flushed database and loads it again (~1.5 s). pytest-django runs the
    transactional tests after all plain `db` tests, so the flush never takes the demo from those.
    """
    from tillit.chain.models import Organisation
    from tillit.demo.generate import demo_load

    if not Organisation.objects.filter(slug="exempelby").exists():
        demo_load()


@pytest.fixture
def login(page, demo):
    """Sign in through the real allauth form: `login(email)`; returns the page on "My units"."""

    def sign_in(email: str, password: str = DEMO_PASSWORD):
        page.goto("/accounts/login/")
        page.locator("input[name=login]").fill(email)
        page.locator("input[name=password]").fill(password)
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return page

    return sign_in


def unit(name: str, organisation_slug: str = "exempelby"):
    from tillit.chain.models import Unit

    return Unit.objects.get(name=name, organisation__slug=organisation_slug)


def person(email: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(email=email)
