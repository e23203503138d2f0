"""The API's inbox: one's own notifications only, with the text in the request's language."""

import pytest

from tests.notifications.factories import notify
from tillit.notifications.enums import NotificationKind

pytestmark = [pytest.mark.integration, pytest.mark.no_demo]  # the personas are enough


def test_the_list_has_ones_own_notifications_newest_first_in_the_requests_language(api, alice, bob, personas):
    older = notify(alice, unit=personas.unit_a, subject="Nycklarna")
    newer = notify(alice, unit=personas.unit_a, kind=NotificationKind.JOINT_LOOK_OPENED, subject="Fall")
    notify(bob, unit=personas.unit_a, subject="Inte Alices")
    client = api(alice)

    english = client.get("/api/v1/me/notifications", headers={"accept-language": "en"}).json()
    swedish = client.get("/api/v1/me/notifications", headers={"accept-language": "sv"}).json()

    assert [n["id"] for n in english] == [newer.pk, older.pk]
    assert english[0] == {
        "id": newer.pk,
        "kind": "joint_look.opened",
        "text": "A joint look was opened for Enhet A: Fall",
        "unit_id": personas.unit_a.pk,
        "url": f"/units/{personas.unit_a.pk}/",
        "created_at": english[0]["created_at"],
        "read": False,
        "read_at": None,
    }
    assert swedish[1]["text"] == "Ett hinder från Enhet A behöver svar: Nycklarna"


def test_marking_one_read_and_listing_only_the_unread(api, alice, personas):
    first = notify(alice, unit=personas.unit_a)
    second = notify(alice, unit=personas.unit_a)
    client = api(alice)

    response = client.post(f"/api/v1/me/notifications/{first.pk}/read")
    unread = client.get("/api/v1/me/notifications", {"unread": "true"}).json()

    assert response.status_code == 200
    assert response.json()["read"] is True
    assert [n["id"] for n in unread] == [second.pk]


@pytest.mark.parametrize("persona", ["bob", "charlie"])
def test_another_persons_notification_is_404(request, api, alice, persona):
    row = notify(alice)
    client = api(request.getfixturevalue(persona))

    response = client.post(f"/api/v1/me/notifications/{row.pk}/read")
    listed = client.get("/api/v1/me/notifications").json()

    row.refresh_from_db()
    assert response.status_code == 404
    assert row.read_at is None
    assert row.pk not in [n["id"] for n in listed]


def test_an_off_site_url_is_not_handed_out(api, alice):
    notify(alice, url="https://evil.example/")

    [listed] = api(alice).get("/api/v1/me/notifications").json()

    assert listed["url"] == ""
