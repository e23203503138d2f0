"""The reporter's inbox after the report: an anonymous reporter gives their identity later (L-17: one
way, sealed to the custodians only, W-08), and the handlers' news is shown once and then cleared."""

import json
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories.whistle import report_sent
from tillit.whistle import crypto
from tillit.whistle.enums import MessageKind, Mode, Role
from tillit.whistle.models import Channel, ChannelRole, IdentityKeyCopy, Report
from tillit.whistle.services import cases, identity, reports

from .test_reporter_support import (  # noqa: F401 -- fixtures
    HOST,
    database_dump,
    form_token,
    fresh_state_fixture,
    reporter_fixture,
    sign_in,
    submit,
    world_fixture,
)

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]

INBOX = "/en/vissel/inkorg/"  # in English: the Swedish words are translated later, in one pass
VERA = {
    "identity-name": "Vera Visselblåsare",
    "identity-contact": "070-123 45 67",
    "identity-relation": "anställd",
    "identity-confirm": "on",
}


def main_of(response) -> str:
    return re.search(r"<main.*</main>", response.content.decode(), re.S)[0]


def signed_in(client, world, **report) -> Report:
    receipt = submit(client, world, **report)
    assert sign_in(client, world, receipt).status_code == 303
    return Report.objects.latest("number")


def disclose(client, token: str, **fields):
    return client.post(INBOX, {"form_token": token, "action": "disclose", **fields})


def opened_by_custodian(world, report: Report) -> dict:
    copy = IdentityKeyCopy.objects.get(report=report, person=world.custodian)
    identity_key = crypto.unseal(world.key(world.custodian), bytes(copy.sealed_identity_key))
    return json.loads(crypto.unlock(identity_key, bytes(report.identity)))


def nothing_disclosed(report: Report):
    report.refresh_from_db()
    assert report.identity is None
    assert report.mode == Mode.ANONYMOUS
    assert not IdentityKeyCopy.objects.filter(report=report).exists()


# ------------------------------------------------------------------------------------ the offer


def test_an_anonymous_reports_inbox_offers_the_identity_collapsed_and_explained(reporter, world):
    signed_in(reporter, world)
    html = main_of(reporter.get(INBOX))
    details = re.search(r'<details class="whistle-details whistle-disclose"[^>]*>.*?</details>', html, re.S)
    assert details, "the offer is a <details> section"
    section = details[0]
    assert " open" not in section.split(">", 1)[0]  # collapsed until the reporter opens it
    assert re.search(r"<summary>.*Do you want to tell us who you are\?.*</summary>", section, re.S)
    for name in ("identity-name", "identity-contact", "identity-relation"):
        assert f'name="{name}"' in section, name
    assert re.search(r'<input type="checkbox" name="identity-confirm"[^>]*required', section)
    assert '<label for="id_identity-confirm">' in section
    assert 'name="action" value="disclose"' in section
    assert 'name="form_token"' in section
    assert "<legend>About you</legend>" in section
    for words in (
        "Only the channel's identity custodians can open it; the handlers cannot",
        "only after asking, with a reason why the follow-up needs it, and a custodian approving",
        "It cannot be taken back.",
        "The protection of the law holds either way",
        "offentlighets- och sekretesslagen",  # a public-sector channel: sekretess
    ):
        assert words in section.replace("&#x27;", "'"), words


# ------------------------------------------------------------------------------------ disclosing


def test_giving_the_identity_seals_it_to_the_custodians_only(reporter, world):
    report = signed_in(reporter, world)
    response = disclose(reporter, form_token(reporter, world), **VERA)
    assert response.status_code == 303
    assert response["Location"] == f"{INBOX}?identity=1"

    report.refresh_from_db()
    assert report.mode == Mode.CONFIDENTIAL
    assert report.identity
    assert report.unread_by_handlers
    copies = IdentityKeyCopy.objects.filter(report=report)
    assert [copy.person for copy in copies] == [world.custodian]
    assert opened_by_custodian(world, report) == {
        "name": "Vera Visselblåsare",
        "contact": "070-123 45 67",
        "relation": "anställd",
    }
    # The report's key opens the report, not the identity: a handler with the case cannot read it.
    handler = world.handlers[0]
    report_key = world.report_key(handler, report)
    with pytest.raises(crypto.DecryptionError):
        crypto.unlock(report_key, bytes(report.identity))
    with pytest.raises(crypto.DecryptionError):
        crypto.unseal(report_key, bytes(report.identity))
    with pytest.raises(PermissionDenied):
        identity.identity_read(report=report, person=handler, private_key=world.key(handler))
    assert b"Vera" not in database_dump()
    assert b"070-123" not in database_dump()


