"""What the agreements room's services accept: the limits, the input types (`BoundaryInput`,
`PromiseInput`, `KEEP`) and the cleaning of text, lists, boundaries and support promises.

Each function either returns the cleaned value or raises ValidationError keyed by the field's name."""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tillit.agreements.models import Agreement, BoundaryKind
from tillit.core.text import clean_text

MAX_PURPOSE_LENGTH = 4000
MAX_ITEM_LENGTH = 2000
MAX_ITEMS = 50
MAX_COMMENT_LENGTH = 4000


class _Keep:
    """The default of `agreement_version_update`'s arguments: leave this part as it is."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP = _Keep()


@dataclass(frozen=True)
class BoundaryInput:
    """One boundary (gräns) as given to `agreement_version_update`.

    kind="indicator": `indicator` (an Indicator of the agreement's unit, or its id) with `low` and/or
    `high` (outcomes below `low` or above `high` are off-limits; low < high); `description` optional.
    kind="qualitative": `description` says in words which event is off-limits; no indicator or values.
    """

    kind: str
    indicator: object = None  # Indicator or its id
    low: float | None = None
    high: float | None = None
    description: str = ""

    @property
    def indicator_id(self) -> int | None:
        if self.indicator is None:
            return None
        return getattr(self.indicator, "pk", self.indicator)


@dataclass(frozen=True)
class PromiseInput:
    """One support promise (stödlöfte) of the level above, e.g. "we answer an obstacle within 10 working
    days" with response_working_days=10 (optional)."""

    text: str
    response_working_days: int | None = None


def _too_long(field: str, limit: int, *, each: bool = False) -> ValidationError:
    if each:
        return ValidationError({field: _("Keep each item under %(limit)d characters.") % {"limit": limit}})
    return ValidationError({field: _("Keep it under %(limit)d characters.") % {"limit": limit}})


def _too_many(field: str) -> ValidationError:
    return ValidationError({field: _("Keep the list under %(limit)d items.") % {"limit": MAX_ITEMS}})


def clean_limited(text, *, field: str, limit: int) -> str:
    """The text cleaned (see `clean_text`), refused when longer than `limit`; may be empty."""
    cleaned = clean_text(text)
    if len(cleaned) > limit:
        raise _too_long(field, limit)
    return cleaned


def clean_required(text, *, field: str, limit: int, missing: str) -> str:
    """The text cleaned and limited as `clean_limited`; `missing` is the error when it is empty."""
    cleaned = clean_limited(text, field=field, limit=limit)
    if not cleaned:
        raise ValidationError({field: missing})
    return cleaned


def clean_items(items: Sequence[str], *, field: str) -> list[str]:
    cleaned = [clean_text(text) for text in items]
    cleaned = [text for text in cleaned if text]
    if len(cleaned) > MAX_ITEMS:
        raise _too_many(field)
    for text in cleaned:
        if len(text) > MAX_ITEM_LENGTH:
            raise _too_long(field, MAX_ITEM_LENGTH, each=True)
    return cleaned


def _as_boundary(value) -> BoundaryInput:
    if isinstance(value, BoundaryInput):
        return value
    if isinstance(value, Mapping):
        data = dict(value)
        if "indicator_id" in data and "indicator" not in data:
            data["indicator"] = data.pop("indicator_id")
        return BoundaryInput(**data)
    raise TypeError(f"A boundary must be a BoundaryInput or a mapping, not {type(value).__name__}")


def _as_promise(value) -> PromiseInput:
    if isinstance(value, PromiseInput):
        return value
    if isinstance(value, Mapping):
        return PromiseInput(**value)
    if isinstance(value, str):
        return PromiseInput(text=value)
    raise TypeError(f"A support promise must be a PromiseInput or a mapping, not {type(value).__name__}")


def _number(value, *, field: str) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError({field: _("Write the value as a number, e.g. 2,5.")}) from None
    if not math.isfinite(number):
        raise ValidationError({field: _("Write the value as a number, e.g. 2,5.")})
    return number


def _indicator_error(message: str, indicator) -> ValidationError:
    return ValidationError({"boundaries": message % {"indicator": indicator.name}})


def _clean_indicator_boundary(boundary: BoundaryInput, *, indicator, description: str) -> BoundaryInput:
    if indicator is None:
        raise ValidationError(
            {"boundaries": _("A boundary can only use an indicator that the unit itself follows.")}
        )
    low = _number(boundary.low, field="boundaries")
    high = _number(boundary.high, field="boundaries")
    if low is None and high is None:
        raise _indicator_error(
            _("Give a lower or an upper off-limits value (or both) for %(indicator)s."), indicator
        )
    if low is not None and high is not None and not low < high:
        raise _indicator_error(
            _("For %(indicator)s the lower off-limits value must be below the upper one."), indicator
        )
    return BoundaryInput(
        kind=BoundaryKind.INDICATOR, indicator=indicator, low=low, high=high, description=description
    )


def clean_boundaries(boundaries, *, agreement: Agreement) -> list[BoundaryInput]:
    from tillit.indicators.models import Indicator

    given = [_as_boundary(value) for value in boundaries]
    if len(given) > MAX_ITEMS:
        raise _too_many("boundaries")
    indicator_ids = {b.indicator_id for b in given if b.kind == BoundaryKind.INDICATOR and b.indicator_id}
    indicators = {
        indicator.pk: indicator
        for indicator in Indicator.objects.filter(
            pk__in=indicator_ids, organisation_id=agreement.organisation_id, unit_id=agreement.unit_id
        )
    }
    cleaned: list[BoundaryInput] = []
    seen_indicators: set[int] = set()
    for boundary in given:
        description = clean_text(boundary.description)
        if len(description) > MAX_ITEM_LENGTH:
            raise _too_long("boundaries", MAX_ITEM_LENGTH, each=True)
        if boundary.kind == BoundaryKind.QUALITATIVE:
            if boundary.indicator_id is not None or boundary.low is not None or boundary.high is not None:
                raise ValidationError(
                    {"boundaries": _("A boundary described in words has no indicator or values.")}
                )
            if not description:
                raise ValidationError({"boundaries": _("Describe in words which event is off-limits.")})
            cleaned.append(BoundaryInput(kind=BoundaryKind.QUALITATIVE, description=description))
        elif boundary.kind == BoundaryKind.INDICATOR:
            indicator = indicators.get(boundary.indicator_id)
            cleaned_boundary = _clean_indicator_boundary(
                boundary, indicator=indicator, description=description
            )
            if indicator.pk in seen_indicators:
                raise _indicator_error(
                    _("%(indicator)s has more than one boundary; combine them into one."), indicator
                )
            seen_indicators.add(indicator.pk)
            cleaned.append(cleaned_boundary)
        else:
            raise ValidationError({"boundaries": _("Unknown kind of boundary.")})
    return cleaned


def clean_promises(promises) -> list[PromiseInput]:
    given = [_as_promise(value) for value in promises]
    cleaned = []
    for promise in given:
        text = clean_text(promise.text)
        if not text:
            if promise.response_working_days is not None:
                raise ValidationError({"support_promises": _("Say what the level above promises.")})
            continue
        if len(text) > MAX_ITEM_LENGTH:
            raise _too_long("support_promises", MAX_ITEM_LENGTH, each=True)
        days = promise.response_working_days
        if days is not None and (int(days) != days or not 1 <= int(days) <= 365):
            raise ValidationError(
                {"support_promises": _("Give the answer time as a whole number of working days, 1 to 365.")}
            )
        cleaned.append(PromiseInput(text=text, response_working_days=int(days) if days is not None else None))
    if len(cleaned) > MAX_ITEMS:
        raise _too_many("support_promises")
    return cleaned
