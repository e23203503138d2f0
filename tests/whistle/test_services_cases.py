"""Reports in and cases followed up, through the services (W-04, W-07, W-09 – W-11; T-21, T-27, T-28)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories.whistle import pending_file, report_sent, whistle_world
from tillit.core.clock import frozen_at
from tillit.whistle import selectors
from tillit.whistle.enums import (
    Author,
    MessageKind,
    Mode,
    Origin,
    Role,
    Sector,
    State,
    TranscriptState,
    WhistleAction,
)
from tillit.whistle.models import (
    ChannelRole,
    Exclusion,
    IdentityKeyCopy,
    Report,
    ReportKeyCopy,
    WhistleEvent,
)
from tillit.whistle.services import cases, channels, identity, reports

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _at(day: date):
    return frozen_at(datetime(day.year, day.month, day.day, 12, tzinfo=STOCKHOLM))


def test_a_report_is_sealed_to_every_handler_but_the_excluded_and_its_identity_to_the_custodian_only():
    world = whistle_world(handlers=3)
    report, _receipt = report_sent(world, mode=Mode.CONFIDENTIAL, excluded=[world.handlers[2]])
    holders = set(ReportKeyCopy.objects.filter(report=report).values_list("person", flat=True))
    assert holders == {world.handlers[0].pk, world.handlers[1].pk}
    assert set(IdentityKeyCopy.objects.filter(report=report).values_list("person", flat=True)) == {
        world.custodian.pk
    }
    assert list(Exclusion.objects.filter(report=report).values_list("person", flat=True)) == [
        world.handlers[2].pk
    ]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"category": "Inget sådant"}, "category"),
        ({"answers": {"what": "  "}}, "what"),
        ({"answers": {"what": "x" * 20_001}}, "what"),
        ({"mode": "loud"}, "mode"),
        ({"mode": Mode.CONFIDENTIAL, "identity": {"name": ""}}, "name"),
    ],
)
def test_a_report_with_bad_input_is_refused_with_the_field_named_and_nothing_stored(change, field):
    world = whistle_world()
    arguments = {
        "channel": world.channel,
        "mode": Mode.ANONYMOUS,
        "category": world.channel.categories[0],
        "answers": {"what": "Något hände."},
    } | change
    with pytest.raises(ValidationError) as refused:
        reports.report_submit(**arguments)
    assert field in refused.value.message_dict
    assert not Report.objects.exists()


def test_a_reporter_may_not_exclude_every_handler():
    world = whistle_world()
    with pytest.raises(ValidationError) as refused:
        report_sent(world, excluded=world.handlers)
    assert "excluded" in refused.value.message_dict


def test_a_closed_channel_and_a_channel_without_anonymous_reports_refuse():
    world = whistle_world()
    channels.channel_update(access=world.system, channel=world.channel, accepts_anonymous=False)
    with pytest.raises(ValidationError):
        report_sent(world, mode=Mode.ANONYMOUS)
    channels.channel_open(access=world.system, channel=world.channel, is_open=False)
    world.channel.refresh_from_db()
    with pytest.raises(ValidationError):
        report_sent(world, mode=Mode.CONFIDENTIAL)
    assert not Report.objects.exists()


def test_the_receipt_signs_in_and_nothing_else_does():
    world = whistle_world()
    report, receipt = report_sent(world)
    one_space_apart = " ".join(receipt)  # 31 characters: within the 32 allowed
    assert reports.reporter_sign_in(channel=world.channel, receipt=one_space_apart).report == report
    with pytest.raises(reports.MalformedReceiptError):  # 33 characters: refused before any Argon2
        reports.reporter_sign_in(channel=world.channel, receipt=f" {one_space_apart} ")
    signed_in = reports.reporter_sign_in(
        channel=world.channel, receipt=f"{receipt[:4]}-{receipt[4:8]} {receipt[8:]}"
    )
    assert signed_in.report == report
    wrong = str((int(receipt) + 1) % 10**16).zfill(16)
    assert reports.reporter_sign_in(channel=world.channel, receipt=wrong) is None
    with pytest.raises(reports.MalformedReceiptError):
        reports.reporter_sign_in(channel=world.channel, receipt="12345")


def test_a_receipt_works_only_in_its_own_channel():
    world = whistle_world()
    other = whistle_world(slug="annat")
    _report, receipt = report_sent(world)
    assert reports.reporter_sign_in(channel=other.channel, receipt=receipt) is None


def test_the_conversation_runs_both_ways_in_order_and_dated_to_the_day():
    world = whistle_world()
    handler = world.handlers[0]
    with _at(date(2026, 3, 2)):
        report, _receipt = report_sent(world)
        cases.case_acknowledge(report=report, handler=handler, private_key=world.key(handler))
    with _at(date(2026, 3, 5)):
        reports.reporter_message_send(report=report, body="Jag har mer att berätta.")
        cases.case_message(
            report=report,
            handler=handler,
            private_key=world.key(handler),
            body="Tack, bifogar en fråga.",
            pending=[pending_file(b"fraga", name="fraga.txt")],
        )
    conversation = selectors.messages_open(report, world.report_key(handler, report))
    assert [(m.author, m.kind) for m in conversation] == [
        (Author.HANDLER, MessageKind.ACKNOWLEDGEMENT),
        (Author.REPORTER, MessageKind.MESSAGE),
        (Author.HANDLER, MessageKind.MESSAGE),
    ]
    assert [m.written_on for m in conversation] == [date(2026, 3, 2), date(2026, 3, 5), date(2026, 3, 5)]
    assert conversation[2].handler_name == handler.full_name
    assert [a.name for a in conversation[2].attachments] == ["fraga.txt"]


def test_acknowledging_starts_the_feedback_clock_and_happens_once():
    world = whistle_world()
    handler = world.handlers[0]
    with _at(date(2025, 11, 20)):
        report, _receipt = report_sent(world)
    assert reports.ack_due(report) == date(2025, 11, 27)
    assert reports.feedback_due(report) == date(2026, 2, 27)
    with _at(date(2025, 11, 30)):
        report = cases.case_acknowledge(report=report, handler=handler, private_key=world.key(handler))
    assert report.state == State.ACKNOWLEDGED
    assert reports.feedback_due(report) == date(2026, 2, 28)
    with pytest.raises(ValidationError):
        cases.case_acknowledge(report=report, handler=handler, private_key=world.key(handler))


def test_a_case_closes_only_after_feedback_and_reopening_cancels_its_purge():
    world = whistle_world(sector=Sector.PRIVATE)
    handler = world.handlers[0]
    key = world.key(handler)
    report, _receipt = report_sent(world)
    with pytest.raises(ValidationError):
        cases.case_close(report=report, handler=handler, private_key=key)
    cases.case_message(
        report=report,
        handler=handler,
        private_key=key,
        body="Vi har utrett och åtgärdat.",
        kind=MessageKind.FEEDBACK,
    )
    with _at(date(2026, 6, 1)):
        report = cases.case_close(report=report, handler=handler, private_key=key)
    assert report.state == State.CLOSED
    assert report.purge_on == date(2028, 6, 1)  # two calendar years, whatever the leap days
    with pytest.raises(ValidationError):
        reports.reporter_message_send(report=report, body="En sak till")
    report = cases.case_reopen(report=report, handler=handler, private_key=key)
    assert report.purge_on is None
    assert report.closed_on is None
    assert [e.action for e in WhistleEvent.objects.filter(case_number=report.case_number).order_by("pk")][
        -3:
    ] == [
        WhistleAction.FEEDBACK_SENT,
        WhistleAction.CLOSED,
        WhistleAction.REOPENED,
    ]


def test_a_public_channel_purges_by_its_gallring_decision_and_not_at_all_without_one():
    world = whistle_world()
    assert cases.purge_date(world.channel, date(2026, 1, 1)) == date(2030, 12, 31)
    world.channel.gallringsbeslut_ref = ""
    assert cases.purge_date(world.channel, date(2026, 1, 1)) is None


def test_an_oral_report_needs_its_transcript_and_a_receipt_the_reporter_must_change():
    world = whistle_world()
    handler = world.handlers[0]
    arguments = {
        "channel": world.channel,
        "handler": handler,
        "private_key": world.key(handler),
        "category": world.channel.categories[1],
        "summary": "Samtal 3 mars om brister i arbetsmiljön.",
        "identity": {"name": "Ringande Person", "contact": "", "relation": ""},
    }
    with pytest.raises(ValidationError):
        cases.oral_report_register(**arguments, transcript=[])
    report, receipt = cases.oral_report_register(
        **arguments, transcript=[pending_file(b"Protokoll fran samtalet", name="protokoll.txt")]
    )
    assert report.origin == Origin.ORAL
    assert report.receipt_must_change
    assert report.transcript_state == TranscriptState.AWAITING
    assert report.acknowledged_on is not None
    signed_in = reports.reporter_sign_in(channel=world.channel, receipt=receipt)
    new_receipt, renewed = reports.receipt_replace(signed_in=signed_in)
    assert reports.reporter_sign_in(channel=world.channel, receipt=receipt) is None
    again = reports.reporter_sign_in(channel=world.channel, receipt=new_receipt)
    assert again.private_key == renewed.private_key
    assert not again.report.receipt_must_change
    reports.transcript_decide(report=again.report, approve=True)
    assert Report.objects.get(pk=report.pk).transcript_state == TranscriptState.APPROVED


def test_an_anonymous_reporter_can_disclose_their_identity_later_to_the_custodians_only():
    world = whistle_world()
    report, receipt = report_sent(world)
    signed_in = reports.reporter_sign_in(channel=world.channel, receipt=receipt)
    identity.identity_disclose(
        report=report, receipt_key=signed_in.receipt_key, identity={"name": "Modig Person"}
    )
    report.refresh_from_db()
    assert report.mode == Mode.CONFIDENTIAL
    assert set(IdentityKeyCopy.objects.filter(report=report).values_list("person", flat=True)) == {
        world.custodian.pk
    }
    with pytest.raises(ValidationError):
        identity.identity_disclose(
            report=report, receipt_key=signed_in.receipt_key, identity={"name": "Igen"}
        )


def test_an_identity_request_needs_a_motivation_and_a_denial_gives_nothing():
    world = whistle_world()
    handler = world.handlers[0]
    anonymous, _r = report_sent(world)
    with pytest.raises(ValidationError):
        identity.identity_request(
            report=anonymous, handler=handler, private_key=world.key(handler), motivation="x"
        )
    report, _r = report_sent(world, mode=Mode.CONFIDENTIAL)
    with pytest.raises(ValidationError):
        identity.identity_request(
            report=report, handler=handler, private_key=world.key(handler), motivation=" "
        )
    request = identity.identity_request(
        report=report,
        handler=handler,
        private_key=world.key(handler),
        motivation="Vi behöver kontakta personen.",
    )
    assert identity.motivation_read(
        request=request, person=world.custodian, private_key=world.key(world.custodian)
    ) == ("Vi behöver kontakta personen.")
    with pytest.raises(Exception):  # noqa: B017, PT011 - a handler cannot decide: PermissionDenied
        identity.identity_decide(
            request=request,
            custodian=world.handlers[1],
            private_key=world.key(world.handlers[1]),
            approve=True,
        )
    identity.identity_decide(
        request=request, custodian=world.custodian, private_key=world.key(world.custodian), approve=False
    )
    with pytest.raises(Exception):  # noqa: B017, PT011 - PermissionDenied: no identity key copy
        identity.identity_read(report=report, person=handler, private_key=world.key(handler))
    assert WhistleEvent.objects.filter(action=WhistleAction.IDENTITY_DENIED, actor=world.custodian).exists()
    assert not WhistleEvent.objects.filter(action=WhistleAction.IDENTITY_VIEWED).exists()


@pytest.mark.parametrize("first", [Role.HANDLER, Role.CUSTODIAN])
def test_no_one_is_both_handler_and_identity_custodian_of_a_channel(first):
    world = whistle_world()
    second = Role.CUSTODIAN if first == Role.HANDLER else Role.HANDLER
    channels.role_grant(access=world.system, channel=world.channel, person=world.bystander, role=first)
    with pytest.raises(ValidationError):
        channels.role_grant(access=world.system, channel=world.channel, person=world.bystander, role=second)
    assert list(ChannelRole.objects.filter(person=world.bystander).values_list("role", flat=True)) == [first]


def test_a_custodians_own_identity_copy_never_opens_the_identity_to_them_as_a_handler():
    """Roles combined before the rule (or by hand in the database): the custodian's copy of every
    identity key still opens nothing on the case page without a request another custodian approved."""
    world = whistle_world()
    both = world.custodian
    ChannelRole.objects.create(channel=world.channel, person=both, role=Role.HANDLER, shown_name="Kim")
    report, _receipt = report_sent(world, mode=Mode.CONFIDENTIAL)
    assert IdentityKeyCopy.objects.filter(report=report, person=both).exists()
    assert ReportKeyCopy.objects.filter(report=report, person=both).exists()
    assert selectors.identity_access(report, both) == (False, "")  # the case page offers no "show"
    with pytest.raises(PermissionDenied):
        identity.identity_read(report=report, person=both, private_key=world.key(both))
    request = identity.identity_request(
        report=report, handler=both, private_key=world.key(both), motivation="Jag behöver namnet."
    )
    with pytest.raises(ValidationError):
        identity.identity_decide(request=request, custodian=both, private_key=world.key(both), approve=True)
    with pytest.raises(PermissionDenied):
        identity.identity_read(report=report, person=both, private_key=world.key(both))
    assert not WhistleEvent.objects.filter(action=WhistleAction.IDENTITY_VIEWED).exists()


def test_a_reporter_side_event_is_dated_to_the_day_and_names_no_one():
    world = whistle_world()
    with frozen_at(datetime(2026, 4, 7, 14, 23, tzinfo=STOCKHOLM)):
        report, _receipt = report_sent(world)
    event = WhistleEvent.objects.get(action=WhistleAction.REPORT_RECEIVED, case_number=report.case_number)
    assert event.actor is None
    local = event.at.astimezone(STOCKHOLM)
    assert (local.date(), local.hour, local.minute) == (date(2026, 4, 7), 0, 0)
