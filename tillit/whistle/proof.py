"""Proof of work for the report form: a small computation that costs a person a second and a flood of
scripted reports a second each (W-13, T-15; GlobaLeaks' hashcash token, no third-party CAPTCHA).

The page carries a challenge: a random nonce and the number of leading zero bits asked for, signed with
the server's key and timestamped (`TimestampSigner`). The browser (static/whistle/proof.js) finds a
counter such that SHA-256(challenge + ":" + counter) starts with that many zero bits. The server checks
the signature, the age (an hour at most) and the work, and spends the challenge: its digest goes into
`SpentProof` under a unique constraint, so it allows exactly one submission, even when two race. The
mark's `expires_at` is not the moment of sending plus an hour, which would date a report to the second in
a database dump: it is rounded up to a full hour (`_mark_expiry`), like a reporter session's row.

A reporter may write for longer than an hour. So the page is told how long its challenge stays fresh
(`challenge_fresh_for`, from the signed timestamp): after that, or at the latest when the reporter
sends, proof.js fetches a new challenge from the same origin (views.reporter.challenge) and does the
work again.
"""

import hashlib
import secrets
import time
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction

from tillit.core.clock import now
from tillit.whistle.models import SpentProof

SALT = "tillit.whistle.pow"
MAX_AGE = timedelta(hours=1)
REFRESH_AFTER = timedelta(minutes=50)  # the page renews its challenge well before MAX_AGE
MAX_CHALLENGE_LENGTH = 200
MAX_COUNTER_LENGTH = 20


class ProofError(ValueError):
    """The proof is missing, forged, too old, too weak or already used."""


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def challenge_new(bits: int | None = None) -> str:
    """A fresh challenge for a form: `<nonce>.<bits>:<timestamp>:<signature>`."""
    bits = settings.WHISTLE_POW_BITS if bits is None else bits
    return _signer().sign(f"{secrets.token_urlsafe(16)}.{bits}")


def challenge_bits(challenge: str) -> int:
    """The work the challenge asks for (read from its signed part; 0 if unreadable)."""
    try:
        return int(challenge.split(":", 1)[0].rsplit(".", 1)[1])
    except (IndexError, ValueError):
        return 0


def challenge_issued(challenge: str) -> int | None:
    """When the challenge was issued, in seconds since the epoch (its signer's timestamp, read without
    checking the signature: only a hint for the page); None if unreadable."""
    try:
        return signing.b62_decode(challenge.split(":")[1])
    except (IndexError, ValueError):
        return None


def challenge_fresh_for(challenge: str) -> int:
    """Seconds until the page should fetch a new challenge: REFRESH_AFTER after it was issued, by the
    server's clock (a phone's clock may be wrong). 0 when that time has passed or it is unreadable."""
    issued = challenge_issued(challenge)
    if issued is None:
        return 0
    return max(0, int(issued + REFRESH_AFTER.total_seconds() - time.time()))


def digest(challenge: str, counter: str) -> bytes:
    return hashlib.sha256(f"{challenge}:{counter}".encode()).digest()


def leading_zero_bits(raw: bytes) -> int:
    bits = 0
    for byte in raw:
        if byte == 0:
            bits += 8
            continue
        return bits + 8 - byte.bit_length()
    return bits


def solve(challenge: str, bits: int | None = None) -> str:
    """The smallest counter that meets the challenge (what proof.js does; tests use it)."""
    bits = challenge_bits(challenge) if bits is None else bits
    counter = 0
    while leading_zero_bits(digest(challenge, str(counter))) < bits:
        counter += 1
    return str(counter)


def proof_check(challenge: str, counter: str) -> None:
    """Raise ProofError unless the challenge is ours, fresh, asks for enough work and is met."""
    if not challenge or not counter:
        raise ProofError("missing")
    if len(challenge) > MAX_CHALLENGE_LENGTH or len(counter) > MAX_COUNTER_LENGTH or not counter.isascii():
        raise ProofError("malformed")
    try:
        _signer().unsign(challenge, max_age=MAX_AGE)
    except signing.SignatureExpired as error:
        raise ProofError("expired") from error
    except signing.BadSignature as error:
        raise ProofError("forged") from error
    bits = challenge_bits(challenge)
    if bits < settings.WHISTLE_POW_BITS:
        raise ProofError("too weak")
    if leading_zero_bits(digest(challenge, counter)) < bits:
        raise ProofError("not met")


def _mark_expiry(moment: datetime) -> datetime:
    """What a spent mark may show of its moment: the next full hour after it (UTC), plus MAX_AGE. Never
    earlier than `moment + MAX_AGE`, so a mark outlives every challenge it stands for."""
    hour = moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    return hour + timedelta(hours=1) + MAX_AGE


def proof_spend(challenge: str) -> None:
    """Mark the challenge used; ProofError if it already was. Expired marks are cleared on the way
    (a challenge older than MAX_AGE fails its signature check anyway)."""
    moment = now()
    SpentProof.objects.filter(expires_at__lt=moment).delete()
    try:
        with transaction.atomic():
            SpentProof.objects.create(
                digest=hashlib.sha256(challenge.encode()).hexdigest(), expires_at=_mark_expiry(moment)
            )
    except IntegrityError as error:
        raise ProofError("reused") from error


def proof_accept(challenge: str, counter: str) -> None:
    """Check and spend in one go: the form's one call."""
    proof_check(challenge, counter)
    proof_spend(challenge)
