"""Notifications for other tests (the isolation table's target), sent through the one service."""

from tillit.notifications.enums import NotificationKind
from tillit.notifications.services import notification_send


def notify(
    person, *, unit=None, kind=NotificationKind.OBSTACLE_RECEIVED, subject="Nycklarna", url=None, actor=None
):
    """One notification for `person` about `unit` (it links to the unit's page unless told otherwise)."""
    rows = notification_send(
        organisation=person.organisation,
        recipients=[person],
        kind=kind,
        params={"unit": unit.name if unit else "Hemtjänst Norr", "subject": subject},
        url=(f"/units/{unit.pk}/" if unit else "") if url is None else url,
        unit=unit,
        actor=actor,
    )
    return rows[0] if rows else None


def notification_targets(*, unit, person) -> dict:
    """A notification in the person's own inbox about the unit."""
    return {"notification_id": notify(person, unit=unit).pk}
