"""E-mails to the channel's handlers: batched, late on purpose, and without a word about a case
(W-07, W-09, W-10; T-05, T-21, T-26, T-27).

The employer runs the mail server. An e-mail sent the moment a report arrives would time the report for
whoever reads the server's logs, and anything written in it (a category, a name, a line of text) would
be read there too. So:

- `handlers_notify` runs once an hour (`tasks.whistle_notify`) and sends each handler who holds a key
  copy of a case with news one e-mail per channel. It says that there is news and where to sign in:
  no case number, no category, no count, no text of the reporter's;
- `clock_alerts_send` runs once a day (`tasks.whistle_clock_alerts`) and tells the handlers of a case
  whose acknowledgement or feedback is due within two days, or overdue, the case number and the date.
  The case number is the diarienummer, which the register shows anyway; it says nothing of content;
- only a handler holding a key copy of the case is ever told: never an unassigned or excluded handler,
  never a custodian, escrow holder or administrator, and nothing ever goes to a reporter.

The whistleblowing channel sends its own mail through Django's mailer, not through Tillit's
notifications: nothing of it is kept in an inbox or a digest (an import-linter contract keeps it apart).
"""

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from tillit.core.clock import today as clock_today
from tillit.whistle import clocks
from tillit.whistle.enums import Role, State
from tillit.whistle.models import Channel, ChannelRole, Exclusion, Report, ReportKeyCopy

logger = logging.getLogger(__name__)

ALERT_DAYS_BEFORE = 2  # a deadline within this many days is announced, and every day after until met
ACKNOWLEDGEMENT = "acknowledgement"
FEEDBACK = "feedback"


@dataclass(frozen=True)
class Alert:
    """A legal deadline of an open case that needs the handlers' attention."""

    case_number: str
    kind: str  # ACKNOWLEDGEMENT or FEEDBACK
    due_on: date
    overdue: bool


def case_alerts(report: Report, *, today: date) -> list[Alert]:
    """The deadlines of one case that are due within two days or have passed.

    The acknowledgement (L-03) is due `clocks.ack_due`: in time on that day, overdue from the next (day
    8). A waived acknowledgement (`ack_waived`: the reporter declined it, or it could reveal them) is no
    deadline. Feedback (L-06) is due `clocks.feedback_due` until given. A closed case has no deadlines.
    """
    if report.state == State.CLOSED:
        return []
    alerts = []
    horizon = today + timedelta(days=ALERT_DAYS_BEFORE)
    if report.acknowledged_on is None and not report.ack_waived:
        due = clocks.ack_due(report.received_on)
        if due <= horizon:
            alerts.append(Alert(report.case_number, ACKNOWLEDGEMENT, due, overdue=today > due))
    if report.feedback_on is None:
        due = clocks.feedback_due(report.received_on, report.acknowledged_on)
        if due <= horizon:
            alerts.append(Alert(report.case_number, FEEDBACK, due, overdue=today > due))
    return alerts


def _holders(report_ids) -> dict[int, set[int]]:
    """report id -> the people to tell: each holds a key copy of it and is still a handler of its
    channel; a handler the reporter excluded never (they have no key copy either: W-07)."""
    excluded = set(Exclusion.objects.filter(report_id__in=report_ids).values_list("report_id", "person_id"))
    handlers = set(
        ChannelRole.objects.filter(
            role=Role.HANDLER, channel__reports__in=report_ids, person__is_active=True
        ).values_list("channel_id", "person_id")
    )
    holders: dict = {}
    copies = ReportKeyCopy.objects.filter(report_id__in=report_ids).values_list(
        "report_id", "report__channel_id", "person_id"
    )
    for report_id, channel_id, person_id in copies:
        if (report_id, person_id) not in excluded and (channel_id, person_id) in handlers:
            holders.setdefault(report_id, set()).add(person_id)
    return holders


