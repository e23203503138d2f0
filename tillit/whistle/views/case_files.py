"""A case's files, its registration entry, and registering an oral report (T-07, T-28, T-30; L-08, L-09,
L-13).

A download is decrypted on the fly and offered only as an attachment, under a sandboxing CSP, with its
name RFC 6266-encoded. The registration entry (diarieföring) holds nothing that is secret: the number,
the dates, the law and the secrecy marking, never the category, the content or an identity.
"""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from tillit.core.forms import add_service_errors
from tillit.whistle import crypto, files, selectors
from tillit.whistle.enums import Sector, State, WhistleAction
from tillit.whistle.forms import OralReportForm
from tillit.whistle.models import Attachment, Report
from tillit.whistle.services import cases, keys
from tillit.whistle.services.common import event_record
from tillit.whistle.views.cases import handled_channel, held_case, unlock_for_case
from tillit.whistle.views.common import staff_page, unlock_redirect, unlocked_key

DOWNLOAD_CSP = "sandbox; default-src 'none'; frame-ancestors 'none'"


@staff_page
def case_file(request, slug: str, report_id, attachment_id):
    """One of the case's files, decrypted as it streams; another case's file is 404 (T-14, T-20)."""
    _channel, report = held_case(request, slug, report_id)
    private_key = unlocked_key(request)
    if private_key is None:
        return unlock_for_case(report)
    try:
        report_key = keys.report_key_for(person=request.user, private_key=private_key, report=report)
        meta, chunks = selectors.attachment_read(report, str(attachment_id), report_key)
    except (Report.DoesNotExist, Attachment.DoesNotExist):
        raise Http404 from None
    event_record(
        channel=report.channel, action=WhistleAction.FILE_DOWNLOADED, actor=request.user, report=report
    )
    response = StreamingHttpResponse(chunks, content_type="application/octet-stream")
    response.headers["Content-Disposition"] = content_disposition_header(True, files.clean_name(meta.name))
    response.headers["Content-Security-Policy"] = DOWNLOAD_CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _secrecy(report: Report) -> str:
    if report.channel.sector == Sector.PUBLIC:
        # Translators: in Swedish exactly "Sekretess enligt 32 kap. 3 b § OSL".
        return _(
            "Secrecy under chapter 32, section 3 b of the Public Access to Information and Secrecy Act (OSL)"
        )
    # Translators: in Swedish exactly "Tystnadsplikt enligt lag (2021:890)".
    return _("Duty of confidentiality under lag (2021:890)")


def registration_lines(report: Report) -> list[tuple[str, str]]:
    """The registration entry (L-13): what a diary may show, nothing that is secret."""
    lines = [
        (_("Case number (diarienummer)"), report.case_number),
        (_("Received"), date_format(report.received_on, "Y-m-d")),
        # Translators: in Swedish "Rapport enligt lag (2021:890) om skydd för personer som rapporterar om
        # missförhållanden".
        (_("Subject"), _("Report under lag (2021:890) on the protection of persons who report wrongdoing")),
        (_("Secrecy marking"), _secrecy(report)),
        (_("Channel"), report.channel.name),
        (_("State"), State(report.state).label),
    ]
    if report.closed_on:
        lines.append((_("Closed"), date_format(report.closed_on, "Y-m-d")))
    if report.state == State.CLOSED:
        purge = date_format(report.purge_on, "Y-m-d") if report.purge_on else _("not planned (kept)")
        lines.append((_("To be purged (gallras)"), purge))
    return lines


@staff_page
def case_registration(request, slug: str, report_id):
    """No key is needed: the entry holds nothing encrypted. Each showing is an export in the log."""
    _channel, report = held_case(request, slug, report_id)
    lines = registration_lines(report)
    as_text = request.GET.get("format") == "text"
    event_record(
        channel=report.channel,
        action=WhistleAction.CASE_EXPORTED,
        actor=request.user,
        report=report,
        note="registration entry (text)" if as_text else "registration entry",
    )
    if not as_text:
        return render(request, "whistle/staff/case_registration.html", {"report": report, "lines": lines})
    text = "".join(f"{label}: {value}\n" for label, value in lines)
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    name = f"registrering-{report.case_number.replace(' ', '-')}.txt"
    response.headers["Content-Disposition"] = content_disposition_header(True, name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


# ------------------------------------------------------------------------------------ an oral report


ORAL_FIELDS = {"what": "summary", "files": "transcript"}  # the service's names -> the form's


def _oral_fields(error: ValidationError) -> ValidationError:
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError({ORAL_FIELDS.get(name, name): errors for name, errors in error.error_dict.items()})


@csrf_protect
def _oral_post(request, channel, private_key: bytes, uploads):
    """Runs after the upload handler is set, so the CSRF check reads the body through it."""
    form = OralReportForm(request.POST, channel=channel, pending=uploads.pending)
    if uploads.too_large:
        form.add_error("transcript", _("A file is too large, or there are too many files."))
        return render(
            request, "whistle/staff/oral_register.html", {"channel": channel, "form": form}, status=413
        )
    if form.is_valid():
        data = form.cleaned_data
        try:
            report, receipt = cases.oral_report_register(
                channel=channel,
                handler=request.user,
                private_key=private_key,
                category=data["category"],
                summary=data["summary"],
                transcript=form.pending,
                mode=data["mode"],
                identity=form.identity(),
            )
        except ValidationError as error:
            add_service_errors(form, _oral_fields(error))
        else:
            # The receipt is in this answer only (no-store), never stored in the clear.
            return render(
                request,
                "whistle/staff/oral_register.html",
                {"channel": channel, "report": report, "receipt": crypto.receipt_display(receipt)},
            )
    return render(request, "whistle/staff/oral_register.html", {"channel": channel, "form": form})


@csrf_exempt  # outermost: the CSRF check runs inside, after the encrypting upload handler is set
@staff_page
def oral_register(request, slug: str):
    channel = handled_channel(request, slug)
    private_key = unlocked_key(request)
    if private_key is None:
        return unlock_redirect(request)
    if request.method != "POST":
        form = OralReportForm(channel=channel)
        return render(request, "whistle/staff/oral_register.html", {"channel": channel, "form": form})
    uploads = files.EncryptingUploadHandler(request)
    request.upload_handlers = [uploads]
    try:
        return _oral_post(request, channel, private_key, uploads)
    finally:
        uploads.discard()