def test_the_inbox_shows_the_identity_afterwards_and_offers_it_no_more(reporter, world):
    signed_in(reporter, world)
    disclose(reporter, form_token(reporter, world), **VERA)
    html = main_of(reporter.get(f"{INBOX}?identity=1"))
    assert "Your identity is now with the report" in html
    assert "Your identity is with the report" in html
    assert "Vera Visselblåsare" in html
    assert "070-123 45 67" in html
    assert "<summary>Show what you gave</summary>" in html
    assert 'value="disclose"' not in html
    assert "Do you want to tell us who you are?" not in html


def test_the_identity_opens_again_in_a_later_session_with_the_receipt(reporter, world):
    receipt = submit(reporter, world)
    sign_in(reporter, world, receipt)
    disclose(reporter, form_token(reporter, world), **VERA)
    later = Client(HTTP_HOST=HOST)
    assert sign_in(later, world, receipt).status_code == 303
    assert "Vera Visselblåsare" in main_of(later.get(INBOX))


def test_a_second_disclosure_is_refused_and_the_first_kept(reporter, world):
    report = signed_in(reporter, world)
    token = form_token(reporter, world)
    assert disclose(reporter, token, **VERA).status_code == 303
    again = disclose(reporter, token, **{**VERA, "identity-name": "Någon Annan"})
    assert again.status_code == 200
    assert "Your identity is already with the report." in main_of(again)
    report.refresh_from_db()
    assert opened_by_custodian(world, report)["name"] == "Vera Visselblåsare"
    assert IdentityKeyCopy.objects.filter(report=report).count() == 1
    assert "Någon Annan" not in main_of(reporter.get(INBOX))


def test_a_disclosure_without_the_form_token_is_refused(reporter, world):
    report = signed_in(reporter, world)
    token = form_token(reporter, world)
    assert reporter.post(INBOX, {"action": "disclose", **VERA}).status_code == 403
    assert disclose(reporter, "x" * len(token), **VERA).status_code == 403
    nothing_disclosed(report)


def test_a_disclosure_needs_the_confirmation_and_a_name(reporter, world):
    report = signed_in(reporter, world)
    token = form_token(reporter, world)
    unconfirmed = disclose(reporter, token, **{**VERA, "identity-confirm": ""})
    assert unconfirmed.status_code == 200
    html = main_of(unconfirmed)
    assert "Tick the box to confirm that you want to give your identity." in html
    assert 'href="#id_identity-confirm"' in html  # the error summary leads to the box
    assert re.search(r'<details class="whistle-details whistle-disclose" open>', html)
    assert 'value="Vera Visselblåsare"' in html  # what was typed is kept
    nameless = disclose(reporter, token, **{**VERA, "identity-name": "  "})
    assert "Give at least your name." in main_of(nameless)
    nothing_disclosed(report)


def test_a_channel_without_confidential_reports_does_not_offer_it_nor_take_it(reporter, world):
    report = signed_in(reporter, world)
    token = form_token(reporter, world)
    Channel.objects.filter(pk=world.channel.pk).update(accepts_confidential=False)
    html = main_of(reporter.get(INBOX))
    assert "Do you want to tell us who you are?" not in html
    assert 'value="disclose"' not in html
    refused = disclose(reporter, token, **VERA)
    assert refused.status_code == 200
    assert "Your identity cannot be given in this case." in main_of(refused)
    nothing_disclosed(report)


