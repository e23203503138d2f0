"""Observation files: keep an upload for its preview, and apply it through the one write path."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tillit.chain.access import Access
from tillit.core.imports import MAX_FILE_BYTES, ApplyRefusals, sha256, too_large_message, upload_apply
from tillit.core.rows import locked
from tillit.indicators.enums import ChangeSource
from tillit.indicators.models import ObservationImport
from tillit.indicators.selectors.imports import observation_import_preview
from tillit.indicators.services.indicators import require_indicator_change
from tillit.indicators.services.observations import observations_record_for_unit


@transaction.atomic
def observation_import_create(
    *, actor, access: Access, unit, filename: str, content: bytes
) -> ObservationImport:
    """Keep an uploaded file for its preview. Nothing is recorded until it is applied."""
    require_indicator_change(access, unit)
    if unit.closed_at is not None:
        raise ValidationError(_("A closed unit's data cannot be changed."))
    if len(content) > MAX_FILE_BYTES:
        raise ValidationError({"file": too_large_message()})
    if not content:
        raise ValidationError({"file": _("The file is empty.")})
    return ObservationImport.objects.create(
        organisation_id=unit.organisation_id,
        unit=unit,
        filename=(filename or "")[-255:],
        sha256=sha256(content),
        content=content,
        uploaded_by=actor if actor is not None and actor.pk else None,
    )


REFUSALS = ApplyRefusals(
    applied=gettext_lazy("This file has already been applied."),
    empty=gettext_lazy("The file has no values to record."),
    line=lambda problem: _("Line %(line)d: %(reason)s") % {"line": problem.line, "reason": problem.message},
)


@transaction.atomic
def observation_import_apply(
    *, actor, access: Access, observation_import: ObservationImport
) -> dict[str, dict[str, int]]:
    """Apply a previewed file, all or nothing: exactly the stored content, checked again."""
    observation_import = locked(
        ObservationImport.objects.select_related("unit__organisation"), pk=observation_import.pk
    )
    unit = observation_import.unit
    require_indicator_change(access, unit)

    def apply(preview) -> dict[str, dict[str, int]]:
        summaries = observations_record_for_unit(
            actor=actor,
            access=access,
            unit=unit,
            entries=preview.entries,
            source=ChangeSource.IMPORT,
            keep_comments=not preview.parsed.has_comment_column,
        )
        names = {item.indicator.pk: item.indicator.name for item in preview.indicators}
        observation_import.summary = {
            names[pk]: {"created": s.created, "changed": s.changed, "unchanged": s.unchanged}
            for pk, s in summaries.items()
        }
        observation_import.applied_by = actor if actor is not None and actor.pk else None
        observation_import.save(update_fields=["summary", "applied_at", "applied_by"])
        return observation_import.summary

    return upload_apply(
        upload=observation_import,
        preview_of=lambda: observation_import_preview(observation_import=observation_import),
        apply=apply,
        refusals=REFUSALS,
    )
