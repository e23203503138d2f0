"""The key pages through Django's test client: creating keys and seeing the recovery key once, unlocking
(the key cookie, throttling, a safe `next`), locking, changing the passphrase and recovering (T-22), showing
the recovery key again, and the one-time passphrase from the escrow that must be changed.

Texts are asserted in English (the language cookie), so the tests hold whatever the Swedish catalogue says.
"""

import html
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories.whistle import PASSPHRASE, PASSWORD, report_sent, signed_in_client, whistle_world
from tillit.whistle.enums import Role, WhistleAction
from tillit.whistle.models import Keyring, WhistleEvent
from tillit.whistle.services import channels, keys
from tillit.whistle.views import common
from tillit.whistle.views.keys import UNLOCK_LIMIT

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]

NEW_PASSPHRASE = "en helt annan nyckelfras 2026"
RECOVERY_PATTERN = re.compile(r"[A-Z2-7]{4}(?:-[A-Z2-7]{1,4}){12}")


def staff(person) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return signed_in_client(client, person)


def unlock(client, passphrase: str = PASSPHRASE, next_url: str = ""):
    return client.post(reverse("whistle:unlock"), {"passphrase": passphrase, "next": next_url})


def text(response) -> str:
    """The page as a reader sees its words (entities such as &#x27; undone)."""
    return html.unescape(response.content.decode())


