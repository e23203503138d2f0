"""The reporter's side: a report in, the receipt out, and the conversation after (W-04, W-09, W-11).

The server holds a report's public key, so it can lock anything *to* the report, and never its private
key: that is sealed to each authorised handler and locked under the reporter's receipt.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tillit.core.clock import today
from tillit.whistle import clocks, crypto, files
from tillit.whistle.enums import (
    Author,
    MessageKind,
    Mode,
    Origin,
    Role,
    State,
    TranscriptState,
    WhistleAction,
)
from tillit.whistle.models import (
    Attachment,
    Channel,
    ChannelRole,
    Exclusion,
    IdentityKeyCopy,
    Keyring,
    Message,
    Report,
    ReportKeyCopy,
)
from tillit.whistle.services.common import event_record, kdf_cost, receipt_pepper

# The questionnaire. Every answer is optional but the first; the codes are stored, the words shown.
QUESTIONS = [
    ("what", gettext_lazy("What has happened?")),
    ("where_when", gettext_lazy("Where and when did it happen? Is it still going on?")),
    ("who", gettext_lazy("Who is involved, and in what role?")),
    ("evidence", gettext_lazy("Is there evidence, documents or witnesses?")),
    ("earlier", gettext_lazy("Have you raised this before, and with whom?")),
]
IDENTITY_FIELDS = [
    ("name", gettext_lazy("Your name")),
    ("contact", gettext_lazy("How can we reach you? (telephone or private e-mail)")),
    ("relation", gettext_lazy("Your relation to the organisation (e.g. employee, consultant, trainee)")),
]
MAX_TEXT = 20_000
MAX_MESSAGE = 20_000


def _seal_json(public_key: bytes, value) -> bytes:
    return crypto.seal(public_key, json.dumps(value, ensure_ascii=False).encode("utf-8"))


def clean_text(text: str, *, limit: int) -> str:
    text = (text or "").replace("\x00", "").strip()
    if len(text) > limit:
        raise ValidationError(_("At most %(n)s characters.") % {"n": f"{limit:,}".replace(",", " ")})
    return text


def channel_handlers(channel: Channel) -> list[ChannelRole]:
    """The handlers a reporter sees (and may exclude): those with keys, who can open a report."""
    roles = ChannelRole.objects.filter(channel=channel, role=Role.HANDLER).order_by("shown_name", "pk")
    keyed = set(
        Keyring.objects.filter(person__in=[role.person_id for role in roles]).values_list("person", flat=True)
    )
    return [role for role in roles if role.person_id in keyed]


def _issue_receipt(channel: Channel) -> tuple[str, crypto.ReceiptSecrets]:
    while True:
        receipt = crypto.receipt_new()
        derived = crypto.receipt_secrets(receipt, bytes(channel.receipt_salt), receipt_pepper(), kdf_cost())
        if not Report.objects.filter(channel=channel, receipt_lookup=derived.lookup).exists():
            return receipt, derived


def _store_files(
    report: Report, message: Message | None, pending: Iterable[files.PendingFile], *, author, transcript=False
):
    public_key = bytes(report.public_key)
    for upload in pending:
        files.store(upload)
        Attachment.objects.create(
            id=upload.stored_name,
            report=report,
            message=message,
            author=author,
            is_transcript=transcript,
            stored_name=upload.stored_name,
            sealed_file_key=crypto.seal(public_key, upload.file_key),
            meta=_seal_json(
                public_key, {"name": upload.name, "size": upload.size, "type": upload.content_type}
            ),
        )


def _validate(
    channel: Channel, *, mode: str, category: str, answers: dict, identity: dict | None, excluded_ids, pending
) -> tuple[dict, dict | None, list[ChannelRole]]:
    errors: dict[str, list] = {}
    if not channel.is_open:
        raise ValidationError(_("This channel does not take reports at the moment."))
    if (
        mode not in Mode.values
        or (mode == Mode.ANONYMOUS and not channel.accepts_anonymous)
        or (mode == Mode.CONFIDENTIAL and not channel.accepts_confidential)
    ):
        errors["mode"] = [_("Choose how you want to report.")]
    if category not in channel.categories:
        errors["category"] = [_("Choose what the report is about.")]
    clean_answers = {}
    for code, _label in QUESTIONS:
        try:
            clean_answers[code] = clean_text(answers.get(code, ""), limit=MAX_TEXT)
        except ValidationError as error:
            errors[code] = error.messages
    if not clean_answers.get("what") and "what" not in errors:
        errors["what"] = [_("Tell us what has happened.")]
    clean_identity = None
    if mode == Mode.CONFIDENTIAL:
        clean_identity = {
            code: clean_text((identity or {}).get(code, ""), limit=500) for code, _l in IDENTITY_FIELDS
        }
        if not clean_identity["name"]:
            errors["name"] = [_("A confidential report needs your name; or choose to report anonymously.")]
    handlers = channel_handlers(channel)
    excluded = {int(pk) for pk in excluded_ids}
    if excluded and not channel.reporters_may_exclude:
        errors["excluded"] = [_("This channel does not let reporters exclude handlers.")]
    if excluded - {role.person_id for role in handlers}:
        errors["excluded"] = [_("Choose among the channel's handlers.")]
    if handlers and not [role for role in handlers if role.person_id not in excluded]:
        errors["excluded"] = [_("At least one handler must be able to read the report.")]
    if len(pending) > settings.WHISTLE_MAX_FILES:
        errors["files"] = [_("Too many attachments.")]
    if errors:
        raise ValidationError(errors)
    if not handlers:
        raise ValidationError(_("This channel does not take reports at the moment."))
    return clean_answers, clean_identity, [role for role in handlers if role.person_id not in excluded]


def _custodian_keys(channel: Channel) -> dict[int, bytes]:
    custodians = ChannelRole.objects.filter(channel=channel, role=Role.CUSTODIAN).values("person")
    return {
        pk: bytes(key)
        for pk, key in Keyring.objects.filter(person__in=custodians).values_list("person", "public_key")
    }


@transaction.atomic
def report_submit(
    *,
    channel: Channel,
    mode: str,
    category: str,
    answers: dict[str, str],
    identity: dict[str, str] | None = None,
    excluded_ids: Iterable[int] = (),
    pending: list[files.PendingFile] = (),
    origin: str = Origin.WRITTEN,
    registered_by=None,
) -> tuple[Report, str]:
    """Store a report, encrypted, and give the receipt (to be shown once, then forgotten).

    A confidential report's identity is locked under a key of its own, sealed only to the channel's
    custodians (and kept for the reporter): no handler reads it without an approved request (W-08).
    """
    pending = list(pending)
    channel = Channel.objects.select_for_update().get(pk=channel.pk)
    answers, identity, readers = _validate(
        channel,
        mode=mode,
        category=category,
        answers=answers,
        identity=identity,
        excluded_ids=excluded_ids,
        pending=pending,
    )
    custodian_keys = _custodian_keys(channel) if identity is not None else {}
    if identity is not None and not custodian_keys:
        raise ValidationError(_("This channel cannot take confidential reports at the moment."))
    received_on = today()
    if channel.number_year != received_on.year:
        channel.number_year, channel.next_number = received_on.year, 1
    receipt, derived = _issue_receipt(channel)
    report_public, report_private = crypto.new_keypair()
    report = Report(
        channel=channel,
        year=received_on.year,
        number=channel.next_number,
        mode=mode,
        origin=origin,
        received_on=received_on,
        public_key=report_public,
        receipt_lookup=derived.lookup,
        receipt_must_change=origin == Origin.ORAL,
        reporter_key=crypto.lock(derived.key, report_private),
        content=_seal_json(report_public, {"category": category, "answers": answers}),
        transcript_state=TranscriptState.AWAITING if origin == Origin.ORAL else TranscriptState.NONE,
        unread_by_handlers=registered_by is None,
    )
    if identity is not None:
        identity_key = crypto.new_key()
        report.identity = crypto.lock(identity_key, json.dumps(identity, ensure_ascii=False).encode("utf-8"))
        report.identity_key_for_reporter = crypto.lock(derived.key, identity_key)
    report.save()
    channel.next_number += 1
    channel.save(update_fields=["next_number", "number_year"])
    if identity is not None:
        IdentityKeyCopy.objects.bulk_create(
            IdentityKeyCopy(report=report, person_id=pk, sealed_identity_key=crypto.seal(key, identity_key))
            for pk, key in custodian_keys.items()
        )
    reader_keys = dict(
        Keyring.objects.filter(person__in=[role.person_id for role in readers]).values_list(
            "person", "public_key"
        )
    )
    ReportKeyCopy.objects.bulk_create(
        ReportKeyCopy(report=report, person_id=pk, sealed_private_key=crypto.seal(bytes(key), report_private))
        for pk, key in reader_keys.items()
    )
    excluded = {int(pk) for pk in excluded_ids}
    Exclusion.objects.bulk_create(Exclusion(report=report, person_id=pk) for pk in sorted(excluded))
    _store_files(
        report,
        None,
        pending,
        author=Author.HANDLER if registered_by else Author.REPORTER,
        transcript=origin == Origin.ORAL,
    )
    if origin == Origin.ORAL:
        event_record(
            channel=channel, action=WhistleAction.ORAL_REGISTERED, actor=registered_by, report=report
        )
    else:
        event_record(channel=channel, action=WhistleAction.REPORT_RECEIVED, report=report, reporter_side=True)
    return report, receipt


def ack_due(report: Report):
    return clocks.ack_due(report.received_on)


def feedback_due(report: Report):
    return clocks.feedback_due(report.received_on, report.acknowledged_on)


# ------------------------------------------------------------------------------------ signing in


class MalformedReceiptError(ValueError):
    """Not 16 digits: refused before any Argon2 work (T-11)."""


@dataclass(frozen=True)
class SignedIn:
    report: Report
    private_key: bytes  # the report's
    receipt_key: bytes  # the receipt's own key: opens the reporter's copy of the identity key


def reporter_sign_in(*, channel: Channel, receipt: str) -> SignedIn | None:
    """The report and its keys for a right receipt; None otherwise, whatever the reason."""
    normalised = crypto.receipt_normalise(receipt)
    if normalised is None:
        raise MalformedReceiptError
    derived = crypto.receipt_secrets(normalised, bytes(channel.receipt_salt), receipt_pepper(), kdf_cost())
    report = Report.objects.filter(channel=channel, receipt_lookup=derived.lookup).first()
    if report is None:
        return None
    try:
        return SignedIn(report, crypto.unlock(derived.key, bytes(report.reporter_key)), derived.key)
    except crypto.DecryptionError:
        return None


@transaction.atomic
def receipt_replace(*, signed_in: SignedIn) -> tuple[str, SignedIn]:
    """A new receipt for the report, the old one no longer works. Forced after an oral report, whose
    first receipt a handler saw (W-04, T-28). Gives the receipt to show once and the new keys."""
    report = Report.objects.select_for_update().get(pk=signed_in.report.pk)
    receipt, derived = _issue_receipt(report.channel)
    report.receipt_lookup = derived.lookup
    report.reporter_key = crypto.lock(derived.key, signed_in.private_key)
    report.receipt_must_change = False
    if report.identity_key_for_reporter:
        identity_key = crypto.unlock(signed_in.receipt_key, bytes(report.identity_key_for_reporter))
        report.identity_key_for_reporter = crypto.lock(derived.key, identity_key)
    report.save(
        update_fields=["receipt_lookup", "reporter_key", "receipt_must_change", "identity_key_for_reporter"]
    )
    return receipt, SignedIn(report, signed_in.private_key, derived.key)


# ------------------------------------------------------------------------------------ the conversation


def _next_sequence(report: Report) -> int:
    return (Message.objects.filter(report=report).aggregate(top=Max("sequence"))["top"] or 0) + 1


def message_add(
    *,
    report: Report,
    author: str,
    body: str,
    kind: str = MessageKind.MESSAGE,
    handler=None,
    pending: list[files.PendingFile] = (),
    transcript: bool = False,
) -> Message:
    """One message, sealed to the report key, dated to the day. Used by both sides."""
    body = clean_text(body, limit=MAX_MESSAGE)
    pending = list(pending)
    if not body and not pending:
        raise ValidationError({"body": [_("Write a message or attach a file.")]})
    message = Message.objects.create(
        report=report,
        sequence=_next_sequence(report),
        author=author,
        handler=handler if author == Author.HANDLER else None,
        kind=kind,
        written_on=today(),
        body=crypto.seal(bytes(report.public_key), body.encode("utf-8")),
    )
    _store_files(report, message, pending, author=author, transcript=transcript)
    return message


@transaction.atomic
def reporter_message_send(
    *, report: Report, body: str, kind: str = MessageKind.MESSAGE, pending: list[files.PendingFile] = ()
) -> Message:
    """The reporter writes (or asks for a meeting). A closed case takes no more messages."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.state == State.CLOSED:
        raise ValidationError(_("This case is closed. You can make a new report."))
    if kind not in (MessageKind.MESSAGE, MessageKind.MEETING_REQUEST):
        kind = MessageKind.MESSAGE
    message = message_add(report=report, author=Author.REPORTER, body=body, kind=kind, pending=pending)
    report.unread_by_handlers = True
    report.handlers_notified = False
    report.unread_by_reporter = False
    report.save(update_fields=["unread_by_handlers", "handlers_notified", "unread_by_reporter"])
    return message


