"""The handlers' case work: acknowledge, converse, give feedback, close and reopen, register an oral
report, remove irrelevant personal data (W-10, W-11; L-03, L-06, L-08 – L-10).

Every function takes the acting handler and their unlocked private key; a handler without a key copy of
the case gets `Report.DoesNotExist` (the views answer 404), so an unassigned or excluded handler cannot
even learn that a case exists (T-20, T-21).
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tillit.core.clock import today
from tillit.whistle import clocks, files
from tillit.whistle.enums import (
    Author,
    MessageKind,
    Mode,
    Origin,
    Sector,
    State,
    TranscriptState,
    WhistleAction,
)
from tillit.whistle.models import PRIVATE_RETENTION_MONTHS, Attachment, Channel, Message, Report
from tillit.whistle.rules import can_handle
from tillit.whistle.services.common import event_record
from tillit.whistle.services.keys import report_key_for
from tillit.whistle.services.reports import message_add, report_submit


def _case(report: Report, handler, private_key: bytes) -> tuple[Report, bytes]:
    """The case, locked for the write, and its private key; DoesNotExist without a key copy."""
    if not can_handle(handler, report.channel):
        raise Report.DoesNotExist
    report_private = report_key_for(person=handler, private_key=private_key, report=report)
    return Report.objects.select_for_update().select_related("channel").get(pk=report.pk), report_private


def case_viewed(*, report: Report, handler, private_key: bytes) -> bytes:
    """Open a case: the report's private key, and one line in the channel's log (T-30)."""
    report_private = report_key_for(person=handler, private_key=private_key, report=report)
    if report.unread_by_handlers:
        Report.objects.filter(pk=report.pk).update(unread_by_handlers=False)
    event_record(channel=report.channel, action=WhistleAction.CASE_VIEWED, actor=handler, report=report)
    return report_private


@transaction.atomic
def case_acknowledge(*, report: Report, handler, private_key: bytes, body: str = "") -> Report:
    """Confirm receipt to the reporter (within seven days, L-03). Also starts the feedback clock."""
    report, _key = _case(report, handler, private_key)
    if report.acknowledged_on is not None:
        raise ValidationError(_("The receipt is already acknowledged."))
    text = body.strip() or _(
        "We have received your report and will follow it up. You can follow the case and write to us "
        "here in the inbox."
    )
    message_add(
        report=report, author=Author.HANDLER, handler=handler, body=text, kind=MessageKind.ACKNOWLEDGEMENT
    )
    report.acknowledged_on = today()
    report.state = State.ACKNOWLEDGED if report.state == State.RECEIVED else report.state
    report.unread_by_reporter = True
    report.save(update_fields=["acknowledged_on", "state", "unread_by_reporter"])
    event_record(channel=report.channel, action=WhistleAction.ACKNOWLEDGED, actor=handler, report=report)
    return report


@transaction.atomic
def case_waive_acknowledgement(*, report: Report, handler, private_key: bytes) -> Report:
    """The reporter declined an acknowledgement, or it could reveal them: the seven days' alert stops."""
    report, _key = _case(report, handler, private_key)
    report.ack_waived = True
    report.save(update_fields=["ack_waived"])
    event_record(
        channel=report.channel, action=WhistleAction.ACKNOWLEDGED, actor=handler, report=report, note="waived"
    )
    return report


@transaction.atomic
def case_message(
    *,
    report: Report,
    handler,
    private_key: bytes,
    body: str,
    kind: str = MessageKind.MESSAGE,
    pending: list[files.PendingFile] = (),
) -> Message:
    """Write to the reporter. Feedback (what has been done and why, L-06) is a kind of message."""
    report, _key = _case(report, handler, private_key)
    if report.state == State.CLOSED:
        raise ValidationError(_("The case is closed. Reopen it to write."))
    if kind not in (MessageKind.MESSAGE, MessageKind.FEEDBACK, MessageKind.TRANSCRIPT):
        raise ValidationError({"kind": [_("Choose a kind of message.")]})
    if kind == MessageKind.FEEDBACK and not body.strip():
        raise ValidationError({"body": [_("Feedback says what has been done or will be done, and why.")]})
    message = message_add(
        report=report,
        author=Author.HANDLER,
        handler=handler,
        body=body,
        kind=kind,
        pending=pending,
        transcript=kind == MessageKind.TRANSCRIPT,
    )
    fields = ["unread_by_reporter"]
    report.unread_by_reporter = True
    if kind == MessageKind.FEEDBACK and report.feedback_on is None:
        report.feedback_on = today()
        fields.append("feedback_on")
    if kind == MessageKind.TRANSCRIPT:
        report.transcript_state = TranscriptState.AWAITING
        fields.append("transcript_state")
    report.save(update_fields=fields)
    action = WhistleAction.FEEDBACK_SENT if kind == MessageKind.FEEDBACK else WhistleAction.MESSAGE_SENT
    event_record(channel=report.channel, action=action, actor=handler, report=report)
    return message


