"""The API's inbox: one's own notifications only, with the text in the request's language."""

import pytest

from tests.notifications.factories import notify
from tillit.notifications.enums import NotificationKind

pytestmark = pytest.mark.integration


def test_the_list_has_ones_own_notifications_newest_first_in_the_requests_language(
    api, same_unit, colleague, home_care_north
):
    older = notify(same_unit, unit=home_care_north, subject="Nycklarna")
    newer = notify(same_unit, unit=home_care_north, kind=NotificationKind.JOINT_LOOK_OPENED, subject="Fall")
    notify(colleague, unit=home_care_north, subject="Inte Johans")
    client = api(same_unit)

    english = client.get("/api/v1/me/notifications", headers={"accept-language": "en"}).json()
    swedish = client.get("/api/v1/me/notifications", headers={"accept-language": "sv"}).json()

    assert [n["id"] for n in english] == [newer.pk, older.pk]
    assert english[0] == {
        "id": newer.pk,
        "kind": "joint_look.opened",
        "text": "A joint look was opened for Hemtjänst Norr: Fall",
        "unit_id": home_care_north.pk,
        "url": f"/units/{home_care_north.pk}/",
        "created_at": english[0]["created_at"],
        "read": False,
        "read_at": None,
    }
    assert swedish[1]["text"] == "Ett hinder från Hemtjänst Norr behöver svar: Nycklarna"


def test_marking_one_read_and_listing_only_the_unread(api, same_unit, home_care_north):
    first = notify(same_unit, unit=home_care_north)
    second = notify(same_unit, unit=home_care_north)
    client = api(same_unit)

    response = client.post(f"/api/v1/me/notifications/{first.pk}/read")
    unread = client.get("/api/v1/me/notifications", {"unread": "true"}).json()

    assert response.status_code == 200
    assert response.json()["read"] is True
    assert [n["id"] for n in unread] == [second.pk]


@pytest.mark.parametrize("persona", ["colleague", "other_organisation"])
def test_another_persons_notification_is_404(request, api, same_unit, persona):
    row = notify(same_unit)
    client = api(request.getfixturevalue(persona))

    response = client.post(f"/api/v1/me/notifications/{row.pk}/read")
    listed = client.get("/api/v1/me/notifications").json()

    row.refresh_from_db()
    assert response.status_code == 404
    assert row.read_at is None
    assert row.pk not in [n["id"] for n in listed]


def test_an_off_site_url_is_not_handed_out(api, same_unit):
    notify(same_unit, url="https://evil.example/")

    [listed] = api(same_unit).get("/api/v1/me/notifications").json()

    assert listed["url"] == ""