def _people(person_ids) -> list:
    return list(
        get_user_model().objects.filter(pk__in=person_ids, is_active=True).exclude(email="").order_by("pk")
    )


def _link(channel: Channel) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("whistle:channel", kwargs={"slug": channel.slug})


def _message(template: str, context: dict, to: str) -> EmailMessage:
    subject = " ".join(render_to_string(f"whistle/email/{template}_subject.txt", context).split())
    body = render_to_string(f"whistle/email/{template}_body.txt", context)
    return EmailMessage(subject=subject, body=body, to=[to])


def _send(messages: list[EmailMessage]) -> None:
    if messages:
        mailers.default.send_messages(messages)


def handlers_notify() -> int:
    """The hourly e-mail: for the cases with news (`handlers_notified=False`: a new report, a reporter's
    message, a transcript approved or corrected, an identity given), one e-mail per channel to each
    handler holding a key copy of one of them; then the news counts as told. Channel by channel, each in
    its own transaction: a mail server that fails leaves that channel's news for the next hour.
    Answers how many e-mails were sent."""
    channel_ids = sorted(
        set(Report.objects.filter(handlers_notified=False).values_list("channel_id", flat=True))
    )
    sent = 0
    for channel_id in channel_ids:
        try:
            with transaction.atomic():
                report_ids = list(
                    Report.objects.select_for_update()
                    .filter(channel_id=channel_id, handlers_notified=False)
                    .values_list("pk", flat=True)
                )
                if not report_ids:
                    continue
                channel = Channel.objects.get(pk=channel_id)
                person_ids = set().union(*_holders(report_ids).values())
                with translation.override(settings.LANGUAGE_CODE):
                    messages = [
                        _message(
                            "news",
                            {"person": person, "channel": channel, "link": _link(channel)},
                            person.email,
                        )
                        for person in _people(person_ids)
                    ]
                Report.objects.filter(pk__in=report_ids).update(handlers_notified=True)
                _send(messages)
        except OSError:  # smtplib's errors are OSErrors
            logger.exception("Whistleblowing news for channel %s could not be e-mailed", channel_id)
            continue
        sent += len(messages)
    return sent


def clock_alerts(*, today: date) -> dict[tuple[int, int], list[Alert]]:
    """(channel id, person id) -> the alerts of the open cases they hold, in case-number order."""
    reports = list(Report.objects.exclude(state=State.CLOSED).order_by("channel_id", "year", "number"))
    alerts = {report.pk: case_alerts(report, today=today) for report in reports}
    due = [report for report in reports if alerts[report.pk]]
    holders = _holders([report.pk for report in due])
    by_person: dict = {}
    for report in due:
        for person_id in sorted(holders.get(report.pk, ())):
            by_person.setdefault((report.channel_id, person_id), []).extend(alerts[report.pk])
    return by_person


def clock_alerts_send(*, today: date | None = None) -> int:
    """The daily e-mail of deadlines: to each handler, per channel, the case numbers whose
    acknowledgement or feedback is due within two days or overdue, and the dates. Answers how many
    e-mails were sent."""
    today = today or clock_today()
    by_person = clock_alerts(today=today)
    channels = Channel.objects.in_bulk({channel_id for channel_id, _person in by_person})
    people = {person.pk: person for person in _people({person_id for _channel, person_id in by_person})}
    sent = 0
    for (channel_id, person_id), alerts in sorted(by_person.items()):
        person = people.get(person_id)
        if person is None:
            continue
        channel = channels[channel_id]
        with translation.override(settings.LANGUAGE_CODE):
            context = {
                "person": person,
                "channel": channel,
                "link": _link(channel),
                "alerts": alerts,
                "today": today,
            }
            message = _message("deadlines", context, person.email)
        try:
            _send([message])
        except OSError:
            logger.exception("Whistleblowing deadlines for channel %s could not be e-mailed", channel_id)
            continue
        sent += 1
    return sent
