from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tillit.agreements.models import Purpose
from tillit.audit.enums import AuditAction
from tillit.audit.services import audit_record
from tillit.chain.access import Access

MAX_PURPOSE_LENGTH = 4000


def _clean_text(value: str) -> str:
    # Keep the person's paragraphs; trim only the ends and trailing spaces of lines.
    return "\n".join(line.rstrip() for line in (value or "").strip().splitlines())


@transaction.atomic
def purpose_write(
    *, actor, access: Access, unit, statement: str, serves: str = "", valued: str = ""
) -> Purpose:
    """Write a new version of a unit's purpose. Only the unit's own people write it."""
    if not access.can_write(unit):
        raise PermissionDenied(_("Only the unit's own people can write its purpose."))
    if unit.closed_at is not None:
        raise ValidationError(_("A closed unit's purpose cannot be changed."))
    fields = {
        "statement": _clean_text(statement),
        "serves": _clean_text(serves),
        "valued": _clean_text(valued),
    }
    if not fields["statement"]:
        raise ValidationError({"statement": _("Describe what the work is for.")})
    for name, text in fields.items():
        if len(text) > MAX_PURPOSE_LENGTH:
            raise ValidationError(
                {name: _("Keep it under %(limit)d characters.") % {"limit": MAX_PURPOSE_LENGTH}}
            )
    current = Purpose.objects.select_for_update().filter(unit=unit).order_by("-version").first()
    if current is not None and all(getattr(current, name) == text for name, text in fields.items()):
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
        before={name: getattr(current, name) for name in fields} if current else None,
        after=fields,
    )
    return purpose
