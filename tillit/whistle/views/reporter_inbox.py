"""The reporter's inbox: sign in with the receipt, follow the case, write, ask for a meeting, approve a
transcript, give one's identity afterwards, download the case's files, sign out (W-04, W-08, W-09, W-11,
W-14, W-15, L-17; T-06, T-10 – T-14).

The session lives in one cookie, set only at sign-in: HttpOnly, SameSite=Strict, no expiry (it dies
with the browser, and after 20 idle minutes on the server). Every POST of a signed-in page carries the
session's own form token; without it the POST is refused (403): that is the CSRF defence on this host,
where Django's token and cookie are not used (T-38).

A failed sign-in answers the same page, the same status and the same words whatever the reason (no
such receipt, a wrong one, or not a receipt at all), and the throttles count by the peer's address
and the channel only, in memory (throttle.py). An attempt is counted before Argon2 runs, and only a few
Argon2 runs happen at once.

A POST is counted for its address before its body is read, and the session comes from the cookie,
which needs no body either. Without a session only the sign-in form is taken, which is never multipart:
a multipart body without a session is refused unread, so no one uploads anything without a receipt.
"""

import hmac

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect, StreamingHttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from tillit.whistle import crypto, selectors, throttle
from tillit.whistle.enums import (
    Author,
    MessageKind,
    Origin,
    Sector,
    State,
    TranscriptState,
    WhistleAction,
)
from tillit.whistle.middleware import reporter_cookie_name
from tillit.whistle.models import Attachment
from tillit.whistle.reporter_forms import (
    IdentityForm,
    MeetingForm,
    MessageForm,
    TranscriptForm,
    looks_like_receipt,
)
from tillit.whistle.services import identity, reports, sessions
from tillit.whistle.services.common import event_record
from tillit.whistle.views.reporter import (
    busy,
    error_page,
    methods,
    not_found,
    page,
    parse_post,
    quiet,
    receipt_page,
    too_large,
    too_many,
    unreadable,
)

NOTICES = ("sent", "meeting", "transcript", "identity")


# ------------------------------------------------------------------------------------ the session


def _session(request, channel):
    """(SignedIn, form token) of this browser's live session on this channel, else None."""
    cookie = request.COOKIES.get(reporter_cookie_name(), "")
    if not cookie:
        return None
    resumed = sessions.reporter_session_resume(cookie)
    if resumed is None or resumed[0].report.channel_id != channel.pk:
        return None
    return resumed


def _set_cookie(response, value: str) -> None:
    response.set_cookie(
        reporter_cookie_name(), value, path="/", secure=settings.HTTPS, httponly=True, samesite="Strict"
    )


def _forget_cookie(response) -> None:
    response.delete_cookie(reporter_cookie_name(), path="/", samesite="Strict")


def _inbox_url(channel, notice: str = "") -> str:
    url = reverse("report:inbox", args=[channel.slug])
    return f"{url}?{notice}=1" if notice else url


def _see_other(url: str):
    response = HttpResponseRedirect(url)
    response.status_code = 303  # after a POST: the browser GETs, and a reload sends nothing again
    return response


# ------------------------------------------------------------------------------------ signing in


def _sign_in_page(request, channel, *, failed: bool = False, ended: bool = False, status: int = 200):
    return page(
        request,
        "whistle/reporter/sign_in.html",
        {"channel": channel, "failed": failed, "ended": ended},
        status=status,
    )


def _receipt_check(channel, receipt: str):
    """The signed-in reporter for a right receipt, else None. Malformed input is refused before Argon2;
    a well-formed one waits for one of the process's Argon2 slots (throttle.BusyError when none comes)."""
    if crypto.receipt_normalise(receipt) is None:
        return None
    with throttle.argon2_slot():
        try:
            return reports.reporter_sign_in(channel=channel, receipt=receipt)
        except reports.MalformedReceiptError:
            return None


def _attempt_give_back(address: str, channel_key: str) -> None:
    throttle.sign_in_failures_by_address.give_back(address)
    throttle.sign_in_failures_by_channel.give_back(channel_key)


def _sign_in(request, channel, data):
    """A receipt in, a new session out (T-10, T-11, T-13). The attempt takes its slot in the address's
    and the channel's counters before any Argon2 work, and a right receipt gives both back."""
    address, channel_key = throttle.client_key(request), str(channel.pk)
    if not throttle.sign_in_failures_by_address.take(address):
        return too_many(request, channel)
    if not throttle.sign_in_failures_by_channel.take(channel_key):
        throttle.sign_in_failures_by_address.give_back(address)
        return too_many(request, channel)
    try:
        signed_in = _receipt_check(channel, data.get("receipt", ""))
    except throttle.BusyError:
        _attempt_give_back(address, channel_key)  # nothing was checked: no failure
        return busy(request, channel)
    if signed_in is None:
        return _sign_in_page(request, channel, failed=True, status=400)
    _attempt_give_back(address, channel_key)

    old_cookie = request.COOKIES.get(reporter_cookie_name(), "")
    if old_cookie:
        sessions.reporter_session_end(old_cookie)  # whatever it was, it is not this session
    new_receipt = None
    if signed_in.report.receipt_must_change:
        # An oral report's receipt was seen by a handler: it is replaced before anything else (T-28).
        new_receipt, signed_in = reports.receipt_replace(signed_in=signed_in)
    cookie = sessions.reporter_session_start(signed_in=signed_in)
    if new_receipt is not None:
        response = receipt_page(request, channel, new_receipt, replaced=True)
    else:
        response = _see_other(_inbox_url(channel))
    _set_cookie(response, cookie)
    return response


