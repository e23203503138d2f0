"""The reporter's session after signing in with a receipt (T-13).

The cookie holds a random token and a random secret. The server keeps the token's hash, an expiry, and a
blob locked under the secret: which report, its private key and the receipt's key. So a database dump
(with the server's secrets) links no session to a case, and a stolen cookie dies at logout or expiry.
A new session is made at every sign-in: a cookie set before it is never honoured (no fixation).

The moment of the reporter's last request is a moment a reporter was at work, so it is kept only inside
the locked blob (`until`: the precise end of the idle time). The row's own `expires_at`, which the
clean-up reads, is that end rounded up to the next full hour: a database dump dates a reporter's visit
no closer than the hourly e-mails to the handlers already do.
"""

import base64
import hashlib
import json
import secrets
from datetime import UTC, datetime, timedelta

from django.db import transaction

from tillit.core.clock import now
from tillit.whistle import crypto
from tillit.whistle.models import Report, ReporterSession
from tillit.whistle.services.reports import SignedIn

IDLE = timedelta(minutes=20)
COOKIE_MAX_LENGTH = 200


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def _row_expiry(until: datetime) -> datetime:
    """What the row may show of a session's end: the next full hour after it (UTC)."""
    hour = until.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    return hour + timedelta(hours=1)


def _lock(secret: bytes, payload: dict, until: datetime) -> bytes:
    payload["until"] = until.timestamp()
    return crypto.lock(secret, json.dumps(payload).encode("ascii"))


def reporter_session_start(*, signed_in: SignedIn) -> str:
    """A new session; returns the cookie's value. Also clears every expired session."""
    ReporterSession.objects.filter(expires_at__lt=now()).delete()
    token, secret = secrets.token_urlsafe(32), crypto.new_key()
    payload = {
        "report": str(signed_in.report.pk),
        "key": _b64(signed_in.private_key),
        "receipt_key": _b64(signed_in.receipt_key),
        "form": secrets.token_urlsafe(24),
    }
    until = now() + IDLE
    ReporterSession.objects.create(
        token_hash=_hash(token), sealed=_lock(secret, payload, until), expires_at=_row_expiry(until)
    )
    return f"{token}.{_b64(secret)}"


def reporter_session_resume(cookie: str) -> tuple[SignedIn, str] | None:
    """(the signed-in reporter, the session's form token) for a live session, else None; each use
    extends the idle time."""
    if not cookie or len(cookie) > COOKIE_MAX_LENGTH or cookie.count(".") != 1:
        return None
    token, secret_text = cookie.split(".")
    try:
        secret = _unb64(secret_text)
        token.encode("ascii")
    except (ValueError, UnicodeEncodeError):
        return None
    with transaction.atomic():
        session = ReporterSession.objects.select_for_update().filter(token_hash=_hash(token)).first()
        if session is None:
            return None
        moment = now()
        if session.expires_at < moment:
            session.delete()
            return None
        try:
            payload = json.loads(crypto.unlock(secret, bytes(session.sealed)))
        except (crypto.DecryptionError, ValueError):
            return None
        if payload.get("until", 0) < moment.timestamp():  # idle too long
            session.delete()
            return None
        report = Report.objects.filter(pk=payload["report"]).select_related("channel").first()
        if report is None:  # purged meanwhile
            session.delete()
            return None
        until = moment + IDLE
        session.sealed = _lock(secret, payload, until)
        session.expires_at = _row_expiry(until)
        session.save(update_fields=["sealed", "expires_at"])
    signed_in = SignedIn(report, _unb64(payload["key"]), _unb64(payload["receipt_key"]))
    return signed_in, payload["form"]


def reporter_session_end(cookie: str) -> None:
    if cookie and "." in cookie and len(cookie) <= COOKIE_MAX_LENGTH:
        ReporterSession.objects.filter(token_hash=_hash(cookie.split(".")[0])).delete()
