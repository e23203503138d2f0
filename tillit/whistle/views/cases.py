"""The handlers' pages: the dashboard, a channel's cases, one case and what is done with it (W-07, W-10;
L-03, L-06; T-20, T-21, T-26, T-27, T-30).

A case exists for a person only if they hold a key copy of it: every case URL answers 404 otherwise,
before anything else, even the question to unlock (T-20, T-21). Content is read only with the keys
unlocked in this browser, and each opening is in the channel's log (T-30).
"""

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from tillit.core.clock import today
from tillit.core.forms import add_service_errors
from tillit.whistle import files, rules, selectors
from tillit.whistle.enums import Author, IdentityRequestState, MessageKind, State
from tillit.whistle.forms import (
    ORAL_IDENTITY_LABELS,
    AcknowledgeForm,
    FeedbackForm,
    GrantForm,
    IdentityRequestForm,
    MessageForm,
    RemoveFileForm,
    StaffForm,
    TranscriptForm,
)
from tillit.whistle.models import Attachment, Report
from tillit.whistle.services import cases, identity, keys
from tillit.whistle.services.reports import QUESTIONS, ack_due, feedback_due
from tillit.whistle.views.common import channel_for, staff_page, unlocked_key

# ------------------------------------------------------------------------------------ the clocks


def _day(day: date) -> str:
    return date_format(day, "j F Y")


def _when(due: date, day: date) -> str:
    days = (due - day).days
    if days == 0:
        return _("today")
    if days > 0:
        return ngettext("in %(n)s day", "in %(n)s days", days) % {"n": days}
    return ngettext("%(n)s day overdue", "%(n)s days overdue", -days) % {"n": -days}


@dataclass(frozen=True)
class Clock:
    """A legal clock in words: `sentence` for the case page, `short` for the list; overdue in words."""

    sentence: str
    short: str
    overdue: bool = False


def ack_clock(report: Report, day: date) -> Clock | None:
    """Acknowledge receipt within seven days (L-03): overdue from day 8, unless waived or done."""
    if report.acknowledged_on:
        done = _day(report.acknowledged_on)
        return Clock(
            _("Receipt acknowledged on %(date)s.") % {"date": done}, _("sent %(date)s") % {"date": done}
        )
    if report.ack_waived:
        return Clock(
            _("No acknowledgement of receipt: the reporter declined it, or it could reveal them."),
            _("waived"),
        )
    if report.state == State.CLOSED:
        return None
    due = ack_due(report)
    words = {"date": _day(due), "when": _when(due, day)}
    return Clock(
        _("Acknowledge receipt by %(date)s (%(when)s).") % words,
        _("by %(date)s (%(when)s)") % words,
        overdue=day > due,
    )


def feedback_clock(report: Report, day: date) -> Clock | None:
    """Feedback within three months of the acknowledgement, or of the seven days' end (L-06)."""
    if report.feedback_on:
        done = _day(report.feedback_on)
        return Clock(_("Feedback given on %(date)s.") % {"date": done}, _("given %(date)s") % {"date": done})
    if report.state == State.CLOSED:
        return None
    due = feedback_due(report)
    words = {"date": _day(due), "when": _when(due, day)}
    return Clock(
        _("Give the reporter feedback by %(date)s (%(when)s).") % words,
        _("by %(date)s (%(when)s)") % words,
        overdue=day > due,
    )


def _waiting(reports: list[Report], day: date) -> list[str]:
    """What waits in a handler's cases, in words; nothing for a zero."""
    counts = dict.fromkeys(("ack", "ack_late", "feedback", "feedback_late", "unread", "purge"), 0)
    for report in reports:
        if report.state == State.CLOSED:
            counts["purge"] += report.purge_on is not None
            continue
        if not report.acknowledged_on and not report.ack_waived:
            counts["ack_late" if day > ack_due(report) else "ack"] += 1
        if not report.feedback_on:
            counts["feedback_late" if day > feedback_due(report) else "feedback"] += 1
        counts["unread"] += report.unread_by_handlers
    words = {
        "ack_late": ngettext(
            "%(n)s case is overdue for acknowledgement of receipt",
            "%(n)s cases are overdue for acknowledgement of receipt",
            counts["ack_late"],
        ),
        "ack": ngettext(
            "%(n)s case waits for acknowledgement of receipt",
            "%(n)s cases wait for acknowledgement of receipt",
            counts["ack"],
        ),
        "feedback_late": ngettext(
            "%(n)s case is overdue for feedback",
            "%(n)s cases are overdue for feedback",
            counts["feedback_late"],
        ),
        "feedback": ngettext(
            "%(n)s case waits for feedback", "%(n)s cases wait for feedback", counts["feedback"]
        ),
        "unread": ngettext(
            "%(n)s case has news you have not read",
            "%(n)s cases have news you have not read",
            counts["unread"],
        ),
        "purge": ngettext(
            "%(n)s closed case waits to be purged", "%(n)s closed cases wait to be purged", counts["purge"]
        ),
    }
    return [words[name] % {"n": counts[name]} for name in words if counts[name]]


