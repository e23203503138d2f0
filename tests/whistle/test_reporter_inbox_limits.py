"""The inbox's limits (T-10, T-11, W-13): failed sign-ins per address and per channel, counted before
Argon2 runs; malformed receipts refused without it; and a POST counted per address, with its body read
only once the cookie's session is known (a multipart body without a session is never read)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories.whistle import report_sent, whistle_world
from tillit.whistle import crypto, files, throttle
from tillit.whistle.middleware import reporter_cookie_name
from tillit.whistle.models import Message, ReporterSession

from .test_reporter_inbox import INBOX, post, signed_in
from .test_reporter_support import (  # noqa: F401 -- fixtures
    HOST,
    form_token,
    fresh_state_fixture,
    reporter_fixture,
    sign_in,
    stored_files,
    world_fixture,
)

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]


# ------------------------------------------------------------------------------------ failed sign-ins


def test_a_thousand_guesses_are_throttled_whatever_x_forwarded_for_says(reporter, world, monkeypatch):
    """T-10: a thousand well-formed guesses from one peer, each with another X-Forwarded-For. After ten
    failures in ten minutes the peer gets 429 (without an Argon2 call), also for the right receipt.
    Another peer still signs in."""
    _report, receipt = report_sent(world)
    calls = []
    real = crypto.derive_key
    monkeypatch.setattr(
        crypto, "derive_key", lambda *args, **kwargs: calls.append(1) or real(*args, **kwargs)
    )
    statuses = []
    for guess in range(1000):
        response = sign_in(
            reporter,
            world,
            f"{guess:016d}",
            REMOTE_ADDR="203.0.113.5",
            HTTP_X_FORWARDED_FOR=f"198.51.{guess // 256}.{guess % 256}",
        )
        statuses.append(response.status_code)
    assert statuses[:10] == [400] * 10
    assert set(statuses[10:]) == {429}
    assert len(calls) == 10  # the throttled 990 cost no Argon2 work
    right = sign_in(reporter, world, receipt, REMOTE_ADDR="203.0.113.5")
    assert right.status_code == 429
    assert not right.cookies
    elsewhere = sign_in(reporter, world, receipt, REMOTE_ADDR="203.0.113.6")
    assert elsewhere.status_code == 303


def test_failed_sign_ins_from_many_addresses_meet_the_channels_limit_and_lock_out_no_other_channel(
    reporter, world, monkeypatch
):
    monkeypatch.setattr(throttle.sign_in_failures_by_channel, "limit", 5)
    _report, receipt = report_sent(world)
    neighbour = whistle_world(slug="granne")
    _other, other_receipt = report_sent(neighbour)
    for n in range(5):
        assert sign_in(reporter, world, "0" * 16, REMOTE_ADDR=f"192.0.2.{n}").status_code == 400
    blocked = sign_in(reporter, world, receipt, REMOTE_ADDR="192.0.2.99")
    assert blocked.status_code == 429
    # The flood at one channel leaves every other channel's reporters alone.
    assert sign_in(reporter, neighbour, other_receipt, REMOTE_ADDR="192.0.2.99").status_code == 303


def test_right_receipts_give_their_slot_back(reporter, world, monkeypatch):
    monkeypatch.setattr(throttle.sign_in_failures_by_address, "limit", 2)
    monkeypatch.setattr(throttle.sign_in_failures_by_channel, "limit", 2)
    _report, receipt = report_sent(world)
    for _n in range(4):
        assert sign_in(type(reporter)(HTTP_HOST=HOST), world, receipt).status_code == 303
    assert throttle.sign_in_failures_by_address.count("127.0.0.1") == 0
    assert throttle.sign_in_failures_by_channel.count(str(world.channel.pk)) == 0


def test_a_sign_in_is_counted_before_argon2_runs(reporter, world, monkeypatch):
    """Counted before the work, not after the failure: parallel guesses cannot all pass the check."""
    _report, receipt = report_sent(world)
    seen = []
    real = crypto.derive_key

    def derive_watching(*args, **kwargs):
        seen.append(
            (
                throttle.sign_in_failures_by_address.count("198.51.100.7"),
                throttle.sign_in_failures_by_channel.count(str(world.channel.pk)),
            )
        )
        return real(*args, **kwargs)

    monkeypatch.setattr(crypto, "derive_key", derive_watching)
    assert sign_in(reporter, world, "0" * 16, REMOTE_ADDR="198.51.100.7").status_code == 400
    assert seen == [(1, 1)]
    assert sign_in(reporter, world, receipt, REMOTE_ADDR="198.51.100.7").status_code == 303
    assert seen[1] == (2, 2)
    assert throttle.sign_in_failures_by_address.count("198.51.100.7") == 1  # only the failure stays


def test_an_ipv6_network_counts_as_one_address(reporter, world):
    for n in range(10):
        sign_in(reporter, world, "0" * 16, REMOTE_ADDR=f"2001:db8:1:2::{n + 1}")
    rotated = sign_in(reporter, world, "0" * 16, REMOTE_ADDR="2001:db8:1:2:ffff::1")
    assert rotated.status_code == 429


# ------------------------------------------------------------------------------------ reading the body


@pytest.fixture
def body_reads(monkeypatch):
    """Each time the inbox reads a POST's body (with its uploads), noted."""
    from tillit.whistle.views import reporter_inbox

    reads = []
    real = reporter_inbox.parse_post
    monkeypatch.setattr(reporter_inbox, "parse_post", lambda request: reads.append(1) or real(request))
    return reads


