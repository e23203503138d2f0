"""Narratives: the unit's own words for a month (vad ser vi?)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tillit.audit.enums import AuditAction
from tillit.audit.services import audit_record, snapshot
from tillit.chain.access import Access
from tillit.core.clock import today
from tillit.core.text import clean_text
from tillit.indicators.models import Narrative
from tillit.indicators.services.indicators import require_indicator_change

MAX_NARRATIVE_LENGTH = 4000


@transaction.atomic
def narrative_write(*, actor, access: Access, unit, period: date, text: str) -> Narrative | None:
    """Write the unit's words for a period (vad ser vi?). Empty text removes the period's narrative."""
    require_indicator_change(access, unit)
    if unit.closed_at is not None:
        raise ValidationError(_("A closed unit's narratives cannot be changed."))
    if actor is None or not actor.pk:
        raise ValueError("A narrative has an author: pass the person who writes it.")
    if not isinstance(period, date) or period.day != 1:
        raise ValidationError({"period": _("Choose a month.")})
    if period > today().replace(day=1):
        raise ValidationError({"period": _("The period has not started yet.")})
    text = clean_text(text)
    if len(text) > MAX_NARRATIVE_LENGTH:
        raise ValidationError(
            {"text": _("Keep it under %(limit)d characters.") % {"limit": MAX_NARRATIVE_LENGTH}}
        )
    current = Narrative.objects.select_for_update().filter(unit=unit, period=period).first()
    before = snapshot(current, "text", author=current.author_id) if current else None
    if current is None and not text:
        raise ValidationError({"text": _("Write what you see in this period.")})
    if current is not None and current.text == text:
        return current
    if text and current is None:
        current = Narrative.objects.create(
            organisation_id=unit.organisation_id, unit=unit, period=period, text=text, author=actor
        )
    elif text:
        current.text = text
        current.author = actor
        current.save(update_fields=["text", "author", "updated_at"])
    audit_record(
        actor=actor,
        organisation=unit.organisation,
        unit=unit,
        action=AuditAction.NARRATIVE_WRITTEN,
        target=current,
        before=before,
        after=snapshot(current, "text", author=actor.pk) if text else None,
    )
    if not text:
        current.delete()
        return None
    return current
