"""Rate counters for the reporter host, kept in this process's memory only (W-02, W-13; T-01, T-10, T-17).

A reporter's address must reach no database, log, cache or e-mail, so the counters live here: a
dictionary keyed by an HMAC of the address under a key drawn at start-up, which is never written
anywhere. A dump of the process's memory shows only HMACs that die with it; an entry is forgotten at
the end of its window (at most an hour). With several web workers each counts on its own, so the
limits per installation are the limits below times the number of workers.

Only the peer's address counts (`REMOTE_ADDR`): X-Forwarded-For is the client's to forge (T-10). The
one exception is a reverse proxy named in WHISTLE_TRUSTED_PROXIES (default: none): for a request from
it, the last X-Forwarded-For entry counts, the address that proxy itself saw. Without that setting,
behind a proxy every request would count as the proxy's, and one flood would throttle everyone.

Argon2 (a receipt's check) takes WHISTLE_KDF_MEMLIMIT of memory per run, 64 MiB by default, so the runs
a process makes at once are bounded too (`argon2_slot`): a burst of sign-ins waits a little for a free
slot, then is told to try again (503), instead of exhausting the server's memory.
"""

import hashlib
import hmac
import ipaddress
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings

_PROCESS_KEY = secrets.token_bytes(32)
_MAX_ENTRIES = 50_000  # beyond this, expired entries are swept before a new one is added


@dataclass
class _Window:
    ends: float
    count: int


class Counter:
    """At most `limit` events per `window` seconds per key (a fixed window starting at the first)."""

    def __init__(self, name: str, *, limit: int, window: int):
        self.name = name
        self.limit = limit
        self.window = window
        self._entries: dict[bytes, _Window] = {}
        self._lock = threading.Lock()

    def _key(self, key: str) -> bytes:
        return hmac.new(_PROCESS_KEY, f"{self.name}\0{key}".encode(), hashlib.sha256).digest()[:16]

    def _live(self, digest: bytes, moment: float) -> _Window | None:
        entry = self._entries.get(digest)
        if entry is not None and entry.ends <= moment:
            del self._entries[digest]
            return None
        return entry

    def _sweep(self, moment: float) -> None:
        for digest in [digest for digest, entry in self._entries.items() if entry.ends <= moment]:
            del self._entries[digest]

    def count(self, key: str) -> int:
        with self._lock:
            entry = self._live(self._key(key), time.monotonic())
            return entry.count if entry else 0

    def blocked(self, key: str, limit: int | None = None) -> bool:
        """True when the key has used up its window (nothing is counted)."""
        return self.count(key) >= (self.limit if limit is None else limit)

    def hit(self, key: str) -> None:
        """Count one event, whatever the count."""
        self._add(key, limit=None)

    def take(self, key: str, limit: int | None = None) -> bool:
        """Count one event if the key is below `limit` (the counter's own by default); False, and
        nothing counted, if it is not."""
        return self._add(key, limit=self.limit if limit is None else limit)

    def _add(self, key: str, *, limit: int | None) -> bool:
        moment = time.monotonic()
        digest = self._key(key)
        with self._lock:
            entry = self._live(digest, moment)
            if entry is None:
                if len(self._entries) >= _MAX_ENTRIES:
                    self._sweep(moment)
                entry = self._entries[digest] = _Window(ends=moment + self.window, count=0)
            if limit is not None and entry.count >= limit:
                return False
            entry.count += 1
            return True

    def give_back(self, key: str) -> None:
        """Undo one `take` (the event did not happen after all)."""
        with self._lock:
            entry = self._live(self._key(key), time.monotonic())
            if entry is not None and entry.count > 0:
                entry.count -= 1

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def client_key(request) -> str:
    """Whom a request counts for: its peer address (or, from a trusted proxy, the address that proxy
    saw), an IPv6 address by its /64 (one subscriber's network). Never a header the client writes."""
    address = request.META.get("REMOTE_ADDR", "")
    if address and address in settings.WHISTLE_TRUSTED_PROXIES:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        address = hops[-1] if hops[-1] else address  # the proxy appends the peer it saw: only that one
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


HOUR = 60 * 60

# Report form posts per address and hour (each may carry up to WHISTLE_MAX_FILES large files).
submissions_by_address = Counter("submit-address", limit=20, window=HOUR)
# Reports accepted per channel and hour; the limit is the channel's `reports_per_hour`.
reports_by_channel = Counter("reports-channel", limit=30, window=HOUR)
# A flood is logged for the administrators once per channel and hour, not once per refusal.
floods_logged = Counter("flood-logged", limit=1, window=HOUR)
# Inbox posts per address and hour, counted before the body is read (a signed-in reporter's message
# may carry up to WHISTLE_MAX_FILES large files; a sign-in is a post too).
inbox_posts_by_address = Counter("inbox-address", limit=30, window=HOUR)
# Receipt sign-ins that failed (T-10), per address in ten minutes and per channel in an hour. An attempt
# takes its slot before Argon2 runs and gives it back when the receipt is right, so parallel guesses
# cannot all pass a check made before the first of them fails. The cap is per channel: a flood of
# guesses at one channel locks out no reporter of another.
sign_in_failures_by_address = Counter("sign-in-address", limit=10, window=10 * 60)
sign_in_failures_by_channel = Counter("sign-in-channel", limit=300, window=HOUR)

ALL = (
    submissions_by_address,
    reports_by_channel,
    floods_logged,
    inbox_posts_by_address,
    sign_in_failures_by_address,
    sign_in_failures_by_channel,
)

# At most this many receipt checks (Argon2 runs) at once in this process; a check waits at most
# ARGON2_WAIT_SECONDS for a free slot.
ARGON2_AT_ONCE = 4
ARGON2_WAIT_SECONDS = 2.0
argon2_slots = threading.BoundedSemaphore(ARGON2_AT_ONCE)


class BusyError(Exception):
    """No Argon2 slot came free in time: the request is answered "try again", nothing was checked."""


@contextmanager
def argon2_slot() -> Iterator[None]:
    """Hold one of the process's Argon2 slots for the block; BusyError if none comes free in time."""
    slots = argon2_slots
    if not slots.acquire(timeout=ARGON2_WAIT_SECONDS):
        raise BusyError
    try:
        yield
    finally:
        slots.release()


def reset_all() -> None:
    """Forget every count (tests; a restart does the same)."""
    for counter in ALL:
        counter.clear()
