"""Shared fixtures and helpers of the reporter-page tests (tests/whistle/test_reporter_*.py); no tests.

    reporter                                                    # a test client on the reporter host
    world                                                       # whistle_world(slug="vissel")
    receipt = submit(reporter, world, what="…")                 # GET the form, do the work, POST it
    sign_in(reporter, world, receipt)                           # the session cookie is in the client
    token = form_token(reporter, world)                         # the inbox forms' hidden token

A test module imports `fresh_state_fixture` (autouse), `reporter_fixture` and `world_fixture`: the
fixtures are named `fresh_state`, `reporter` and `world` in their decorators, so the imported names do
not clash with the tests' parameters. `fresh_state` empties the in-memory throttles around each test,
hashes the world's staff passwords cheaply (the factories sign no one in by password) and leaves out
the Swedish catalogue, so that the tests find the English wording on every page.
"""

import re
from html import unescape
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import override

from tests.factories.whistle import whistle_world
from tillit.whistle import proof, throttle
from tillit.whistle.middleware import reporter_cookie_name

HOST = "visselblasning.localhost"
URLCONF = "config.whistle_urls"


def url(name: str, *args, language: str = "sv") -> str:
    """A reporter page's path (reversed in the reporter host's URL configuration)."""
    with override(language):
        return reverse(f"report:{name}", args=args, urlconf=URLCONF)


@pytest.fixture(autouse=True, name="fresh_state")
def fresh_state_fixture(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The tests read the pages' English wording (the msgids) on Swedish paths too: Tillit's Swedish
    # catalogue is left out, so a translation pass changes nothing they look for. The path still
    # chooses the language (the `lang` attribute, the links, the /en/ prefix).
    settings.LOCALE_PATHS = []
    throttle.reset_all()
    yield
    throttle.reset_all()


@pytest.fixture(name="reporter")
def reporter_fixture():
    return Client(HTTP_HOST=HOST)


@pytest.fixture(name="world")
def world_fixture():
    return whistle_world(slug="vissel")


def challenge_of(html: str) -> str:
    match = re.search(r'name="pow_challenge" value="([^"]*)"', html)
    assert match, "the form carries a challenge"
    return unescape(match.group(1))


def report_data(
    world, *, what: str = "Det har hänt något som inte är rätt.", mode: str = "anonymous", **extra
):
    data = {
        "mode": mode,
        "category": world.channel.categories[0],
        "what": what,
        "where_when": "",
        "who": "",
        "evidence": "",
        "earlier": "",
        "website": "",
    }
    data.update(extra)
    return data


def solved(client, world, **meta) -> dict:
    """A fresh challenge from the form page and its solution."""
    page = client.get(url("submit", world.channel.slug), **meta)
    assert page.status_code == 200
    challenge = challenge_of(page.content.decode())
    return {"pow_challenge": challenge, "pow_counter": proof.solve(challenge)}


def post_report(client, world, *, files=(), meta=None, **fields):
    """POST a report (with the proof done); returns the response."""
    meta = meta or {}
    data = report_data(world, **fields)
    if "pow_challenge" not in fields:
        data.update(solved(client, world, **meta))
    if files:
        data["files"] = list(files)
    return client.post(url("submit", world.channel.slug), data, **meta)


def receipt_of(response) -> str:
    html = response.content.decode()
    match = re.search(r'id="receipt">(.*?)</p>', html, re.S)
    assert match, html[:2000]
    return re.sub(r"\D", "", match.group(1))


def submit(client, world, **kwargs) -> str:
    response = post_report(client, world, **kwargs)
    assert response.status_code == 200, response.content.decode()[:3000]
    return receipt_of(response)


def form_post(client, path: str, data: dict, **meta):
    """POST as a browser sends a form without files (the test client's own default is multipart)."""
    return client.post(path, urlencode(data), content_type="application/x-www-form-urlencoded", **meta)


def sign_in(client, world, receipt: str, *, path: str = "", **meta):
    """The sign-in form, sent as the browser sends it (url-encoded: the inbox refuses a multipart body
    without a session)."""
    path = path or url("inbox", world.channel.slug)
    return form_post(client, path, {"action": "sign_in", "receipt": receipt}, **meta)


def form_token(client, world) -> str:
    html = client.get(url("inbox", world.channel.slug)).content.decode()
    match = re.search(r'name="form_token" value="([^"]+)"', html)
    assert match, "signed in: the inbox's forms carry the session's token"
    return match.group(1)


def cookie_of(client) -> str:
    morsel = client.cookies.get(reporter_cookie_name())
    return morsel.value if morsel else ""


def multipart(fields: dict, files: list[tuple[bytes, bytes]] = ()) -> tuple[bytes, str]:
    """A multipart body written by hand, so that file names reach the server exactly as given (the
    test client would take their basename first). `files`: (raw file name, content) pairs."""
    boundary = "tillit-test-boundary-7d1c"
    parts: list[bytes] = []
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{item}\r\n'.encode()
            )
    for file_name, content in files:
        parts.append(
            f"--{boundary}\r\n".encode()
            + b'Content-Disposition: form-data; name="files"; filename="'
            + file_name
            + b'"\r\nContent-Type: application/octet-stream\r\n\r\n'
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def database_dump() -> bytes:
    """Every row of every table, as bytes: text as UTF-8, binary columns as they are."""
    from django.db import connection

    chunks: list[bytes] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 -- our own table names
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, (bytes, memoryview, bytearray)):
                        chunks.append(bytes(value))
                    else:
                        chunks.append(str(value).encode())
    return b"\n".join(chunks)


def stored_files(kind: str) -> list:
    from tillit.whistle import files

    return sorted(files.directory(kind).iterdir())
