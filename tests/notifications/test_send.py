"""`notification_send` follows each recipient's choice; never the actor, never another organisation.

The personas' small world is enough here (tests/factories/personas.py): alice manages unit A, bob works
there, dave works in unit B, charlie is in another organisation."""

import pytest
from django_tasks_db.models import DBTaskResult

from tests.notifications.factories import notify
from tillit.notifications.enums import Delivery, NotificationKind
from tillit.notifications.models import Notification, NotificationPreference
from tillit.notifications.services import notification_send
from tillit.notifications.texts import DEFAULT_DELIVERY

pytestmark = [pytest.mark.integration, pytest.mark.no_demo]

EMAIL_TASK = "tillit.notifications.tasks.send_notification_email"


def choose(person, kind, delivery):
    NotificationPreference.objects.update_or_create(person=person, kind=kind, defaults={"delivery": delivery})


def test_without_a_choice_the_kind_default_applies(alice, personas):
    received = notify(alice, unit=personas.unit_a, kind=NotificationKind.OBSTACLE_RECEIVED)
    overdue = notify(alice, unit=personas.unit_a, kind=NotificationKind.OBSTACLE_OVERDUE)

    assert DEFAULT_DELIVERY[NotificationKind.OBSTACLE_RECEIVED] == Delivery.EMAIL
    assert (received.delivery, overdue.delivery) == (Delivery.EMAIL, Delivery.DIGEST)


def test_off_creates_no_notification_at_all(alice, personas, django_capture_on_commit_callbacks):
    choose(alice, NotificationKind.OBSTACLE_RECEIVED, Delivery.OFF)

    with django_capture_on_commit_callbacks() as callbacks:
        result = notify(alice, unit=personas.unit_a)

    assert result is None
    assert not Notification.objects.filter(person=alice).exists()
    assert callbacks == []


@pytest.mark.parametrize("delivery", [Delivery.INBOX, Delivery.DIGEST])
def test_inbox_and_digest_create_a_row_and_queue_no_e_mail(
    alice, personas, django_capture_on_commit_callbacks, delivery
):
    choose(alice, NotificationKind.OBSTACLE_RECEIVED, delivery)
    DBTaskResult.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        row = notify(alice, unit=personas.unit_a)

    assert row.delivery == delivery
    assert row.emailed_at is None
    assert not DBTaskResult.objects.filter(task_path=EMAIL_TASK).exists()


def test_email_queues_one_task_per_notification_when_the_transaction_commits(
    alice, bob, personas, django_capture_on_commit_callbacks
):
    choose(bob, NotificationKind.JOINT_LOOK_OPENED, Delivery.EMAIL)
    choose(alice, NotificationKind.JOINT_LOOK_OPENED, Delivery.EMAIL)
    DBTaskResult.objects.all().delete()

    with django_capture_on_commit_callbacks() as callbacks:
        rows = notification_send(
            organisation=personas.organisation,
            recipients=[alice, bob],
            kind=NotificationKind.JOINT_LOOK_OPENED,
            params={"unit": "Hemtjänst Norr", "subject": "Fall i hemmet"},
            unit=personas.unit_a,
        )
        assert not DBTaskResult.objects.exists()  # nothing before the commit
    for callback in callbacks:
        callback()

    tasks = DBTaskResult.objects.filter(task_path=EMAIL_TASK)
    assert sorted(task.args_kwargs["kwargs"]["notification_id"] for task in tasks) == sorted(
        r.pk for r in rows
    )
    assert {task.status for task in tasks} == {"READY"}


def test_each_recipient_gets_their_own_delivery_with_two_queries(
    alice, bob, dave, personas, django_assert_num_queries
):
    choose(bob, NotificationKind.OBSTACLE_ANSWERED, Delivery.OFF)
    choose(dave, NotificationKind.OBSTACLE_ANSWERED, Delivery.DIGEST)
    organisation = personas.organisation

    with django_assert_num_queries(2):  # the choices, then one insert
        rows = notification_send(
            organisation=organisation,
            recipients=[alice, bob, dave],
            kind=NotificationKind.OBSTACLE_ANSWERED,
            params={"unit": "Hemtjänsten", "subject": "Nycklarna"},
        )

    assert {row.person_id: row.delivery for row in rows} == {
        alice.pk: Delivery.EMAIL,
        dave.pk: Delivery.DIGEST,
    }
    assert all(row.pk for row in rows)


def test_the_actor_is_never_notified(alice, bob, personas):
    rows = notification_send(
        organisation=personas.organisation,
        recipients=[alice, bob, alice],
        kind=NotificationKind.JOINT_LOOK_CLOSED,
        params={"unit": "Hemtjänst Norr", "subject": "Fall i hemmet"},
        actor=alice,
    )

    assert [row.person_id for row in rows] == [bob.pk]


def test_a_person_of_another_organisation_is_dropped(alice, charlie, personas):
    rows = notification_send(
        organisation=personas.organisation,
        recipients=[charlie, alice, None],
        kind=NotificationKind.OBSTACLE_RECEIVED,
        params={"unit": "Hemtjänst Norr", "subject": "Nycklarna"},
    )

    assert [row.person_id for row in rows] == [alice.pk]
    assert not Notification.objects.filter(person=charlie).exists()


def test_params_are_stored_as_strings_and_rendered_in_the_readers_language(alice):
    from django.utils import translation

    from tillit.notifications.texts import notification_text

    row = notify(alice, subject="Nycklarna")
    row.refresh_from_db()

    assert row.params == {"unit": "Hemtjänst Norr", "subject": "Nycklarna"}
    with translation.override("sv"):
        assert notification_text(kind=row.kind, params=row.params) == (
            "Ett hinder från Hemtjänst Norr behöver svar: Nycklarna"
        )
    with translation.override("en"):
        assert notification_text(kind=row.kind, params=row.params) == (
            "An obstacle from Hemtjänst Norr needs an answer: Nycklarna"
        )


@pytest.mark.parametrize("kind", list(NotificationKind))
def test_every_kind_has_its_own_text_and_a_default_delivery_in_both_languages(kind):
    from django.utils.translation import override

    from tillit.notifications.texts import DEFAULT_DELIVERY, notification_text

    params = {"unit": "Hemtjänst Norr", "subject": "Nyckelskåpet", "closes_on": "2026-12-17"}
    for language in ("sv", "en"):
        with override(language):
            text = notification_text(kind=kind, params=params)
            assert "Nyckelskåpet" in text
            assert "Hemtjänst Norr" in text
    with override("sv"):
        swedish = notification_text(kind=kind, params=params)
    with override("en"):
        english = notification_text(kind=kind, params=params)
    assert swedish != english
    assert kind in DEFAULT_DELIVERY
