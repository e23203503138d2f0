"""Who may do what in a whistleblowing channel. Roles, not the chain: a manager of the unit a report
concerns has no path here, and an organisation's administrators configure a channel but read no case."""

from tillit.whistle.enums import Role
from tillit.whistle.models import Channel, ChannelRole


def _has_role(person, channel: Channel, role: Role) -> bool:
    if person is None or not person.is_authenticated or person.organisation_id != channel.organisation_id:
        return False
    return ChannelRole.objects.filter(channel=channel, person=person, role=role).exists()


def can_configure_channel(access, channel: Channel) -> bool:
    """Settings, roles and the information page: the organisation's administrators."""
    return bool(access.administers and access.organisation_id == channel.organisation_id)


def can_handle(person, channel: Channel) -> bool:
    return _has_role(person, channel, Role.HANDLER)


def can_decide_identity(person, channel: Channel) -> bool:
    return _has_role(person, channel, Role.CUSTODIAN)


def can_use_escrow(person, channel: Channel) -> bool:
    return _has_role(person, channel, Role.ESCROW)


def has_any_role(person, channel: Channel) -> bool:
    if person is None or not person.is_authenticated or person.organisation_id != channel.organisation_id:
        return False
    return ChannelRole.objects.filter(channel=channel, person=person).exists()