def purge_date(channel: Channel, closed_on):
    """When a closed case is purged: two years for a private body (lag 2021:890, 7 kap.), the gallring
    decision's time for a public one (none without a decision: allmänna handlingar are kept)."""
    if channel.sector == Sector.PRIVATE:
        return clocks.add_months(closed_on, PRIVATE_RETENTION_MONTHS)
    if channel.gallringsbeslut_ref and channel.gallringsfrist_days:
        return closed_on + timedelta(days=channel.gallringsfrist_days)
    return None


@transaction.atomic
def case_close(*, report: Report, handler, private_key: bytes) -> Report:
    """Close the case; refused until the reporter has had feedback (W-10, T-27)."""
    report, _key = _case(report, handler, private_key)
    if report.state == State.CLOSED:
        raise ValidationError(_("The case is already closed."))
    if not Message.objects.filter(report=report, kind=MessageKind.FEEDBACK).exists():
        raise ValidationError(_("Give the reporter feedback before closing the case."))
    report.state = State.CLOSED
    report.closed_on = today()
    report.purge_on = purge_date(report.channel, report.closed_on)
    report.save(update_fields=["state", "closed_on", "purge_on"])
    event_record(channel=report.channel, action=WhistleAction.CLOSED, actor=handler, report=report)
    return report


@transaction.atomic
def case_reopen(*, report: Report, handler, private_key: bytes) -> Report:
    """Reopen a closed case: its purge is cancelled (T-29)."""
    report, _key = _case(report, handler, private_key)
    if report.state != State.CLOSED:
        raise ValidationError(_("The case is not closed."))
    report.state = State.ACKNOWLEDGED if report.acknowledged_on else State.RECEIVED
    report.closed_on = None
    report.purge_on = None
    report.save(update_fields=["state", "closed_on", "purge_on"])
    event_record(channel=report.channel, action=WhistleAction.REOPENED, actor=handler, report=report)
    return report


@transaction.atomic
def oral_report_register(
    *,
    channel: Channel,
    handler,
    private_key: bytes,
    category: str,
    summary: str,
    transcript: list[files.PendingFile],
    mode: str = Mode.CONFIDENTIAL,
    identity: dict | None = None,
) -> tuple[Report, str]:
    """A report made by telephone or in a meeting: the handler registers it with the recording,
    transcript or minutes (required, L-09), and gives the reporter a receipt that must be changed at the
    first sign-in, since the handler has seen it (W-11, T-28)."""
    if not can_handle(handler, channel):
        raise Report.DoesNotExist
    if not transcript:
        raise ValidationError(
            {"transcript": [_("Attach the recording, transcript or minutes of the report.")]}
        )
    report, receipt = report_submit(
        channel=channel,
        mode=mode,
        category=category,
        answers={"what": summary},
        identity=identity,
        pending=transcript,
        origin=Origin.ORAL,
        registered_by=handler,
    )
    # The registering handler read the report: it is acknowledged at once, in the reporter's inbox too.
    report = case_acknowledge(report=report, handler=handler, private_key=private_key)
    return report, receipt


@transaction.atomic
def attachment_remove(*, report: Report, handler, private_key: bytes, attachment_id: str) -> None:
    """Delete a file that holds personal data manifestly irrelevant to the case (L-10): the file is
    overwritten, and the log says that a file was removed, by whom, never what it held."""
    report, _key = _case(report, handler, private_key)
    attachment = Attachment.objects.get(pk=attachment_id, report=report)
    stored_name = attachment.stored_name
    attachment.delete()
    transaction.on_commit(lambda: files.secure_delete(files.path_of(files.STORED, stored_name)))
    event_record(
        channel=report.channel,
        action=WhistleAction.PERSONAL_DATA_REMOVED,
        actor=handler,
        report=report,
        note="attachment removed",
    )
