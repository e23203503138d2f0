"""Reads of the whistleblowing channel. Content reads take the report's private key: without it there is
nothing to read, which is the point."""

import json
from dataclasses import dataclass
from datetime import date

from tillit.whistle import crypto, files
from tillit.whistle.enums import IdentityRequestState, Role
from tillit.whistle.models import (
    Attachment,
    Channel,
    ChannelRole,
    Exclusion,
    IdentityKeyCopy,
    IdentityRequest,
    Keyring,
    Message,
    Report,
    ReportKeyCopy,
)


@dataclass(frozen=True)
class OpenAttachment:
    id: str
    name: str
    size: int
    content_type: str
    is_transcript: bool
    author: str


@dataclass(frozen=True)
class OpenMessage:
    id: str
    sequence: int
    author: str
    kind: str
    written_on: date
    body: str
    handler_name: str
    attachments: tuple[OpenAttachment, ...]


@dataclass(frozen=True)
class OpenReport:
    category: str
    answers: dict[str, str]


def channel_by_slug(slug: str) -> Channel | None:
    return Channel.objects.filter(slug=slug).first()


def channels_for(person) -> list[Channel]:
    """The channels where the person has any role."""
    return list(Channel.objects.filter(roles__person=person).distinct().order_by("name"))


def channels_of_organisation(organisation_id) -> list[Channel]:
    """An organisation's channels (for its administrators, who configure them and read no case)."""
    return list(Channel.objects.filter(organisation_id=organisation_id).order_by("name"))


def report_open(report: Report, private_key: bytes) -> OpenReport:
    content = json.loads(crypto.unseal(private_key, bytes(report.content)))
    return OpenReport(category=content["category"], answers=content["answers"])


def _attachment_open(attachment: Attachment, private_key: bytes) -> OpenAttachment:
    meta = json.loads(crypto.unseal(private_key, bytes(attachment.meta)))
    return OpenAttachment(
        id=str(attachment.pk),
        name=meta["name"],
        size=meta["size"],
        content_type=meta["type"],
        is_transcript=attachment.is_transcript,
        author=attachment.author,
    )


def report_attachments(report: Report, private_key: bytes) -> list[OpenAttachment]:
    """The files given with the report itself (not with a message)."""
    return [
        _attachment_open(attachment, private_key)
        for attachment in report.attachments.filter(message__isnull=True).order_by("pk")
    ]


def messages_open(report: Report, private_key: bytes) -> list[OpenMessage]:
    """The conversation in order, with each message's files; the handler's name as shown to reporters."""
    messages = list(Message.objects.filter(report=report).order_by("sequence"))
    by_message: dict = {}
    for attachment in Attachment.objects.filter(report=report, message__isnull=False).order_by("pk"):
        by_message.setdefault(attachment.message_id, []).append(_attachment_open(attachment, private_key))
    shown = dict(
        ChannelRole.objects.filter(channel_id=report.channel_id, role=Role.HANDLER).values_list(
            "person", "shown_name"
        )
    )
    return [
        OpenMessage(
            id=str(message.pk),
            sequence=message.sequence,
            author=message.author,
            kind=message.kind,
            written_on=message.written_on,
            body=crypto.unseal(private_key, bytes(message.body)).decode("utf-8"),
            handler_name=shown.get(message.handler_id, ""),
            attachments=tuple(by_message.get(message.pk, ())),
        )
        for message in messages
    ]


def attachment_read(report: Report, attachment_id: str, private_key: bytes):
    """(the opened metadata, an iterator of plaintext chunks) of one of the report's files; raises
    Attachment.DoesNotExist for another report's file (T-14).

    The whole file is authenticated first, before a byte of it is handed out: chunks are checked one by
    one, so a file tampered with or cut short would otherwise stream its first chunks before failing
    (T-24: an authentication failure, never partial plaintext). A bad file raises DecryptionError here."""
    attachment = Attachment.objects.get(pk=attachment_id, report=report)
    meta = _attachment_open(attachment, private_key)
    file_key = crypto.unseal(private_key, bytes(attachment.sealed_file_key))
    with files.open_stored(attachment.stored_name) as handle:
        for _chunk in crypto.decrypt_file(file_key, handle):
            pass

    def chunks():
        with files.open_stored(attachment.stored_name) as handle:
            yield from crypto.decrypt_file(file_key, handle)

    return meta, chunks()


def reports_for_handler(channel: Channel, person) -> list[Report]:
    """The cases the person holds a key copy of: nothing else is ever listed to them (W-07, T-20)."""
    held = ReportKeyCopy.objects.filter(person=person).values("report")
    return list(Report.objects.filter(channel=channel, pk__in=held).order_by("-year", "-number"))


def report_for_handler(channel: Channel, person, report_id) -> Report | None:
    """One case of the channel, only for a person holding a key copy of it; None otherwise, so that the
    views answer 404 before asking for anything (T-20, T-21)."""
    return (
        Report.objects.filter(channel=channel, pk=report_id, key_copies__person=person)
        .select_related("channel")
        .first()
    )


def report_keys(person, private_key: bytes, reports: list[Report]) -> dict:
    """Each listed report's private key through the person's key copies, read in one query."""
    copies = ReportKeyCopy.objects.filter(person=person, report__in=[report.pk for report in reports])
    return {
        report_id: crypto.unseal(private_key, bytes(sealed))
        for report_id, sealed in copies.values_list("report_id", "sealed_private_key")
    }


def grant_candidates(report: Report) -> list[ChannelRole]:
    """The handlers a case may be given to: of its channel, with keys, without the case yet, and never
    one the reporter excluded (W-07)."""
    held = ReportKeyCopy.objects.filter(report=report).values("person")
    excluded = Exclusion.objects.filter(report=report).values("person")
    keyed = Keyring.objects.values("person")
    return list(
        ChannelRole.objects.filter(channel_id=report.channel_id, role=Role.HANDLER, person__in=keyed)
        .exclude(person__in=held)
        .exclude(person__in=excluded)
        .order_by("shown_name", "pk")
    )


def identity_access(report: Report, person) -> tuple[bool, str]:
    """(whether the person may open the identity: an identity key copy given through an approved request,
    the state of their latest identity request or "")."""
    states = list(
        IdentityRequest.objects.filter(report=report, handler=person)
        .order_by("-pk")
        .values_list("state", flat=True)
    )
    approved = IdentityRequestState.APPROVED in states
    has_copy = approved and IdentityKeyCopy.objects.filter(report=report, person=person).exists()
    return has_copy, states[0] if states else ""


@dataclass(frozen=True)
class ChannelLinks:
    has_role: bool
    open_slug: str


def channel_links(*, person) -> ChannelLinks:
    """Whether the person has a role in a channel of their organisation, and the slug of its open channel."""
    from django.db.models import Exists, OuterRef

    rows = list(
        Channel.objects.filter(organisation_id=person.organisation_id)
        .annotate(has_role=Exists(ChannelRole.objects.filter(channel=OuterRef("pk"), person=person)))
        .order_by("pk")
        .values_list("slug", "is_open", "has_role")
    )
    return ChannelLinks(
        has_role=any(has_role for _slug, _open, has_role in rows),
        open_slug=next((slug for slug, is_open, _role in rows if is_open), ""),
    )
