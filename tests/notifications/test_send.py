"""`notification_send` follows each recipient's choice; never the actor, never another organisation."""

import pytest
from django_tasks_db.models import DBTaskResult

from tests.notifications.factories import notify
from tillit.notifications.enums import Delivery, NotificationKind
from tillit.notifications.models import Notification, NotificationPreference
from tillit.notifications.services import notification_send
from tillit.notifications.texts import DEFAULT_DELIVERY

pytestmark = pytest.mark.integration

EMAIL_TASK = "tillit.notifications.tasks.send_notification_email"


def choose(person, kind, delivery):
    NotificationPreference.objects.update_or_create(person=person, kind=kind, defaults={"delivery": delivery})


def test_without_a_choice_the_kind_default_applies(same_unit, home_care_north):
    received = notify(same_unit, unit=home_care_north, kind=NotificationKind.OBSTACLE_RECEIVED)
    overdue = notify(same_unit, unit=home_care_north, kind=NotificationKind.OBSTACLE_OVERDUE)

    assert DEFAULT_DELIVERY[NotificationKind.OBSTACLE_RECEIVED] == Delivery.EMAIL
    assert (received.delivery, overdue.delivery) == (Delivery.EMAIL, Delivery.DIGEST)


def test_off_creates_no_notification_at_all(same_unit, home_care_north, django_capture_on_commit_callbacks):
    choose(same_unit, NotificationKind.OBSTACLE_RECEIVED, Delivery.OFF)

    with django_capture_on_commit_callbacks() as callbacks:
        result = notify(same_unit, unit=home_care_north)

    assert result is None
    assert not Notification.objects.filter(person=same_unit).exists()
    assert callbacks == []


@pytest.mark.parametrize("delivery", [Delivery.INBOX, Delivery.DIGEST])
def test_inbox_and_digest_create_a_row_and_queue_no_e_mail(
    same_unit, home_care_north, django_capture_on_commit_callbacks, delivery
):
    choose(same_unit, NotificationKind.OBSTACLE_RECEIVED, delivery)
    DBTaskResult.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        row = notify(same_unit, unit=home_care_north)

    assert row.delivery == delivery
    assert row.emailed_at is None
    assert not DBTaskResult.objects.filter(task_path=EMAIL_TASK).exists()


def test_email_queues_one_task_per_notification_when_the_transaction_commits(
    same_unit, colleague, home_care_north, django_capture_on_commit_callbacks
):
    choose(colleague, NotificationKind.JOINT_LOOK_OPENED, Delivery.EMAIL)
    choose(same_unit, NotificationKind.JOINT_LOOK_OPENED, Delivery.EMAIL)
    DBTaskResult.objects.all().delete()

    with django_capture_on_commit_callbacks() as callbacks:
        rows = notification_send(
            organisation=home_care_north.organisation,
            recipients=[same_unit, colleague],
            kind=NotificationKind.JOINT_LOOK_OPENED,
            params={"unit": "Hemtjänst Norr", "subject": "Fall i hemmet"},
            unit=home_care_north,
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
    same_unit, colleague, politician, home_care_north, django_assert_num_queries
):
    choose(colleague, NotificationKind.OBSTACLE_ANSWERED, Delivery.OFF)
    choose(politician, NotificationKind.OBSTACLE_ANSWERED, Delivery.DIGEST)
    organisation = home_care_north.organisation

    with django_assert_num_queries(2):  # the choices, then one insert
        rows = notification_send(
            organisation=organisation,
            recipients=[same_unit, colleague, politician],
            kind=NotificationKind.OBSTACLE_ANSWERED,
            params={"unit": "Hemtjänsten", "subject": "Nycklarna"},
        )

    assert {row.person_id: row.delivery for row in rows} == {
        same_unit.pk: Delivery.EMAIL,
        politician.pk: Delivery.DIGEST,
    }
    assert all(row.pk for row in rows)


def test_the_actor_is_never_notified(same_unit, colleague, home_care_north):
    rows = notification_send(
        organisation=home_care_north.organisation,
        recipients=[same_unit, colleague, same_unit],
        kind=NotificationKind.JOINT_LOOK_CLOSED,
        params={"unit": "Hemtjänst Norr", "subject": "Fall i hemmet"},
        actor=same_unit,
    )

    assert [row.person_id for row in rows] == [colleague.pk]


def test_a_person_of_another_organisation_is_dropped(same_unit, other_organisation, home_care_north):
    rows = notification_send(
        organisation=home_care_north.organisation,
        recipients=[other_organisation, same_unit, None],
        kind=NotificationKind.OBSTACLE_RECEIVED,
        params={"unit": "Hemtjänst Norr", "subject": "Nycklarna"},
    )

    assert [row.person_id for row in rows] == [same_unit.pk]
    assert not Notification.objects.filter(person=other_organisation).exists()


def test_params_are_stored_as_strings_and_rendered_in_the_readers_language(same_unit):
    from django.utils import translation

    from tillit.notifications.texts import notification_text

    row = notify(same_unit, subject="Nycklarna")
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

    params = {"unit": "Hemtjänst Norr", "subject": "Nyckelskåpet"}
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
