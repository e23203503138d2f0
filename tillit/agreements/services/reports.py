"""Reports that a qualitative boundary of an agreement in force was crossed (an off-limits event)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tillit.agreements import rules
from tillit.agreements.models import AgreementState, Boundary, BoundaryKind, BoundaryReport
from tillit.agreements.selectors import has_role_here_or_above
from tillit.agreements.services.inputs import MAX_COMMENT_LENGTH, clean_required
from tillit.audit.enums import AuditAction
from tillit.audit.services import audit_record
from tillit.chain.access import Access
from tillit.core.clock import today
from tillit.core.permissions import require
from tillit.dialogue.services import joint_look_open_for_report


@transaction.atomic
def boundary_report_create(
    *, actor, access: Access, boundary: Boundary, occurred_on: date, description: str
) -> BoundaryReport:
    """Report that a qualitative boundary of the agreement in force was crossed (an off-limits event
    happened). Anyone with an active role in the unit or above it in the chain may report; a reader of
    the whole organisation (an auditor) without such a role may not. `occurred_on` cannot be in the
    future."""
    boundary = Boundary.objects.select_related(
        "version", "version__agreement", "version__agreement__unit", "version__agreement__unit__organisation"
    ).get(pk=boundary.pk)
    agreement = boundary.version.agreement
    unit = agreement.unit
    require(rules.can_read_agreement(access, agreement), _("You cannot see this unit."))
    require(
        rules.can_report_boundary(
            access, unit, has_role_here_or_above=has_role_here_or_above(person=actor, unit=unit)
        ),
        _("Only people in the unit or above it in the chain can report that a boundary was crossed."),
    )
    if boundary.kind != BoundaryKind.QUALITATIVE:
        raise ValidationError(_("Indicator boundaries are followed in the data; only events are reported."))
    if boundary.version.state != AgreementState.SIGNED:
        raise ValidationError(_("Only a boundary of the agreement in force can be reported."))
    if occurred_on is None:
        raise ValidationError({"occurred_on": _("Say when it happened.")})
    if occurred_on > today():
        raise ValidationError({"occurred_on": _("The date cannot be in the future.")})
    cleaned = clean_required(
        description, field="description", limit=MAX_COMMENT_LENGTH, missing=_("Describe what happened.")
    )
    report = BoundaryReport.objects.create(
        organisation_id=unit.organisation_id,
        boundary=boundary,
        unit=unit,
        reported_by=actor,
        occurred_on=occurred_on,
        description=cleaned,
    )
    audit_record(
        actor=actor,
        organisation=unit.organisation,
        unit=unit,
        action=AuditAction.BOUNDARY_REPORTED,
        target=report,
        after={
            "boundary": boundary.description,
            "occurred_on": occurred_on.isoformat(),
            "description": cleaned,
        },
    )
    joint_look_open_for_report(report=report)
    return report
