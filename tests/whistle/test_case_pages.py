"""The handlers' case pages through Django's test client: the MFA gate (T-34), who may see a case (T-20,
T-21), the legal clocks in words (T-26, T-27), the case work, an oral report (T-28), the log (T-30), the
identity (T-32), downloads (T-07), the key cookie, and the case list's query count.

Texts are asserted in English (the language cookie), so the tests hold whatever the Swedish catalogue says.
Keys are unlocked through the unlock page, as a handler does.
"""

import html
import re
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.factories.whistle import PASSPHRASE, keyring_of, report_sent, signed_in_client, whistle_world
from tillit.core.clock import frozen_at
from tillit.whistle.enums import IdentityRequestState, Mode, Origin, Role, Sector, State, WhistleAction
from tillit.whistle.models import Attachment, IdentityRequest, Message, Report, ReportKeyCopy, WhistleEvent
from tillit.whistle.services import cases, channels, identity, reports

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]

STOCKHOLM = ZoneInfo("Europe/Stockholm")
SENTINEL = "SENTINEL-CASE-7c1"


@pytest.fixture(autouse=True)
def quick_sign_in_passwords(settings):
    """The sign-in passwords are beside the point here; Argon2 at 100 MB per person is not."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def staff(person) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return signed_in_client(client, person)


def unlocked(person) -> Client:
    client = staff(person)
    assert client.post(reverse("whistle:unlock"), {"passphrase": PASSPHRASE}).status_code == 302
    return client


def url(name: str, report: Report, *extra) -> str:
    return reverse(f"whistle:{name}", args=[report.channel.slug, report.pk, *extra])


def act(client, report: Report, action: str, data=None):
    return client.post(url("case-action", report, action), data or {})


def text(response) -> str:
    """The page as a reader sees its words (entities such as &#x27; undone)."""
    return html.unescape(response.content.decode())


def at(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=STOCKHOLM)


@pytest.fixture
def world():
    return whistle_world()


@pytest.fixture
def report(world):
    sent, _receipt = report_sent(
        world, text=SENTINEL, attachments=[("bevis.pdf", b"%PDF " + SENTINEL.encode())]
    )
    return sent


# ------------------------------------------------------------------------------------ T-34: the MFA gate

STAFF_URLS = [
    ("dashboard", False),
    ("keyring", False),
    ("unlock", False),
    ("lock", False),
    ("passphrase-change", False),
    ("recover", False),
    ("recovery-key", False),
    ("channel", "channel"),
    ("oral-register", "channel"),
    ("case", "case"),
    ("case-action", "action"),
    ("case-file", "file"),
    ("case-registration", "case"),
]


def staff_url(name: str, kind, report: Report) -> str:
    if not kind:
        return reverse(f"whistle:{name}")
    if kind == "channel":
        return reverse(f"whistle:{name}", args=[report.channel.slug])
    if kind == "action":
        return url(name, report, "acknowledge")
    if kind == "file":
        return url(name, report, Attachment.objects.filter(report=report).first().pk)
    return url(name, report)


@pytest.mark.parametrize(("name", "kind"), STAFF_URLS, ids=[name for name, _kind in STAFF_URLS])
def test_every_staff_page_needs_mfa_at_sign_in(world, report, name, kind):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(world.handlers[0])  # signed in with the password only
    address = staff_url(name, kind, report)
    for response in (client.get(address), client.post(address)):
        assert response.status_code == 403
        assert reverse("mfa_index") in text(response)
        assert "two-factor authentication" in text(response)
        assert response.headers["Cache-Control"] == "no-store"
    assert not WhistleEvent.objects.filter(actor=world.handlers[0]).exclude(
        action=WhistleAction.KEYRING_CREATED
    )


@pytest.mark.parametrize(("name", "kind"), STAFF_URLS, ids=[name for name, _kind in STAFF_URLS])
def test_every_staff_page_sends_the_signed_out_to_sign_in(world, report, name, kind):
    response = Client().get(staff_url(name, kind, report))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


# ------------------------------------------------------------------------------------ T-20, T-21


def case_urls(report: Report) -> list[tuple[str, str]]:
    """(method, url) of every page of a case: the case, each action, a file, the registration entry."""
    attachment = Attachment.objects.filter(report=report).first()
    actions = [
        "acknowledge",
        "waive-ack",
        "message",
        "feedback",
        "transcript",
        "close",
        "reopen",
        "grant",
        "identity-request",
        "identity-view",
        "remove-file",
    ]
    return [
        ("get", url("case", report)),
        ("get", url("case-file", report, attachment.pk)),
        ("get", url("case-registration", report)),
        *(("post", url("case-action", report, action)) for action in actions),
    ]


def assert_no_way_in(client, report: Report) -> None:
    for method, address in case_urls(report):
        response = getattr(client, method)(address, {"body": "x", "attachment_id": str(uuid.uuid4())})
        assert response.status_code == 404, (method, address, response.status_code)
    assert not WhistleEvent.objects.filter(case_number=report.case_number).exclude(
        action=WhistleAction.REPORT_RECEIVED
    )
    assert Report.objects.get(pk=report.pk).state == State.RECEIVED


def test_a_handler_added_after_the_report_has_no_way_into_it(world, report):
    late = world.bystander
    channels.role_grant(access=world.system, channel=world.channel, person=late, role=Role.HANDLER)
    keyring_of(world, late)
    client = unlocked(late)
    assert_no_way_in(client, report)
    listing = client.get(reverse("whistle:channel", args=[world.channel.slug]))
    assert listing.status_code == 200
    assert report.case_number not in text(listing)


@pytest.mark.parametrize("who", ["bystander", "administrator", "outsider", "custodian", "escrow"])
def test_people_without_the_case_get_404_for_everything(world, report, who):
    person = getattr(world, who)
    client = staff(person)
    assert_no_way_in(client, report)
    assert client.get(reverse("whistle:channel", args=[world.channel.slug])).status_code == 404
    assert report.case_number not in text(client.get(reverse("whistle:dashboard")))


def test_an_unassigned_handler_gets_404_before_any_question_to_unlock(world, report):
    late = world.bystander
    channels.role_grant(access=world.system, channel=world.channel, person=late, role=Role.HANDLER)
    keyring_of(world, late)
    assert staff(late).get(url("case", report)).status_code == 404  # locked, yet not sent to unlock


def test_an_excluded_handler_sees_nothing_and_is_never_offered_the_case(world):
    holder, excluded = world.handlers
    report, _receipt = report_sent(world, text=SENTINEL, excluded=[excluded], attachments=[("a.txt", b"a")])
    assert not ReportKeyCopy.objects.filter(report=report, person=excluded).exists()
    client = unlocked(excluded)
    assert_no_way_in(client, report)
    assert report.case_number not in text(client.get(reverse("whistle:channel", args=[world.channel.slug])))
    # The handler with the case is offered no one to give it to: the only other handler is excluded.
    page = text(unlocked(holder).get(url("case", report)))
    assert 'id="no-grant"' in page
    assert f'value="{excluded.pk}"' not in page
    refused = act(unlocked(holder), report, "grant", {"person": excluded.pk})
    assert refused.status_code == 200
    assert not ReportKeyCopy.objects.filter(report=report, person=excluded).exists()


def test_a_handler_gives_the_case_to_a_handler_without_it(world, report):
    late = world.bystander
    channels.role_grant(access=world.system, channel=world.channel, person=late, role=Role.HANDLER)
    keyring_of(world, late)
    holder = unlocked(world.handlers[0])
    assert f'value="{late.pk}"' in text(holder.get(url("case", report)))
    assert act(holder, report, "grant", {"person": late.pk}).status_code == 302
    assert SENTINEL in text(unlocked(late).get(url("case", report)))
    assert WhistleEvent.objects.filter(
        action=WhistleAction.ACCESS_GRANTED, case_number=report.case_number
    ).exists()


# ------------------------------------------------------------------------------------ T-26, T-27: the clocks


def test_the_acknowledgement_clock_in_words_and_overdue_on_day_eight(world):
    with frozen_at(at("2025-03-28", 23)):  # the evening before summer time
        report, _receipt = report_sent(world)
    client = unlocked(world.handlers[0])
    channel_url = reverse("whistle:channel", args=[world.channel.slug])
    with frozen_at(at("2025-04-01")):
        page = text(client.get(url("case", report)))
        assert "Acknowledge receipt by 4 April 2025 (in 3 days)." in page
        assert "Overdue" not in page
        assert "by 4 April 2025 (in 3 days)" in text(client.get(channel_url))
    with frozen_at(at("2025-04-04")):  # day 7: the last day in time
        page = text(client.get(url("case", report)))
        assert "Acknowledge receipt by 4 April 2025 (today)." in page
        assert "Overdue" not in page
    with frozen_at(at("2025-04-05")):  # day 8
        page = text(client.get(url("case", report)))
        assert "<strong>Overdue:</strong> Acknowledge receipt by 4 April 2025 (1 day overdue)." in page
        assert "1 case is overdue for acknowledgement of receipt" in text(
            client.get(reverse("whistle:dashboard"))
        )
        assert "Overdue:" in text(client.get(channel_url))


def test_a_waived_acknowledgement_stops_the_alert(world):
    with frozen_at(at("2025-03-28")):
        report, _receipt = report_sent(world)
    client = unlocked(world.handlers[0])
    with frozen_at(at("2025-04-10")):
        assert act(client, report, "waive-ack").status_code == 302
        page = text(client.get(url("case", report)))
        assert "No acknowledgement of receipt: the reporter declined it" in page
        assert "Acknowledge receipt by" not in page
        assert "overdue for acknowledgement" not in text(client.get(reverse("whistle:dashboard")))


def test_the_feedback_clock_counts_from_the_acknowledgement(world):
    with frozen_at(at("2025-11-28")):
        report, _receipt = report_sent(world)
    client = unlocked(world.handlers[0])
    with frozen_at(at("2025-11-30")):
        assert (
            act(client, report, "acknowledge", {"body": "Tack, vi har tagit emot rapporten."}).status_code
            == 302
        )
        page = text(client.get(url("case", report)))
        assert "Receipt acknowledged on 30 November 2025." in page
        assert "Give the reporter feedback by 28 February 2026 (in 90 days)." in page
    with frozen_at(at("2026-03-01")):
        page = text(client.get(url("case", report)))
        assert (
            "<strong>Overdue:</strong> Give the reporter feedback by 28 February 2026 (1 day overdue)."
            in page
        )
        assert "1 case is overdue for feedback" in text(client.get(reverse("whistle:dashboard")))


def test_without_acknowledgement_feedback_is_due_three_months_after_the_seven_days(world):
    with frozen_at(at("2025-03-28")):
        report, _receipt = report_sent(world)
        page = text(unlocked(world.handlers[0]).get(url("case", report)))
    assert "Give the reporter feedback by 4 July 2025" in page


def test_a_case_closes_only_after_feedback_and_can_be_reopened(world, report):
    client = unlocked(world.handlers[0])
    refused = act(client, report, "close")
    assert refused.status_code == 200
    assert "Give the reporter feedback before closing the case." in text(refused)
    assert 'id="action-errors"' in text(refused)
    assert Report.objects.get(pk=report.pk).state != State.CLOSED

    empty = act(client, report, "feedback", {"body": "  "})
    assert "This field is required." in text(empty)
    assert act(client, report, "feedback", {"body": "Vi har utrett och åtgärdat."}).status_code == 302
    assert act(client, report, "close").status_code == 302
    closed = Report.objects.get(pk=report.pk)
    assert closed.state == State.CLOSED
    assert closed.purge_on is not None  # the public channel's gallring decision
    page = text(client.get(url("case", report)))
    assert "Reopen the case" in page
    assert 'id="message-form"' not in page

    assert act(client, report, "reopen").status_code == 302
    reopened = Report.objects.get(pk=report.pk)
    assert reopened.state != State.CLOSED
    assert reopened.purge_on is None


# ------------------------------------------------------------------------------------ the case work


def test_acknowledging_and_writing_reach_the_conversation(world, report):
    client = unlocked(world.handlers[0])
    assert act(client, report, "acknowledge").status_code == 302
    assert Report.objects.get(pk=report.pk).acknowledged_on is not None
    again = act(client, report, "acknowledge")
    assert "The receipt is already acknowledged." in text(again)

    upload = SimpleUploadedFile("räkning.pdf", b"%PDF hemligt innehall", content_type="application/pdf")
    response = act(client, report, "message", {"body": "Kan du berätta mer?", "files": upload})
    assert response.status_code == 302
    message = Message.objects.filter(report=report).order_by("-sequence").first()
    assert message.kind == "message"
    attachment = Attachment.objects.get(message=message)
    stored = (settings.WHISTLE_FILES_DIR / "files" / attachment.stored_name).read_bytes()
    assert b"hemligt" not in stored
    assert not list((settings.WHISTLE_FILES_DIR / "pending").iterdir())
    page = text(client.get(url("case", report)))
    assert "Kan du berätta mer?" in page
    assert "räkning.pdf" in page
    assert "Write a message or attach a file." in text(act(client, report, "message", {"body": ""}))


def test_a_transcript_needs_a_file(world, report):
    client = unlocked(world.handlers[0])
    refused = act(client, report, "transcript", {"body": "Protokoll från mötet"})
    assert "Attach at least one file." in text(refused)
    upload = SimpleUploadedFile("protokoll.txt", b"protokoll", content_type="text/plain")
    assert act(client, report, "transcript", {"body": "Protokoll", "files": upload}).status_code == 302
    assert Report.objects.get(pk=report.pk).transcript_state == "awaiting"
    assert Attachment.objects.filter(report=report, is_transcript=True).exists()


def test_a_file_with_irrelevant_personal_data_is_removed(world, report, django_capture_on_commit_callbacks):
    client = unlocked(world.handlers[0])
    attachment = Attachment.objects.get(report=report)
    with django_capture_on_commit_callbacks(execute=True):  # the file is overwritten once the row is gone
        response = act(client, report, "remove-file", {"attachment_id": str(attachment.pk)})
    assert response.status_code == 302
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not (settings.WHISTLE_FILES_DIR / "files" / attachment.stored_name).exists()
    assert act(client, report, "remove-file", {"attachment_id": str(attachment.pk)}).status_code == 404


def test_unknown_actions_are_404_and_actions_need_a_post(world, report):
    client = unlocked(world.handlers[0])
    assert act(client, report, "delete-everything").status_code == 404
    assert client.get(url("case-action", report, "close")).status_code == 405


def test_an_action_without_a_csrf_token_is_refused(world, report):
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    signed_in_client(client, world.handlers[0])
    page = client.get(reverse("whistle:unlock"))
    token = page.cookies[settings.CSRF_COOKIE_NAME].value if settings.CSRF_COOKIE_NAME in page.cookies else ""
    client.post(reverse("whistle:unlock"), {"passphrase": PASSPHRASE, "csrfmiddlewaretoken": token})
    upload = SimpleUploadedFile("a.txt", b"a")
    assert act(client, report, "message", {"body": "utan token", "files": upload}).status_code == 403
    assert act(client, report, "close").status_code == 403
    assert not Message.objects.filter(report=report).exists()
    assert not list((settings.WHISTLE_FILES_DIR / "pending").iterdir())


# ------------------------------------------------------------------------------------ T-28: an oral report


def oral_data(**extra):
    return {
        "mode": Mode.CONFIDENTIAL,
        "category": "Arbetsmiljö eller säkerhet",
        "summary": "Berättat i telefon: " + SENTINEL,
        "name": "Ria Rapportör",
        "contact": "070-123 45 67",
        "relation": "anställd",
        **extra,
    }


def test_an_oral_report_needs_a_transcript(world):
    client = unlocked(world.handlers[0])
    response = client.post(reverse("whistle:oral-register", args=[world.channel.slug]), oral_data())
    assert response.status_code == 200
    assert "Attach at least one file." in text(response)
    assert not Report.objects.exists()


def test_an_oral_report_is_registered_and_its_receipt_shown_once(world):
    client = unlocked(world.handlers[0])
    transcript = SimpleUploadedFile("utskrift.txt", b"Utskrift av samtalet", content_type="text/plain")
    response = client.post(
        reverse("whistle:oral-register", args=[world.channel.slug]), oral_data(transcript=transcript)
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    report = Report.objects.get()
    assert report.origin == Origin.ORAL
    assert report.receipt_must_change
    assert report.acknowledged_on is not None
    assert Attachment.objects.filter(report=report, is_transcript=True).exists()
    page = text(response)
    receipt = re.search(r'id="receipt">(\d{4} \d{4} \d{4} \d{4})<', page).group(1)
    assert reports.reporter_sign_in(channel=world.channel, receipt=receipt).report == report
    assert "must choose a new one" in page
    assert WhistleEvent.objects.filter(action=WhistleAction.ORAL_REGISTERED, actor=world.handlers[0]).exists()
    # Shown once: neither the case page nor the list has it.
    assert receipt not in text(client.get(url("case", report)))
    assert receipt not in text(client.get(reverse("whistle:channel", args=[world.channel.slug])))


def test_a_confidential_oral_report_needs_the_name(world):
    client = unlocked(world.handlers[0])
    transcript = SimpleUploadedFile("utskrift.txt", b"Utskrift", content_type="text/plain")
    response = client.post(
        reverse("whistle:oral-register", args=[world.channel.slug]), oral_data(name="", transcript=transcript)
    )
    assert "A confidential report needs the reporter's name." in text(response)
    assert not Report.objects.exists()


# ------------------------------------------------------------------------------------ T-30: the log


def test_viewing_downloading_and_exporting_are_logged_without_content(world, report):
    handler = world.handlers[0]
    client = unlocked(handler)
    attachment = Attachment.objects.get(report=report)
    assert SENTINEL in text(client.get(url("case", report)))
    download = client.get(url("case-file", report, attachment.pk))
    assert b"".join(download.streaming_content) == b"%PDF " + SENTINEL.encode()
    registration = client.get(url("case-registration", report))
    as_text = client.get(url("case-registration", report) + "?format=text")
    for action in (WhistleAction.CASE_VIEWED, WhistleAction.FILE_DOWNLOADED, WhistleAction.CASE_EXPORTED):
        event = WhistleEvent.objects.filter(action=action).first()
        assert event is not None, action
        assert event.actor == handler
        assert event.case_number == report.case_number
    for event in WhistleEvent.objects.all():
        assert SENTINEL not in event.note
        assert world.channel.categories[0] not in event.note
    assert WhistleEvent.objects.filter(action=WhistleAction.CASE_EXPORTED).count() == 2
    for response in (registration, as_text):
        body = text(response)
        assert report.case_number in body
        assert SENTINEL not in body
        assert world.channel.categories[0] not in body
        assert "Vera" not in body
    assert as_text.headers["Content-Type"].startswith("text/plain")
    assert "attachment" in as_text.headers["Content-Disposition"]
    assert "chapter 32, section 3 b" in text(registration)  # a public body: sekretess under OSL


def test_a_private_channels_registration_entry_is_marked_with_the_duty_of_confidentiality(db):
    world = whistle_world(slug="bolaget", sector=Sector.PRIVATE)
    report, _receipt = report_sent(world, text=SENTINEL, attachments=[("a.txt", b"a")])
    body = text(staff(world.handlers[0]).get(url("case-registration", report) + "?format=text"))
    assert "Duty of confidentiality under lag (2021:890)" in body
    assert "OSL" not in body
    assert report.case_number in body


# ------------------------------------------------------------------------------------ T-32: the identity


def test_the_identity_is_seen_only_after_approval_and_a_post(world):
    report, _receipt = report_sent(
        world,
        mode=Mode.CONFIDENTIAL,
        identity={"name": "Vera Visselblåsare", "contact": "070-000 00 00", "relation": "anställd"},
    )
    handler = world.handlers[0]
    client = unlocked(handler)
    assert "Vera" not in text(client.get(url("case", report)))
    early = act(client, report, "identity-view")
    assert early.status_code == 302
    assert not WhistleEvent.objects.filter(action=WhistleAction.IDENTITY_VIEWED).exists()

    assert act(client, report, "identity-request", {"motivation": "Behöver höra vittnet"}).status_code == 302
    request = IdentityRequest.objects.get(report=report)
    assert b"vittnet" not in bytes(request.motivation)
    page = text(client.get(url("case", report)))
    assert "waits for a custodian" in page
    assert "Vera" not in page

    identity.identity_decide(
        request=request, custodian=world.custodian, private_key=world.key(world.custodian), approve=True
    )
    assert IdentityRequest.objects.get(pk=request.pk).state == IdentityRequestState.APPROVED
    page = text(client.get(url("case", report)))
    assert "Vera" not in page  # never without asking
    shown = act(client, report, "identity-view")
    assert shown.status_code == 200
    assert shown.headers["Cache-Control"] == "no-store"
    assert "Vera Visselblåsare" in text(shown)
    event = WhistleEvent.objects.get(action=WhistleAction.IDENTITY_VIEWED)
    assert event.actor == handler
    assert event.case_number == report.case_number
    assert "Vera" not in text(client.get(url("case", report)))  # not kept


def test_an_anonymous_report_offers_no_identity_request(world, report):
    client = unlocked(world.handlers[0])
    assert "The report is anonymous" in text(client.get(url("case", report)))
    refused = act(client, report, "identity-request", {"motivation": "Vem är det?"})
    assert "made anonymously" in text(refused)
    assert not IdentityRequest.objects.exists()


# ------------------------------------------------------------------------------------ T-07: downloads


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("faktura\u202efdp.exe", 'attachment; filename="fakturafdp.exe"'),
        ("räkning 2026.pdf", "attachment; filename*=utf-8''r%C3%A4kning%202026.pdf"),
        ("../../etc/passwd", 'attachment; filename="passwd"'),
    ],
    ids=["rtl-override", "non-ascii", "path"],
)
def test_downloads_are_attachments_with_rfc6266_names_and_a_sandbox(world, name, expected):
    report, _receipt = report_sent(world, attachments=[(name, b"<script>alert(1)</script>")])
    attachment = Attachment.objects.get(report=report)
    response = unlocked(world.handlers[0]).get(url("case-file", report, attachment.pk))
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == expected
    assert response.headers["Content-Type"] == "application/octet-stream"
    assert response.headers["Content-Security-Policy"].startswith("sandbox")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    assert b"".join(response.streaming_content) == b"<script>alert(1)</script>"


