"""The audit log's one write path. A service records a state change with `audit_record`, or wraps it in
`audit_change`, which takes the snapshot before and after itself; `snapshot` turns a row's audited
fields into JSON."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from django.db import models

from tillit.audit.enums import AuditAction
from tillit.audit.models import AuditEvent


def _json(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(instance: models.Model, *fields: str, **values: Any) -> dict[str, Any]:
    """The audited state of `instance`: the named attributes (dates as ISO text, rows as their id), and
    any computed values given by name (lists of related rows, say)."""
    return {name: _json(getattr(instance, name)) for name in fields} | values


def audit_record(
    *,
    actor,
    organisation,
    action: AuditAction,
    target: models.Model,
    unit=None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the audit log. Called by services inside their transaction."""
    return AuditEvent.objects.create(
        organisation=organisation,
        unit=unit,
        actor=actor if actor is not None and actor.pk else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=target.pk,
        target_label=str(target)[:300],
        before=before,
        after=after,
    )


@contextmanager
def audit_change(
    *,
    actor,
    action: AuditAction,
    target: models.Model,
    state: Callable[[], dict[str, Any]],
    unit=None,
    organisation=None,
) -> Iterator[dict[str, Any]]:
    """Record the change made inside the block: `state()` is read before and after it. The block may add
    to the yielded dict what the event should say besides the state (a reason, say)."""
    before = state()
    extra: dict[str, Any] = {}
    yield extra
    audit_record(
        actor=actor,
        organisation=organisation or target.organisation,
        unit=unit,
        action=action,
        target=target,
        before=before,
        after=state() | extra,
    )