def test_a_closed_case_or_a_channel_without_a_custodian_does_not_offer_it(reporter, world):
    report = signed_in(reporter, world)
    ChannelRole.objects.filter(channel=world.channel, role=Role.CUSTODIAN).delete()
    assert "Do you want to tell us who you are?" not in main_of(reporter.get(INBOX))
    assert "cannot be given in this case" in main_of(disclose(reporter, form_token(reporter, world), **VERA))
    nothing_disclosed(report)

    other = Client(HTTP_HOST=HOST)
    world_report, receipt = report_sent(world)
    handler, key = world.handlers[0], world.key(world.handlers[0])
    cases.case_acknowledge(report=world_report, handler=handler, private_key=key)
    cases.case_message(
        report=world_report, handler=handler, private_key=key, body="Klart.", kind=MessageKind.FEEDBACK
    )
    cases.case_close(report=world_report, handler=handler, private_key=key)
    sign_in(other, world, receipt)
    assert "Do you want to tell us who you are?" not in main_of(other.get(INBOX))


def test_a_confidential_report_shows_its_identity_to_the_reporter_and_no_offer(reporter, world):
    signed_in(
        reporter,
        world,
        mode="confidential",
        identity_name="Vera Visselblåsare",
        identity_contact="vera@example.org",
    )
    html = main_of(reporter.get(INBOX))
    assert "Your identity is with the report" in html
    assert "vera@example.org" in html
    assert "Do you want to tell us who you are?" not in html


# ------------------------------------------------------------------------------------ the handlers' news


def handler_writes(world, report: Report, body: str = "Kan du berätta mer?"):
    handler = world.handlers[0]
    cases.case_message(report=report, handler=handler, private_key=world.key(handler), body=body)


def test_the_handlers_news_is_shown_once_and_then_cleared(reporter, world):
    receipt = submit(reporter, world)
    sign_in(reporter, world, receipt)
    report = Report.objects.get()
    assert "New since you last signed in" not in main_of(reporter.get(INBOX))
    handler_writes(world, report)
    report.refresh_from_db()
    assert report.unread_by_reporter

    html = main_of(reporter.get(INBOX))
    assert "New since you last signed in" in html
    assert "The handlers have written to you." in html
    assert 'href="#conversation-heading"' in html
    report.refresh_from_db()
    assert not report.unread_by_reporter
    assert "New since you last signed in" not in main_of(reporter.get(INBOX))

    handler_writes(world, report, body="En fråga till.")
    later = Client(HTTP_HOST=HOST)
    # A new sign-in sees the news too (the flag belongs to the report, not to a session).
    sign_in(later, world, receipt)
    assert "New since you last signed in" in main_of(later.get(INBOX))


def test_seeing_the_inbox_writes_the_report_only_when_there_is_news(reporter, world):
    report = signed_in(reporter, world)
    updates = 'UPDATE "whistle_report"'
    with CaptureQueriesContext(connection) as quiet_visit:
        reporter.get(INBOX)
    assert not [q for q in quiet_visit.captured_queries if q["sql"].startswith(updates)]

    handler_writes(world, report)
    with CaptureQueriesContext(connection) as news_visit:
        reporter.get(INBOX)
    written = [q["sql"] for q in news_visit.captured_queries if q["sql"].startswith(updates)]
    assert len(written) == 1
    assert '"unread_by_reporter"' in written[0]


def test_reporter_inbox_seen_is_one_update_and_none_without_news(world):
    report, _receipt = report_sent(world)
    with CaptureQueriesContext(connection) as nothing:
        reports.reporter_inbox_seen(report=report)
    assert nothing.captured_queries == []
    Report.objects.filter(pk=report.pk).update(unread_by_reporter=True)
    report.refresh_from_db()
    with CaptureQueriesContext(connection) as once:
        reports.reporter_inbox_seen(report=report)
    assert len(once.captured_queries) == 1
    assert once.captured_queries[0]["sql"].startswith("UPDATE")
    assert not report.unread_by_reporter
    assert not Report.objects.get(pk=report.pk).unread_by_reporter
