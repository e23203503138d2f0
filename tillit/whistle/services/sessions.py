"""The reporter's session after signing in with a receipt (T-13).

The cookie holds a random token and a random secret. The server keeps the token's hash, an expiry, and a
blob locked under the secret: which report, its private key and the receipt's key. So a database dump
(with the server's secrets) links no session to a case, and a stolen cookie dies at logout or expiry.
A new session is made at every sign-in: a cookie set before it is never honoured (no fixation).
"""

import base64
import hashlib
import json
import secrets
from datetime import timedelta

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
    ReporterSession.objects.create(
        token_hash=_hash(token),
        sealed=crypto.lock(secret, json.dumps(payload).encode("ascii")),
        expires_at=now() + IDLE,
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
        if session.expires_at < now():
            session.delete()
            return None
        try:
            payload = json.loads(crypto.unlock(secret, bytes(session.sealed)))
        except (crypto.DecryptionError, ValueError):
            return None
        report = Report.objects.filter(pk=payload["report"]).select_related("channel").first()
        if report is None:  # purged meanwhile
            session.delete()
            return None
        session.expires_at = now() + IDLE
        session.save(update_fields=["expires_at"])
    signed_in = SignedIn(report, _unb64(payload["key"]), _unb64(payload["receipt_key"]))
    return signed_in, payload["form"]


def reporter_session_end(cookie: str) -> None:
    if cookie and "." in cookie and len(cookie) <= COOKIE_MAX_LENGTH:
        ReporterSession.objects.filter(token_hash=_hash(cookie.split(".")[0])).delete()
