"""Writes about people: invitations, their acceptance, and personal API tokens."""

import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from tillit.accounts import rules
from tillit.accounts.models import ApiToken
from tillit.accounts.tasks import send_invitation
from tillit.audit.enums import AuditAction
from tillit.audit.services import audit_record
from tillit.chain.access import Access
from tillit.chain.models import Role, Unit
from tillit.chain.services import membership_create
from tillit.core.clock import now
from tillit.core.permissions import require
from tillit.core.tasks import enqueue_on_commit

API_TOKEN_PREFIX = "tlt_"  # noqa: S105 -- a public marker that makes leaked tokens easy to scan for


@transaction.atomic
def person_invite(
    *, actor, access: Access, unit: Unit, email: str, full_name: str, role: Role, title: str = ""
):
    """Invite a new person into a unit with a role; they choose a password from the e-mailed link."""
    require(rules.can_invite_person(access, unit))
    email = (email or "").strip().lower()
    full_name = " ".join((full_name or "").split())
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
    if not full_name:
        raise ValidationError({"full_name": _("Enter the person's name.")})
    user_model = get_user_model()
    if user_model.objects.filter(email=email).exists():
        # Deliberately vague: the address may belong to another organisation.
        raise ValidationError(
            {"email": _("This e-mail address cannot be invited. Is the person already here?")}
        )
    person = user_model(email=email, full_name=full_name, organisation_id=unit.organisation_id)
    person.set_unusable_password()
    person.save()
    membership_create(actor=actor, access=access, person=person, unit=unit, role=role, title=title)
    audit_record(
        actor=actor,
        organisation=unit.organisation,
        unit=unit,
        action=AuditAction.PERSON_INVITED,
        target=person,
        after={"name": full_name, "email": email, "role": role.name},
    )
    enqueue_on_commit(send_invitation, person_id=person.pk, inviter_id=actor.pk)
    return person


@transaction.atomic
def invitation_accept(*, person, password: str):
    """Set the invited person's first password. The link's token is checked by the view."""
    validate_password(password, user=person)
    person.set_password(password)
    person.save(update_fields=["password"])
    audit_record(
        actor=person,
        organisation=person.organisation,
        action=AuditAction.INVITATION_ACCEPTED,
        target=person,
    )
    return person


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, person, name: str) -> tuple[ApiToken, str]:
    """Create a token and return it with its plain text, which is never stored and shown only once."""
    # A token reads an organisation's data; platform operators have none (and no audit log).
    require(rules.can_create_api_token(person))
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Give the token a name, for example what it is used for.")})
    plain = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(person=person, name=name[:100], prefix=plain[:12], digest=_digest(plain))
    audit_record(
        actor=person,
        organisation=person.organisation,
        action=AuditAction.API_TOKEN_CREATED,
        target=token,
        after={"name": token.name, "prefix": token.prefix},
    )
    return token, plain


@transaction.atomic
def api_token_revoke(*, person, token: ApiToken) -> ApiToken:
    require(rules.can_revoke_api_token(person, token))
    if token.revoked_at is None:
        token.revoked_at = now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=person,
            organisation=person.organisation,
            action=AuditAction.API_TOKEN_REVOKED,
            target=token,
            before={"revoked": False},
            after={"revoked": True},
        )
    return token


def api_token_authenticate(*, plain: str):
    """The active person behind a token, or None. Records when the token was last used."""
    if not plain or not plain.startswith(API_TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.filter(digest=_digest(plain), revoked_at__isnull=True, person__is_active=True)
        .select_related("person")
        .first()
    )
    if token is None:
        return None
    moment = now()
    if token.last_used_at is None or (moment - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=moment)
    return token.person