def test_a_multipart_post_without_a_session_is_refused_unread(reporter, world, body_reads):
    """Only the sign-in form reaches the inbox without a session, and it is never multipart: a multipart
    body (uploads and all) is answered 400 before a byte of it is read, even with a right receipt."""
    _report, receipt = report_sent(world)
    uploads = [SimpleUploadedFile(f"{n}.bin", b"x" * 4096) for n in range(3)]
    response = reporter.post(INBOX, {"action": "sign_in", "receipt": receipt, "files": uploads})
    assert response.status_code == 400
    assert body_reads == []
    assert not response.cookies
    assert not ReporterSession.objects.exists()
    assert stored_files(files.PENDING) == []
    assert sign_in(reporter, world, receipt).status_code == 303  # the browser's own form still works
    assert body_reads == [1]


def test_a_message_after_the_session_ended_is_refused_unread_and_says_so(reporter, world, body_reads):
    signed_in(reporter, world)
    token = form_token(reporter, world)
    ReporterSession.objects.all().delete()  # ended elsewhere (idle, or signed out in another tab)
    body_reads.clear()
    response = reporter.post(
        INBOX,
        {
            "form_token": token,
            "action": "message",
            "message-body": "Hej",
            "files": [SimpleUploadedFile("a.txt", b"a")],
        },
    )
    assert response.status_code == 400
    assert body_reads == []
    assert b"You are not signed in" in response.content
    assert response.cookies[reporter_cookie_name()].value == ""  # the dead cookie is dropped
    assert not Message.objects.exists()
    assert stored_files(files.PENDING) == []


def test_inbox_posts_are_counted_per_address_before_the_body_is_read(
    reporter, world, body_reads, monkeypatch
):
    monkeypatch.setattr(throttle.inbox_posts_by_address, "limit", 3)
    signed_in(reporter, world)  # one post
    token = form_token(reporter, world)
    assert post(reporter, token, "message", **{"message-body": "Ett"}).status_code == 303
    assert post(reporter, token, "message", **{"message-body": "Två"}).status_code == 303
    reads = len(body_reads)
    refused = reporter.post(
        INBOX,
        {
            "form_token": token,
            "action": "message",
            "message-body": "Tre",
            "files": [SimpleUploadedFile("a.txt", b"a" * 4096)],
        },
    )
    assert refused.status_code == 429
    assert len(body_reads) == reads  # refused before the body
    assert Message.objects.count() == 2
    assert stored_files(files.PENDING) == []
    other = type(reporter)(HTTP_HOST=HOST)  # another address still gets in
    assert sign_in(other, world, "0" * 16, REMOTE_ADDR="198.51.100.50").status_code == 400


MALFORMED = [
    "",
    "1" * 10_240,
    "1234\x005678\x0090123456",
    "\u0661\u0662\u0663\u0664" * 4,  # Arabic-Indic digits
    "\uff11\uff12\uff13\uff14" * 4,  # full-width digits
    "\U0001f600" * 16,
    "' OR 1=1--",
    "*)(uid=*))(|(uid=*",
    "1" * 15,
    "1" * 17,
    "1234.5678.9012.3456",
]


def test_malformed_receipts_get_a_fast_400_without_any_argon2_call(reporter, world, monkeypatch):
    calls = []
    real = crypto.derive_key
    monkeypatch.setattr(
        crypto, "derive_key", lambda *args, **kwargs: calls.append(1) or real(*args, **kwargs)
    )
    wrong = sign_in(reporter, world, "0" * 16, REMOTE_ADDR="198.51.100.200")
    assert len(calls) == 1  # a well-formed one costs one Argon2 call: the counter counts
    calls.clear()
    for number, text in enumerate(MALFORMED):
        response = sign_in(reporter, world, text, REMOTE_ADDR=f"198.51.100.{number}")
        assert response.status_code == 400, text[:20]
        assert response.content == wrong.content, text[:20]
    assert calls == []
