"""Notification choices of a few demo people, set through the service (audited like anyone's).

The other parts of the demo (joint looks, obstacles) notify people through their own services while the
demo loads. Those notifications tell of things that happened before the demo starts: their e-mails count as
delivered, so that loading the demo sends no burst of e-mails and queues no tasks. What people do in the
demo afterwards is e-mailed (to the console) as usual.
"""

from django.contrib.auth import get_user_model

from tillit.chain.models import Organisation
from tillit.notifications.enums import Delivery, NotificationKind
from tillit.notifications.services import notification_preferences_set, notifications_count_as_delivered

PREFERENCES = {
    # The head of home care wants to hear of every obstacle at once, overdue ones too.
    "sofia.lindberg@exempelby.se": {
        NotificationKind.OBSTACLE_RECEIVED: Delivery.EMAIL,
        NotificationKind.OBSTACLE_ANSWERED: Delivery.EMAIL,
        NotificationKind.OBSTACLE_OVERDUE: Delivery.EMAIL,
    },
    # The chair of the nämnd reads one e-mail a day.
    "karin.ekstrom@exempelby.se": dict.fromkeys(NotificationKind, Delivery.DIGEST),
}


def notifications_load() -> None:
    people = get_user_model().objects.filter(email__in=PREFERENCES)
    for person in people:
        notification_preferences_set(person=person, choices=PREFERENCES[person.email])
    for organisation in Organisation.objects.filter(slug__in=["exempelby", "grannby"]):
        notifications_count_as_delivered(organisation=organisation)