# ------------------------------------------------------------------------------------ dashboard, list


@staff_page
def dashboard(request):
    person, day = request.user, today()
    channels = selectors.channels_for(person)
    if request.access.administers:
        known = {channel.pk for channel in channels}
        channels += [
            channel
            for channel in selectors.channels_of_organisation(person.organisation_id)
            if channel.pk not in known
        ]
    sections = []
    for channel in channels:
        handles = rules.can_handle(person, channel)
        reports = selectors.reports_for_handler(channel, person) if handles else []
        sections.append(
            {
                "channel": channel,
                "handles": handles,
                "cases": len(reports),
                "waiting": _waiting(reports, day),
                "decides_identity": rules.can_decide_identity(person, channel),
                "holds_escrow": rules.can_use_escrow(person, channel),
                "configures": rules.can_configure_channel(request.access, channel),
            }
        )
    has_role = any(s["handles"] or s["decides_identity"] or s["holds_escrow"] for s in sections)
    return render(
        request,
        "whistle/staff/dashboard.html",
        {
            "sections": sections,
            "has_role": has_role,
            "keyring": keys.keyring_for(person),
            "unlocked": unlocked_key(request) is not None,
        },
    )


def handled_channel(request, slug: str):
    """A channel where the person is a handler; 404 for everyone else (its custodians and administrators
    work on other pages)."""
    channel = channel_for(request, slug)
    if not rules.can_handle(request.user, channel):
        raise Http404
    return channel


@dataclass(frozen=True)
class Row:
    report: Report
    category: str | None
    ack: Clock | None
    feedback: Clock | None


@staff_page
def channel_cases(request, slug: str):
    """The cases the handler holds a key copy of, and only those (W-07)."""
    channel = handled_channel(request, slug)
    day, reports = today(), selectors.reports_for_handler(channel, request.user)
    private_key = unlocked_key(request)
    report_keys = selectors.report_keys(request.user, private_key, reports) if private_key else {}
    rows = [
        Row(
            report=report,
            category=selectors.report_open(report, report_keys[report.pk]).category
            if report.pk in report_keys
            else None,
            ack=ack_clock(report, day),
            feedback=feedback_clock(report, day),
        )
        for report in reports
    ]
    return render(
        request,
        "whistle/staff/channel.html",
        {"channel": channel, "rows": rows, "unlocked": private_key is not None},
    )


# ------------------------------------------------------------------------------------ one case


def held_case(request, slug: str, report_id) -> tuple:
    """(channel, report) for a handler holding a key copy; 404 for everyone else, asked first."""
    channel = handled_channel(request, slug)
    report = selectors.report_for_handler(channel, request.user, report_id)
    if report is None:
        raise Http404
    return channel, report


def case_url(report: Report, anchor: str = "") -> str:
    url = reverse("whistle:case", kwargs={"slug": report.channel.slug, "report_id": report.pk})
    return f"{url}#{anchor}" if anchor else url


def unlock_for_case(report: Report):
    return redirect(f"{reverse('whistle:unlock')}?next={case_url(report)}")


ACTION_FORMS = {
    "acknowledge": AcknowledgeForm,
    "waive-ack": StaffForm,
    "message": MessageForm,
    "feedback": FeedbackForm,
    "transcript": TranscriptForm,
    "close": StaffForm,
    "reopen": StaffForm,
    "grant": GrantForm,
    "identity-request": IdentityRequestForm,
    "identity-view": StaffForm,
    "remove-file": RemoveFileForm,
}
MESSAGE_KINDS = {
    "message": MessageKind.MESSAGE,
    "feedback": MessageKind.FEEDBACK,
    "transcript": MessageKind.TRANSCRIPT,
}


def _case_page(request, report: Report, private_key: bytes, *, bound=None, shown_identity=None, status=200):
    """The case, opened (and logged) anew; `bound` is (action, form) of a refused action, kept as typed."""
    report_key = cases.case_viewed(report=report, handler=request.user, private_key=private_key)
    opened = selectors.report_open(report, report_key)
    candidates = selectors.grant_candidates(report)
    has_identity_copy, request_state = selectors.identity_access(report, request.user)
    forms = {
        "acknowledge": AcknowledgeForm(),
        "message": MessageForm(),
        "feedback": FeedbackForm(),
        "transcript": TranscriptForm(),
        "grant": GrantForm(candidates=candidates),
        "identity_request": IdentityRequestForm(),
    }
    action_errors = []
    if bound is not None:
        action, form = bound
        forms[action.replace("-", "_")] = form
        action_errors = [error for errors in form.errors.values() for error in errors]
    conversation = selectors.messages_open(report, report_key)
    day = today()
    return render(
        request,
        "whistle/staff/case.html",
        {
            "channel": report.channel,
            "report": report,
            "category": opened.category,
            "answers": [
                (label, opened.answers[code]) for code, label in QUESTIONS if opened.answers.get(code)
            ],
            "attachments": selectors.report_attachments(report, report_key),
            "conversation": [
                {
                    "message": message,
                    "kind": MessageKind(message.kind).label,
                    "from_reporter": message.author == Author.REPORTER,
                }
                for message in conversation
            ],
            "ack": ack_clock(report, day),
            "feedback": feedback_clock(report, day),
            "is_closed": report.state == State.CLOSED,
            "forms": forms,
            "candidates": candidates,
            "action_errors": action_errors,
            "identity_copy": has_identity_copy,
            "identity_request_state": request_state,
            "identity_pending": request_state == IdentityRequestState.PENDING,
            "identity_denied": request_state == IdentityRequestState.DENIED,
            "shown_identity": [
                (label, shown_identity.get(code, "")) for code, label in ORAL_IDENTITY_LABELS.items()
            ]
            if shown_identity is not None
            else None,
        },
        status=status,
    )


