"""Signing in with django-allauth: local accounts, Argon2, throttled attempts, invite-only."""

import pytest
from django.conf import settings

from tillit.demo.generate import DEMO_PASSWORD

pytestmark = pytest.mark.integration


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_a_demo_person_signs_in_with_email_and_password(client, same_unit):
    response = client.post(
        "/accounts/login/", {"login": "johan.nystrom@exempelby.se", "password": DEMO_PASSWORD}
    )
    home = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert home.status_code == 200
    assert "Hemtjänst Norr" in home.content.decode()


def test_sign_in_with_a_wrong_password_is_refused(client, same_unit):
    response = client.post("/accounts/login/", {"login": "johan.nystrom@exempelby.se", "password": "fel"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_passwords_are_hashed_with_argon2(same_unit):
    same_unit.set_password("en lång mening som lösenord")
    same_unit.save()

    same_unit.refresh_from_db()
    assert same_unit.password.startswith("argon2$argon2id$")
    assert same_unit.check_password("en lång mening som lösenord") is True


def test_the_demo_password_hash_is_argon2(same_unit):
    assert same_unit.password.startswith("argon2")


def test_repeated_failed_sign_ins_are_throttled_even_with_the_right_password(english, same_unit):
    failures = [
        english.post("/accounts/login/", {"login": "johan.nystrom@exempelby.se", "password": f"fel-{n}"})
        for n in range(5)
    ]

    throttled = english.post(
        "/accounts/login/", {"login": "johan.nystrom@exempelby.se", "password": DEMO_PASSWORD}
    )

    assert [response.status_code for response in failures] == [200] * 5
    assert all("Too many failed login attempts" not in r.content.decode() for r in failures)
    assert throttled.status_code == 200
    assert "Too many failed login attempts. Try again later." in throttled.content.decode()
    assert "_auth_user_id" not in english.session


def test_signing_up_is_closed_people_join_by_invitation(client, db):
    from django.contrib.auth import get_user_model

    response = client.post(
        "/accounts/signup/",
        {"email": "ny@example.org", "password1": "en lång mening", "password2": "en lång mening"},
    )

    assert response.status_code == 200
    assert not get_user_model().objects.filter(email="ny@example.org").exists()


def test_signing_out_needs_a_post_and_ends_the_session(client, same_unit):
    client.force_login(same_unit)

    confirm = client.get("/accounts/logout/")
    still_in = client.get("/")
    signed_out = client.post("/accounts/logout/")
    after = client.get("/")

    assert confirm.status_code == still_in.status_code == 200
    assert signed_out.status_code == 302
    assert after.status_code == 302
    assert after["Location"] == "/accounts/login/?next=/"


def test_two_factor_authentication_is_offered(english, same_unit):
    english.force_login(same_unit)

    security = english.get("/me/security/").content.decode()
    mfa = english.get("/accounts/2fa/")

    assert 'href="/accounts/2fa/"' in security
    assert mfa.status_code == 200
