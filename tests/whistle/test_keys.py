"""Keyrings, recovery, escrow and case keys through the services (W-05 – W-07; T-20 – T-22)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories.whistle import PASSPHRASE, PASSWORD, keyring_of, report_sent, whistle_world
from tillit.whistle import crypto
from tillit.whistle.enums import Role, Sector, WhistleAction
from tillit.whistle.models import EscrowCopy, Keyring, Report, ReportKeyCopy, WhistleEvent
from tillit.whistle.services import channels, keys

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]


def _new_handler(world, name="Ny Handläggare"):
    from django.contrib.auth import get_user_model

    person = get_user_model().objects.create_user(
        f"{name.split()[0].lower()}@{world.channel.slug}.test",
        PASSWORD,
        full_name=name,
        organisation=world.organisation,
    )
    channels.role_grant(access=world.system, channel=world.channel, person=person, role=Role.HANDLER)
    return person


def test_the_right_passphrase_unlocks_and_a_wrong_one_gets_the_same_words_as_no_keyring():
    world = whistle_world()
    handler = world.handlers[0]
    assert keys.keyring_unlock(person=handler, passphrase=PASSPHRASE) == world.key(handler)
    with pytest.raises(ValidationError) as wrong:
        keys.keyring_unlock(person=handler, passphrase=PASSPHRASE + "x")
    with pytest.raises(ValidationError) as missing:
        keys.keyring_unlock(person=world.bystander, passphrase=PASSPHRASE)
    assert wrong.value.messages == missing.value.messages


def test_a_key_passphrase_must_be_long_and_not_the_sign_in_password():
    world = whistle_world()
    person = _new_handler(world)
    with pytest.raises(ValidationError):
        keys.keyring_create(person=person, passphrase="kort")
    with pytest.raises(ValidationError):
        keys.keyring_create(person=person, passphrase=PASSWORD)
    assert not Keyring.objects.filter(person=person).exists()


def test_only_a_person_with_a_role_gets_keys():
    world = whistle_world()
    with pytest.raises(PermissionDenied):
        keys.keyring_create(person=world.bystander, passphrase=PASSPHRASE)


def test_a_passphrase_change_rewraps_the_key_so_the_old_passphrase_fails():
    world = whistle_world()
    handler = world.handlers[0]
    keys.passphrase_change(
        person=handler, private_key=world.key(handler), new_passphrase="en helt ny nyckelfras"
    )
    with pytest.raises(ValidationError):
        keys.keyring_unlock(person=handler, passphrase=PASSPHRASE)
    assert keys.keyring_unlock(person=handler, passphrase="en helt ny nyckelfras") == world.key(handler)
    assert WhistleEvent.objects.filter(action=WhistleAction.PASSPHRASE_CHANGED, actor=handler).exists()


def test_the_recovery_key_restores_access_and_a_wrong_one_does_not():
    world = whistle_world()
    handler = world.handlers[0]
    with pytest.raises(ValidationError):
        keys.keyring_recover(
            person=handler, recovery_key="AAAA-" * 13, new_passphrase="glömde den förra frasen"
        )
    recovered = keys.keyring_recover(
        person=handler,
        recovery_key=world.recovery_keys[handler.pk].lower(),
        new_passphrase="glömde den förra frasen",
    )
    assert recovered == world.key(handler)
    assert keys.keyring_unlock(person=handler, passphrase="glömde den förra frasen") == world.key(handler)
    assert keys.recovery_key_show(person=handler, private_key=recovered) == world.recovery_keys[handler.pk]


def test_every_keyring_made_after_escrow_is_sealed_to_it_and_older_ones_at_their_next_unlock():
    world = whistle_world()
    assert EscrowCopy.objects.filter(channel=world.channel).count() == 4  # escrow, two handlers, custodian
    late = _new_handler(world, "Sen Handläggare")
    keyring_of(world, late)
    assert EscrowCopy.objects.filter(channel=world.channel, keyring__person=late).exists()


def test_escrow_restore_gives_a_one_time_passphrase_that_must_be_changed_and_is_audited():
    world = whistle_world()
    handler = world.handlers[0]
    one_time = keys.escrow_restore(
        channel=world.channel, holder=world.escrow, private_key=world.key(world.escrow), person=handler
    )
    assert keys.keyring_unlock(person=handler, passphrase=one_time) == world.key(handler)
    assert Keyring.objects.get(person=handler).must_change_passphrase
    assert WhistleEvent.objects.filter(action=WhistleAction.ESCROW_USED, actor=world.escrow).count() == 1


def test_only_the_escrow_holder_can_use_the_escrow():
    world = whistle_world()
    for person in (world.handlers[1], world.custodian, world.administrator):
        with pytest.raises(PermissionDenied):
            keys.escrow_restore(
                channel=world.channel,
                holder=person,
                private_key=world.private_keys.get(person.pk, b"\0" * 32),
                person=world.handlers[0],
            )
    assert not WhistleEvent.objects.filter(action=WhistleAction.ESCROW_USED).exists()


def test_escrow_gives_a_case_to_a_new_handler_when_no_one_with_it_is_left():
    world = whistle_world()
    report, _receipt = report_sent(world, text="Allmän handling som ska gå att läsa.")
    newcomer = _new_handler(world, "Ersättare Handläggare")
    keyring_of(world, newcomer)
    with pytest.raises(Report.DoesNotExist):
        world.report_key(newcomer, report)
    keys.escrow_case_grant(
        report=report, holder=world.escrow, private_key=world.key(world.escrow), to_person=newcomer
    )
    assert world.report_key(newcomer, report) == world.report_key(world.handlers[0], report)
    assert WhistleEvent.objects.filter(
        action=WhistleAction.ESCROW_USED, case_number=report.case_number
    ).exists()


def test_a_handler_with_the_case_can_share_it_but_never_with_a_handler_the_reporter_excluded():
    world = whistle_world(handlers=3)
    first, second, third = world.handlers
    report, _receipt = report_sent(world, excluded=[third])
    assert not ReportKeyCopy.objects.filter(report=report, person=third).exists()
    with pytest.raises(ValidationError):
        keys.case_access_grant(report=report, granter=first, private_key=world.key(first), to_person=third)
    with pytest.raises(ValidationError):
        keys.case_access_grant(
            report=report, granter=first, private_key=world.key(first), to_person=world.bystander
        )
    assert not ReportKeyCopy.objects.filter(report=report, person=third).exists()
    newcomer = _new_handler(world)
    keyring_of(world, newcomer)
    keys.case_access_grant(report=report, granter=first, private_key=world.key(first), to_person=newcomer)
    assert world.report_key(newcomer, report) == world.report_key(second, report)


def test_a_handler_without_a_key_copy_gets_nothing():
    world = whistle_world()
    report, _receipt = report_sent(world)
    late = _new_handler(world)
    keyring_of(world, late)
    with pytest.raises(Report.DoesNotExist):
        keys.report_key_for(person=late, private_key=world.key(late), report=report)
    with pytest.raises(Report.DoesNotExist):
        keys.case_access_grant(report=report, granter=late, private_key=world.key(late), to_person=late)


def test_the_last_handler_of_a_public_channel_without_escrow_cannot_be_removed():
    world = whistle_world(handlers=1, is_open=False)
    world.channel.escrow_public_key = None
    world.channel.save(update_fields=["escrow_public_key"])
    handler = world.handlers[0]
    with pytest.raises(ValidationError):
        channels.role_revoke(access=world.system, channel=world.channel, person=handler, role=Role.HANDLER)
    second = _new_handler(world)
    channels.role_revoke(access=world.system, channel=world.channel, person=handler, role=Role.HANDLER)
    assert list(world.channel.roles.filter(role=Role.HANDLER).values_list("person", flat=True)) == [second.pk]


def test_a_private_channel_may_lose_its_last_handler():
    world = whistle_world(handlers=1, sector=Sector.PRIVATE, is_open=False)
    channels.role_revoke(
        access=world.system, channel=world.channel, person=world.handlers[0], role=Role.HANDLER
    )
    assert not world.channel.roles.filter(role=Role.HANDLER).exists()


def test_escrow_is_set_up_once_and_by_an_escrow_holder_only():
    world = whistle_world()
    with pytest.raises(ValidationError):
        keys.escrow_set_up(channel=world.channel, holder=world.escrow, private_key=world.key(world.escrow))
    before = bytes(world.channel.escrow_public_key)
    world.channel.refresh_from_db()
    assert bytes(world.channel.escrow_public_key) == before
    assert crypto.unseal(
        world.key(world.escrow), bytes(world.channel.roles.get(role=Role.ESCROW).sealed_escrow_key)
    )


def test_a_later_escrow_holder_gets_the_escrow_key_from_one_who_has_it_and_then_the_first_may_go():
    world = whistle_world()
    from django.contrib.auth import get_user_model

    second = get_user_model().objects.create_user(
        "arkiv2@vissel.test", PASSWORD, full_name="Andra Arkivarie", organisation=world.organisation
    )
    channels.role_grant(access=world.system, channel=world.channel, person=second, role=Role.ESCROW)
    with pytest.raises(ValidationError):
        channels.role_revoke(
            access=world.system, channel=world.channel, person=world.escrow, role=Role.ESCROW
        )
    keyring_of(world, second)
    keys.escrow_share(
        channel=world.channel, holder=world.escrow, private_key=world.key(world.escrow), to_person=second
    )
    channels.role_revoke(access=world.system, channel=world.channel, person=world.escrow, role=Role.ESCROW)
    one_time = keys.escrow_restore(
        channel=world.channel, holder=second, private_key=world.key(second), person=world.handlers[0]
    )
    assert keys.keyring_unlock(person=world.handlers[0], passphrase=one_time) == world.key(world.handlers[0])


def test_the_last_custodian_of_a_channel_holding_identities_cannot_be_removed():
    world = whistle_world()
    report_sent(world, mode="confidential")
    with pytest.raises(ValidationError):
        channels.role_revoke(
            access=world.system, channel=world.channel, person=world.custodian, role=Role.CUSTODIAN
        )


def test_a_channel_cannot_take_a_staff_page_word_as_its_address():
    world = whistle_world()
    with pytest.raises(ValidationError):
        channels.channel_create(
            access=world.system, organisation=world.organisation, slug="nycklar", name="Fel"
        )


def test_an_administrator_cannot_give_themselves_a_role():
    from tillit.chain.selectors import access_for

    world = whistle_world()
    access = access_for(person=world.administrator)
    with pytest.raises(ValidationError):
        channels.role_grant(
            access=access, channel=world.channel, person=world.administrator, role=Role.ESCROW
        )
    assert not world.channel.roles.filter(person=world.administrator).exists()
    channels.role_grant(access=access, channel=world.channel, person=world.bystander, role=Role.HANDLER)
    assert world.channel.roles.filter(person=world.bystander, role=Role.HANDLER).exists()
