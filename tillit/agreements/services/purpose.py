"""A unit's purpose (syfte): what the work is for, written by the unit's own people, version by version."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tillit.agreements import rules
from tillit.agreements.models import Purpose
from tillit.agreements.services.inputs import MAX_PURPOSE_LENGTH, clean_limited
from tillit.audit.enums import AuditAction
from tillit.audit.services import audit_record, snapshot
from tillit.chain.access import Access
from tillit.core.permissions import require
from tillit.core.text import clean_text

PURPOSE_FIELDS = ("statement", "serves", "valued")


@transaction.atomic
def purpose_write(
    *, actor, access: Access, unit, statement: str, serves: str = "", valued: str = ""
) -> Purpose:
    """Write a new version of a unit's purpose. Only the unit's own people write it."""
    require(rules.can_write_purpose(access, unit), _("Only the unit's own people can write its purpose."))
    if unit.closed_at is not None:
        raise ValidationError(_("A closed unit's purpose cannot be changed."))
    fields = {"statement": clean_text(statement), "serves": clean_text(serves), "valued": clean_text(valued)}
    if not fields["statement"]:
        raise ValidationError({"statement": _("Describe what the work is for.")})
    for name, text in fields.items():
        clean_limited(text, field=name, limit=MAX_PURPOSE_LENGTH)
    current = Purpose.objects.select_for_update().filter(unit=unit).order_by("-version").first()
    if current is not None and snapshot(current, *PURPOSE_FIELDS) == fields:
        return current  # nothing changed: no new version, no audit noise
    purpose = Purpose.objects.create(
        organisation_id=unit.organisation_id,
        unit=unit,
        version=(current.version + 1) if current else 1,
        author=actor,
        **fields,
    )
    audit_record(
        actor=actor,
        organisation=unit.organisation,
        unit=unit,
        action=AuditAction.PURPOSE_WRITTEN,
        target=purpose,
        before=snapshot(current, *PURPOSE_FIELDS) if current else None,
        after=fields,
    )
    return purpose