def test_another_cases_file_is_404(world, report):
    other, _receipt = report_sent(world, attachments=[("annan.pdf", b"annan")])
    foreign = Attachment.objects.get(report=other)
    client = unlocked(world.handlers[0])
    assert client.get(url("case-file", report, foreign.pk)).status_code == 404
    assert client.get(url("case-file", report, uuid.uuid4())).status_code == 404
    assert not WhistleEvent.objects.filter(action=WhistleAction.FILE_DOWNLOADED).exists()


# ------------------------------------------------------------------------------------ the key cookie


def test_the_session_without_the_key_cookie_opens_nothing(world, report):
    client = unlocked(world.handlers[0])
    assert SENTINEL in text(client.get(url("case", report)))
    copy = Client()
    copy.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    response = copy.get(url("case", report))
    assert response.status_code == 302
    assert response.url.startswith(reverse("whistle:unlock"))
    listing = text(copy.get(reverse("whistle:channel", args=[world.channel.slug])))
    assert report.case_number in listing
    assert world.channel.categories[0] not in listing


def test_after_locking_the_case_page_asks_to_unlock_again(world, report):
    client = unlocked(world.handlers[0])
    assert client.get(url("case", report)).status_code == 200
    client.post(reverse("whistle:lock"))
    response = client.get(url("case", report))
    assert response.status_code == 302
    assert response.url == f"{reverse('whistle:unlock')}?next={url('case', report)}"
    assert client.get(url("case-file", report, Attachment.objects.get(report=report).pk)).status_code == 302


