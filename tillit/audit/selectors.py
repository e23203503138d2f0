from django.db.models import QuerySet

from tillit.audit.models import AuditEvent


def audit_events_for_unit(*, unit) -> QuerySet[AuditEvent]:
    """The unit's own audit log: events about the unit and the people and roles in it."""
    return (
        AuditEvent.objects.filter(organisation_id=unit.organisation_id, unit=unit)
        .select_related("actor")
        .order_by("-created_at", "-id")
    )
