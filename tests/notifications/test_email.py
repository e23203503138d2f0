"""E-mail at once and the daily digest: Swedish, absolute links, marked once sent, run by the real worker."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from tests.conftest import person, unit
from tests.notifications.factories import notify
from tillit.core.clock import frozen_at
from tillit.notifications.enums import Delivery, NotificationKind
from tillit.notifications.models import NotificationPreference
from tillit.notifications.services import (
    DIGEST_TASK_PATH,
    digest_next_run,
    digest_schedule,
    digest_send,
    notification_email_send,
)
from tillit.notifications.tasks import send_notification_email

pytestmark = pytest.mark.integration

EMAIL_TASK = "tillit.notifications.tasks.send_notification_email"
STOCKHOLM_7 = re.compile(r"T07:00:00\+0[12]:00$")


@pytest.fixture
def committed_demo(transactional_db):
    """The demo, committed: the task worker must see what the service wrote (see tests/accounts)."""
    from tillit.chain.models import Organisation
    from tillit.demo.generate import demo_load

    if not Organisation.objects.filter(slug="exempelby").exists():
        demo_load()


def choose(someone, kind, delivery):
    NotificationPreference.objects.update_or_create(
        person=someone, kind=kind, defaults={"delivery": delivery}
    )


def test_an_e_mail_at_once_travels_through_the_worker_after_the_commit(committed_demo, mailoutbox, settings):
    settings.SITE_URL = "http://tillit.example/"
    manager, norr = person("johan.nystrom@exempelby.se"), unit("Hemtjänst Norr")
    DBTaskResult.objects.all().delete()

    with transaction.atomic():
        row = notify(manager, unit=norr, subject="Nyckelskåpet", kind=NotificationKind.OBSTACLE_RECEIVED)
        assert not DBTaskResult.objects.exists()
    task = DBTaskResult.objects.get()
    assert (task.task_path, task.status) == (EMAIL_TASK, "READY")
    assert mailoutbox == []

    call_command("db_worker", "--batch", "--no-startup-delay")

    task.refresh_from_db()
    row.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert task.return_value is True
    assert row.emailed_at is not None
    assert row.read_at is None  # an e-mail is not a reading
    [mail] = mailoutbox
    assert mail.to == ["johan.nystrom@exempelby.se"]
    assert mail.subject == "Tillit: Ett hinder från Hemtjänst Norr behöver svar: Nyckelskåpet"
    assert "Hej Johan Nyström!" in mail.body
    assert f"http://tillit.example/units/{norr.pk}/" in mail.body
    assert "http://tillit.example/me/notifications/" in mail.body
    [(html, mimetype)] = mail.alternatives
    assert mimetype == "text/html"
    assert f'href="http://tillit.example/units/{norr.pk}/"' in html
    assert 'href="http://tillit.example/me/notifications/"' in html
    assert not re.search(r"<(img|link|script|style)\b", html)  # no external assets, nothing to load


def test_an_e_mail_is_sent_once_even_if_its_task_runs_twice(same_unit, home_care_north, mailoutbox):
    row = notify(same_unit, unit=home_care_north)

    first = send_notification_email.call(notification_id=row.pk)
    second = send_notification_email.call(notification_id=row.pk)

    assert (first, second) == (True, False)
    assert len(mailoutbox) == 1


def test_the_e_mail_is_swedish_whatever_language_is_active(same_unit, home_care_north, mailoutbox):
    row = notify(
        same_unit, unit=home_care_north, kind=NotificationKind.OBSTACLE_ANSWERED, subject="Nycklarna"
    )

    with translation.override("en"):
        notification_email_send(notification_id=row.pk)

    [mail] = mailoutbox
    assert mail.subject == "Tillit: Hindret ”Nycklarna” har fått svar av Hemtjänst Norr"
    assert "Öppna i Tillit:" in mail.body
    assert "Välj vad du vill få:" in mail.body


def test_the_e_mail_follows_the_sites_language_setting(same_unit, home_care_north, mailoutbox, settings):
    settings.LANGUAGE_CODE = "en"
    row = notify(same_unit, unit=home_care_north, subject="Nycklarna")

    notification_email_send(notification_id=row.pk)

    assert mailoutbox[0].subject == "Tillit: An obstacle from Hemtjänst Norr needs an answer: Nycklarna"
    assert "Open it in Tillit:" in mailoutbox[0].body


def test_a_notification_without_a_page_links_to_the_inbox(same_unit, mailoutbox, settings):
    settings.SITE_URL = "http://tillit.example"
    row = notify(same_unit, url="https://elsewhere.example/phish")

    notification_email_send(notification_id=row.pk)

    assert "http://tillit.example/inbox/" in mailoutbox[0].body
    assert "elsewhere.example" not in mailoutbox[0].body


def test_an_inactive_person_gets_no_e_mail(colleague, home_care_north, mailoutbox):
    row = notify(colleague, unit=home_care_north)
    colleague.is_active = False
    colleague.save(update_fields=["is_active"])

    assert notification_email_send(notification_id=row.pk) is False
    assert mailoutbox == []


def test_the_digest_sends_each_person_one_e_mail_with_their_waiting_notifications(
    same_unit, politician, home_care_north, mailoutbox, settings
):
    settings.SITE_URL = "http://tillit.example"
    choose(politician, NotificationKind.OBSTACLE_RECEIVED, Delivery.DIGEST)
    choose(politician, NotificationKind.JOINT_LOOK_OPENED, Delivery.INBOX)
    digest_send()  # whatever the demo left waiting is out of the way
    mailoutbox.clear()
    first = notify(politician, unit=home_care_north, subject="Nycklarna")
    second = notify(politician, unit=home_care_north, kind=NotificationKind.JOINT_LOOK_CLOSED, subject="Fall")
    inbox_only = notify(politician, unit=home_care_north, kind=NotificationKind.JOINT_LOOK_OPENED)
    johans = notify(same_unit, unit=home_care_north, kind=NotificationKind.OBSTACLE_OVERDUE, subject="Larmen")

    sent = digest_send()

    assert sent == 2
    mails = {mail.to[0]: mail for mail in mailoutbox}
    assert sorted(mails) == ["johan.nystrom@exempelby.se", "karin.ekstrom@exempelby.se"]
    karins = mails["karin.ekstrom@exempelby.se"]
    assert karins.subject == "Tillit: 2 nya aviseringar i dag"
    assert "Ett hinder från Hemtjänst Norr behöver svar: Nycklarna" in karins.body
    assert "Den gemensamma genomgången för Hemtjänst Norr har avslutats: Fall" in karins.body
    assert karins.body.index("Nycklarna") < karins.body.index("Fall")  # oldest first
    assert "http://tillit.example/inbox/" in karins.body
    assert "http://tillit.example/me/notifications/" in karins.body
    assert mails["johan.nystrom@exempelby.se"].subject == "Tillit: 1 ny avisering i dag"
    for row in (first, second, johans):
        row.refresh_from_db()
        assert row.emailed_at is not None
    inbox_only.refresh_from_db()
    assert inbox_only.emailed_at is None

    assert digest_send() == 0  # nothing is sent twice
    assert len(mailoutbox) == 2


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2026, 12, 1, 5, 59, tzinfo=UTC), datetime(2026, 12, 1, 6, 0, tzinfo=UTC)),  # 06:59 CET
        (
            datetime(2026, 12, 1, 6, 0, tzinfo=UTC),
            datetime(2026, 12, 2, 6, 0, tzinfo=UTC),
        ),  # at 07:00: tomorrow
        (datetime(2026, 6, 15, 12, 0, tzinfo=UTC), datetime(2026, 6, 16, 5, 0, tzinfo=UTC)),  # summer time
        (
            datetime(2026, 3, 28, 8, 0, tzinfo=UTC),
            datetime(2026, 3, 29, 5, 0, tzinfo=UTC),
        ),  # clocks go forward
        (datetime(2026, 10, 24, 8, 0, tzinfo=UTC), datetime(2026, 10, 25, 6, 0, tzinfo=UTC)),  # and back
    ],
)
def test_the_next_digest_is_at_seven_in_stockholm(now, expected):
    with frozen_at(now):
        assert digest_next_run() == expected


def test_scheduling_the_digest_is_idempotent(db):
    DBTaskResult.objects.all().delete()

    call_command("schedule_digest")
    call_command("schedule_digest")

    [task] = DBTaskResult.objects.filter(task_path=DIGEST_TASK_PATH)
    assert task.status == "READY"
    assert task.run_after > timezone.now()
    assert STOCKHOLM_7.search(timezone.localtime(task.run_after).isoformat())


def test_the_worker_runs_a_due_digest_and_it_queues_the_next_one(committed_demo, mailoutbox):
    politician = person("karin.ekstrom@exempelby.se")
    choose(politician, NotificationKind.OBSTACLE_RECEIVED, Delivery.DIGEST)
    digest_send()
    mailoutbox.clear()
    waiting = notify(politician, unit=unit("Hemtjänst Norr"), subject="Nycklarna")
    DBTaskResult.objects.all().delete()
    with frozen_at(timezone.now() - timedelta(days=2)):
        digest_schedule()  # so that it is due now

    call_command("db_worker", "--batch", "--no-startup-delay")

    ran, queued = DBTaskResult.objects.filter(task_path=DIGEST_TASK_PATH).order_by("enqueued_at")
    assert (ran.status, ran.return_value) == ("SUCCESSFUL", 1)
    assert queued.status == "READY"
    assert queued.run_after == digest_next_run()
    [mail] = mailoutbox
    assert mail.to == ["karin.ekstrom@exempelby.se"]
    assert "Nycklarna" in mail.body
    waiting.refresh_from_db()
    assert waiting.emailed_at is not None


def test_a_failing_address_leaves_its_digest_for_tomorrow_and_the_others_are_sent(
    same_unit, politician, home_care_north, mailoutbox, monkeypatch
):
    import smtplib

    from django.core.mail import EmailMultiAlternatives

    digest_send()
    mailoutbox.clear()
    choose(politician, NotificationKind.OBSTACLE_RECEIVED, Delivery.DIGEST)
    karins = notify(politician, unit=home_care_north)
    johans = notify(same_unit, unit=home_care_north, kind=NotificationKind.OBSTACLE_OVERDUE)
    real_send = EmailMultiAlternatives.send

    def refuse_karin(message, *args, **kwargs):  # an SMTP server that refuses one recipient
        if message.to == [politician.email]:
            raise smtplib.SMTPRecipientsRefused({politician.email: (550, b"No such user")})
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse_karin)

    assert digest_send() == 1

    karins.refresh_from_db()
    johans.refresh_from_db()
    assert [mail.to for mail in mailoutbox] == [[same_unit.email]]
    assert karins.emailed_at is None
    assert johans.emailed_at is not None


def test_plain_text_is_not_html_escaped_and_the_html_is(same_unit, home_care_north, mailoutbox):
    row = notify(same_unit, unit=home_care_north, subject="Kaffe & <kakor> i Ekgården's kök")

    notification_email_send(notification_id=row.pk)

    [mail] = mailoutbox
    assert mail.subject.endswith("behöver svar: Kaffe & <kakor> i Ekgården's kök")
    assert "Kaffe & <kakor> i Ekgården's kök" in mail.body
    assert "Kaffe &amp; &lt;kakor&gt; i Ekgården&#x27;s kök" in mail.alternatives[0][0]
