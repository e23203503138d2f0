"""The report form's proof of work over time (W-13, T-15): a page left open for long gets a new challenge
from the reporter host's own challenge address, and without JavaScript the form says plainly that
sending needs it and where the oral ways are."""

import hashlib
import json
import re
import time as systime
from datetime import UTC, datetime
from html import unescape

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tillit.core.clock import frozen_at
from tillit.whistle import proof
from tillit.whistle.models import Report, SpentProof, WhistleEvent
from tillit.whistle.services import channels

from .test_reporter_pages import assert_header_contract
from .test_reporter_support import (  # noqa: F401 -- fixtures
    challenge_of,
    fresh_state_fixture,
    post_report,
    receipt_of,
    reporter_fixture,
    url,
    world_fixture,
)

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]


def issued_ago(monkeypatch, seconds: int) -> str:
    """A challenge signed `seconds` ago."""
    with monkeypatch.context() as patch:
        patch.setattr(
            signing.TimestampSigner,
            "timestamp",
            lambda self: signing.b62_encode(int(systime.time()) - seconds),
        )
        return proof.challenge_new()


# ------------------------------------------------------------------------------------ the address


def test_the_challenge_address_gives_a_new_challenge_each_time_under_the_reporter_headers(
    reporter, world, settings
):
    first = reporter.get(url("challenge", "vissel"))
    second = reporter.get(url("challenge", "vissel"))
    assert first.status_code == second.status_code == 200
    assert first["Content-Type"] == "application/json"
    for response in (first, second):
        assert_header_contract(response, name="challenge")  # no cookie, no-store, the strict CSP
        assert not response.cookies
    one, two = json.loads(first.content), json.loads(second.content)
    assert one["challenge"] != two["challenge"]
    assert one["bits"] == two["bits"] == settings.WHISTLE_POW_BITS == proof.challenge_bits(one["challenge"])
    assert 50 * 60 - 5 <= one["fresh_for"] <= 50 * 60
    proof.proof_check(one["challenge"], proof.solve(one["challenge"]))  # ours, signed, fresh


def test_a_challenge_from_the_address_works_as_a_proof_exactly_once(reporter, world):
    fresh = json.loads(reporter.get(url("challenge", "vissel")).content)["challenge"]
    fields = {"pow_challenge": fresh, "pow_counter": proof.solve(fresh)}
    sent = post_report(reporter, world, **fields)
    assert len(receipt_of(sent)) == 16
    again = post_report(reporter, world, **fields)
    assert again.status_code == 200
    assert b'id="receipt"' not in again.content  # refused: the form again, with a new challenge
    assert challenge_of(again.content.decode()) != fresh
    assert Report.objects.count() == 1
    assert SpentProof.objects.count() == 1


def test_getting_a_challenge_writes_nothing(reporter, world):
    events = WhistleEvent.objects.count()
    with CaptureQueriesContext(connection) as queries:
        for _n in range(3):
            assert reporter.get(url("challenge", "vissel")).status_code == 200
    statements = [query["sql"].split(" ", 1)[0].upper() for query in queries.captured_queries]
    assert statements
    assert set(statements) == {"SELECT"}, statements
    assert not SpentProof.objects.exists()
    assert WhistleEvent.objects.count() == events


def test_the_challenge_address_answers_only_for_an_open_channel_on_the_reporter_host(client, reporter, world):
    assert reporter.get(url("challenge", "vissel", language="en")).status_code == 200
    assert client.get(url("challenge", "vissel")).status_code == 404  # not on the staff host
    assert reporter.get(url("challenge", "no-such-channel")).status_code == 404
    refused = reporter.post(url("challenge", "vissel"))
    assert refused.status_code == 405
    assert not refused.cookies
    channels.channel_open(access=world.system, channel=world.channel, is_open=False)
    closed = reporter.get(url("challenge", "vissel"))
    assert closed.status_code == 404
    assert_header_contract(closed)


# ------------------------------------------------------------------------------------ the page's hint


