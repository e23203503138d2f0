"""The reporter host's pages: a channel's information page, the report form and the receipt, the error
pages (the inbox is in `reporter_inbox`). They answer only on a host in WHISTLE_HOSTS
(config/whistle_urls.py; the middleware sets the headers and drops every cookie but the reporter's).

What these pages never do, by design (W-01, W-02, W-14):
- read the staff application's person or session (`request.user`, `request.session`), or set a cookie
  before a reporter signs in with a receipt;
- write a log line: Django's request logger would write the path of every 4xx answer, so each answer
  here is marked as logged already (`quiet`), and the error handlers do the same;
- put a receipt or a case's id into a URL.

The pages are exempt from Django's CSRF check: before sign-in no cookie or session exists that a forged
request could borrow, and under `Referrer-Policy: no-referrer` browsers send `Origin: null`, which the
check refuses. After sign-in, every form carries the session's own token (reporter_inbox.py).
"""

from functools import wraps

from django.conf import settings
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.urls import translate_url
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from tillit.whistle import crypto, files, proof, selectors, throttle
from tillit.whistle.enums import Mode, Sector, WhistleAction
from tillit.whistle.reporter_forms import HONEYPOT, ReportForm
from tillit.whistle.services import reports
from tillit.whistle.services.common import event_record

LANGUAGE_NAMES = {"sv": "Svenska", "en": "English"}


# ------------------------------------------------------------------------------------ shared helpers


def quiet(response):
    """Django's request logger writes a line with the path for every 4xx and 5xx; not on this host."""
    response._has_been_logged = True
    return response


def languages(request) -> list[dict]:
    """The language links: the same page in Swedish (/<slug>/…) and in English (/en/<slug>/…)."""
    current = request.LANGUAGE_CODE
    return [
        {"code": code, "name": name, "url": translate_url(request.path, code), "current": code == current}
        for code, name in LANGUAGE_NAMES.items()
    ]


def page(request, template: str, context: dict | None = None, *, status: int = 200, switch: bool = True):
    """A reporter page. `switch=False` leaves out the language links (a page shown once, such as a
    receipt, must not invite a click that loses it)."""
    context = dict(context or {})
    if switch:
        context.setdefault("languages", languages(request))
    return quiet(render(request, template, context, status=status))


def error_page(request, status: int, title: str, text: str, channel=None):
    return page(
        request,
        "whistle/reporter/error.html",
        {"title": title, "text": text, "channel": channel},
        status=status,
        switch=False,
    )


def not_found(request, channel=None):
    return error_page(
        request, 404, _("Page not found"), _("There is no page at this address."), channel=channel
    )


