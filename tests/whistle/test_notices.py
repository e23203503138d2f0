"""E-mails to handlers (W-07, W-09, W-10; T-05, T-21): in hourly batches, never when a report arrives,
only to handlers holding a key copy, without a word about the case; nothing ever to a reporter."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.mail import mailers

from tests.factories.whistle import report_sent, whistle_world
from tillit.core.clock import frozen_at
from tillit.whistle.enums import Mode
from tillit.whistle.models import Report
from tillit.whistle.services import cases, notices, reports

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]

STOCKHOLM = ZoneInfo("Europe/Stockholm")
SENTINEL_TEXT = "SENTINEL-TEXT-4f1c"
SENTINEL_FILE = "SENTINEL-FILE-9b2e.pdf"
SENTINEL_NAME = "SENTINEL-NAME Vera"
SENTINEL_CONTACT = "sentinel-reporter@private.example"


def sent_sentinel_report(world, **extra):
    return report_sent(
        world,
        text=SENTINEL_TEXT,
        mode=Mode.CONFIDENTIAL,
        category=world.channel.categories[2],
        identity={"name": SENTINEL_NAME, "contact": SENTINEL_CONTACT, "relation": "anställd"},
        attachments=[(SENTINEL_FILE, b"%PDF-1.4 SENTINEL-CONTENT")],
        **extra,
    )


def everything(mail) -> str:
    return "\n".join([mail.subject, mail.body, *mail.to, *mail.cc, *mail.bcc, str(mail.extra_headers)])


def test_nothing_is_e_mailed_when_a_report_arrives(mailoutbox, django_capture_on_commit_callbacks):
    world = whistle_world()
    with django_capture_on_commit_callbacks(execute=True):
        sent_sentinel_report(world)

    assert mailoutbox == []
    assert Report.objects.get().handlers_notified is False


def test_the_hourly_e_mail_tells_each_handler_of_news_without_a_word_about_the_case(mailoutbox):
    world = whistle_world()
    report, receipt = sent_sentinel_report(world)

    assert notices.handlers_notify() == 2

    assert sorted(mail.to[0] for mail in mailoutbox) == sorted(person.email for person in world.handlers)
    category = world.channel.categories[2]
    for mail in mailoutbox:
        text = everything(mail)
        for secret in (SENTINEL_TEXT, SENTINEL_FILE, SENTINEL_NAME, SENTINEL_CONTACT, category, receipt):
            assert secret not in text
        assert report.case_number not in text
        assert str(report.pk) not in text
        assert world.channel.name in mail.subject
        assert "http://" in mail.body
        assert f"/visselblasning/{world.channel.slug}/" in mail.body
    assert Report.objects.get().handlers_notified is True


def test_custodians_escrow_holders_administrators_and_reporters_are_never_e_mailed(mailoutbox):
    world = whistle_world()
    sent_sentinel_report(world)
    notices.handlers_notify()

    recipients = {address for mail in mailoutbox for address in mail.to}
    others = {world.custodian.email, world.escrow.email, world.administrator.email, world.bystander.email}
    assert recipients
    assert not recipients & others
    assert SENTINEL_CONTACT not in recipients


def test_news_is_told_once_and_batched_one_e_mail_per_channel_and_handler(mailoutbox):
    world = whistle_world()
    report_sent(world, text="Första")
    report_sent(world, text="Andra")
    report_sent(world, text="Tredje")

    assert notices.handlers_notify() == 2
    assert notices.handlers_notify() == 0  # told already
    assert len(mailoutbox) == 2


def test_a_reporter_message_is_news_again_at_the_next_hour(mailoutbox):
    world = whistle_world()
    report, _receipt = report_sent(world)
    notices.handlers_notify()
    mailoutbox.clear()

    reports.reporter_message_send(report=report, body=SENTINEL_TEXT)

    assert notices.handlers_notify() == 2
    assert all(SENTINEL_TEXT not in everything(mail) for mail in mailoutbox)


def test_an_excluded_handler_is_not_told(mailoutbox):
    world = whistle_world(handlers=3)
    excluded = world.handlers[1]
    report_sent(world, excluded=[excluded])

    assert notices.handlers_notify() == 2
    assert excluded.email not in {mail.to[0] for mail in mailoutbox}


def test_a_handler_without_the_role_any_more_or_without_a_key_copy_is_not_told(mailoutbox):
    from tillit.whistle.models import ChannelRole, ReportKeyCopy

    world = whistle_world(handlers=3)
    report, _receipt = report_sent(world)
    ChannelRole.objects.filter(person=world.handlers[0], role="handler").delete()
    ReportKeyCopy.objects.filter(report=report, person=world.handlers[1]).delete()

    assert notices.handlers_notify() == 1
    assert [mail.to for mail in mailoutbox] == [[world.handlers[2].email]]


def test_a_failing_mail_server_leaves_the_news_for_the_next_hour(mailoutbox, monkeypatch):
    world = whistle_world()
    report_sent(world)

    def refuse(self, messages):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(type(mailers.default), "send_messages", refuse)
    assert notices.handlers_notify() == 0
    assert Report.objects.get().handlers_notified is False

    monkeypatch.undo()
    assert notices.handlers_notify() == 2


# --- The daily deadlines -----------------------------------------------------------------------------


def received(world, day: date, **extra):
    with frozen_at(datetime(day.year, day.month, day.day, 10, tzinfo=STOCKHOLM)):
        report, _receipt = sent_sentinel_report(world, **extra)
    return report


def test_the_daily_deadlines_name_the_case_number_and_the_date_and_nothing_else(mailoutbox):
    world = whistle_world()
    report = received(world, date(2026, 3, 2))  # acknowledgement due 9 March

    assert notices.clock_alerts_send(today=date(2026, 3, 6)) == 0  # three days before: nothing yet
    assert notices.clock_alerts_send(today=date(2026, 3, 7)) == 2

    category = world.channel.categories[2]
    for mail in mailoutbox:
        text = everything(mail)
        assert report.case_number in mail.body
        assert "9 mars 2026" in mail.body
        for secret in (SENTINEL_TEXT, SENTINEL_FILE, SENTINEL_NAME, SENTINEL_CONTACT, category):
            assert secret not in text
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted(person.email for person in world.handlers)


def test_the_daily_deadlines_come_every_day_until_met_and_then_stop(mailoutbox):
    world = whistle_world()
    handler = world.handlers[0]
    report = received(world, date(2026, 3, 2))

    assert notices.clock_alerts_send(today=date(2026, 3, 12)) == 2  # overdue
    assert "9 mars 2026" in mailoutbox[0].body
    with frozen_at(datetime(2026, 3, 12, 11, tzinfo=STOCKHOLM)):
        cases.case_acknowledge(report=report, handler=handler, private_key=world.key(handler))
    assert notices.clock_alerts_send(today=date(2026, 3, 13)) == 0
    assert notices.clock_alerts_send(today=date(2026, 6, 10)) == 2  # feedback due 12 June


def test_deadlines_group_a_handlers_cases_into_one_e_mail_and_skip_excluded_handlers(mailoutbox):
    world = whistle_world(handlers=3)
    excluded = world.handlers[2]
    first = received(world, date(2026, 3, 2), excluded=[excluded])
    second = received(world, date(2026, 3, 3), excluded=[excluded])

    assert notices.clock_alerts_send(today=date(2026, 3, 9)) == 2
    assert excluded.email not in {mail.to[0] for mail in mailoutbox}
    for mail in mailoutbox:
        assert first.case_number in mail.body
        assert second.case_number in mail.body


def test_a_waived_acknowledgement_sends_no_reminder(mailoutbox):
    world = whistle_world()
    handler = world.handlers[0]
    report = received(world, date(2026, 3, 2))
    cases.case_waive_acknowledgement(report=report, handler=handler, private_key=world.key(handler))

    assert notices.clock_alerts_send(today=date(2026, 3, 10)) == 0
    assert mailoutbox == []