@staff_page
def case_detail(request, slug: str, report_id):
    _channel, report = held_case(request, slug, report_id)
    private_key = unlocked_key(request)
    if private_key is None:
        return unlock_for_case(report)
    try:
        return _case_page(request, report, private_key)
    except Report.DoesNotExist:
        raise Http404 from None


SUCCESS = {
    "acknowledge": gettext_lazy("The receipt is acknowledged. The reporter sees it in their inbox."),
    "waive-ack": gettext_lazy("No acknowledgement will be sent; the seven days' reminder stops."),
    "message": gettext_lazy("Your message is sent. The reporter sees it in their inbox."),
    "feedback": gettext_lazy("Your feedback is sent. The reporter sees it in their inbox."),
    "transcript": gettext_lazy("The transcript is sent to the reporter to check and approve."),
    "close": gettext_lazy("The case is closed."),
    "reopen": gettext_lazy("The case is open again; its purge is cancelled."),
    "grant": gettext_lazy("The handler now has the case."),
    "identity-request": gettext_lazy("Your request is sent to the identity custodians."),
    "remove-file": gettext_lazy(
        "The file is removed. The log says that a file was removed, not what it held."
    ),
}


def _perform(action: str, form, request, report: Report, private_key: bytes) -> None:
    data, person = form.cleaned_data, request.user
    case = {"report": report, "handler": person, "private_key": private_key}
    if action == "acknowledge":
        cases.case_acknowledge(**case, body=data["body"])
    elif action == "waive-ack":
        cases.case_waive_acknowledgement(**case)
    elif action in MESSAGE_KINDS:
        cases.case_message(**case, body=data["body"], kind=MESSAGE_KINDS[action], pending=form.pending)
    elif action == "close":
        cases.case_close(**case)
    elif action == "reopen":
        cases.case_reopen(**case)
    elif action == "grant":
        to_person = get_user_model().objects.get(pk=data["person"])
        keys.case_access_grant(report=report, granter=person, private_key=private_key, to_person=to_person)
    elif action == "identity-request":
        identity.identity_request(**case, motivation=data["motivation"])
    elif action == "remove-file":
        cases.attachment_remove(**case, attachment_id=str(data["attachment_id"]))


@csrf_protect
def _case_action(request, report: Report, action: str, uploads):
    """Runs after the upload handler is set, so the CSRF check reads the body through it."""
    data = request.POST  # the body is read (and the files encrypted) here at the latest
    if uploads.too_large:
        return render(request, "whistle/staff/case_too_large.html", {"report": report}, status=413)
    private_key = unlocked_key(request)
    if private_key is None:
        return unlock_for_case(report)
    if action == "identity-view":
        try:
            shown = identity.identity_read(report=report, person=request.user, private_key=private_key)
        except PermissionDenied:
            messages.error(
                request, _("You can see the identity only after a custodian has approved your request.")
            )
            return redirect(case_url(report, "identity"))
        return _case_page(request, report, private_key, shown_identity=shown)
    options = {"candidates": selectors.grant_candidates(report)} if action == "grant" else {}
    form = ACTION_FORMS[action](data, pending=uploads.pending, **options)
    if form.is_valid():
        try:
            _perform(action, form, request, report, private_key)
        except ValidationError as error:
            add_service_errors(form, error)
        except Attachment.DoesNotExist:
            raise Http404 from None
        else:
            messages.success(request, SUCCESS[action])
            return redirect(case_url(report))
    report.refresh_from_db()
    return _case_page(request, report, private_key, bound=(action, form))


@csrf_exempt  # outermost: the CSRF check runs inside, after the encrypting upload handler is set
@staff_page
def case_action(request, slug: str, report_id, action: str):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if action not in ACTION_FORMS:
        raise Http404
    _channel, report = held_case(request, slug, report_id)
    uploads = files.EncryptingUploadHandler(request)
    request.upload_handlers = [uploads]
    try:
        return _case_action(request, report, action, uploads)
    except Report.DoesNotExist:
        raise Http404 from None
    finally:
        uploads.discard()  # what a service stored has moved on; anything left is refused or unused
