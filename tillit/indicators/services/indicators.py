"""Indicators: start following one, change its description, retire it."""

import math

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tillit.audit.enums import AuditAction
from tillit.audit.services import audit_record, snapshot
from tillit.chain.access import Access
from tillit.core.clock import now
from tillit.core.permissions import require
from tillit.core.rows import locked
from tillit.core.text import clean_line, clean_text
from tillit.followup.services import analysis_forget, analysis_schedule
from tillit.indicators import rules
from tillit.indicators.enums import WITH_DENOMINATOR, DataType, Direction, Frequency, Origin
from tillit.indicators.models import Indicator
from tillit.indicators.selectors import indicator_has_data, unit_has_indicator_named


def require_indicator_change(access: Access, unit) -> None:
    """Refuse unless the person may change the unit's indicators and data (shared by every write)."""
    require(
        rules.can_change_indicators(access, unit),
        _("Only the unit's own people can change its indicators and data."),
    )


INDICATOR_FIELDS = (
    "name",
    "definition",
    "purpose_link",
    "data_type",
    "direction",
    "frequency",
    "measure_label",
    "scale",
    "origin",
    "required_by",
)


def _indicator_fields(*, unit, indicator_id: int | None, **values) -> dict:
    """Cleaned and checked fields of an indicator; every problem at once, by field."""
    errors: dict[str, list[str]] = {}

    def problem(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    cleaned = {
        "name": clean_line(values["name"]),
        "definition": clean_text(values["definition"]),
        "purpose_link": clean_text(values["purpose_link"]),
        "data_type": values["data_type"],
        "direction": values["direction"] or Direction.NEUTRAL,
        "frequency": values["frequency"],
        "measure_label": clean_line(values["measure_label"]),
        "origin": values["origin"],
        "required_by": clean_line(values["required_by"]),
    }
    if not cleaned["name"]:
        problem("name", _("Enter a name."))
    elif len(cleaned["name"]) > 200:
        problem("name", _("The name can be at most 200 characters."))
    elif unit_has_indicator_named(unit=unit, name=cleaned["name"], other_than=indicator_id):
        problem("name", _("The unit already has an indicator with this name."))
    if not cleaned["definition"]:
        problem("definition", _("Define what is counted or measured, and how."))
    if not cleaned["purpose_link"]:
        problem("purpose_link", _("Say which part of the unit's purpose this data tells about."))
    if cleaned["data_type"] not in DataType.values:
        problem("data_type", _("Choose a data type."))
    if cleaned["direction"] not in Direction.values:
        problem("direction", _("Choose an improvement direction, or none."))
    if cleaned["frequency"] not in Frequency.values:
        problem("frequency", _("Choose how often the data is collected."))
    if len(cleaned["measure_label"]) > 60:
        problem("measure_label", _("The unit of measure can be at most 60 characters."))
    if cleaned["origin"] not in Origin.values:
        problem("origin", _("Say who asked for this data."))
    elif cleaned["origin"] == Origin.EXTERNAL and not cleaned["required_by"]:
        problem("required_by", _("Say who requires this data from outside the unit."))
    elif cleaned["origin"] == Origin.UNIT:
        cleaned["required_by"] = ""
    if len(cleaned["required_by"]) > 200:
        problem("required_by", _("Keep it under 200 characters."))
    scale = values.get("scale")
    scale = 1.0 if scale in (None, "") else scale
    try:
        scale = float(scale)
    except (TypeError, ValueError):
        scale = math.nan
    if not math.isfinite(scale) or scale <= 0:
        problem("scale", _("Show the values per a positive number, e.g. 100 for per cent."))
    elif cleaned["data_type"] not in WITH_DENOMINATOR and scale != 1.0:
        problem("scale", _("Only proportions and rates are shown per 100 or per 1000."))
    cleaned["scale"] = scale
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def indicator_create(
    *,
    actor,
    access: Access,
    unit,
    name: str,
    definition: str,
    purpose_link: str,
    data_type: str,
    direction: str,
    frequency: str,
    measure_label: str = "",
    origin: str,
    required_by: str = "",
    scale: float = 1.0,
) -> Indicator:
    """Start following an indicator in a unit. The unit's own people choose their data."""
    require_indicator_change(access, unit)
    if unit.closed_at is not None:
        raise ValidationError(_("A closed unit cannot get new indicators."))
    fields = _indicator_fields(
        unit=unit,
        indicator_id=None,
        name=name,
        definition=definition,
        purpose_link=purpose_link,
        data_type=data_type,
        direction=direction,
        frequency=frequency,
        measure_label=measure_label,
        origin=origin,
        required_by=required_by,
        scale=scale,
    )
    indicator = Indicator.objects.create(
        organisation_id=unit.organisation_id,
        unit=unit,
        created_by=actor if actor is not None and actor.pk else None,
        **fields,
    )
    audit_record(
        actor=actor,
        organisation=unit.organisation,
        unit=unit,
        action=AuditAction.INDICATOR_CREATED,
        target=indicator,
        after=fields,
    )
    return indicator


@transaction.atomic
def indicator_update(*, actor, access: Access, indicator: Indicator, **changes) -> Indicator:
    """Change an indicator's description. The data type and frequency are fixed once data exists."""
    unknown = set(changes) - set(INDICATOR_FIELDS)
    if unknown:
        raise TypeError(f"indicator_update() got unexpected fields: {sorted(unknown)}")
    indicator = locked(Indicator.objects.select_related("unit"), pk=indicator.pk)
    require_indicator_change(access, indicator.unit)
    if indicator.retired_at is not None:
        raise ValidationError(_("A retired indicator cannot be changed."))
    before = snapshot(indicator, *INDICATOR_FIELDS)
    fields = _indicator_fields(unit=indicator.unit, indicator_id=indicator.pk, **(before | changes))
    has_data = indicator_has_data(indicator=indicator)
    fixed = {
        name: _("The data type cannot change once data is recorded: retire it and start a new one.")
        if name == "data_type"
        else _("The frequency cannot change once data is recorded: retire it and start a new one.")
        for name in ("data_type", "frequency")
        if has_data and fields[name] != before[name]
    }
    if fixed:
        raise ValidationError(fixed)
    changed = {name: value for name, value in fields.items() if value != before[name]}
    if not changed:
        return indicator
    for name, value in changed.items():
        setattr(indicator, name, value)
    indicator.save(update_fields=list(changed))
    audit_record(
        actor=actor,
        organisation=indicator.unit.organisation,
        unit=indicator.unit,
        action=AuditAction.INDICATOR_UPDATED,
        target=indicator,
        before={name: before[name] for name in changed},
        after=changed,
    )
    if {"data_type", "scale"} & set(changed):
        analysis_schedule(organisation_id=indicator.organisation_id, indicator_ids=[indicator.pk])
    return indicator


@transaction.atomic
def indicator_retire(*, actor, access: Access, indicator: Indicator) -> Indicator:
    """Stop following an indicator: its data and history are kept, nothing new is recorded."""
    indicator = locked(Indicator.objects.select_related("unit"), pk=indicator.pk)
    require_indicator_change(access, indicator.unit)
    if indicator.retired_at is not None:
        raise ValidationError(_("The indicator is already retired."))
    indicator.retired_at = now()
    indicator.save(update_fields=["retired_at"])
    audit_record(
        actor=actor,
        organisation=indicator.unit.organisation,
        unit=indicator.unit,
        action=AuditAction.INDICATOR_RETIRED,
        target=indicator,
        before={"retired_at": None},
        after={"retired_at": indicator.retired_at.isoformat()},
    )
    analysis_forget(organisation_id=indicator.organisation_id, indicator_ids=[indicator.pk])
    return indicator