@pytest.fixture(autouse=True)
def quick_sign_in_passwords(settings):
    """The sign-in passwords are beside the point here; Argon2 at 100 MB per person is not."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world():
    return whistle_world()


@pytest.fixture
def newcomer(world):
    """A handler given the role after the channel was set up, still without keys."""
    person = world.bystander
    channels.role_grant(access=world.system, channel=world.channel, person=person, role=Role.HANDLER)
    return person


# ------------------------------------------------------------------------------------ creating keys


def test_creating_keys_shows_the_recovery_key_once_and_unlocks_them(world, newcomer):
    client = staff(newcomer)
    page = client.get(reverse("whistle:keyring"))
    assert page.status_code == 200
    assert 'name="passphrase_again"' in text(page)

    created = client.post(
        reverse("whistle:keyring"), {"passphrase": NEW_PASSPHRASE, "passphrase_again": NEW_PASSPHRASE}
    )
    assert created.status_code == 200
    assert created.headers["Cache-Control"] == "no-store"
    shown = RECOVERY_PATTERN.search(text(created)).group(0)
    assert "Print it or write it down now" in text(created)
    assert Keyring.objects.filter(person=newcomer).exists()
    assert WhistleEvent.objects.filter(actor=newcomer, action=WhistleAction.KEYRING_CREATED).exists()

    # The keys are unlocked, and the recovery key is never shown again without asking for it.
    again = client.get(reverse("whistle:keyring"))
    assert "Unlocked" in text(again)
    assert shown not in text(again)
    assert not RECOVERY_PATTERN.search(text(again))
    # What was shown opens the keys.
    assert keys.keyring_recover(person=newcomer, recovery_key=shown, new_passphrase=NEW_PASSPHRASE + "!")


@pytest.mark.parametrize(
    ("first", "again", "error"),
    [
        ("kort fras", "kort fras", "at least 12 characters"),
        (PASSWORD, PASSWORD, "other than your sign-in password"),
        (NEW_PASSPHRASE, NEW_PASSPHRASE + "x", "not the same"),
    ],
    ids=["too-short", "the-sign-in-password", "not-the-same"],
)
def test_creating_keys_refuses_a_weak_or_mistyped_passphrase(world, newcomer, first, again, error):
    response = staff(newcomer).post(
        reverse("whistle:keyring"), {"passphrase": first, "passphrase_again": again}
    )
    assert response.status_code == 200
    assert error in text(response)
    assert not Keyring.objects.filter(person=newcomer).exists()


def test_a_person_without_a_role_has_no_keyring_page(world):
    assert staff(world.administrator).get(reverse("whistle:keyring")).status_code == 404
    assert staff(world.administrator).get(reverse("whistle:unlock")).status_code == 302  # to the keyring page


def test_a_person_with_keys_cannot_create_a_second_keyring(world):
    handler = world.handlers[0]
    before = bytes(Keyring.objects.get(person=handler).public_key)
    client = staff(handler)
    client.post(
        reverse("whistle:keyring"), {"passphrase": NEW_PASSPHRASE, "passphrase_again": NEW_PASSPHRASE}
    )
    assert bytes(Keyring.objects.get(person=handler).public_key) == before
    assert "Change my key passphrase" in text(client.get(reverse("whistle:keyring")))


# ------------------------------------------------------------------------------------ unlocking


def test_unlocking_sets_an_httponly_strict_cookie_limited_to_the_channel(world):
    client = staff(world.handlers[0])
    response = unlock(client)
    assert response.status_code == 302
    assert response.url == reverse("whistle:dashboard")
    cookie = response.cookies[common.KEY_COOKIE]
    assert cookie.value
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Strict"
    assert cookie["path"] == "/visselblasning/"
    # The session holds only the key locked under the cookie's secret.
    assert set(client.session[common.KEY_SESSION]) == {"blob", "until"}


def test_a_wrong_passphrase_is_refused_in_words(world):
    client = staff(world.handlers[0])
    response = unlock(client, "inte den rätta frasen")
    assert response.status_code == 200
    assert "The key passphrase is not right." in text(response)
    assert common.KEY_COOKIE not in response.cookies


def test_ten_failures_in_fifteen_minutes_give_429_even_for_the_right_passphrase(world):
    client = staff(world.handlers[0])
    for _attempt in range(UNLOCK_LIMIT):
        assert unlock(client, "inte den rätta frasen").status_code == 200
    refused = unlock(client, PASSPHRASE)
    assert refused.status_code == 429
    assert "Too many attempts" in text(refused)
    assert common.KEY_COOKIE not in refused.cookies
    # Another person's account is not throttled by it.
    assert unlock(staff(world.handlers[1])).status_code == 302


def test_a_right_passphrase_clears_the_failures(world):
    client = staff(world.handlers[0])
    for _attempt in range(UNLOCK_LIMIT - 1):
        unlock(client, "inte den rätta frasen")
    assert unlock(client).status_code == 302
    for _attempt in range(UNLOCK_LIMIT - 1):
        unlock(client, "inte den rätta frasen")
    assert unlock(client).status_code == 302


@pytest.mark.parametrize(
    "target", ["https://evil.example/visselblasning/", "//evil.example/", "/\\evil.example", "/pulses/"]
)
def test_unlocking_returns_only_to_a_page_of_the_channel(world, target):
    response = unlock(staff(world.handlers[0]), next_url=target)
    assert response.status_code == 302
    assert response.url == reverse("whistle:dashboard")


def test_unlocking_returns_to_the_page_asked_for(world):
    target = reverse("whistle:channel", args=[world.channel.slug])
    assert unlock(staff(world.handlers[0]), next_url=target).url == target


def test_locking_forgets_the_key_and_needs_a_post(world):
    client = staff(world.handlers[0])
    unlock(client)
    assert client.get(reverse("whistle:lock")).status_code == 405
    assert "Unlocked" in text(client.get(reverse("whistle:keyring")))
    response = client.post(reverse("whistle:lock"))
    assert response.status_code == 302
    assert response.cookies[common.KEY_COOKIE].value == ""
    assert common.KEY_SESSION not in client.session
    assert "Locked" in text(client.get(reverse("whistle:keyring")))


# ------------------------------------------------------------------------------------ T-22 via the pages


def test_changing_the_passphrase_makes_the_old_one_fail(world):
    handler = world.handlers[0]
    client = staff(handler)
    assert client.get(reverse("whistle:passphrase-change")).status_code == 302  # locked: unlock first
    unlock(client)
    response = client.post(
        reverse("whistle:passphrase-change"),
        {"passphrase": NEW_PASSPHRASE, "passphrase_again": NEW_PASSPHRASE},
    )
    assert response.status_code == 302
    assert WhistleEvent.objects.filter(actor=handler, action=WhistleAction.PASSPHRASE_CHANGED).exists()
    client.post(reverse("whistle:lock"))
    assert "The key passphrase is not right." in text(unlock(client, PASSPHRASE))
    assert unlock(client, NEW_PASSPHRASE).status_code == 302


def test_the_new_passphrase_must_differ_from_the_sign_in_password(world):
    client = staff(world.handlers[0])
    unlock(client)
    response = client.post(
        reverse("whistle:passphrase-change"), {"passphrase": PASSWORD, "passphrase_again": PASSWORD}
    )
    assert response.status_code == 200
    assert "other than your sign-in password" in text(response)
    client.post(reverse("whistle:lock"))
    assert unlock(client, PASSPHRASE).status_code == 302


def test_the_recovery_key_opens_the_keys_under_a_new_passphrase(world):
    handler = world.handlers[0]
    report, _receipt = report_sent(world, text="Läs mig efter återställningen")
    client = staff(handler)
    response = client.post(
        reverse("whistle:recover"),
        {
            "recovery_key": world.recovery_keys[handler.pk].lower(),
            "passphrase": NEW_PASSPHRASE,
            "passphrase_again": NEW_PASSPHRASE,
        },
    )
    assert response.status_code == 302
    assert common.KEY_COOKIE in response.cookies
    assert WhistleEvent.objects.filter(actor=handler, action=WhistleAction.RECOVERY_USED).exists()
    case = client.get(reverse("whistle:case", args=[world.channel.slug, report.pk]))
    assert "Läs mig efter återställningen" in text(case)
    client.post(reverse("whistle:lock"))
    assert "The key passphrase is not right." in text(unlock(client, PASSPHRASE))
    assert unlock(client, NEW_PASSPHRASE).status_code == 302


def test_a_wrong_recovery_key_opens_nothing(world):
    handler = world.handlers[0]
    client = staff(handler)
    wrong = world.recovery_keys[world.handlers[1].pk]  # a real recovery key, someone else's
    response = client.post(
        reverse("whistle:recover"),
        {"recovery_key": wrong, "passphrase": NEW_PASSPHRASE, "passphrase_again": NEW_PASSPHRASE},
    )
    assert response.status_code == 200
    assert "The recovery key is not right." in text(response)
    assert common.KEY_COOKIE not in response.cookies
    assert unlock(client, PASSPHRASE).status_code == 302  # the passphrase is unchanged


def test_recovery_is_throttled_too(world):
    client = staff(world.handlers[0])
    data = {
        "recovery_key": "AAAA-" * 12 + "AAAA",
        "passphrase": NEW_PASSPHRASE,
        "passphrase_again": NEW_PASSPHRASE,
    }
    for _attempt in range(UNLOCK_LIMIT):
        assert client.post(reverse("whistle:recover"), data).status_code == 200
    right = {**data, "recovery_key": world.recovery_keys[world.handlers[0].pk]}
    assert client.post(reverse("whistle:recover"), right).status_code == 429


def test_the_recovery_key_is_shown_again_only_after_a_post_with_the_keys_open(world):
    handler = world.handlers[0]
    client = staff(handler)
    assert client.get(reverse("whistle:recovery-key")).status_code == 302  # locked
    unlock(client)
    page = client.get(reverse("whistle:recovery-key"))
    assert world.recovery_keys[handler.pk] not in text(page)
    shown = client.post(reverse("whistle:recovery-key"))
    assert world.recovery_keys[handler.pk] in text(shown)
    assert shown.headers["Cache-Control"] == "no-store"


def test_a_one_time_passphrase_from_the_escrow_must_be_changed_after_unlocking(world):
    handler = world.handlers[0]
    one_time = keys.escrow_restore(
        channel=world.channel, holder=world.escrow, private_key=world.key(world.escrow), person=handler
    )
    client = staff(handler)
    target = reverse("whistle:channel", args=[world.channel.slug])
    response = unlock(client, one_time, next_url=target)
    assert response.status_code == 302
    assert response.url.startswith(reverse("whistle:passphrase-change"))
    form = client.get(response.url)
    assert f'value="{target}"' in text(form)
    done = client.post(
        reverse("whistle:passphrase-change"),
        {"passphrase": NEW_PASSPHRASE, "passphrase_again": NEW_PASSPHRASE, "next": target},
    )
    assert done.url == target
    assert not Keyring.objects.get(person=handler).must_change_passphrase
