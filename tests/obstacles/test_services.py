"""States, who may move them, answer times, escalation, notifications and the raiser's anonymity."""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tillit.audit.enums import AuditAction
from tillit.audit.models import AuditEvent
from tillit.chain.selectors import access_for
from tillit.core.clock import frozen_at
from tillit.notifications.enums import NotificationKind
from tillit.notifications.models import Notification
from tillit.obstacles import selectors, services
from tillit.obstacles.enums import EventKind, ObstacleState
from tillit.obstacles.models import Obstacle

from .factories import person, raise_obstacle, unit

pytestmark = pytest.mark.integration

SOFIA = "sofia.lindberg@exempelby.se"
MIKAEL = "mikael.holm@exempelby.se"


def _as(email):
    someone = person(email)
    return {"actor": someone, "access": access_for(person=someone)}


@pytest.fixture
def obstacle(colleague):
    return raise_obstacle(
        raiser=colleague, raised_in=unit("Hemtjänst Norr"), title="Nyckelskåpet går inte att öppna"
    )


def test_a_raised_obstacle_goes_to_the_unit_above_with_the_promised_time(obstacle):
    assert obstacle.receiving_unit == unit("Hemtjänsten")
    assert obstacle.state == ObstacleState.RAISED
    # Hemtjänst Norr's agreement with Hemtjänsten: "Vi svarar på ett hinder inom 10 arbetsdagar".
    assert (obstacle.response_working_days, obstacle.response_promised) == (10, True)


def test_the_due_date_counts_working_days_over_a_weekend_and_midsommar(colleague):
    # Raised on Thursday 11 June 2026: ten working days skip two weekends and midsommarafton (19 June).
    at = datetime(2026, 6, 11, 9, tzinfo=timezone.get_current_timezone())
    with frozen_at(at):
        obstacle = raise_obstacle(raiser=colleague, raised_in=unit("Hemtjänst Norr"), title="Kylväskorna")
    assert obstacle.due_on == date(2026, 6, 26)


def test_the_due_date_over_christmas(colleague):
    at = datetime(2026, 12, 17, 9, tzinfo=timezone.get_current_timezone())  # a Thursday
    with frozen_at(at):
        obstacle = raise_obstacle(raiser=colleague, raised_in=unit("Hemtjänst Norr"), title="Julschemat")
    # 18, 21, 22, 23, 28, 29, 30 December, 4, 5, 7 January (24–25, 31 Dec, 1 and 6 Jan are holidays).
    assert obstacle.due_on == date(2027, 1, 7)


def test_without_a_support_promise_the_default_ten_days_apply(db):
    # The demo has no agreement between Grundskolan and Utbildningsförvaltningen: the default applies.
    grundskolan = unit("Grundskolan")
    days, promised = selectors.response_working_days(receiving_unit=grundskolan.parent, raised_in=grundskolan)
    assert (days, promised) == (10, False)


def test_the_smallest_promised_time_of_the_agreement_counts(colleague):
    # Hemtjänsten's agreement with the förvaltning names 10 working days.
    days, promised = selectors.response_working_days(
        receiving_unit=unit("Vård- och omsorgsförvaltningen"), raised_in=unit("Hemtjänst Norr")
    )
    assert (days, promised) == (10, True)


def test_the_full_way_to_removal_by_the_receiving_manager(obstacle):
    services.obstacle_acknowledge(**_as(SOFIA), obstacle=obstacle)
    services.obstacle_start(**_as(SOFIA), obstacle=obstacle)
    removed = services.obstacle_remove(**_as(SOFIA), obstacle=obstacle, text="Nya nyckelskåp är beställda.")
    assert removed.state == ObstacleState.REMOVED
    assert removed.answer == "Nya nyckelskåp är beställda."
    assert removed.acknowledged_at is not None
    assert removed.closed_at is not None
    kinds = list(removed.events.values_list("kind", flat=True))
    assert kinds == [EventKind.RAISED, EventKind.ACKNOWLEDGED, EventKind.STARTED, EventKind.REMOVED]
    actions = set(
        AuditEvent.objects.filter(target_id=removed.pk, target_type="obstacles.obstacle").values_list(
            "action", flat=True
        )
    )
    assert actions == {
        AuditAction.OBSTACLE_RAISED,
        AuditAction.OBSTACLE_ACKNOWLEDGED,
        AuditAction.OBSTACLE_STARTED,
        AuditAction.OBSTACLE_REMOVED,
    }


@pytest.mark.parametrize("email", ["johan.nystrom@exempelby.se", "aino.korhonen@exempelby.se"])
def test_the_raising_side_cannot_answer_for_the_receiving_unit(obstacle, email):
    with pytest.raises(PermissionDenied):
        services.obstacle_acknowledge(**_as(email), obstacle=obstacle)


def test_a_manager_above_the_receiving_unit_may_answer(obstacle):
    services.obstacle_acknowledge(**_as(MIKAEL), obstacle=obstacle)
    obstacle.refresh_from_db()
    assert obstacle.state == ObstacleState.ACKNOWLEDGED


