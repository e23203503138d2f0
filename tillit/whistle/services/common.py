"""What every write of the channel shares: the KDF cost, the receipt pepper, and the channel's own log."""

import hashlib
import hmac
from datetime import datetime, time

from django.conf import settings
from django.utils import timezone

from tillit.core.clock import now, today
from tillit.whistle import crypto
from tillit.whistle.enums import WhistleAction
from tillit.whistle.models import Channel, Report, WhistleEvent


def kdf_cost() -> crypto.KdfCost:
    return crypto.KdfCost(opslimit=settings.WHISTLE_KDF_OPSLIMIT, memlimit=settings.WHISTLE_KDF_MEMLIMIT)


def receipt_pepper() -> bytes:
    configured = settings.WHISTLE_RECEIPT_PEPPER
    if configured:
        return configured.encode("utf-8")
    return hmac.new(settings.SECRET_KEY.encode("utf-8"), b"tillit-whistle-pepper", hashlib.sha256).digest()


def event_record(
    *,
    channel: Channel,
    action: WhistleAction,
    actor=None,
    report: Report | None = None,
    note: str = "",
    reporter_side: bool = False,
) -> WhistleEvent:
    """One line in the channel's own log. A reporter's doing is dated to the day, never the moment."""
    moment = now()
    if reporter_side:
        moment = timezone.make_aware(datetime.combine(today(), time()))
    return WhistleEvent.objects.create(
        organisation_id=channel.organisation_id,
        channel=channel,
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        action=action,
        case_number=report.case_number if report is not None else "",
        note=note.replace("\r", " ").replace("\n", " ")[:200],
        at=moment,
    )