def test_the_list_shows_categories_only_when_unlocked(world, report):
    client = staff(world.handlers[0])
    listing = text(client.get(reverse("whistle:channel", args=[world.channel.slug])))
    assert report.case_number in listing
    assert world.channel.categories[0] not in listing
    assert 'id="unlock-link"' in listing
    client.post(reverse("whistle:unlock"), {"passphrase": PASSPHRASE})
    listing = text(client.get(reverse("whistle:channel", args=[world.channel.slug])))
    assert world.channel.categories[0] in listing
    assert SENTINEL not in listing  # the category, never the content


# ------------------------------------------------------------------------------------ query counts


def test_the_case_list_reads_the_same_number_of_queries_for_3_and_10_cases(
    world, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = unlocked(world.handlers[0])
    address = reverse("whistle:channel", args=[world.channel.slug])
    counts = []
    for total in (3, 10):
        while Report.objects.count() < total:
            report_sent(world)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(address)
        assert response.status_code == 200
        assert text(response).count(world.channel.categories[0]) == total
        counts.append(len(captured))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(counts[0]):
        client.get(address)


def test_the_dashboard_counts_what_waits(world):
    with frozen_at(at("2026-01-05")):
        first, _r = report_sent(world)
        report_sent(world)
    client = unlocked(world.handlers[0])
    with frozen_at(at("2026-01-20")):
        cases.case_acknowledge(
            report=first, handler=world.handlers[0], private_key=world.key(world.handlers[0])
        )
        page = text(client.get(reverse("whistle:dashboard")))
    assert "hold 2 cases" in page
    assert "1 case is overdue for acknowledgement of receipt" in page
    assert "2 cases wait for feedback" in page
    assert "2 cases have news you have not read" in page


def test_an_administrator_sees_the_channel_to_configure_and_no_case(world, report):
    page = text(staff(world.administrator).get(reverse("whistle:dashboard")))
    assert world.channel.name in page
    assert reverse("whistle:settings", args=[world.channel.slug]) in page
    assert f'href="{reverse("whistle:channel", args=[world.channel.slug])}"' not in page
    assert report.case_number not in page


def test_a_person_with_a_role_but_no_keys_is_sent_to_create_them(world):
    channels.role_grant(access=world.system, channel=world.channel, person=world.bystander, role=Role.HANDLER)
    page = text(staff(world.bystander).get(reverse("whistle:dashboard")))
    assert f'href="{reverse("whistle:keyring")}"' in page
    assert "You have no keys yet." in page


def test_case_pages_keep_their_address_on_the_site_and_out_of_indexes(world, report):
    response = unlocked(world.handlers[0]).get(url("case", report))
    # same-origin, not no-referrer: under no-referrer a browser's form POST carries `Origin: null`,
    # which the CSRF check refuses (tests/e2e/test_whistle_handler.py posts the forms for real).
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Robots-Tag"] == "noindex"
    assert response.headers["Cache-Control"] == "no-store"


def test_refusals_raised_inside_a_staff_view_are_never_cached_either(world, report):
    """A 404 or 403 raised inside a view (another person's case, a non-administrator on the settings)
    and the sign-in redirect go out with the staff pages' headers too: the middleware adds them."""
    other = staff(world.handlers[1])
    refusals = [
        staff(world.bystander).get(url("case", report)),  # no role: 404 from `channel_for`
        other.get(url("case", report).replace(str(report.pk), str(uuid.uuid4()))),  # no such case: 404
        staff(world.custodian).get(reverse("whistle:settings", args=[world.channel.slug])),  # 403
        Client().get(url("case", report)),  # signed out: to the sign-in page
        other.get("/visselblasning/no/such/page/at/all/"),  # no URL at all: 404
    ]
    assert [response.status_code for response in refusals] == [404, 404, 403, 302, 404]
    for response in refusals:
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["X-Robots-Tag"] == "noindex"


def test_the_staff_headers_stay_on_the_channels_pages(world):
    response = staff(world.handlers[0]).get(reverse("home"))
    assert response.headers.get("X-Robots-Tag") != "noindex"


def test_too_many_files_are_refused_while_streaming(world, report, settings):
    settings.WHISTLE_MAX_FILES = 1
    client = unlocked(world.handlers[0])
    uploads = [SimpleUploadedFile(f"{n}.txt", b"innehall") for n in range(2)]
    response = act(client, report, "message", {"body": "två filer", "files": uploads})
    assert response.status_code == 413
    assert not Message.objects.filter(report=report).exists()
    assert not list((settings.WHISTLE_FILES_DIR / "pending").iterdir())


def test_an_oral_report_with_too_many_files_is_refused(world, settings):
    settings.WHISTLE_MAX_FILES = 1
    files = [SimpleUploadedFile(f"{n}.txt", b"utskrift") for n in range(2)]
    response = unlocked(world.handlers[0]).post(
        reverse("whistle:oral-register", args=[world.channel.slug]), oral_data(transcript=files)
    )
    assert response.status_code == 413
    assert not Report.objects.exists()
    assert not list((settings.WHISTLE_FILES_DIR / "pending").iterdir())
