"""The one clock: every service asks `now()` or `today()`, never `timezone.now()` itself.

The demo writes three years of history and tests pin a moment; both wrap their writes in
`frozen_at(moment)` instead of passing `at=` through every service.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime

from django.utils import timezone

_frozen: ContextVar[datetime | None] = ContextVar("tillit_clock_frozen", default=None)


def now() -> datetime:
    """The current moment: the frozen one inside `frozen_at`, else the real one (aware, UTC)."""
    return _frozen.get() or timezone.now()


def today() -> date:
    """Today's date in the installation's time zone, by `now()`."""
    return timezone.localdate(now())


@contextmanager
def frozen_at(moment: datetime) -> Iterator[datetime]:
    """Within this block `now()` answers `moment` (an aware datetime)."""
    if timezone.is_naive(moment):
        raise ValueError("frozen_at needs an aware datetime")
    token = _frozen.set(moment)
    try:
        yield moment
    finally:
        _frozen.reset(token)