def test_the_form_tells_the_page_where_and_when_to_renew_its_challenge(reporter, world):
    html = reporter.get(url("submit", "vissel")).content.decode()
    field = re.search(r'<input type="hidden" name="pow_challenge"[^>]*>', html)[0]
    assert f'data-renew="{url("challenge", "vissel")}"' in field
    fresh_for = int(re.search(r'data-fresh-for="(\d+)"', field)[1])
    assert 50 * 60 - 5 <= fresh_for <= 50 * 60
    status = re.search(r'<p class="whistle-proof"[^>]*>', html)[0]
    assert "data-renewing=" in status
    assert "data-renew-failed=" in status
    english = reporter.get(url("submit", "vissel", language="en")).content.decode()
    assert f'data-renew="{url("challenge", "vissel", language="en")}"' in english


def test_a_challenges_freshness_counts_from_its_signed_time(monkeypatch):
    assert abs(proof.challenge_issued(proof.challenge_new()) - systime.time()) <= 2
    assert 20 * 60 - 5 <= proof.challenge_fresh_for(issued_ago(monkeypatch, 30 * 60)) <= 20 * 60
    assert proof.challenge_fresh_for(issued_ago(monkeypatch, 55 * 60)) == 0
    assert proof.challenge_issued("broken") is None
    assert proof.challenge_issued("a.16::sig") is None
    assert proof.challenge_fresh_for("broken") == 0


def test_a_challenge_the_page_should_have_renewed_is_still_taken_within_the_hour(
    reporter, world, monkeypatch
):
    """The page renews at 50 minutes; a proof sent at 55 (a renewal that failed) still counts."""
    late = issued_ago(monkeypatch, 55 * 60)
    response = post_report(reporter, world, pow_challenge=late, pow_counter=proof.solve(late))
    assert len(receipt_of(response)) == 16


# ------------------------------------------------------------------------------------ the spent mark


def test_a_spent_proofs_mark_dates_the_sending_only_to_the_hour():
    """The mark's expiry is the next full hour after the sending, plus the hour a challenge lives: a
    database dump cannot time a report to the second, and the mark still outlives its challenge."""
    noon = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
    for moment in (
        datetime(2026, 3, 4, 10, 0, 0, tzinfo=UTC),
        datetime(2026, 3, 4, 10, 17, 42, 123456, tzinfo=UTC),
        datetime(2026, 3, 4, 10, 59, 59, 999999, tzinfo=UTC),
    ):
        challenge = proof.challenge_new()
        with frozen_at(moment):
            proof.proof_spend(challenge)
        mark = SpentProof.objects.get(digest=hashlib.sha256(challenge.encode()).hexdigest())
        assert mark.expires_at == noon, moment
        assert mark.expires_at >= moment + proof.MAX_AGE


def test_a_report_leaves_a_spent_mark_without_its_minute(reporter, world):
    with frozen_at(datetime(2026, 3, 4, 9, 41, 7, tzinfo=UTC)):
        assert len(receipt_of(post_report(reporter, world))) == 16
    mark = SpentProof.objects.get()
    assert mark.expires_at == datetime(2026, 3, 4, 11, 0, tzinfo=UTC)


# ------------------------------------------------------------------------------------ without JavaScript


def test_without_javascript_the_form_says_sending_needs_it_and_points_to_the_oral_ways(reporter, world):
    html = reporter.get(url("submit", "vissel", language="en")).content.decode()
    noscript = re.search(r"<noscript>(.*?)</noscript>", html, re.S)
    assert noscript, "the form has a <noscript> notice"
    text = unescape(re.sub(r"<[^>]+>", "", noscript[1]))
    assert "Sending a written report needs JavaScript." in text
    assert "you can report orally or in a meeting instead" in text
    oral_link = f'href="{url("channel", "vissel", language="en")}#oral-heading"'
    assert oral_link in noscript[1]
    # Without the script the button stays disabled: no form is sent that could only be refused.
    assert re.search(r'<button type="submit"[^>]*id="report-submit" disabled>', html)
    assert challenge_of(html)

    channel_page = reporter.get(url("channel", "vissel", language="en")).content.decode()
    assert 'id="oral-heading"' in channel_page
    assert world.channel.oral_reporting in channel_page
