"""Personal API tokens: shown once, stored as a SHA-256 digest, used as Bearer, revoked for good."""

import hashlib
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tillit.accounts.models import ApiToken
from tillit.accounts.services import api_token_authenticate, api_token_create, api_token_revoke
from tillit.audit.models import AuditEvent

pytestmark = [pytest.mark.integration, pytest.mark.no_demo]  # the personas are enough

NEW_TOKEN = re.compile(r'<code class="token" id="new-token">(tlt_[A-Za-z0-9_-]+)</code>')


def bearer(plain: str) -> dict:
    return {"Authorization": f"Bearer {plain}"}


def test_token_is_shown_once_and_only_its_digest_is_stored(client, alice):
    client.force_login(alice)

    created = client.post("/me/api-tokens/", {"name": "Power BI-rapport"})
    again = client.get("/me/api-tokens/")

    match = NEW_TOKEN.search(created.content.decode())
    assert match
    plain = match.group(1)
    token = ApiToken.objects.get(person=alice)
    assert token.name == "Power BI-rapport"
    assert token.digest == hashlib.sha256(plain.encode()).hexdigest()
    assert token.prefix == plain[:12]
    assert plain not in {token.name, token.prefix, token.digest}
    assert len(plain) > 40
    assert NEW_TOKEN.search(again.content.decode()) is None
    assert plain not in again.content.decode()
    assert f"{token.prefix}…" in again.content.decode()


def test_token_form_rejects_an_empty_name(client, alice):
    client.force_login(alice)

    response = client.post("/me/api-tokens/", {"name": "  "})

    assert response.status_code == 200
    assert 'id="id_name_error"' in response.content.decode()
    assert ApiToken.objects.filter(person=alice).count() == 0


def test_token_is_accepted_as_bearer_on_the_api(client, alice):
    token, plain = api_token_create(person=alice, name="Skript")

    response = client.get("/api/v1/me", headers=bearer(plain))

    token.refresh_from_db()
    assert response.status_code == 200
    assert response.json()["email"] == "alice@personas.test"
    assert token.last_used_at is not None


def test_revoked_token_answers_401(client, alice):
    token, plain = api_token_create(person=alice, name="Skript")
    client.force_login(alice)

    revoked = client.post(f"/me/api-tokens/{token.pk}/revoke/")
    client.logout()
    response = client.get("/api/v1/me", headers=bearer(plain))

    token.refresh_from_db()
    assert revoked.status_code == 302
    assert token.revoked_at is not None
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


@pytest.mark.parametrize(
    "plain",
    ["tlt_not-a-real-token", "not-even-prefixed", "", "tlt_"],
)
def test_unknown_tokens_answer_401(client, db, plain):
    response = client.get("/api/v1/units", headers=bearer(plain))

    assert response.status_code == 401


def test_token_of_a_deactivated_person_answers_401(client, alice):
    _token, plain = api_token_create(person=alice, name="Skript")
    alice.is_active = False
    alice.save(update_fields=["is_active"])

    assert api_token_authenticate(plain=plain) is None
    assert client.get("/api/v1/me", headers=bearer(plain)).status_code == 401


def test_only_the_owner_revokes_a_token(alice, bob):
    token, _plain = api_token_create(person=alice, name="Skript")

    with pytest.raises(PermissionDenied):
        api_token_revoke(person=bob, token=token)

    token.refresh_from_db()
    assert token.revoked_at is None


def test_token_creation_and_revocation_are_audited(alice):
    token, _plain = api_token_create(person=alice, name="Skript")
    api_token_revoke(person=alice, token=token)
    api_token_revoke(person=alice, token=token)  # revoking twice changes nothing

    events = AuditEvent.objects.filter(target_type="accounts.apitoken", target_id=token.pk).order_by("id")
    assert [(e.action, e.actor, e.before, e.after) for e in events] == [
        ("api_token.created", alice, None, {"name": "Skript", "prefix": token.prefix}),
        ("api_token.revoked", alice, {"revoked": False}, {"revoked": True}),
    ]


def test_token_name_is_required_by_the_service(alice):
    with pytest.raises(ValidationError) as error:
        api_token_create(person=alice, name=" ")

    assert list(error.value.message_dict) == ["name"]


def test_a_platform_operator_without_organisation_gets_no_token(client, db):
    from django.contrib.auth import get_user_model

    operator = get_user_model().objects.create_user(
        "drift@tillit.example", None, full_name="Drift", is_staff=True
    )
    client.force_login(operator)

    with pytest.raises(PermissionDenied):
        api_token_create(person=operator, name="Drift")
    response = client.post("/me/api-tokens/", {"name": "Drift"})

    assert response.status_code == 403
    assert ApiToken.objects.filter(person=operator).count() == 0