def methods(*allowed):
    """Like `require_http_methods`, without its log line."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in allowed:
                response = error_page(
                    request, 405, _("Not possible"), _("This page cannot be used that way.")
                )
                response["Allow"] = ", ".join(allowed)
                return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def parse_post(request):
    """Read the POST with the encrypting upload handler, set before anything touches the body: every
    file is encrypted as it streams in (files.py). Returns (data or None when unreadable, handler)."""
    handler = files.EncryptingUploadHandler(request)
    request.upload_handlers = [handler]
    try:
        return request.POST, handler
    except (MultiPartParserError, SuspiciousOperation):
        handler.upload_interrupted()
        handler.discard()
        return None, handler


def unreadable(request, channel=None):
    return error_page(
        request,
        400,
        _("The form could not be read"),
        _("Something in what was sent could not be read. Go back and try again."),
        channel=channel,
    )


def too_large(request, handler, channel=None):
    handler.discard()
    return error_page(
        request,
        413,
        _("Too many or too large files"),
        _(
            "Nothing was saved. You can attach at most %(count)s files of at most %(size)s each. Go back "
            "and send again with fewer or smaller files."
        )
        % {"count": settings.WHISTLE_MAX_FILES, "size": _megabytes(settings.WHISTLE_MAX_FILE_BYTES)},
        channel=channel,
    )


def too_many(request, channel=None):
    return error_page(
        request,
        429,
        _("Too many attempts"),
        _("Too many attempts have been made in a short time. Nothing was saved. Try again in an hour."),
        channel=channel,
    )


def busy(request, channel=None):
    """Too many receipt checks at this moment (throttle.argon2_slot): nothing was checked or counted."""
    response = error_page(
        request,
        503,
        _("Busy"),
        _("The service is busy at the moment. Nothing was saved. Wait a minute and try again."),
        channel=channel,
    )
    response["Retry-After"] = "60"
    return response


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size // 1024} kB"


# ------------------------------------------------------------------------------------ error handlers


def bad_request(request, exception=None):
    return error_page(request, 400, _("Bad request"), _("The request could not be read."))


def permission_denied(request, exception=None):
    return error_page(request, 403, _("Not allowed"), _("This cannot be done here."))


def page_not_found(request, exception=None):
    return not_found(request)


def server_error(request):
    return error_page(
        request, 500, _("Something went wrong"), _("The page could not be shown. Try again in a while.")
    )


@methods("GET", "HEAD")
def robots_txt(request):
    """T-08: nothing on the reporter host is for search engines."""
    return HttpResponse("User-agent: *\nDisallow: /\n", content_type="text/plain; charset=utf-8")


# ------------------------------------------------------------------------------------ information page


@csrf_exempt
@methods("GET", "HEAD")
def channel_page(request, slug: str):
    """The channel's information page (W-16, L-07, T-31): how reports are handled, the external
    channels, meddelarfrihet, anonymous or confidential, and how to keep oneself safe (W-15)."""
    channel = selectors.channel_by_slug(slug)
    if channel is None:
        return not_found(request)
    return page(
        request,
        "whistle/reporter/channel.html",
        {"channel": channel, "public_sector": channel.sector == Sector.PUBLIC},
    )


# ------------------------------------------------------------------------------------ the report form


def _form_page(request, channel, form, *, files_dropped: bool = False):
    challenge = proof.challenge_new()  # a new one on every showing: each allows one submission
    return page(
        request,
        "whistle/reporter/report_form.html",
        {
            "channel": channel,
            "form": form,
            "challenge": challenge,
            "pow_bits": proof.challenge_bits(challenge),
            "pow_fresh_for": proof.challenge_fresh_for(challenge),
            "files_dropped": files_dropped,
            "max_files": settings.WHISTLE_MAX_FILES,
            "max_size": _megabytes(settings.WHISTLE_MAX_FILE_BYTES),
            "confidential_field": Mode.CONFIDENTIAL.value,
        },
    )


def _refuse(form, handler, message=None, error: ValidationError | None = None) -> bool:
    """Put a refusal on the form and drop the uploads (the page says to attach them again)."""
    dropped = bool(handler.pending)
    handler.discard()
    if message:
        form.add_error(None, message)
    if error is not None:
        if hasattr(error, "error_dict"):
            for key, messages in error.error_dict.items():
                for message in messages:
                    form.add_error(form.service_field(key), message)
        else:
            form.add_error(None, error.messages)
    return dropped


def _flood(request, channel):
    """More reports this hour than the channel takes: refuse, and tell the administrators once an hour
    (the channel's log, dated to the day like every reporter-side event)."""
    if throttle.floods_logged.take(str(channel.pk)):
        event_record(channel=channel, action=WhistleAction.FLOOD_REFUSED, reporter_side=True)
    return too_many(request, channel)


def _proof_message(reason: str) -> str:
    if reason == "missing":
        return _(
            "The report could not be sent: the page's small computation against automated floods did "
            "not run. It needs JavaScript. Nothing was saved."
        )
    if reason == "expired":
        return _(
            "The page was open for more than an hour, so its computation against automated floods has "
            "expired. It has now been done again: check your answers and send once more."
        )
    if reason == "reused":
        return _("This form has already been sent once. Check your answers and send again.")
    return _("The page's computation against automated floods did not check out. Send again.")


@csrf_exempt
@methods("GET", "HEAD", "POST")
def report_form(request, slug: str):
    """The written report (W-13: throttles, honeypot, proof of work; T-15 – T-17). Success shows the
    receipt, once, in the answer to the POST: it never travels in a URL or a cookie."""
    channel = selectors.channel_by_slug(slug)
    if channel is None:
        return not_found(request)
    if not channel.is_open:
        return page(request, "whistle/reporter/closed.html", {"channel": channel})
    handlers = reports.channel_handlers(channel)
    if request.method != "POST":
        return _form_page(request, channel, ReportForm(channel=channel, handlers=handlers))

    # Counted before the body is read: a flood from one address does not even get to upload.
    address = throttle.client_key(request)
    if not throttle.submissions_by_address.take(address):
        return too_many(request, channel)
    data, handler = parse_post(request)
    if data is None:
        return unreadable(request, channel)
    if handler.too_large:
        return too_large(request, handler, channel)
    if data.get(HONEYPOT):
        handler.discard()
        return error_page(request, 403, _("Not sent"), _("The report could not be sent."), channel)

    form = ReportForm(data, channel=channel, handlers=handlers)
    challenge, counter = data.get("pow_challenge", ""), data.get("pow_counter", "")
    try:
        proof.proof_check(challenge, counter)
    except proof.ProofError as error:
        form.is_valid()
        dropped = _refuse(form, handler, _proof_message(str(error)))
        return _form_page(request, channel, form, files_dropped=dropped)
    if not form.is_valid():
        return _form_page(request, channel, form, files_dropped=_refuse(form, handler))

    channel_key = str(channel.pk)
    if not throttle.reports_by_channel.take(channel_key, limit=channel.reports_per_hour):
        handler.discard()
        return _flood(request, channel)
    try:
        proof.proof_spend(challenge)
        _report, receipt = reports.report_submit(
            channel=channel,
            mode=form.cleaned_data["mode"],
            category=form.cleaned_data["category"],
            answers=form.answers(),
            identity=form.identity(),
            excluded_ids=form.cleaned_data.get("excluded", []),
            pending=handler.pending,
        )
    except proof.ProofError as error:
        throttle.reports_by_channel.give_back(channel_key)
        dropped = _refuse(form, handler, _proof_message(str(error)))
        return _form_page(request, channel, form, files_dropped=dropped)
    except ValidationError as error:
        throttle.reports_by_channel.give_back(channel_key)
        dropped = _refuse(form, handler, error=error)
        return _form_page(request, channel, form, files_dropped=dropped)
    return receipt_page(request, channel, receipt)


@methods("GET", "HEAD")
def challenge(request, slug: str):
    """A new proof-of-work challenge for a report form left open for long (proof.js asks when the page's
    own is about to age out, W-13). Same origin, under the reporter host's headers; it reads the channel,
    writes nothing and sets no cookie (the challenge is spent only when a report comes with it)."""
    channel = selectors.channel_by_slug(slug)
    if channel is None or not channel.is_open:
        return not_found(request, channel)
    fresh = proof.challenge_new()
    return quiet(
        JsonResponse(
            {
                "challenge": fresh,
                "bits": proof.challenge_bits(fresh),
                "fresh_for": proof.challenge_fresh_for(fresh),
            }
        )
    )


def receipt_page(request, channel, receipt: str, *, replaced: bool = False):
    """The receipt, shown this once (W-04), grouped 4-4-4-4, with the advice to keep it safe."""
    shown = crypto.receipt_display(receipt)
    return page(
        request,
        "whistle/reporter/receipt.html",
        {"channel": channel, "receipt_groups": shown.split(" "), "replaced": replaced},
        switch=False,
    )