def test_someone_outside_both_units_is_refused(obstacle, other_branch):
    with pytest.raises(PermissionDenied):
        services.obstacle_decline(**_as(other_branch.email), obstacle=obstacle, text="Nej")


def test_declining_requires_a_reason(obstacle):
    with pytest.raises(ValidationError):
        services.obstacle_decline(**_as(SOFIA), obstacle=obstacle, text="   ")
    obstacle.refresh_from_db()
    assert obstacle.state == ObstacleState.RAISED
    declined = services.obstacle_decline(
        **_as(SOFIA), obstacle=obstacle, text="Skåpen byts i hela kommunen i vår."
    )
    assert (declined.state, declined.answer) == (ObstacleState.DECLINED, "Skåpen byts i hela kommunen i vår.")


def test_removing_requires_what_was_done(obstacle):
    with pytest.raises(ValidationError):
        services.obstacle_remove(**_as(SOFIA), obstacle=obstacle, text="")


def test_a_closed_obstacle_takes_no_more_steps(obstacle):
    services.obstacle_decline(**_as(SOFIA), obstacle=obstacle, text="Inte nu.")
    with pytest.raises(ValidationError):
        services.obstacle_acknowledge(**_as(SOFIA), obstacle=obstacle)
    with pytest.raises(ValidationError):
        services.obstacle_pass_up(**_as(SOFIA), obstacle=obstacle, text="Upp")


def test_start_needs_an_acknowledged_obstacle(obstacle):
    with pytest.raises(ValidationError):
        services.obstacle_start(**_as(SOFIA), obstacle=obstacle)


def test_passing_up_raises_it_again_above_with_a_reason_and_tells_everyone(obstacle, colleague):
    services.obstacle_acknowledge(**_as(SOFIA), obstacle=obstacle)
    with pytest.raises(ValidationError):
        services.obstacle_pass_up(**_as(SOFIA), obstacle=obstacle, text="")
    passed = services.obstacle_pass_up(
        **_as(SOFIA), obstacle=obstacle, text="Nycklarna är förvaltningens sak."
    )
    assert passed.receiving_unit == unit("Vård- och omsorgsförvaltningen")
    assert passed.state == ObstacleState.RAISED
    assert passed.acknowledged_at is None
    event = passed.events.get(kind=EventKind.PASSED_UP)
    assert (event.from_unit, event.to_unit, event.reason) == (
        unit("Hemtjänsten"),
        unit("Vård- och omsorgsförvaltningen"),
        "Nycklarna är förvaltningens sak.",
    )
    received = Notification.objects.filter(
        kind=NotificationKind.OBSTACLE_RECEIVED, url=passed.get_absolute_url()
    )
    assert set(received.values_list("person__email", flat=True)) == {SOFIA, MIKAEL}
    answered = Notification.objects.filter(kind=NotificationKind.OBSTACLE_ANSWERED, person=colleague)
    assert answered.count() == 2  # acknowledged, then passed up
    assert answered.first().params["unit"] in {"Hemtjänsten", "Vård- och omsorgsförvaltningen"}


def test_the_receiving_managers_are_told_and_the_raiser_hears_every_answer(obstacle, colleague):
    received = Notification.objects.get(
        kind=NotificationKind.OBSTACLE_RECEIVED, url=obstacle.get_absolute_url()
    )
    assert received.person.email == SOFIA
    assert received.params == {"unit": "Hemtjänst Norr", "subject": "Nyckelskåpet går inte att öppna"}
    services.obstacle_acknowledge(**_as(SOFIA), obstacle=obstacle)
    services.obstacle_remove(**_as(SOFIA), obstacle=obstacle, text="Klart.")
    answered = Notification.objects.filter(kind=NotificationKind.OBSTACLE_ANSWERED, person=colleague)
    assert answered.count() == 2
    assert all(n.params == {"unit": "Hemtjänsten", "subject": obstacle.title} for n in answered)


def test_an_anonymous_raiser_is_in_no_audit_event_history_step_or_notification(obstacle, colleague):
    services.obstacle_acknowledge(**_as(SOFIA), obstacle=obstacle)
    raised = AuditEvent.objects.get(
        action=AuditAction.OBSTACLE_RAISED, target_type="obstacles.obstacle", target_id=obstacle.pk
    )
    assert raised.actor is None
    assert obstacle.events.get(kind=EventKind.RAISED).actor is None
    for notification in Notification.objects.filter(url=obstacle.get_absolute_url()):
        assert "Aino" not in str(notification.params)
    events = AuditEvent.objects.filter(target_type="obstacles.obstacle", target_id=obstacle.pk)
    assert "Aino" not in str(list(events.values()))
    raiser_steps = events.filter(action=AuditAction.OBSTACLE_RAISED)
    assert list(raiser_steps.values_list("actor_id", flat=True)) == [None]
    assert colleague.pk not in set(events.values_list("actor_id", flat=True))


