"""T-01, W-02: a reporter's address and browser reach no database row, log line, cache entry, e-mail or
file, and the in-memory throttle still works without them."""

import logging
import re
import uuid

import pytest
from django.core import mail
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile

from tillit.whistle.models import Message, Report

from .test_reporter_support import (  # noqa: F401 -- fixtures
    database_dump,
    fresh_state_fixture,
    post_report,
    receipt_of,
    reporter_fixture,
    sign_in,
    url,
    world_fixture,
)

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]

ADDRESS = "203.0.113.77"
FORWARDED = "198.51.100.9"


def test_no_address_or_browser_is_kept_anywhere_and_the_throttle_still_holds(
    reporter, world, caplog, settings
):
    caplog.set_level(logging.DEBUG)
    user_agent = f"SENTINEL-UA-{uuid.uuid4()}"
    meta = {"REMOTE_ADDR": ADDRESS, "HTTP_X_FORWARDED_FOR": FORWARDED, "HTTP_USER_AGENT": user_agent}
    sentinels = [user_agent, ADDRESS, FORWARDED, "SENTINEL-UA"]

    # The whole way: information, form, report with a file, sign-in, two messages (one with a file),
    # a download, a 404, sign-out.
    assert reporter.get(url("channel", "vissel"), **meta).status_code == 200
    response = post_report(reporter, world, meta=meta, files=[SimpleUploadedFile("bilaga.txt", b"bilaga")])
    assert response.status_code == 200
    receipt = receipt_of(response)
    inbox = url("inbox", "vissel")
    assert sign_in(reporter, world, receipt, **meta).status_code == 303
    token = re.search(r'name="form_token" value="([^"]+)"', reporter.get(inbox, **meta).content.decode())[1]
    for body, attached in (
        ("Första meddelandet", []),
        ("Andra meddelandet", [SimpleUploadedFile("b.txt", b"b")]),
    ):
        data = {"form_token": token, "action": "message", "message-body": body, "files": attached}
        assert reporter.post(inbox, data, **meta).status_code == 303
    file_id = Report.objects.get().attachments.first().pk
    assert reporter.get(url("file", "vissel", file_id), **meta).status_code == 200
    assert reporter.get("/vissel/finns-inte/", **meta).status_code == 404
    assert reporter.post(inbox, {"form_token": token, "action": "sign_out"}, **meta).status_code == 200
    assert Message.objects.count() == 2

    # The database (the default cache is the database cache: its table is in the dump).
    dump = database_dump()
    for sentinel in sentinels:
        assert sentinel.encode() not in dump, sentinel
    # The in-process caches.
    for alias in ("charts",):
        assert not any(sentinel in repr(getattr(caches[alias], "_cache", {})) for sentinel in sentinels)
    # The log, at every level.
    logged = caplog.text + "".join(repr(record.__dict__) for record in caplog.records)
    for sentinel in sentinels:
        assert sentinel not in logged, sentinel
    # E-mail (nothing is ever mailed to a reporter; a handler's notice names no one).
    for message in mail.outbox:
        text = repr(message.message().as_bytes())
        assert not any(sentinel in text for sentinel in sentinels)
    # The encrypted files.
    for path in settings.WHISTLE_FILES_DIR.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            assert not any(sentinel.encode() in content for sentinel in sentinels), path
            assert b"bilaga" not in content

    # Ten wrong receipts from the same address, and the throttle answers: it counted without a trace.
    statuses = [sign_in(reporter, world, f"{n:016d}", **meta).status_code for n in range(11)]
    assert statuses == [400] * 10 + [429]
    assert not any(sentinel.encode() in database_dump() for sentinel in sentinels)
