"""The reporter's inbox: signing in with the receipt (T-10, T-11; its limits are in
test_reporter_inbox_limits.py), the session (T-13), the form token (T-38), cross-case attempts (T-14),
the conversation and the receipt warning (T-06), a closed case, the oral report's forced receipt change
and transcript approval (T-28), and no secret in a URL (T-04)."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories.whistle import pending_file, report_sent, whistle_world
from tillit.core.clock import frozen_at, now
from tillit.whistle import crypto, files, selectors
from tillit.whistle.enums import Author, MessageKind, Mode, Origin, State, TranscriptState, WhistleAction
from tillit.whistle.middleware import reporter_cookie_name
from tillit.whistle.models import Message, Report, ReporterSession, WhistleEvent
from tillit.whistle.services import cases, reports

from .test_reporter_support import (  # noqa: F401 -- fixtures
    HOST,
    cookie_of,
    form_token,
    fresh_state_fixture,
    post_report,
    receipt_of,
    reporter_fixture,
    sign_in,
    stored_files,
    submit,
    url,
    world_fixture,
)

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]

INBOX = "/vissel/inkorg/"


def main_of(response) -> str:
    return re.search(r"<main.*</main>", response.content.decode(), re.S)[0]


def signed_in(client, world, **report) -> tuple[Report, str]:
    receipt = submit(client, world, **report)
    assert sign_in(client, world, receipt).status_code == 303
    return Report.objects.latest("number"), receipt


def post(client, token: str, action: str, **fields):
    return client.post(INBOX, {"form_token": token, "action": action, **fields})


# ------------------------------------------------------------------------------------ signing in


def test_the_sign_in_form_asks_for_digits_without_autofill_and_sets_no_cookie(reporter, world):
    response = reporter.get(INBOX)
    html = main_of(response)
    assert 'name="receipt"' in html
    assert 'autocomplete="off"' in html
    assert 'inputmode="numeric"' in html
    assert '<label for="receipt-input">' in html
    assert not response.cookies


def test_a_right_receipt_starts_a_session_cookie_and_leads_to_the_inbox(reporter, world):
    receipt = submit(
        reporter,
        world,
        what="Pengar försvinner ur kassan.",
        files=[SimpleUploadedFile("kvitto.pdf", b"%PDF")],
    )
    response = sign_in(reporter, world, " ".join(receipt[i : i + 4] for i in range(0, 16, 4)))
    assert response.status_code == 303
    assert response["Location"] == INBOX
    morsel = response.cookies[reporter_cookie_name()]
    assert morsel["httponly"]
    assert morsel["samesite"] == "Strict"
    assert morsel["path"] == "/"
    assert not morsel["max-age"]
    assert not morsel["expires"]
    assert receipt not in morsel.value

    html = main_of(reporter.get(INBOX))
    report = Report.objects.get()
    assert report.case_number in html
    assert "Pengar försvinner ur kassan." in html
    assert "kvitto.pdf" in html
    assert reports.ack_due(report).strftime("%Y") in html
    assert "within seven days" in html
    assert "within three months" in html
    assert html.count('name="form_token"') == 4  # message, meeting, identity and sign-out carry it


def test_a_wrong_receipt_an_unknown_one_and_a_broken_case_key_look_the_same(reporter, world):
    report, receipt = report_sent(world)
    other_digit = receipt[:-1] + str((int(receipt[-1]) + 1) % 10)
    unknown = sign_in(reporter, world, other_digit)
    malformed = sign_in(reporter, world, "123")
    Report.objects.filter(pk=report.pk).update(reporter_key=crypto.lock(crypto.new_key(), b"x" * 32))
    broken = sign_in(reporter, world, receipt)
    assert unknown.status_code == malformed.status_code == broken.status_code == 400
    assert unknown.content == malformed.content == broken.content
    assert b"The receipt was not accepted" in unknown.content
    assert not unknown.cookies
    assert not broken.cookies


# ------------------------------------------------------------------------------------ the session (T-13)


def test_a_cookie_set_before_signing_in_is_never_honoured(reporter, world):
    reporter.cookies[reporter_cookie_name()] = "planted-by-someone.AAAA"
    assert b'name="receipt"' in reporter.get(INBOX).content  # not signed in
    receipt = submit(reporter, world)
    sign_in(reporter, world, receipt)
    assert cookie_of(reporter) != "planted-by-someone.AAAA"

    # A real session planted in the victim's browser is ended when they sign in with their own receipt.
    _other, other_receipt = report_sent(world)
    planted = cookie_of(reporter)
    victim = type(reporter)(HTTP_HOST=HOST)
    victim.cookies[reporter_cookie_name()] = planted
    assert sign_in(victim, world, other_receipt).status_code == 303
    assert cookie_of(victim) != planted
    assert b'name="receipt"' in reporter.get(INBOX).content  # the planted session is gone
    assert ReporterSession.objects.count() == 1


def test_signing_out_ends_the_session_on_the_server_and_clears_the_browser(reporter, world):
    signed_in(reporter, world)
    token, cookie = form_token(reporter, world), cookie_of(reporter)
    response = post(reporter, token, "sign_out")
    assert response.status_code == 200
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    morsel = response.cookies[reporter_cookie_name()]
    assert morsel.value == ""
    assert morsel["max-age"] == 0
    assert not ReporterSession.objects.exists()

    reporter.cookies[reporter_cookie_name()] = cookie  # the old cookie, kept by someone
    assert b'name="receipt"' in reporter.get(INBOX).content
    again = post(reporter, token, "message", **{"message-body": "Efter utloggning"})
    assert b"You are not signed in" in again.content
    assert not Message.objects.exists()


def test_a_session_ends_after_twenty_idle_minutes(reporter, world):
    signed_in(reporter, world)
    with frozen_at(now() + timedelta(minutes=19)):
        assert b'name="form_token"' in reporter.get(INBOX).content  # in use: extended
    with frozen_at(now() + timedelta(minutes=19 + 21)):
        assert b'name="receipt"' in reporter.get(INBOX).content
    assert not ReporterSession.objects.exists()


def test_a_post_without_the_sessions_form_token_is_refused(reporter, world):
    signed_in(reporter, world)
    token = form_token(reporter, world)
    assert reporter.post(INBOX, {"action": "message", "message-body": "Hej"}).status_code == 403
    assert post(reporter, "x" * len(token), "message", **{"message-body": "Hej"}).status_code == 403
    assert post(reporter, "", "sign_out").status_code == 403
    assert not Message.objects.exists()
    assert ReporterSession.objects.count() == 1


# ------------------------------------------------------------------------------------ cross-case (T-14)


def test_another_cases_file_is_not_found_and_the_attempt_logged(reporter, world):
    other, _receipt = report_sent(world, attachments=[("annan.pdf", b"B")])
    other_file = other.attachments.get()
    mine, _receipt = signed_in(reporter, world, files=[SimpleUploadedFile("min.pdf", b"A")])
    my_file = mine.attachments.get()
    assert reporter.get(url("file", "vissel", my_file.pk)).status_code == 200
    response = reporter.get(url("file", "vissel", other_file.pk))
    assert response.status_code == 404
    assert b"annan" not in response.content
    event = WhistleEvent.objects.get(action=WhistleAction.CROSS_CASE_REFUSED)
    assert event.case_number == mine.case_number
    assert event.actor is None

    # Any extra field naming the other case is ignored: a message goes to the signed-in case.
    token = form_token(reporter, world)
    post(
        reporter,
        token,
        "message",
        report=str(other.pk),
        report_id=str(other.pk),
        **{"message-body": "Till mitt"},
    )
    assert Message.objects.get().report == mine
    assert not other.messages.exists()


def test_a_session_of_one_channel_opens_nothing_in_another(reporter, world):
    whistle_world(slug="granne")
    report, _receipt = signed_in(reporter, world, files=[SimpleUploadedFile("a.pdf", b"A")])
    file_id = report.attachments.get().pk
    assert reporter.get(url("file", "vissel", file_id)).status_code == 200
    assert b'name="receipt"' in reporter.get(url("inbox", "granne")).content
    assert reporter.get(url("file", "granne", file_id)).status_code == 404


def test_a_file_url_without_a_session_is_not_found(reporter, world):
    report, _receipt = report_sent(world, attachments=[("a.pdf", b"A")])
    assert reporter.get(url("file", "vissel", report.attachments.get().pk)).status_code == 404
    assert not WhistleEvent.objects.filter(action=WhistleAction.CROSS_CASE_REFUSED).exists()


# ------------------------------------------------------------------------------------ the conversation


def test_the_reporter_writes_with_a_file_and_asks_for_a_meeting(reporter, world):
    report, _receipt = signed_in(reporter, world)
    token = form_token(reporter, world)
    sent = reporter.post(
        INBOX,
        {
            "form_token": token,
            "action": "message",
            "message-body": "Här är mer.",
            "files": [SimpleUploadedFile("mer.txt", b"mer bevis")],
        },
    )
    assert sent.status_code == 303
    assert sent["Location"] == f"{INBOX}?sent=1"
    assert b"Your message has been sent" in reporter.get(sent["Location"]).content
    meeting = post(reporter, token, "meeting", **{"meeting-body": ""})
    assert meeting.status_code == 303

    key = world.report_key(world.handlers[0], report)
    conversation = selectors.messages_open(report, key)
    assert [(m.author, m.kind) for m in conversation] == [
        (Author.REPORTER, MessageKind.MESSAGE),
        (Author.REPORTER, MessageKind.MEETING_REQUEST),
    ]
    assert conversation[0].body == "Här är mer."
    assert conversation[0].attachments[0].name == "mer.txt"
    assert conversation[1].body == "I would like to meet in person."
    report.refresh_from_db()
    assert report.unread_by_handlers


def test_the_handlers_answers_show_their_shown_name_and_kind(reporter, world):
    report, _receipt = signed_in(reporter, world)
    handler = world.handlers[0]
    cases.case_acknowledge(report=report, handler=handler, private_key=world.key(handler))
    cases.case_message(
        report=report, handler=handler, private_key=world.key(handler), body="Kan du berätta mer?"
    )
    html = main_of(reporter.get(INBOX))
    assert "Handläggare 0" in html
    assert "Kan du berätta mer?" in html
    assert "Acknowledgement of receipt" in html
    assert "The handlers acknowledged your report on" in html


def test_a_receipt_in_a_message_is_held_back_until_the_reporter_confirms(reporter, world):
    _report, receipt = signed_in(reporter, world)
    token = form_token(reporter, world)
    for body in (
        f"Mitt kvitto är {receipt}",
        "Kvitto " + " ".join(receipt[i : i + 4] for i in range(0, 16, 4)),
        "Kvitto " + "-".join(receipt[i : i + 4] for i in range(0, 16, 4)) + ".",
    ):
        response = post(reporter, token, "message", **{"message-body": body})
        assert response.status_code == 200
        html = response.content.decode()
        assert "looks like a receipt" in html
        assert 'name="message-send_anyway"' in html
        assert not Message.objects.exists()
    confirmed = post(reporter, token, "message", **{"message-body": body, "message-send_anyway": "on"})
    assert confirmed.status_code == 303
    assert Message.objects.count() == 1
    for harmless in ("Ring 070-123 45 67", "Konto 12345678901234567", "Ärende 2026-0001"):
        assert post(reporter, token, "message", **{"message-body": harmless}).status_code == 303
    assert Message.objects.count() == 4


def test_a_closed_case_takes_no_more_messages_and_says_why(reporter, world):
    report, _receipt = signed_in(reporter, world)
    handler, key = world.handlers[0], world.key(world.handlers[0])
    cases.case_acknowledge(report=report, handler=handler, private_key=key)
    cases.case_message(
        report=report, handler=handler, private_key=key, body="Åtgärdat.", kind=MessageKind.FEEDBACK
    )
    cases.case_close(report=report, handler=handler, private_key=key)
    html = main_of(reporter.get(INBOX))
    assert "This case is closed" in html
    assert 'name="message-body"' not in html
    refused = post(reporter, form_token(reporter, world), "message", **{"message-body": "En sak till"})
    assert refused.status_code == 200
    assert b"This case is closed" in refused.content
    assert Message.objects.filter(author=Author.REPORTER).count() == 0
    assert Report.objects.get().state == State.CLOSED


# ------------------------------------------------------------------------------------ an oral report (T-28)


def oral_report(world, **kwargs):
    return reports.report_submit(
        channel=world.channel,
        mode=kwargs.get("mode", Mode.ANONYMOUS),
        category=world.channel.categories[0],
        answers={"what": "Berättat i telefon."},
        pending=[pending_file(b"Utskrift av samtalet", name="utskrift.txt")],
        origin=Origin.ORAL,
        registered_by=world.handlers[0],
    )


def test_an_oral_reports_receipt_is_replaced_at_the_first_sign_in(reporter, world):
    report, first = oral_report(world)
    response = sign_in(reporter, world, first)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your new receipt" in html
    assert 'hreflang="en"' not in html
    second = receipt_of(response)
    assert second != first
    assert len(second) == 16
    assert response.cookies[reporter_cookie_name()].value
    assert b'name="form_token"' in reporter.get(INBOX).content  # the session holds the new keys

    report.refresh_from_db()
    assert not report.receipt_must_change
    fresh = type(reporter)(HTTP_HOST=HOST)
    assert sign_in(fresh, world, first).status_code == 400
    assert sign_in(fresh, world, second).status_code == 303  # no second change


def test_the_reporter_approves_the_transcript_or_asks_for_corrections(reporter, world):
    report, first = oral_report(world)
    sign_in(reporter, world, first)
    html = main_of(reporter.get(INBOX))
    assert "Check the transcript" in html
    assert "utskrift.txt" in html
    assert "transcript or minutes" in html
    token = form_token(reporter, world)

    missing = post(reporter, token, "transcript", **{"transcript-decision": "correct", "transcript-body": ""})
    assert missing.status_code == 200
    assert b"Say what should be corrected" in missing.content
    corrected = post(
        reporter,
        token,
        "transcript",
        **{"transcript-decision": "correct", "transcript-body": "Det var i maj."},
    )
    assert corrected.status_code == 303
    report.refresh_from_db()
    assert report.transcript_state == TranscriptState.CORRECTED
    assert "Check the transcript" in main_of(reporter.get(INBOX))  # still to approve after the correction
    approved = post(reporter, token, "transcript", **{"transcript-decision": "approve"})
    assert approved.status_code == 303
    report.refresh_from_db()
    assert report.transcript_state == TranscriptState.APPROVED
    assert "Check the transcript" not in main_of(reporter.get(INBOX))
    assert [m.body for m in selectors.messages_open(report, world.report_key(world.handlers[0], report))] == [
        "Det var i maj."
    ]


# ------------------------------------------------------------------------------------ T-04


def test_no_receipt_or_case_appears_in_any_url_of_the_reporters_way(reporter, world):
    seen: list[str] = []

    def note(response):
        if "Location" in response:
            seen.append(response["Location"])
        seen.extend(re.findall(r'(?:href|action|src)="([^"]*)"', response.content.decode()))
        return response

    note(reporter.get("/vissel/"))
    note(reporter.get("/vissel/rapportera/"))
    receipt_page = note(post_report(reporter, world, files=[SimpleUploadedFile("a.txt", b"a")]))
    receipt = receipt_of(receipt_page)
    note(sign_in(reporter, world, receipt))
    inbox = note(reporter.get(INBOX))
    token = re.search(r'name="form_token" value="([^"]+)"', inbox.content.decode())[1]
    note(post(reporter, token, "message", **{"message-body": "Hej"}))
    note(post(reporter, token, "meeting"))
    note(reporter.get(f"{INBOX}?sent=1"))
    report = Report.objects.get()
    secrets = [
        receipt,
        " ".join(receipt[i : i + 4] for i in range(0, 16, 4)),
        str(report.pk),
        report.case_number,
    ]
    secrets += [
        report.case_number.split(" ")[1],
        report.case_number.replace(" ", "%20"),
        token,
        cookie_of(reporter),
    ]
    assert seen
    for address in seen:
        for secret in secrets:
            assert secret not in address, (secret, address)


def test_a_message_with_too_many_files_is_refused_with_413_and_nothing_kept(reporter, world, settings):
    signed_in(reporter, world)
    settings.WHISTLE_MAX_FILES = 2
    token = form_token(reporter, world)
    attached = [SimpleUploadedFile(f"{n}.txt", b"x") for n in range(3)]
    response = reporter.post(
        INBOX, {"form_token": token, "action": "message", "message-body": "Filer", "files": attached}
    )
    assert response.status_code == 413
    assert not Message.objects.exists()
    assert stored_files(files.PENDING) == []
    assert stored_files(files.STORED) == []