def _sign_out(request, channel):
    """T-13: the server's session row goes, the cookie goes, and the browser is told to forget."""
    sessions.reporter_session_end(request.COOKIES.get(reporter_cookie_name(), ""))
    response = page(request, "whistle/reporter/signed_out.html", {"channel": channel})
    _forget_cookie(response)
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response


# ------------------------------------------------------------------------------------ the inbox page


def _transcript_open(report) -> bool:
    return report.origin == Origin.ORAL and report.transcript_state in (
        TranscriptState.AWAITING,
        TranscriptState.CORRECTED,
    )


def _given_identity(signed_in) -> list[tuple[str, str]]:
    """What the reporter gave as identity, label by label, opened with their own key; [] if none."""
    given = reports.reporter_identity(report=signed_in.report, receipt_key=signed_in.receipt_key) or {}
    return [(label, given[code]) for code, label in reports.IDENTITY_FIELDS if given.get(code)]


def _inbox_page(request, channel, signed_in, form_token, *, forms=None, status: int = 200, dropped=False):
    report, key = signed_in.report, signed_in.private_key
    content = selectors.report_open(report, key)
    forms = forms or {}
    closed = report.state == State.CLOSED
    notice = next((name for name in NOTICES if request.GET.get(name)), "")
    # The handlers' news is shown once: the flag is read, then cleared as the reporter sees the page.
    news = report.unread_by_reporter and request.method == "GET"
    if news:
        reports.reporter_inbox_seen(report=report)
    return page(
        request,
        "whistle/reporter/inbox.html",
        {
            "channel": channel,
            "report": report,
            "state_label": State(report.state).label,
            "closed": closed,
            "ack_due": reports.ack_due(report),
            "feedback_due": reports.feedback_due(report),
            "category": content.category,
            "answers": [
                (label, content.answers.get(code, ""))
                for code, label in reports.QUESTIONS
                if content.answers.get(code)
            ],
            "attachments": selectors.report_attachments(report, key),
            "conversation": [
                {
                    "message": message,
                    "mine": message.author == Author.REPORTER,
                    "kind": "" if message.kind == MessageKind.MESSAGE else MessageKind(message.kind).label,
                }
                for message in selectors.messages_open(report, key)
            ],
            "form_token": form_token,
            "message_form": forms.get("message") or MessageForm(prefix="message"),
            "meeting_form": forms.get("meeting") or MeetingForm(prefix="meeting"),
            "transcript_form": forms.get("transcript") or TranscriptForm(prefix="transcript"),
            "transcript_open": _transcript_open(report),
            "identity_offered": reports.identity_disclosure_open(report),
            "identity_form": forms.get("identity") or IdentityForm(prefix="identity"),
            "identity_given": _given_identity(signed_in),
            "public_sector": channel.sector == Sector.PUBLIC,
            "news": news,
            "files_dropped": dropped,
            "notice": notice if request.method == "GET" else "",
            "max_files": settings.WHISTLE_MAX_FILES,
        },
        status=status,
    )


def _receipt_warning(form) -> bool:
    """W-15, T-06: a receipt-like number in the text is held back until the reporter confirms."""
    body = form.cleaned_data.get("body", "")
    if looks_like_receipt(body) and not form.cleaned_data.get("send_anyway"):
        form.receipt_warning = True
        form.add_error(
            "body",
            _(
                "Your text contains a number that looks like a receipt. Never write your receipt in a "
                "message: anyone who reads the case could then sign in as you. Remove it, or tick the "
                "box below if it is not your receipt."
            ),
        )
        return True
    return False


