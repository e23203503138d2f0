import pytest


@pytest.fixture(autouse=True)
def empty_inboxes(db):
    """Each test starts from empty inboxes: the demo's own notifications (its joint looks and obstacles)
    would otherwise be counted with the test's."""
    from tillit.notifications.models import Notification

    Notification.objects.all().delete()
