"""Two-factor authentication with an authenticator app (TOTP), through allauth's real pages."""

import base64
import hashlib
import hmac
import struct
import time

import pytest
from allauth.mfa.models import Authenticator

from tillit.demo.generate import DEMO_PASSWORD

pytestmark = pytest.mark.integration

PERIOD = 30  # seconds, RFC 6238's default and allauth's


def totp(secret: str) -> str:
    """The current six-digit code (RFC 6238), computed here rather than by allauth.

    Waits for the next period when the current one is about to end, so that the server checks the
    code in the same period it was made in.
    """
    if PERIOD - time.time() % PERIOD < 2:
        time.sleep(2)
    counter = int(time.time()) // PERIOD
    digest = hmac.new(
        base64.b32decode(secret, casefold=True), struct.pack(">Q", counter), hashlib.sha1
    ).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def sign_in(client, email: str = "johan.nystrom@exempelby.se"):
    return client.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD})


def activate_start(client) -> str:
    """Sign in, confirm the password again (allauth asks before changing security), open the form."""
    sign_in(client)
    reauthenticated = client.post("/accounts/reauthenticate/", {"password": DEMO_PASSWORD})
    form = client.get("/accounts/2fa/totp/activate/")
    assert (reauthenticated.status_code, form.status_code) == (302, 200)
    return client.session["mfa.totp.secret"]


def test_activating_totp_needs_the_password_again(client, same_unit):
    sign_in(client)

    response = client.get("/accounts/2fa/totp/activate/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")


def test_totp_is_activated_and_then_asked_for_at_sign_in(client, same_unit):
    secret = activate_start(client)

    wrong = client.post(
        "/accounts/2fa/totp/activate/", {"code": "000000" if totp(secret) != "000000" else "111111"}
    )
    activated = client.post("/accounts/2fa/totp/activate/", {"code": totp(secret)})

    assert wrong.status_code == 200
    assert activated.status_code == 302
    assert Authenticator.objects.filter(user=same_unit, type=Authenticator.Type.TOTP).count() == 1

    client.post("/accounts/logout/")
    password_step = sign_in(client)
    before_code = client.get("/")
    code_step = client.post("/accounts/2fa/authenticate/", {"code": totp(secret)})
    home = client.get("/")

    assert password_step.status_code == 302
    assert password_step["Location"] == "/accounts/2fa/authenticate/"
    assert before_code.status_code == 302  # the password alone does not sign in
    assert before_code["Location"].startswith("/accounts/login/")
    assert code_step.status_code == 302
    assert code_step["Location"] == "/"
    assert home.status_code == 200


def test_a_used_totp_code_cannot_be_replayed(client, same_unit):
    secret = activate_start(client)
    client.post("/accounts/2fa/totp/activate/", {"code": totp(secret)})
    client.post("/accounts/logout/")

    sign_in(client)
    code = totp(secret)
    first = client.post("/accounts/2fa/authenticate/", {"code": code})
    client.post("/accounts/logout/")
    sign_in(client)
    replay = client.post("/accounts/2fa/authenticate/", {"code": code})

    assert first.status_code == 302
    assert replay.status_code == 200  # the form again, with an error
    assert "_auth_user_id" not in client.session
