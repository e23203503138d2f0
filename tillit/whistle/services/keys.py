"""Keyrings, recovery, escrow and case keys: who can open what (W-05, W-06, W-07; T-20 – T-22).

A private key appears in clear only in the memory of the request that needs it: the caller unlocks a
keyring with the passphrase and passes the key on (`private_key=`), services never store it.
"""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tillit.whistle import crypto
from tillit.whistle.enums import Role, Sector, WhistleAction
from tillit.whistle.models import Channel, ChannelRole, EscrowCopy, Exclusion, Keyring, Report, ReportKeyCopy
from tillit.whistle.services.common import event_record, kdf_cost

MIN_PASSPHRASE = 12


def _stored(keyring: Keyring) -> crypto.Keyring:
    return crypto.Keyring(
        public_key=bytes(keyring.public_key),
        passphrase_salt=bytes(keyring.passphrase_salt),
        by_passphrase=bytes(keyring.by_passphrase),
        by_recovery=bytes(keyring.by_recovery),
        recovery_sealed=bytes(keyring.recovery_sealed),
    )


def _check_passphrase(person, passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise ValidationError(
            {"passphrase": _("A key passphrase has at least %(n)s characters.") % {"n": MIN_PASSPHRASE}}
        )
    if len(passphrase) > 1024:
        raise ValidationError({"passphrase": _("A key passphrase has at most 1 024 characters.")})
    if person.check_password(passphrase):
        # The sign-in password may be known to the single sign-on or reset by IT; the key passphrase not.
        raise ValidationError({"passphrase": _("Choose a key passphrase other than your sign-in password.")})


def _roles(person):
    return ChannelRole.objects.filter(person=person).select_related("channel")


def _escrow_copies_refresh(keyring: Keyring, private_key: bytes) -> None:
    """Seal the private key to every escrow of the person's channels that does not have it yet."""
    have = set(EscrowCopy.objects.filter(keyring=keyring).values_list("channel_id", flat=True))
    for role in _roles(keyring.person):
        channel = role.channel
        if channel.escrow_public_key and channel.pk not in have:
            EscrowCopy.objects.create(
                channel=channel,
                keyring=keyring,
                sealed_private_key=crypto.seal(bytes(channel.escrow_public_key), private_key),
            )
            have.add(channel.pk)


def keyring_for(person) -> Keyring | None:
    return Keyring.objects.filter(person=person).first()


@transaction.atomic
def keyring_create(*, person, passphrase: str) -> tuple[Keyring, bytes, str]:
    """A person's first keys: (the keyring, the private key, the recovery key to show once)."""
    roles = list(_roles(person))
    if not roles:
        raise PermissionDenied
    if Keyring.objects.filter(person=person).exists():
        raise ValidationError(_("You already have keys."))
    _check_passphrase(person, passphrase)
    material, private_key, recovery = crypto.keyring_new(passphrase, kdf_cost())
    keyring = Keyring.objects.create(
        person=person,
        public_key=material.public_key,
        passphrase_salt=material.passphrase_salt,
        by_passphrase=material.by_passphrase,
        by_recovery=material.by_recovery,
        recovery_sealed=material.recovery_sealed,
    )
    _escrow_copies_refresh(keyring, private_key)
    for channel in {role.channel for role in roles}:
        event_record(channel=channel, action=WhistleAction.KEYRING_CREATED, actor=person)
    return keyring, private_key, crypto.recovery_key_text(recovery)


@transaction.atomic
def keyring_unlock(*, person, passphrase: str) -> bytes:
    """The private key, or a ValidationError for a wrong passphrase (the same words whatever the cause)."""
    keyring = keyring_for(person)
    wrong = ValidationError({"passphrase": _("The key passphrase is not right.")})
    if keyring is None or len(passphrase) > 1024:
        raise wrong
    try:
        private_key = crypto.keyring_open(_stored(keyring), passphrase, kdf_cost())
    except crypto.DecryptionError:
        raise wrong from None
    _escrow_copies_refresh(keyring, private_key)
    return private_key


def _rewrap(keyring: Keyring, private_key: bytes, passphrase: str, *, must_change: bool) -> None:
    material = crypto.keyring_rewrap(_stored(keyring), private_key, passphrase, kdf_cost())
    keyring.passphrase_salt = material.passphrase_salt
    keyring.by_passphrase = material.by_passphrase
    keyring.must_change_passphrase = must_change
    keyring.save(update_fields=["passphrase_salt", "by_passphrase", "must_change_passphrase"])


@transaction.atomic
def passphrase_change(*, person, private_key: bytes, new_passphrase: str) -> None:
    """Re-wrap the key under a new passphrase: the old one opens nothing any more (T-22)."""
    keyring = keyring_for(person)
    if keyring is None or crypto.public_key_of(private_key) != bytes(keyring.public_key):
        raise PermissionDenied
    _check_passphrase(person, new_passphrase)
    _rewrap(keyring, private_key, new_passphrase, must_change=False)
    for channel in {role.channel for role in _roles(person)}:
        event_record(channel=channel, action=WhistleAction.PASSPHRASE_CHANGED, actor=person)


@transaction.atomic
def keyring_recover(*, person, recovery_key: str, new_passphrase: str) -> bytes:
    """A forgotten passphrase: the recovery key opens the keys, which are wrapped anew."""
    keyring = keyring_for(person)
    wrong = ValidationError({"recovery_key": _("The recovery key is not right.")})
    raw = crypto.recovery_key_from_text(recovery_key)
    if keyring is None or raw is None:
        raise wrong
    try:
        private_key = crypto.keyring_open_with_recovery(_stored(keyring), raw)
    except crypto.DecryptionError:
        raise wrong from None
    _check_passphrase(person, new_passphrase)
    _rewrap(keyring, private_key, new_passphrase, must_change=False)
    for channel in {role.channel for role in _roles(person)}:
        event_record(channel=channel, action=WhistleAction.RECOVERY_USED, actor=person)
    return private_key


def recovery_key_show(*, person, private_key: bytes) -> str:
    keyring = keyring_for(person)
    if keyring is None:
        raise PermissionDenied
    return crypto.recovery_key_text(crypto.unseal(private_key, bytes(keyring.recovery_sealed)))


# ------------------------------------------------------------------------------------ escrow


def _escrow_role(channel: Channel, person) -> ChannelRole:
    role = ChannelRole.objects.filter(channel=channel, person=person, role=Role.ESCROW).first()
    if role is None:
        raise PermissionDenied
    return role


@transaction.atomic
def escrow_set_up(*, channel: Channel, holder, private_key: bytes) -> None:
    """Create the channel's escrow key, sealed to every escrow holder who has keys.

    Each keyring gets its escrow copy the next time its owner unlocks it (only they hold the key).
    """
    channel = Channel.objects.select_for_update().get(pk=channel.pk)
    role = _escrow_role(channel, holder)
    if channel.escrow_public_key:
        raise ValidationError(_("This channel already has key escrow."))
    keyring = keyring_for(holder)
    if keyring is None or crypto.public_key_of(private_key) != bytes(keyring.public_key):
        raise PermissionDenied
    escrow_public, escrow_private = crypto.new_keypair()
    channel.escrow_public_key = escrow_public
    channel.save(update_fields=["escrow_public_key"])
    holders = ChannelRole.objects.filter(channel=channel, role=Role.ESCROW)
    public_keys = dict(
        Keyring.objects.filter(person__in=holders.values("person")).values_list("person", "public_key")
    )
    for holder_role in holders:
        if holder_role.person_id in public_keys:
            holder_role.sealed_escrow_key = crypto.seal(
                bytes(public_keys[holder_role.person_id]), escrow_private
            )
            holder_role.save(update_fields=["sealed_escrow_key"])
    _escrow_copies_refresh(keyring, private_key)
    event_record(channel=channel, action=WhistleAction.ESCROW_SET_UP, actor=role.person)


def _with_reason(note: str, reason: str) -> str:
    """The log note of an escrow use with the holder's written reason (the log keeps 200 characters)."""
    reason = " ".join(reason.split())
    return f"{note}; reason: {reason}" if reason else note


@transaction.atomic
def escrow_share(*, channel: Channel, holder, private_key: bytes, to_person) -> None:
    """An escrow holder gives a copy of the escrow key to another escrow holder who has keys (one appointed
    after the escrow was set up)."""
    escrow_private = _escrow_private_key(channel, holder, private_key)
    role = ChannelRole.objects.filter(channel=channel, person=to_person, role=Role.ESCROW).first()
    keyring = keyring_for(to_person)
    if role is None or keyring is None:
        raise ValidationError(_("Only an escrow holder of the channel who has created keys can get a copy."))
    role.sealed_escrow_key = crypto.seal(bytes(keyring.public_key), escrow_private)
    role.save(update_fields=["sealed_escrow_key"])
    event_record(
        channel=channel,
        action=WhistleAction.ESCROW_USED,
        actor=holder,
        note=f"escrow key shared: {to_person}",
    )


def _escrow_private_key(channel: Channel, holder, private_key: bytes) -> bytes:
    role = _escrow_role(channel, holder)
    if not role.sealed_escrow_key:
        raise PermissionDenied
    return crypto.unseal(private_key, bytes(role.sealed_escrow_key))


@transaction.atomic
def escrow_restore(*, channel: Channel, holder, private_key: bytes, person, reason: str = "") -> str:
    """A handler who lost both passphrase and recovery key: their keys get a one-time passphrase, which
    the escrow holder hands over and the handler must change at once. Audited with the holder's reason
    (W-06, T-22)."""
    escrow_private = _escrow_private_key(channel, holder, private_key)
    keyring = keyring_for(person)
    copy = EscrowCopy.objects.filter(channel=channel, keyring=keyring).first() if keyring else None
    if copy is None:
        raise ValidationError(_("This person's keys are not in the channel's escrow."))
    their_private = crypto.unseal(escrow_private, bytes(copy.sealed_private_key))
    one_time = "-".join(secrets.token_hex(3) for _i in range(4))
    _rewrap(keyring, their_private, one_time, must_change=True)
    event_record(
        channel=channel,
        action=WhistleAction.ESCROW_USED,
        actor=holder,
        note=_with_reason(f"restore keys: {person}", reason),
    )
    return one_time


# ------------------------------------------------------------------------------------ case keys


def report_key_for(*, person, private_key: bytes, report: Report) -> bytes:
    """The report's private key through the person's own key copy; Report.DoesNotExist if they have none
    (the views answer 404: an unassigned or excluded handler cannot even learn that the case exists)."""
    copy = ReportKeyCopy.objects.filter(report=report, person=person).first()
    if copy is None:
        raise Report.DoesNotExist
    return crypto.unseal(private_key, bytes(copy.sealed_private_key))


def _grantable(report: Report, to_person) -> Keyring:
    channel = report.channel
    if not ChannelRole.objects.filter(channel=channel, person=to_person, role=Role.HANDLER).exists():
        raise ValidationError(_("Only a handler of the channel can be given a case."))
    if Exclusion.objects.filter(report=report, person=to_person).exists():
        raise ValidationError(_("The reporter excluded this handler from the case."))
    keyring = keyring_for(to_person)
    if keyring is None:
        raise ValidationError(_("This handler has not created keys yet."))
    return keyring


@transaction.atomic
def case_access_grant(*, report: Report, granter, private_key: bytes, to_person) -> None:
    """A handler with the case gives it to another handler of the channel (never an excluded one)."""
    report_private = report_key_for(person=granter, private_key=private_key, report=report)
    keyring = _grantable(report, to_person)
    ReportKeyCopy.objects.get_or_create(
        report=report,
        person=to_person,
        defaults={"sealed_private_key": crypto.seal(bytes(keyring.public_key), report_private)},
    )
    event_record(
        channel=report.channel,
        action=WhistleAction.ACCESS_GRANTED,
        actor=granter,
        report=report,
        note=str(to_person),
    )


@transaction.atomic
def escrow_case_grant(*, report: Report, holder, private_key: bytes, to_person, reason: str = "") -> None:
    """No handler with the case is left (they left, or lost their keys): the escrow holder opens a former
    handler's key copy through the escrow and gives the case to a handler. Audited as escrow use."""
    channel = report.channel
    escrow_private = _escrow_private_key(channel, holder, private_key)
    keyring = _grantable(report, to_person)
    escrowed = {
        copy.keyring.person_id: copy
        for copy in EscrowCopy.objects.filter(channel=channel).select_related("keyring")
    }
    for key_copy in ReportKeyCopy.objects.filter(report=report):
        if key_copy.person_id in escrowed:
            former_private = crypto.unseal(
                escrow_private, bytes(escrowed[key_copy.person_id].sealed_private_key)
            )
            report_private = crypto.unseal(former_private, bytes(key_copy.sealed_private_key))
            break
    else:
        raise ValidationError(_("No key copy of this case is in the channel's escrow."))
    ReportKeyCopy.objects.update_or_create(
        report=report,
        person=to_person,
        defaults={"sealed_private_key": crypto.seal(bytes(keyring.public_key), report_private)},
    )
    event_record(
        channel=channel,
        action=WhistleAction.ESCROW_USED,
        actor=holder,
        report=report,
        note=_with_reason(f"case given to: {to_person}", reason),
    )


def handler_removal_check(*, channel: Channel, person) -> None:
    """A public body's reports must stay readable: the last handler of a channel without escrow cannot
    lose the role (T-22)."""
    if channel.sector != Sector.PUBLIC or channel.escrow_public_key:
        return
    others = ChannelRole.objects.filter(channel=channel, role=Role.HANDLER).exclude(person=person)
    if not others.exists():
        raise ValidationError(
            _(
                "This is the channel's last handler and it has no key escrow: the reports, which are "
                "allmänna handlingar, would become unreadable. Appoint another handler or set up escrow first."
            )
        )