def _refused(form, handler, error: ValidationError) -> bool:
    dropped = bool(handler.pending)
    handler.discard()
    if hasattr(error, "error_dict"):
        for key, messages in error.error_dict.items():
            form.add_error(key if key in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
    return dropped


def _message(request, channel, signed_in, form_token, data, handler, *, meeting: bool):
    form = (MeetingForm if meeting else MessageForm)(data, prefix="meeting" if meeting else "message")
    pending = [] if meeting else handler.pending
    if form.is_valid() and not _receipt_warning(form):
        body = form.cleaned_data["body"]
        if meeting and not body.strip():
            body = _("I would like to meet in person.")
        try:
            reports.reporter_message_send(
                report=signed_in.report,
                body=body,
                kind=MessageKind.MEETING_REQUEST if meeting else MessageKind.MESSAGE,
                pending=pending,
            )
        except ValidationError as error:
            dropped = _refused(form, handler, error)
        else:
            if meeting:
                handler.discard()  # a meeting request takes no files
            return _see_other(_inbox_url(channel, "meeting" if meeting else "sent"))
    else:
        dropped = bool(handler.pending)
        handler.discard()
    key = "meeting" if meeting else "message"
    return _inbox_page(request, channel, signed_in, form_token, forms={key: form}, dropped=dropped)


def _transcript(request, channel, signed_in, form_token, data, handler):
    handler.discard()  # the decision takes no files
    form = TranscriptForm(data, prefix="transcript")
    if form.is_valid() and not _receipt_warning(form):
        try:
            reports.transcript_decide(
                report=signed_in.report,
                approve=form.cleaned_data["decision"] == "approve",
                comment=form.cleaned_data["body"],
            )
        except ValidationError as error:
            _refused(form, handler, error)
        else:
            return _see_other(_inbox_url(channel, "transcript"))
    return _inbox_page(request, channel, signed_in, form_token, forms={"transcript": form})


def _disclose(request, channel, signed_in, form_token, data, handler):
    """The reporter gives their identity (L-17): sealed to the custodians only, for good."""
    handler.discard()  # the identity takes no files
    report = signed_in.report
    form = IdentityForm(data, prefix="identity")
    if form.is_valid():
        if not report.identity and not reports.identity_disclosure_open(report):
            form.add_error(None, _("Your identity cannot be given in this case."))
        else:
            try:
                identity.identity_disclose(
                    report=report, receipt_key=signed_in.receipt_key, identity=form.identity()
                )
            except ValidationError as error:
                _refused(form, handler, error)
            else:
                return _see_other(_inbox_url(channel, "identity"))
    return _inbox_page(request, channel, signed_in, form_token, forms={"identity": form})


def _no_session(request, channel, *, read: bool):
    """A POST without a live session that is no sign-in: the session ended (idle, signed out elsewhere)
    or never was. Sign in again; nothing is kept. A multipart body (only the message form, with its
    files, sends one) is not even read (`read=False`): it is answered 400, uploads and all unread."""
    had_cookie = bool(request.COOKIES.get(reporter_cookie_name()))
    if not read and not had_cookie:
        return unreadable(request, channel)  # no form of ours sends that
    response = _sign_in_page(request, channel, ended=True, status=200 if read else 400)
    if had_cookie:
        _forget_cookie(response)
    return response


@csrf_exempt
@methods("GET", "HEAD", "POST")
def inbox(request, slug: str):
    channel = selectors.channel_by_slug(slug)
    if channel is None:
        return not_found(request)
    if request.method != "POST":
        session = _session(request, channel)
        if session is None:
            return _sign_in_page(request, channel)
        return _inbox_page(request, channel, *session)

    # Nothing of the body is read before the address is counted and the cookie's session is known.
    if not throttle.inbox_posts_by_address.take(throttle.client_key(request)):
        return too_many(request, channel)
    session = _session(request, channel)
    if session is None and request.content_type.startswith("multipart/"):
        return _no_session(request, channel, read=False)
    data, handler = parse_post(request)
    if data is None:
        return unreadable(request, channel)
    if handler.too_large:
        return too_large(request, handler, channel)
    action = data.get("action", "")
    if action == "sign_in":
        handler.discard()
        return _sign_in(request, channel, data)
    if session is None:
        handler.discard()
        return _no_session(request, channel, read=True)
    signed_in, form_token = session
    if not hmac.compare_digest(data.get("form_token", "").encode(), form_token.encode()):
        handler.discard()
        return error_page(
            request,
            403,
            _("Not sent"),
            _("The form was not sent from your inbox. Open the inbox again and send from there."),
            channel,
        )
    if action == "sign_out":
        handler.discard()
        return _sign_out(request, channel)
    if action in ("message", "meeting"):
        return _message(request, channel, signed_in, form_token, data, handler, meeting=action == "meeting")
    if action == "transcript":
        return _transcript(request, channel, signed_in, form_token, data, handler)
    if action == "disclose":
        return _disclose(request, channel, signed_in, form_token, data, handler)
    handler.discard()
    return _inbox_page(request, channel, signed_in, form_token, status=400)


# ------------------------------------------------------------------------------------ a file


@csrf_exempt
@methods("GET", "HEAD")
def attachment(request, slug: str, attachment_id):
    """One of the signed-in case's files, as a download that no browser renders (T-07, T-39). Another
    case's file is not found, and the attempt is logged for the channel (T-14)."""
    channel = selectors.channel_by_slug(slug)
    if channel is None:
        return not_found(request)
    session = _session(request, channel)
    if session is None:
        return not_found(request, channel)
    signed_in, _token = session
    try:
        meta, chunks = selectors.attachment_read(signed_in.report, str(attachment_id), signed_in.private_key)
    except Attachment.DoesNotExist:
        if Attachment.objects.filter(pk=attachment_id).exists():
            event_record(
                channel=channel,
                action=WhistleAction.CROSS_CASE_REFUSED,
                report=signed_in.report,
                reporter_side=True,
            )
        return not_found(request, channel)
    response = StreamingHttpResponse(chunks, content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, meta.name)
    response["Content-Length"] = str(meta.size)
    response["Content-Security-Policy"] = "sandbox"
    return quiet(response)
