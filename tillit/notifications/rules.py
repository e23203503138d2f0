"""The named questions of notifications: a notification is its recipient's alone."""


def can_open_notification(person, notification) -> bool:
    """Only the person it was sent to opens (and so marks read) a notification."""
    return notification.person_id == person.pk
