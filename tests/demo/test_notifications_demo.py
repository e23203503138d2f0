"""The demo's notification choices: Sofia hears of obstacles at once, Karin reads one digest a day."""

import pytest
from django_tasks_db.models import DBTaskResult

from tests.conftest import person
from tillit.audit.enums import AuditAction
from tillit.audit.models import AuditEvent
from tillit.notifications.enums import Delivery
from tillit.notifications.models import Notification
from tillit.notifications.selectors import preferences_of

pytestmark = pytest.mark.integration


def test_sofia_hears_of_every_obstacle_at_once(db):
    choices = preferences_of(person=person("sofia.lindberg@exempelby.se"))

    assert {kind: delivery for kind, delivery in choices.items() if kind.startswith("obstacle.")} == {
        "obstacle.received": Delivery.EMAIL,
        "obstacle.answered": Delivery.EMAIL,
        "obstacle.overdue": Delivery.EMAIL,
    }
    assert choices["joint_look.opened"] == Delivery.DIGEST  # the default where she did not choose


def test_karin_reads_only_the_daily_digest(db):
    choices = preferences_of(person=person("karin.ekstrom@exempelby.se"))

    assert set(choices.values()) == {Delivery.DIGEST}


def test_the_choices_were_made_through_the_audited_service(db):
    events = AuditEvent.objects.filter(action=AuditAction.NOTIFICATION_PREFERENCES_CHANGED)

    assert sorted(event.actor.full_name for event in events) == ["Karin Ekström", "Sofia Lindberg"]


def test_loading_the_demo_queues_no_e_mail_and_leaves_none_waiting(db):
    waiting = Notification.objects.filter(emailed_at__isnull=True).exclude(delivery=Delivery.INBOX)

    assert not waiting.exists()
    assert not DBTaskResult.objects.filter(
        task_path="tillit.notifications.tasks.send_notification_email"
    ).exists()


def test_notifications_of_the_demos_past_count_as_delivered_and_queue_no_e_mail(
    same_unit, home_care_north, django_capture_on_commit_callbacks
):
    from tests.notifications.factories import notify
    from tillit.core.tasks import deferred
    from tillit.notifications.services import notifications_count_as_delivered

    DBTaskResult.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, deferred():  # as demo_load writes
        row = notify(same_unit, unit=home_care_north)  # e-mailed at once by default
        notifications_count_as_delivered(organisation=home_care_north.organisation)

    row.refresh_from_db()
    assert callbacks == []
    assert row.emailed_at == row.created_at
    assert not DBTaskResult.objects.exists()
