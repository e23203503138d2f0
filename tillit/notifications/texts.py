"""What each kind of notification says, rendered in the reader's language when shown or sent.

`params` are plain strings stored with the notification (unit names, titles), so a text reads the same
later even if the unit is renamed.
"""

from django.utils.translation import gettext_lazy as _

from tillit.notifications.enums import Delivery, NotificationKind

TEXTS = {
    NotificationKind.JOINT_LOOK_OPENED: _("A joint look was opened for %(unit)s: %(subject)s"),
    NotificationKind.JOINT_LOOK_CLOSED: _("The joint look for %(unit)s was closed: %(subject)s"),
    NotificationKind.OBSTACLE_RECEIVED: _("An obstacle from %(unit)s needs an answer: %(subject)s"),
    NotificationKind.OBSTACLE_ANSWERED: _("The obstacle “%(subject)s” was answered by %(unit)s"),
    NotificationKind.OBSTACLE_OVERDUE: _(
        "The obstacle “%(subject)s” has waited longer than promised at %(unit)s"
    ),
    NotificationKind.EXPERIMENT_INVITED: _("%(unit)s invites your unit to follow an experiment: %(subject)s"),
    NotificationKind.REMOVAL_PROPOSED: _(
        "%(unit)s proposes removing the report “%(subject)s”: please answer"
    ),
    NotificationKind.REMOVAL_ANSWERED: _("The proposal to remove “%(subject)s” was answered by %(unit)s"),
    NotificationKind.DATA_REQUESTED: _("%(unit)s asks for data: %(subject)s"),
    NotificationKind.DATA_REQUEST_ANSWERED: _("Your request for data “%(subject)s” was answered by %(unit)s"),
    NotificationKind.PULSE_INVITED: _(
        "The trust pulse “%(subject)s” for %(unit)s is open until %(closes_on)s: your personal link is in your e-mail"
    ),
    NotificationKind.PULSE_REMINDED: _(
        "The last day to answer the trust pulse “%(subject)s” for %(unit)s is %(closes_on)s. If you have already answered, thank you!"
    ),
    NotificationKind.PULSE_PUBLISHED: _(
        "The results of the trust pulse “%(subject)s” are published for %(unit)s"
    ),
}

DEFAULT_DELIVERY = {
    NotificationKind.JOINT_LOOK_OPENED: Delivery.DIGEST,
    NotificationKind.JOINT_LOOK_CLOSED: Delivery.DIGEST,
    NotificationKind.OBSTACLE_RECEIVED: Delivery.EMAIL,
    NotificationKind.OBSTACLE_ANSWERED: Delivery.EMAIL,
    NotificationKind.OBSTACLE_OVERDUE: Delivery.DIGEST,
    NotificationKind.EXPERIMENT_INVITED: Delivery.DIGEST,
    NotificationKind.REMOVAL_PROPOSED: Delivery.EMAIL,
    NotificationKind.REMOVAL_ANSWERED: Delivery.DIGEST,
    NotificationKind.DATA_REQUESTED: Delivery.EMAIL,
    NotificationKind.DATA_REQUEST_ANSWERED: Delivery.EMAIL,
    NotificationKind.PULSE_INVITED: Delivery.INBOX,  # the invitation e-mail itself carries the link
    NotificationKind.PULSE_REMINDED: Delivery.INBOX,
    NotificationKind.PULSE_PUBLISHED: Delivery.DIGEST,
}


def notification_text(*, kind: str, params: dict) -> str:
    template = TEXTS.get(kind)
    if template is None:
        return kind
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(NotificationKind(kind).label)
