"""The inbox and the choices page: only the owner sees and opens a notification; opening goes only to a
page of this site."""

import pytest

from tests.notifications.factories import notify
from tillit.audit.enums import AuditAction
from tillit.audit.models import AuditEvent
from tillit.notifications.enums import Delivery, NotificationKind
from tillit.notifications.forms import NotificationPreferencesForm
from tillit.notifications.models import Notification, NotificationPreference

pytestmark = pytest.mark.integration


def test_the_inbox_lists_the_persons_own_notifications_newest_first_with_unread_said_in_words(
    client, same_unit, colleague, home_care_north
):
    older = notify(same_unit, unit=home_care_north, subject="Nycklarna")
    newer = notify(same_unit, unit=home_care_north, kind=NotificationKind.JOINT_LOOK_OPENED, subject="Fall")
    notify(colleague, unit=home_care_north, subject="Aino har ett eget")
    Notification.objects.filter(pk=older.pk).update(read_at=older.created_at)
    client.force_login(same_unit)

    page = client.get("/inbox/").content.decode()

    assert page.index("En gemensam genomgång har öppnats för Hemtjänst Norr: Fall") < page.index(
        "Ett hinder från Hemtjänst Norr behöver svar: Nycklarna"
    )
    assert page.count("Oläst:</strong>") == 1
    assert "Aino har ett eget" not in page
    assert f'action="/inbox/{newer.pk}/open/"' in page
    assert "Inkorg (1 oläst)" in page


def test_the_inbox_is_paginated(client, same_unit):
    for number in range(30):
        notify(same_unit, subject=f"Ärende {number}")
    client.force_login(same_unit)

    first = client.get("/inbox/").content.decode()
    second = client.get("/inbox/?page=2").content.decode()

    assert first.count('class="notification ') + first.count('class="notification"') == 25
    assert "Sida 1 av 2" in first
    assert "Ärende 29" in first
    assert "svar: Ärende 0</p>" in second
    assert "svar: Ärende 0</p>" not in first
    assert "Inkorg (30 olästa)" in first


def test_the_empty_inbox_says_so(client, politician):
    client.force_login(politician)

    page = client.get("/inbox/").content.decode()

    assert "Din inkorg är tom." in page
    assert "Inkorg (" not in page


def test_opening_marks_read_and_goes_to_its_page(client, same_unit, home_care_north):
    row = notify(same_unit, unit=home_care_north)
    client.force_login(same_unit)

    response = client.post(f"/inbox/{row.pk}/open/")

    row.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == f"/units/{home_care_north.pk}/"
    assert row.read_at is not None
    assert "Inkorg (" not in client.get("/inbox/").content.decode()


@pytest.mark.parametrize(
    "url", ["https://evil.example/inbox/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", ""]
)
def test_opening_never_follows_a_url_off_this_site(client, same_unit, url):
    row = notify(same_unit, url=url)
    client.force_login(same_unit)

    response = client.post(f"/inbox/{row.pk}/open/")

    assert response.status_code == 302
    assert response["Location"] == "/inbox/"


@pytest.mark.parametrize("persona", ["colleague", "other_branch", "other_organisation"])
def test_only_the_owner_can_open_a_notification(request, client, same_unit, home_care_north, persona):
    row = notify(same_unit, unit=home_care_north)
    client.force_login(request.getfixturevalue(persona))

    response = client.post(f"/inbox/{row.pk}/open/")

    row.refresh_from_db()
    assert response.status_code == 404
    assert row.read_at is None


def test_opening_needs_a_post(client, same_unit):
    row = notify(same_unit)
    client.force_login(same_unit)

    assert client.get(f"/inbox/{row.pk}/open/").status_code == 405


def test_mark_all_as_read_marks_only_ones_own(client, same_unit, colleague, home_care_north):
    mine = [notify(same_unit, unit=home_care_north) for _ in range(3)]
    hers = notify(colleague, unit=home_care_north)
    client.force_login(same_unit)

    response = client.post("/inbox/read-all/", follow=True)

    assert response.redirect_chain == [("/inbox/", 302)]
    assert "Alla dina aviseringar är markerade som lästa." in response.content.decode()
    assert Notification.objects.filter(pk__in=[n.pk for n in mine], read_at__isnull=True).count() == 0
    hers.refresh_from_db()
    assert hers.read_at is None


def test_the_choices_page_has_one_radio_group_per_kind_with_the_current_choice(client, colleague):
    NotificationPreference.objects.create(
        person=colleague, kind=NotificationKind.OBSTACLE_OVERDUE, delivery=Delivery.OFF
    )
    client.force_login(colleague)

    page = client.get("/me/notifications/").content.decode()

    assert page.count("<fieldset") == page.count("<legend>") == len(NotificationKind)
    assert "<legend>Ett hinder har inte fått svar i tid</legend>" in page
    assert 'name="obstacle_overdue" value="off" id="id_obstacle_overdue_0" required checked' in page
    assert 'name="obstacle_received" value="email"' in page
    assert "I inkorgen och med e-post direkt" in page


def test_saving_choices_stores_them_audits_the_change_and_sending_follows_them(
    client, colleague, home_care_north
):
    client.force_login(colleague)
    choices = {NotificationPreferencesForm.field_name(kind): Delivery.INBOX for kind in NotificationKind}
    choices["obstacle_received"] = Delivery.OFF

    response = client.post("/me/notifications/", choices, follow=True)

    assert response.redirect_chain == [("/me/notifications/", 302)]
    assert "Dina val är sparade." in response.content.decode()
    stored = dict(NotificationPreference.objects.filter(person=colleague).values_list("kind", "delivery"))
    assert stored["obstacle.received"] == "off"
    assert stored["joint_look.opened"] == "inbox"
    event = AuditEvent.objects.get(
        action=AuditAction.NOTIFICATION_PREFERENCES_CHANGED, target_id=colleague.pk
    )
    assert event.target_type == "accounts.user"
    assert event.actor == colleague
    assert event.before["obstacle.received"] == "email"
    assert event.after["obstacle.received"] == "off"
    assert notify(colleague, unit=home_care_north) is None  # off: nothing at all
    assert (
        notify(colleague, unit=home_care_north, kind=NotificationKind.JOINT_LOOK_OPENED).delivery == "inbox"
    )

    client.post("/me/notifications/", choices)  # the same again: no change, no new event
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.NOTIFICATION_PREFERENCES_CHANGED, target_id=colleague.pk
        ).count()
        == 1
    )


def test_an_unknown_choice_is_refused_and_nothing_changes(client, politician):
    client.force_login(politician)
    before = NotificationPreference.objects.filter(person=politician).count()

    response = client.post("/me/notifications/", {"obstacle_received": "fax"})

    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert NotificationPreference.objects.filter(person=politician).count() == before


def test_the_inbox_query_count_does_not_grow_with_notifications(
    client, same_unit, home_care_north, django_assert_max_num_queries
):
    notify(same_unit, unit=home_care_north)
    client.force_login(same_unit)
    client.get("/inbox/")  # warm the session

    # The page of notifications with their units, its count, and the navigation's unread count.
    with django_assert_max_num_queries(7) as small:
        client.get("/inbox/")
    for number in range(40):
        notify(same_unit, unit=home_care_north if number % 2 else None, subject=f"Hinder {number}")
    with django_assert_max_num_queries(7) as large:
        response = client.get("/inbox/")

    assert response.status_code == 200
    assert len(large) == len(small)
