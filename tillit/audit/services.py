from typing import Any

from django.db import models

from tillit.audit.enums import AuditAction
from tillit.audit.models import AuditEvent


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
