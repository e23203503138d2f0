"""The reporter's identity, kept apart (W-08, L-11, L-17; T-32).

A confidential report's identity is locked under its own key, sealed only to the channel's custodians.
A handler asks with a motivation; a custodian approves (their key re-seals the identity key to the
handler) or denies. Each step is in the channel's log; the motivation is ciphertext too.
"""

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tillit.core.clock import today
from tillit.whistle import crypto
from tillit.whistle.enums import IdentityRequestState, Mode, Role, WhistleAction
from tillit.whistle.models import ChannelRole, IdentityKeyCopy, IdentityRequest, Keyring, Report
from tillit.whistle.rules import can_decide_identity, can_handle
from tillit.whistle.services.common import event_record
from tillit.whistle.services.keys import report_key_for
from tillit.whistle.services.reports import IDENTITY_FIELDS, clean_text

MAX_MOTIVATION = 2_000


def _lock_for(people_keys: dict[int, bytes], text: str) -> tuple[bytes, dict[str, str]]:
    key = crypto.new_key()
    sealed = {str(pk): crypto.seal(public, key).hex() for pk, public in people_keys.items()}
    return crypto.lock(key, text.encode("utf-8")), sealed


@transaction.atomic
def identity_request(*, report: Report, handler, private_key: bytes, motivation: str) -> IdentityRequest:
    """A handler with the case asks to see the reporter's identity, saying why."""
    if not can_handle(handler, report.channel):
        raise Report.DoesNotExist
    report_key_for(person=handler, private_key=private_key, report=report)  # only a handler with the case
    if not report.identity:
        raise ValidationError(_("This report has no identity: it was made anonymously."))
    motivation = motivation.strip()
    if not motivation:
        raise ValidationError({"motivation": [_("Say why the follow-up needs the reporter's identity.")]})
    if len(motivation) > MAX_MOTIVATION:
        raise ValidationError({"motivation": [_("At most 2 000 characters.")]})
    if IdentityRequest.objects.filter(
        report=report, handler=handler, state=IdentityRequestState.PENDING
    ).exists():
        raise ValidationError(_("You already have a request waiting."))
    custodians = ChannelRole.objects.filter(channel=report.channel, role=Role.CUSTODIAN).values("person")
    readers = {handler.pk, *custodians.values_list("person", flat=True)}
    keys = {
        pk: bytes(key)
        for pk, key in Keyring.objects.filter(person__in=readers).values_list("person", "public_key")
    }
    blob, sealed = _lock_for(keys, motivation)
    request = IdentityRequest.objects.create(
        report=report, handler=handler, motivation=blob, motivation_keys=sealed, requested_on=today()
    )
    event_record(
        channel=report.channel, action=WhistleAction.IDENTITY_REQUESTED, actor=handler, report=report
    )
    return request


def motivation_read(*, request: IdentityRequest, person, private_key: bytes) -> str:
    sealed = request.motivation_keys.get(str(person.pk))
    if sealed is None:
        raise PermissionDenied
    key = crypto.unseal(private_key, bytes.fromhex(sealed))
    return crypto.unlock(key, bytes(request.motivation)).decode("utf-8")


@transaction.atomic
def identity_decide(
    *, request: IdentityRequest, custodian, private_key: bytes, approve: bool
) -> IdentityRequest:
    """A custodian approves (the identity key is sealed to the handler) or denies; both are logged."""
    request = IdentityRequest.objects.select_for_update().select_related("report__channel").get(pk=request.pk)
    report = request.report
    if not can_decide_identity(custodian, report.channel):
        raise PermissionDenied
    if custodian.pk == request.handler_id:
        raise ValidationError(_("Another custodian must decide on your own request."))
    if request.state != IdentityRequestState.PENDING:
        raise ValidationError(_("This request is already decided."))
    if approve:
        own = IdentityKeyCopy.objects.filter(report=report, person=custodian).first()
        handler_keyring = Keyring.objects.filter(person=request.handler).first()
        if own is None or handler_keyring is None:
            raise ValidationError(_("Your keys cannot open this report's identity."))
        identity_key = crypto.unseal(private_key, bytes(own.sealed_identity_key))
        IdentityKeyCopy.objects.update_or_create(
            report=report,
            person=request.handler,
            defaults={"sealed_identity_key": crypto.seal(bytes(handler_keyring.public_key), identity_key)},
        )
    request.state = IdentityRequestState.APPROVED if approve else IdentityRequestState.DENIED
    request.decided_by = custodian
    request.decided_on = today()
    request.save(update_fields=["state", "decided_by", "decided_on"])
    action = WhistleAction.IDENTITY_APPROVED if approve else WhistleAction.IDENTITY_DENIED
    event_record(
        channel=report.channel, action=action, actor=custodian, report=report, note=str(request.handler)
    )
    return request


def identity_read(*, report: Report, person, private_key: bytes) -> dict[str, str]:
    """The identity, for a handler of the case holding an identity key copy through a request a custodian
    approved (a custodian's own copy never opens it here, even if they were also a handler). Each read is
    logged (T-32)."""
    copy = IdentityKeyCopy.objects.filter(report=report, person=person).first()
    approved = IdentityRequest.objects.filter(
        report=report, handler=person, state=IdentityRequestState.APPROVED
    ).exists()
    if copy is None or not approved or not report.identity or not can_handle(person, report.channel):
        raise PermissionDenied
    identity_key = crypto.unseal(private_key, bytes(copy.sealed_identity_key))
    event_record(channel=report.channel, action=WhistleAction.IDENTITY_VIEWED, actor=person, report=report)
    return json.loads(crypto.unlock(identity_key, bytes(report.identity)))


def identity_disclose(*, report: Report, receipt_key: bytes, identity: dict[str, str]) -> Report:
    """An anonymous reporter chooses to give their identity (L-17: one way, at any time). It is kept as
    a confidential report's: sealed to the custodians only."""
    clean = {code: clean_text(identity.get(code, ""), limit=500) for code, _label in IDENTITY_FIELDS}
    if not clean["name"]:
        raise ValidationError({"name": [_("Give at least your name.")]})
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        if report.identity:
            raise ValidationError(_("Your identity is already with the report."))
        custodians = ChannelRole.objects.filter(channel=report.channel, role=Role.CUSTODIAN).values("person")
        keys = dict(Keyring.objects.filter(person__in=custodians).values_list("person", "public_key"))
        if not keys:
            raise ValidationError(_("The channel cannot take identities at the moment."))
        identity_key = crypto.new_key()
        report.identity = crypto.lock(identity_key, json.dumps(clean, ensure_ascii=False).encode("utf-8"))
        report.identity_key_for_reporter = crypto.lock(receipt_key, identity_key)
        report.mode = Mode.CONFIDENTIAL
        report.unread_by_handlers = True
        report.handlers_notified = False
        report.save(
            update_fields=[
                "identity",
                "identity_key_for_reporter",
                "mode",
                "unread_by_handlers",
                "handlers_notified",
            ]
        )
        IdentityKeyCopy.objects.bulk_create(
            IdentityKeyCopy(
                report=report, person_id=pk, sealed_identity_key=crypto.seal(bytes(key), identity_key)
            )
            for pk, key in keys.items()
        )
    return report
