"""Browser tests: Debian Chromium driven by pytest-playwright against Django's live server.

The live server runs in a thread, so the data must be committed: every e2e test uses
`django_db(transaction=True)`, which flushes the database after each test. The session-loaded
demo of `tests/conftest.py` is therefore gone here; the `demo` fixture loads it again per test.
"""

import os
import threading
from urllib.parse import urlsplit

import pytest

from tests.factories.demo import person, unit  # noqa: F401 -- for the browser tests

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


@pytest.fixture(scope="session", autouse=True)
def _close_browser_session_connections(django_db_setup, playwright):
    """Close, at the end of the session, the database connections the browser tests opened.

    While sync Playwright is running, asyncio sees a running event loop in the main thread, and
    Django's connection handler (an asgiref Local) then keeps the ORM's connection in a context
    variable instead of the thread: a second connection, which Django's own teardown never sees.
    On PostgreSQL it keeps the test database from being dropped ("being accessed by other users").
    Set up after `django_db_setup` and `playwright`, this is torn down before them: the browser
    has closed, the loop still runs, so `close_all()` reaches those connections. Before that, wait
    for the live server's request threads, which hold a connection until their socket closes.
    """
    yield
    from django.core.servers.basehttp import ThreadedWSGIServer
    from django.db import connections

    for thread in threading.enumerate():
        target = getattr(thread, "_target", None)
        if isinstance(getattr(target, "__self__", None), ThreadedWSGIServer):
            thread.join(timeout=5)
    connections.close_all()


@pytest.fixture
def live_host(base_url):
    return urlsplit(base_url).netloc


@pytest.fixture
def demo(transactional_db):
    """The demo municipality, committed so that the live server's thread sees it.

    `django_db_setup` loaded it for the session, and `pytest_runtest_teardown` below loads it again
    after each browser test's flush, so it is normally there already.
    """
    from tillit.chain.models import Organisation
    from tillit.demo.snapshot import demo_load_cached

    if not Organisation.objects.filter(slug="exempelby").exists():
        demo_load_cached()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Give the session its demo back after a browser test's flush (a copy, ~0.2 s), and empty the cache.

    A transactional test empties the database when it ends. pytest-django runs those after the
    plain `db` tests, but a test that reaches the database only through `getfixturevalue` is
    sorted after them and would find no demo. Restoring it keeps every later test's ground as
    `tests/conftest.py` laid it, and the next browser test finds it loaded.
    """
    result = yield
    # After the last test the session fixtures are gone and Django points at the configured
    # database again, not the test database: never load anything then.
    if item.get_closest_marker("e2e") and nextitem is not None:
        from django.core.cache import cache
        from django.db import connection
        from pytest_django.plugin import blocking_manager_key

        from tillit.chain.models import Organisation
        from tillit.demo.snapshot import demo_load_cached

        with item.config.stash[blocking_manager_key].unblock():
            if connection.settings_dict["NAME"] != connection.creation._get_test_db_name():
                return result  # belt and braces: not the test database
            cache.clear()  # no failed sign-in of a browser test counts towards a later throttle
            if not Organisation.objects.filter(slug="exempelby").exists():
                demo_load_cached()
    return result


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