def test_a_named_raiser_is_the_audit_actor(colleague):
    obstacle = raise_obstacle(
        raiser=colleague, raised_in=unit("Hemtjänst Norr"), title="Bilarna", shows_name=True
    )
    assert (
        AuditEvent.objects.get(
            action=AuditAction.OBSTACLE_RAISED, target_type="obstacles.obstacle", target_id=obstacle.pk
        ).actor
        == colleague
    )


def test_only_members_of_the_unit_may_raise_there(politician, same_unit):
    with pytest.raises(PermissionDenied):
        raise_obstacle(raiser=politician, raised_in=unit("Hemtjänst Norr"))
    with pytest.raises(PermissionDenied):  # Johan manages Norr, but is not a member of Hemtjänsten
        raise_obstacle(raiser=same_unit, raised_in=unit("Hemtjänsten"))


def test_an_empty_title_is_refused(colleague):
    with pytest.raises(ValidationError):
        raise_obstacle(raiser=colleague, raised_in=unit("Hemtjänst Norr"), title="  ")


def _overdue(colleague):
    at = timezone.now() - timedelta(days=30)
    with frozen_at(at):
        return raise_obstacle(raiser=colleague, raised_in=unit("Hemtjänst Norr"), title="Larmet tystnar")


def test_an_unanswered_obstacle_past_its_due_date_is_overdue_until_acknowledged(colleague):
    obstacle = _overdue(colleague)
    assert selectors.is_overdue(obstacle)
    services.obstacle_acknowledge(**_as(SOFIA), obstacle=obstacle)
    obstacle.refresh_from_db()
    assert not selectors.is_overdue(obstacle)


def test_the_raising_side_escalates_an_overdue_obstacle_to_the_unit_above(colleague, same_unit):
    obstacle = _overdue(colleague)
    escalated = services.obstacle_escalate(**_as(same_unit.email), obstacle=obstacle)
    assert escalated.receiving_unit == unit("Vård- och omsorgsförvaltningen")
    assert escalated.due_on > timezone.localdate()
    event = escalated.events.get(kind=EventKind.ESCALATED)
    assert event.reason == "Inte besvarat inom utlovad tid"
    assert event.actor == same_unit  # the manager acts in their own name


def test_an_anonymous_raiser_escalating_stays_anonymous(colleague):
    obstacle = _overdue(colleague)
    services.obstacle_escalate(**_as(colleague.email), obstacle=obstacle)
    assert obstacle.events.get(kind=EventKind.ESCALATED).actor is None
    assert (
        AuditEvent.objects.get(
            action=AuditAction.OBSTACLE_ESCALATED, target_type="obstacles.obstacle", target_id=obstacle.pk
        ).actor
        is None
    )


def test_escalation_needs_an_overdue_answer_and_the_raising_side(obstacle, colleague):
    with pytest.raises(ValidationError):
        services.obstacle_escalate(**_as(colleague.email), obstacle=obstacle)
    late = _overdue(colleague)
    with pytest.raises(PermissionDenied):
        services.obstacle_escalate(**_as(SOFIA), obstacle=late)


def test_the_daily_task_tells_the_receiving_unit_once_per_obstacle_and_unit(colleague, same_unit):
    obstacle = _overdue(colleague)
    Notification.objects.filter(kind=NotificationKind.OBSTACLE_OVERDUE).delete()
    Obstacle.objects.exclude(pk=obstacle.pk).update(overdue_notified_unit=None)
    first = services.obstacles_notify_overdue()
    assert first >= 1
    mine = Notification.objects.filter(
        kind=NotificationKind.OBSTACLE_OVERDUE, url=obstacle.get_absolute_url()
    )
    assert list(mine.values_list("person__email", flat=True)) == [SOFIA]
    services.obstacles_notify_overdue()
    assert mine.count() == 1
    # Escalated and overdue again at the förvaltning: told once there too.
    services.obstacle_escalate(**_as(same_unit.email), obstacle=obstacle)
    with frozen_at(timezone.now() + timedelta(days=40)):
        services.obstacles_notify_overdue()
    assert set(mine.values_list("person__email", flat=True)) == {SOFIA, MIKAEL}
    with frozen_at(timezone.now() + timedelta(days=41)):
        services.obstacles_notify_overdue()
    assert mine.count() == 2


def test_the_overdue_command_sends_at_once_or_queues_for_the_worker(colleague):
    from io import StringIO

    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    path = "tillit.obstacles.tasks.obstacles_notify_overdue"
    _overdue(colleague)
    call_command("obstacles_notify_overdue", stdout=StringIO())
    call_command("obstacles_notify_overdue", stdout=StringIO())  # already queued: nothing more
    [queued] = DBTaskResult.objects.filter(task_path=path, status="READY")
    assert timezone.localtime(queued.run_after).strftime("%H:%M") == "06:45"

    out = StringIO()
    call_command("obstacles_notify_overdue", "--now", stdout=out)
    assert "overdue obstacle(s) notified" in out.getvalue()
    assert DBTaskResult.objects.filter(task_path=path, status="READY").count() == 1  # tomorrow's, once