@transaction.atomic
def transcript_decide(*, report: Report, approve: bool, comment: str = "") -> Report:
    """The reporter approves the transcript or minutes of an oral report, or asks for corrections (L-09)."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.transcript_state not in (TranscriptState.AWAITING, TranscriptState.CORRECTED):
        raise ValidationError(_("There is no transcript waiting for you."))
    if not approve and not comment.strip():
        raise ValidationError({"body": [_("Say what should be corrected.")]})
    if comment.strip():
        message_add(report=report, author=Author.REPORTER, body=comment)
    report.transcript_state = TranscriptState.APPROVED if approve else TranscriptState.CORRECTED
    report.unread_by_handlers = True
    report.handlers_notified = False
    report.save(update_fields=["transcript_state", "unread_by_handlers", "handlers_notified"])
    return report


# ------------------------------------------------------------------------------------ the inbox


def reporter_inbox_seen(*, report: Report) -> None:
    """The reporter has the inbox before them: the handlers' news is no longer new. One UPDATE, and
    only when there was news (the flag is a yes or no: it keeps no time of the visit)."""
    if report.unread_by_reporter:
        Report.objects.filter(pk=report.pk).update(unread_by_reporter=False)
        report.unread_by_reporter = False


def identity_disclosure_open(report: Report) -> bool:
    """Whether the reporter may still give their identity (L-17): the report has none, the case is not
    closed (with no follow-up left, no identity is needed: L-10), the channel takes confidential reports
    and has an identity custodian with keys to seal it to."""
    return (
        not report.identity
        and report.state != State.CLOSED
        and report.channel.accepts_confidential
        and bool(_custodian_keys(report.channel))
    )


def reporter_identity(*, report: Report, receipt_key: bytes) -> dict[str, str] | None:
    """The identity the reporter gave, opened with their own copy of the identity key (locked under the
    receipt's key); None when there is none or it does not open."""
    if not report.identity or not report.identity_key_for_reporter:
        return None
    try:
        identity_key = crypto.unlock(receipt_key, bytes(report.identity_key_for_reporter))
        return json.loads(crypto.unlock(identity_key, bytes(report.identity)))
    except (crypto.DecryptionError, ValueError):
        return None
