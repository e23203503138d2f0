"""Setting up a channel: its settings, information page and the people given a role in it.

An organisation's administrators do this; they read no case (T-23). A channel opens only when it can
keep its promises: a handler with keys, a custodian for confidential reports, escrow for a public body.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tillit.whistle import crypto
from tillit.whistle.enums import Role, Sector, WhistleAction
from tillit.whistle.models import DEFAULT_CATEGORIES, Channel, ChannelRole, Keyring
from tillit.whistle.rules import can_configure_channel
from tillit.whistle.services.common import event_record
from tillit.whistle.services.keys import handler_removal_check

# The staff pages' own words under /visselblasning/ and the reporter host's: never a channel's address.
RESERVED_SLUGS = frozenset({"nycklar", "en", "static", "robots.txt", "admin", "api"})

SETTINGS_FIELDS = (
    "name",
    "sector",
    "accepts_anonymous",
    "accepts_confidential",
    "reporters_may_exclude",
    "categories",
    "procedure",
    "external_channels",
    "oral_reporting",
    "employees_at_year_start",
    "gallringsbeslut_ref",
    "gallringsfrist_days",
    "reports_per_hour",
)


@transaction.atomic
def channel_create(
    *, access, organisation, slug: str, name: str, sector: str = Sector.PUBLIC, **fields
) -> Channel:
    if not (access.is_system or (access.administers and access.organisation_id == organisation.pk)):
        raise PermissionDenied
    if slug in RESERVED_SLUGS or Channel.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": [_("This address is taken.")]})
    channel = Channel.objects.create(
        organisation=organisation,
        slug=slug,
        name=name,
        sector=sector,
        categories=fields.pop("categories", None) or list(DEFAULT_CATEGORIES),
        receipt_salt=crypto.new_salt(),
        **fields,
    )
    event_record(channel=channel, action=WhistleAction.CHANNEL_CHANGED, actor=_actor(access), note="created")
    return channel


def _actor(access):
    if access.is_system or access.person_id is None:
        return None
    from django.contrib.auth import get_user_model

    return get_user_model()(pk=access.person_id)


def _check(access, channel: Channel) -> None:
    if not (access.is_system and access.organisation_id in (None, channel.organisation_id)) and not (
        can_configure_channel(access, channel)
    ):
        raise PermissionDenied


@transaction.atomic
def channel_update(*, access, channel: Channel, **changes) -> Channel:
    _check(access, channel)
    unknown = set(changes) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown settings: %(names)s") % {"names": ", ".join(sorted(unknown))})
    if "categories" in changes:
        categories = [text.strip()[:200] for text in changes["categories"] if text.strip()]
        if not categories:
            raise ValidationError({"categories": [_("Give at least one category.")]})
        changes["categories"] = categories
    if changes.get("reports_per_hour") is not None and not 1 <= changes["reports_per_hour"] <= 10_000:
        raise ValidationError({"reports_per_hour": [_("Between 1 and 10 000.")]})
    for field, value in changes.items():
        setattr(channel, field, value)
    channel.save(update_fields=list(changes))
    event_record(
        channel=channel,
        action=WhistleAction.CHANNEL_CHANGED,
        actor=_actor(access),
        note=", ".join(sorted(changes)),
    )
    return channel


def channel_missing(channel: Channel) -> list[str]:
    """What the channel lacks before it may open, in words (empty: it may open)."""
    roles = list(ChannelRole.objects.filter(channel=channel))
    keyed = set(
        Keyring.objects.filter(person__in=[role.person_id for role in roles]).values_list("person", flat=True)
    )
    missing = []
    if not any(role.role == Role.HANDLER and role.person_id in keyed for role in roles):
        missing.append(_("a handler who has created keys"))
    if channel.accepts_confidential and not any(
        role.role == Role.CUSTODIAN and role.person_id in keyed for role in roles
    ):
        missing.append(_("an identity custodian who has created keys (for confidential reports)"))
    if channel.sector == Sector.PUBLIC and not channel.escrow_public_key:
        missing.append(
            _("key escrow (a public body's reports are allmänna handlingar and must stay readable)")
        )
    if channel.sector == Sector.PUBLIC and not (channel.gallringsbeslut_ref and channel.gallringsfrist_days):
        missing.append(_("a gallring decision and how long closed cases are kept"))
    if not channel.accepts_anonymous and not channel.accepts_confidential:
        missing.append(_("a way to report: anonymously, confidentially or both"))
    if not (channel.procedure.strip() and channel.external_channels.strip()):
        missing.append(_("the information page: the procedure and the external channels"))
    return missing


@transaction.atomic
def channel_open(*, access, channel: Channel, is_open: bool = True) -> Channel:
    _check(access, channel)
    channel = Channel.objects.select_for_update().get(pk=channel.pk)
    if is_open:
        missing = channel_missing(channel)
        if missing:
            raise ValidationError(
                _("The channel cannot open yet. Missing: %(list)s.") % {"list": "; ".join(missing)}
            )
    channel.is_open = is_open
    channel.save(update_fields=["is_open"])
    event_record(
        channel=channel,
        action=WhistleAction.CHANNEL_CHANGED,
        actor=_actor(access),
        note="open" if is_open else "closed",
    )
    return channel


@transaction.atomic
def role_grant(
    *, access, channel: Channel, person, role: str, shown_name: str = "", external_provider: str = ""
) -> ChannelRole:
    _check(access, channel)
    if person.organisation_id != channel.organisation_id or not person.is_active:
        raise ValidationError({"person": [_("Choose a person of the organisation.")]})
    if role not in Role.values:
        raise ValidationError({"role": [_("Choose a role.")]})
    if not access.is_system and access.person_id == person.pk:
        # An administrator who could make themselves escrow holder or handler could widen their own reach
        # into the cases: another administrator decides that (four eyes), and the log shows who.
        raise ValidationError(
            {"person": [_("You cannot give yourself a role in the channel; ask another administrator.")]}
        )
    # A custodian holds every identity of the channel: as a handler too, they would need nobody's
    # approval to read who reported (W-08). The two roles are never one person's.
    apart = {Role.HANDLER: Role.CUSTODIAN, Role.CUSTODIAN: Role.HANDLER}.get(role)
    if apart and ChannelRole.objects.filter(channel=channel, person=person, role=apart).exists():
        raise ValidationError(
            {"person": [_("A handler cannot also be the identity custodian of the same channel.")]}
        )
    granted, _created = ChannelRole.objects.get_or_create(
        channel=channel,
        person=person,
        role=role,
        defaults={
            "shown_name": (shown_name or person.full_name)[:200],
            "external_provider": external_provider[:200],
        },
    )
    event_record(
        channel=channel, action=WhistleAction.ROLE_GRANTED, actor=_actor(access), note=f"{role}: {person}"
    )
    return granted


@transaction.atomic
def role_revoke(*, access, channel: Channel, person, role: str) -> None:
    _check(access, channel)
    if role == Role.HANDLER:
        handler_removal_check(channel=channel, person=person)
    others = ChannelRole.objects.filter(channel=channel, role=role).exclude(person=person)
    if (
        role == Role.ESCROW
        and channel.escrow_public_key
        and not others.filter(sealed_escrow_key__isnull=False).exists()
    ):
        raise ValidationError(
            _(
                "This is the only escrow holder with the escrow key: give another holder a copy before removing them."
            )
        )
    if (
        role == Role.CUSTODIAN
        and channel.reports.filter(identity__isnull=False).exists()
        and not others.exists()
    ):
        raise ValidationError(
            _(
                "This is the channel's last identity custodian: without one, no reporter's identity could be opened."
            )
        )
    ChannelRole.objects.filter(channel=channel, person=person, role=role).delete()
    event_record(
        channel=channel, action=WhistleAction.ROLE_REVOKED, actor=_actor(access), note=f"{role}: {person}"
    )
