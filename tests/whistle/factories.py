"""For the isolation test: the demo's whistleblowing channel (tillit/demo/whistle_data.py) and one of its
cases, with a file and an identity request. None of the isolation personas has a role in it."""

from tillit.whistle.models import Attachment, IdentityRequest


def whistle_targets() -> dict:
    request = IdentityRequest.objects.select_related("report__channel").get(report__channel__slug="exempelby")
    report = request.report
    attachment = Attachment.objects.filter(report__channel=report.channel).first()
    return {
        "slug": report.channel.slug,
        "report_id": report.pk,
        "attachment_id": attachment.pk,
        "request_id": request.pk,
        "action": "acknowledge",
    }
