"""Writes of the agreements room: purposes and trust agreements (tillitsöverenskommelser).

A trust agreement is between a unit and the unit directly above it (`unit.parent`). Its content lives in
versions that move draft → proposed → signed (in force) → superseded. One version at a time is open
(draft or proposed); a version becomes signed, in force, when both sides have signed it, and the version
that was in force before is superseded in the same transaction.

Who speaks for a unit (may draft, edit, propose and sign for it): a person with an active membership in
that exact unit whose role can manage. A unit where no active membership has a managing role (a
political body such as a nämnd) is spoken for by its members whose role can write (the chair). The
same person never signs both sides of one version.

Every service takes `actor` (the person acting) and `access` (their `Access`, or None for setup and demo
code). With `access=None` the permission checks that depend on what the person may read are skipped,
but rules that depend on who the actor is (which side they sign for, the same-person rule) still apply.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.agreements.models import (
    OPEN_STATES,
    Agreement,
    AgreementComment,
    AgreementState,
    AgreementVersion,
    Boundary,
    BoundaryKind,
    BoundaryReport,
    MandateItem,
    Purpose,
    Side,
    Signature,
    SupportPromise,
)
from tillit.audit.enums import AuditAction
from tillit.audit.services import audit_record
from tillit.chain.access import Access
from tillit.chain.models import Membership, Unit
from tillit.core.text import clean_text
from tillit.dialogue.services import joint_look_open_for_report
from tillit.followup.services import analysis_schedule_for_unit

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
        "statement": clean_text(statement),
        "serves": clean_text(serves),
        "valued": clean_text(valued),
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


# --- Who speaks for a unit ----------------------------------------------------------------------------


def sides_spoken_for(*, person, agreement: Agreement) -> set[str]:
    """The sides of the agreement this person speaks for (`Side.UNIT`, `Side.UPPER`), from their active
    memberships in the two units (one query). See the module docstring for the rule."""
    if person is None or not getattr(person, "pk", None):
        return set()
    unit_ids = (agreement.unit_id, agreement.upper_unit_id)
    memberships = Membership.objects.filter(
        organisation_id=agreement.organisation_id,
        unit_id__in=unit_ids,
        unit__closed_at__isnull=True,
        ended_at__isnull=True,
    ).values_list("unit_id", "person_id", "role__can_manage", "role__can_write")
    managed_units = {unit_id for unit_id, _person, manages, _writes in memberships if manages}
    sides = set()
    for unit_id, person_id, manages, writes in memberships:
        if person_id != person.pk:
            continue
        speaks = manages or (writes and unit_id not in managed_units)
        if speaks:
            sides.add(Side.UNIT if unit_id == agreement.unit_id else Side.UPPER)
    return sides


def comments_on(*, access: Access, agreement: Agreement) -> bool:
    """Whether the person has an active role in the unit or in the level above (the two parties)."""
    paths = {agreement.unit.path, agreement.upper_unit.path}
    return access.can_read(agreement.unit) and any(path in paths for path in access.member_paths)


def reports_boundaries(*, person, access: Access | None, unit: Unit) -> bool:
    """Whether the person may report a qualitative boundary of the unit: an active role in the unit or
    above it in the chain. A role that only audits or administers the organisation (held at the top of
    the chain) does not count: reading everything is not being part of the relation (one query)."""
    if access is not None and not access.can_read(unit):
        return False
    return (
        Membership.objects.filter(
            person_id=getattr(person, "pk", None),
            organisation_id=unit.organisation_id,
            unit_id__in=[*unit.ancestor_ids, unit.pk],
            unit__closed_at__isnull=True,
            ended_at__isnull=True,
        )
        .exclude(
            Q(role__can_audit=True) | Q(role__can_administer=True),
            role__can_write=False,
            role__can_manage=False,
        )
        .exists()
    )


def _check_reads(access: Access | None, agreement: Agreement) -> None:
    """Outside the person's chain the agreement does not exist for them (404 in the views)."""
    if access is not None and not access.can_read(agreement.unit):
        raise PermissionDenied(_("You cannot see this unit."))


def _check_speaks(*, actor, access: Access | None, agreement: Agreement) -> set[str]:
    _check_reads(access, agreement)
    sides = sides_spoken_for(person=actor, agreement=agreement)
    if access is not None and not sides:
        raise PermissionDenied(
            _("Only the people who speak for the unit or for the level above can change the agreement.")
        )
    return sides


def _check_open_units(agreement: Agreement) -> None:
    if agreement.unit.closed_at is not None or agreement.upper_unit.closed_at is not None:
        raise ValidationError(_("The agreement of a closed unit cannot be changed."))


# --- Snapshots for the audit log ------------------------------------------------------------------------


def _snapshot(version: AgreementVersion) -> dict:
    return {
        "number": version.number,
        "state": version.state,
        "purpose": version.purpose,
        "review_date": version.review_date.isoformat() if version.review_date else None,
        "mandate_items": [item.text for item in version.mandate_items.all()],
        "boundaries": [
            {
                "kind": boundary.kind,
                "indicator_id": boundary.indicator_id,
                "low": boundary.low,
                "high": boundary.high,
                "description": boundary.description,
            }
            for boundary in version.boundaries.all()
        ],
        "support_promises": [
            {"text": promise.text, "response_working_days": promise.response_working_days}
            for promise in version.support_promises.all()
        ],
        "signatures": [
            {"side": signature.side, "person_id": signature.person_id}
            for signature in version.signatures.all()
        ],
    }


def _locked_version(version: AgreementVersion) -> AgreementVersion:
    """The version re-read under a row lock, so that two people signing at once are serialised."""
    return (
        AgreementVersion.objects.select_for_update(of=("self",))
        .select_related("agreement", "agreement__unit", "agreement__upper_unit", "agreement__organisation")
        .get(pk=version.pk)
    )


def _sync(original: AgreementVersion, saved: AgreementVersion) -> None:
    """Bring the caller's instance up to date with the saved one (services lock and re-read)."""
    if original is saved:
        return
    for name in ("state", "purpose", "review_date", "created_at", "proposed_at", "signed_at"):
        setattr(original, name, getattr(saved, name))
    getattr(original, "_prefetched_objects_cache", {}).clear()


def _audit(*, actor, version: AgreementVersion, action, before=None, after=None):
    agreement = version.agreement
    audit_record(
        actor=actor,
        organisation=agreement.organisation,
        unit=agreement.unit,
        action=action,
        target=version,
        before=before,
        after=after,
    )


# --- Drafting ---------------------------------------------------------------------------------------


@transaction.atomic
def agreement_draft(*, actor, access: Access | None, unit: Unit) -> AgreementVersion:
    """Start a new draft version of `unit`'s trust agreement with the level above (`unit.parent`).

    The first draft creates the Agreement. A later draft copies the version in force: its mandate items,
    boundaries and support promises, and its review date if that is still ahead. The purpose text is the
    unit's current Purpose statement (or, if the unit has none, the version in force's text).

    Raises ValidationError for a unit at the top of the chain (it has no level above), a closed unit,
    and when a version is already open (draft or proposed): finish or change that one instead.
    PermissionDenied when `access` is given and the actor does not speak for either side.
    Returns the new draft version.
    """
    if unit.parent_id is None:
        raise ValidationError(_("The top of the chain has no level above to make an agreement with."))
    upper_unit = unit.parent
    if access is not None and not access.can_read(unit):
        raise PermissionDenied(_("You cannot see this unit."))
    agreement, _created = Agreement.objects.get_or_create(
        unit=unit,
        upper_unit=upper_unit,
        defaults={"organisation_id": unit.organisation_id},
    )
    agreement = (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("organisation", "unit", "upper_unit")
        .get(pk=agreement.pk)
    )
    _check_speaks(actor=actor, access=access, agreement=agreement)
    _check_open_units(agreement)
    versions = AgreementVersion.objects.filter(agreement=agreement)
    if versions.filter(state__in=OPEN_STATES).exists():
        raise ValidationError(
            _("A version of this agreement is already being worked on. Continue with that one.")
        )
    in_force = (
        versions.filter(state=AgreementState.SIGNED)
        .prefetch_related("mandate_items", "boundaries", "support_promises")
        .first()
    )
    current_purpose = (
        Purpose.objects.filter(unit=unit, organisation_id=unit.organisation_id).order_by("-version").first()
    )
    if current_purpose is not None:
        purpose_text = current_purpose.statement
    else:
        purpose_text = in_force.purpose if in_force else ""
    review_date = None
    if in_force is not None and in_force.review_date and in_force.review_date > timezone.localdate():
        review_date = in_force.review_date
    number = (versions.aggregate(highest=Max("number"))["highest"] or 0) + 1
    version = AgreementVersion.objects.create(
        organisation_id=unit.organisation_id,
        agreement=agreement,
        number=number,
        state=AgreementState.DRAFT,
        purpose=purpose_text,
        review_date=review_date,
        created_by=actor,
    )
    if in_force is not None:
        MandateItem.objects.bulk_create(
            MandateItem(version=version, position=item.position, text=item.text)
            for item in in_force.mandate_items.all()
        )
        Boundary.objects.bulk_create(
            Boundary(
                organisation_id=unit.organisation_id,
                version=version,
                position=boundary.position,
                kind=boundary.kind,
                indicator_id=boundary.indicator_id,
                low=boundary.low,
                high=boundary.high,
                description=boundary.description,
            )
            for boundary in in_force.boundaries.all()
        )
        SupportPromise.objects.bulk_create(
            SupportPromise(
                version=version,
                position=promise.position,
                text=promise.text,
                response_working_days=promise.response_working_days,
            )
            for promise in in_force.support_promises.all()
        )
    _audit(
        actor=actor,
        version=version,
        action=AuditAction.AGREEMENT_DRAFTED,
        after=_snapshot(version) | {"copied_from": in_force.number if in_force else None},
    )
    return version


def _clean_items(items: Sequence[str], *, field: str) -> list[str]:
    cleaned = [clean_text(text) for text in items]
    cleaned = [text for text in cleaned if text]
    if len(cleaned) > MAX_ITEMS:
        raise ValidationError({field: _("Keep the list under %(limit)d items.") % {"limit": MAX_ITEMS}})
    for text in cleaned:
        if len(text) > MAX_ITEM_LENGTH:
            raise ValidationError(
                {field: _("Keep each item under %(limit)d characters.") % {"limit": MAX_ITEM_LENGTH}}
            )
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


def _clean_boundaries(boundaries, *, agreement: Agreement) -> list[BoundaryInput]:
    from tillit.indicators.models import Indicator

    given = [_as_boundary(value) for value in boundaries]
    if len(given) > MAX_ITEMS:
        raise ValidationError(
            {"boundaries": _("Keep the list under %(limit)d items.") % {"limit": MAX_ITEMS}}
        )
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
            raise ValidationError(
                {"boundaries": _("Keep each item under %(limit)d characters.") % {"limit": MAX_ITEM_LENGTH}}
            )
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
            if indicator is None:
                raise ValidationError(
                    {"boundaries": _("A boundary can only use an indicator that the unit itself follows.")}
                )
            low = _number(boundary.low, field="boundaries")
            high = _number(boundary.high, field="boundaries")
            if low is None and high is None:
                raise ValidationError(
                    {
                        "boundaries": _(
                            "Give a lower or an upper off-limits value (or both) for %(indicator)s."
                        )
                        % {"indicator": indicator.name}
                    }
                )
            if low is not None and high is not None and not low < high:
                raise ValidationError(
                    {
                        "boundaries": _(
                            "For %(indicator)s the lower off-limits value must be below the upper one."
                        )
                        % {"indicator": indicator.name}
                    }
                )
            if indicator.pk in seen_indicators:
                raise ValidationError(
                    {
                        "boundaries": _("%(indicator)s has more than one boundary; combine them into one.")
                        % {"indicator": indicator.name}
                    }
                )
            seen_indicators.add(indicator.pk)
            cleaned.append(
                BoundaryInput(
                    kind=BoundaryKind.INDICATOR,
                    indicator=indicator,
                    low=low,
                    high=high,
                    description=description,
                )
            )
        else:
            raise ValidationError({"boundaries": _("Unknown kind of boundary.")})
    return cleaned


def _clean_promises(promises) -> list[PromiseInput]:
    given = [_as_promise(value) for value in promises]
    cleaned = []
    for promise in given:
        text = clean_text(promise.text)
        if not text:
            if promise.response_working_days is not None:
                raise ValidationError({"support_promises": _("Say what the level above promises.")})
            continue
        if len(text) > MAX_ITEM_LENGTH:
            raise ValidationError(
                {
                    "support_promises": _("Keep each item under %(limit)d characters.")
                    % {"limit": MAX_ITEM_LENGTH}
                }
            )
        days = promise.response_working_days
        if days is not None and (int(days) != days or not 1 <= int(days) <= 365):
            raise ValidationError(
                {"support_promises": _("Give the answer time as a whole number of working days, 1 to 365.")}
            )
        cleaned.append(PromiseInput(text=text, response_working_days=int(days) if days is not None else None))
    if len(cleaned) > MAX_ITEMS:
        raise ValidationError(
            {"support_promises": _("Keep the list under %(limit)d items.") % {"limit": MAX_ITEMS}}
        )
    return cleaned


@transaction.atomic
def agreement_version_update(
    *,
    actor,
    access: Access | None,
    version: AgreementVersion,
    purpose=KEEP,
    review_date=KEEP,
    mandate_items=KEEP,
    boundaries=KEEP,
    support_promises=KEEP,
) -> AgreementVersion:
    """Change an open version. Every part not given (left as KEEP) stays as it is; a list that is given
    replaces the whole list, in the order given.

    - purpose: str.
    - review_date: a date or None. Must not be in the past (setup code, access=None, may set any date).
    - mandate_items: a sequence of str, what the unit decides itself; blank items are dropped.
    - boundaries: a sequence of `BoundaryInput` (or mappings with its fields). An indicator boundary must
      use an indicator of this unit with a low and/or a high value, low < high, one boundary per
      indicator; a qualitative boundary needs a description.
    - support_promises: a sequence of `PromiseInput` (or mappings, or plain str).

    Editing a proposed version sends it back to draft and removes its signatures: both sides sign what
    they read. Raises ValidationError (keyed by the part's name) for invalid content or a version that is
    no longer open, PermissionDenied when `access` is given and the actor speaks for neither side.
    """
    original, version = version, _locked_version(version)
    agreement = version.agreement
    _check_speaks(actor=actor, access=access, agreement=agreement)
    if version.state not in OPEN_STATES:
        raise ValidationError(_("Only a version that is being worked on can be changed."))
    _check_open_units(agreement)
    before = _snapshot(version)
    if purpose is not KEEP:
        text = clean_text(purpose)
        if len(text) > MAX_PURPOSE_LENGTH:
            raise ValidationError(
                {"purpose": _("Keep it under %(limit)d characters.") % {"limit": MAX_PURPOSE_LENGTH}}
            )
        version.purpose = text
    if review_date is not KEEP:
        if review_date is not None and not isinstance(review_date, date):
            raise ValidationError({"review_date": _("Give the review date as a date.")})
        if isinstance(review_date, datetime):
            review_date = review_date.date()
        if access is not None and review_date is not None and review_date < timezone.localdate():
            raise ValidationError({"review_date": _("The review date cannot be in the past.")})
        version.review_date = review_date
    if mandate_items is not KEEP:
        texts = _clean_items(mandate_items, field="mandate_items")
        version.mandate_items.all().delete()
        MandateItem.objects.bulk_create(
            MandateItem(version=version, position=position, text=text) for position, text in enumerate(texts)
        )
    if boundaries is not KEEP:
        cleaned = _clean_boundaries(boundaries, agreement=agreement)
        version.boundaries.all().delete()
        Boundary.objects.bulk_create(
            Boundary(
                organisation_id=version.organisation_id,
                version=version,
                position=position,
                kind=boundary.kind,
                indicator_id=boundary.indicator_id,
                low=boundary.low,
                high=boundary.high,
                description=boundary.description,
            )
            for position, boundary in enumerate(cleaned)
        )
    if support_promises is not KEEP:
        cleaned_promises = _clean_promises(support_promises)
        version.support_promises.all().delete()
        SupportPromise.objects.bulk_create(
            SupportPromise(
                version=version,
                position=position,
                text=promise.text,
                response_working_days=promise.response_working_days,
            )
            for position, promise in enumerate(cleaned_promises)
        )
    after = _snapshot(version)
    _sync(original, version)
    if after == before:
        return version  # nothing changed: no audit noise, signatures stay
    if version.state == AgreementState.PROPOSED:
        version.state = AgreementState.DRAFT
        version.proposed_at = None
        version.signatures.all().delete()
        after = _snapshot(version)
    version.save()
    _sync(original, version)
    _audit(actor=actor, version=version, action=AuditAction.AGREEMENT_UPDATED, before=before, after=after)
    return version


@transaction.atomic
def agreement_propose(*, actor, access: Access | None, version: AgreementVersion) -> AgreementVersion:
    """Propose a draft to both sides for signing. It needs a purpose, at least one mandate item or
    boundary, and a review date. Proposing an already proposed version changes nothing."""
    original, version = version, _locked_version(version)
    agreement = version.agreement
    _check_speaks(actor=actor, access=access, agreement=agreement)
    _check_open_units(agreement)
    if version.state == AgreementState.PROPOSED:
        return version
    if version.state != AgreementState.DRAFT:
        raise ValidationError(_("Only a draft can be proposed."))
    problems = []
    if not version.purpose.strip():
        problems.append(_("Write the purpose before proposing the agreement."))
    if not version.mandate_items.exists() and not version.boundaries.exists():
        problems.append(_("Add at least one mandate item or boundary before proposing the agreement."))
    if version.review_date is None:
        problems.append(_("Set a review date before proposing the agreement."))
    if problems:
        raise ValidationError(problems)
    before = {"state": version.state}
    version.state = AgreementState.PROPOSED
    version.proposed_at = timezone.now()
    version.save(update_fields=["state", "proposed_at"])
    _sync(original, version)
    _audit(
        actor=actor,
        version=version,
        action=AuditAction.AGREEMENT_PROPOSED,
        before=before,
        after={"state": version.state},
    )
    return version


@transaction.atomic
def agreement_comment(
    *, actor, access: Access | None, version: AgreementVersion, text: str
) -> AgreementComment:
    """Comment on an open version. Anyone with an active role in the unit or in the level above may
    comment: the agreement is a dialogue between both units, not only their managers."""
    version = _locked_version(version)
    agreement = version.agreement
    _check_reads(access, agreement)
    if version.state not in OPEN_STATES:
        raise ValidationError(_("Comments are for versions that are being worked on."))
    if access is not None and not comments_on(access=access, agreement=agreement):
        raise PermissionDenied(_("Only the people of the unit and of the level above can comment."))
    cleaned = clean_text(text)
    if not cleaned:
        raise ValidationError({"text": _("Write a comment.")})
    if len(cleaned) > MAX_COMMENT_LENGTH:
        raise ValidationError(
            {"text": _("Keep it under %(limit)d characters.") % {"limit": MAX_COMMENT_LENGTH}}
        )
    comment = AgreementComment.objects.create(
        organisation_id=version.organisation_id, version=version, author=actor, text=cleaned
    )
    _audit(actor=actor, version=version, action=AuditAction.AGREEMENT_COMMENTED, after={"text": cleaned})
    return comment


@transaction.atomic
def agreement_sign(
    *, actor, access: Access | None, version: AgreementVersion, at: datetime | None = None
) -> Signature:
    """Sign a proposed version for the side the actor speaks for (derived, never chosen).

    When both sides have signed, the version becomes signed, in force (`signed_at` set), and the version
    in force before it is superseded, in this same transaction. The same person cannot sign both sides.
    A person who speaks for both units signs for the unit first.

    `at` (setup code only, access=None) backdates the signature, e.g. for demo history; the version's
    created and proposed times move back to `at` too if they were later.
    Raises ValidationError when the version is not proposed, the actor has already signed, or their
    side is signed already; PermissionDenied when the actor speaks for neither side.
    """
    if at is not None and access is not None:
        raise ValueError("Only setup code may backdate a signature.")
    original, version = version, _locked_version(version)
    agreement = version.agreement
    _check_reads(access, agreement)
    sides = sides_spoken_for(person=actor, agreement=agreement)
    if not sides:
        raise PermissionDenied(
            _("Only the people who speak for the unit or for the level above can sign the agreement.")
        )
    _check_open_units(agreement)
    if version.state != AgreementState.PROPOSED:
        raise ValidationError(_("Only a proposed version can be signed."))
    signatures = {signature.side: signature for signature in version.signatures.all()}
    if any(signature.person_id == actor.pk for signature in signatures.values()):
        raise ValidationError(
            _("You have already signed this version. The other side must be signed by someone else.")
        )
    remaining = [side for side in (Side.UNIT, Side.UPPER) if side in sides and side not in signatures]
    if not remaining:
        raise ValidationError(_("Your side has already signed this version."))
    side = remaining[0]
    signature = Signature.objects.create(
        organisation_id=version.organisation_id, version=version, side=side, person=actor
    )
    if at is not None:
        Signature.objects.filter(pk=signature.pk).update(signed_at=at)
        signature.signed_at = at
        # Demo history: a version signed in the past was also started and proposed by then.
        earlier = {
            name: at
            for name in ("created_at", "proposed_at")
            if getattr(version, name) and getattr(version, name) > at
        }
        if earlier:
            AgreementVersion.objects.filter(pk=version.pk).update(**earlier)
            for name, value in earlier.items():
                setattr(version, name, value)
    _audit(actor=actor, version=version, action=AuditAction.AGREEMENT_SIGNED, after={"side": side})
    signatures[side] = signature
    if set(signatures) == {Side.UNIT, Side.UPPER}:
        previous = (
            AgreementVersion.objects.select_for_update(of=("self",))
            .filter(agreement=agreement, state=AgreementState.SIGNED)
            .first()
        )
        if previous is not None:
            previous.state = AgreementState.SUPERSEDED
            previous.save(update_fields=["state"])
        version.state = AgreementState.SIGNED
        version.signed_at = at or timezone.now()
        version.save(update_fields=["state", "signed_at"])
        _audit(
            actor=actor,
            version=version,
            action=AuditAction.AGREEMENT_IN_FORCE,
            before={"in_force": previous.number if previous else None},
            after={"in_force": version.number},
        )
        analysis_schedule_for_unit(unit=agreement.unit)  # its boundaries are judged from now on
    _sync(original, version)
    return signature


@transaction.atomic
def boundary_report_create(
    *, actor, access: Access | None, boundary: Boundary, occurred_on: date, description: str
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
    _check_reads(access, agreement)
    member_here_or_above = reports_boundaries(person=actor, access=access, unit=unit)
    if not member_here_or_above:
        raise PermissionDenied(
            _("Only people in the unit or above it in the chain can report that a boundary was crossed.")
        )
    if boundary.kind != BoundaryKind.QUALITATIVE:
        raise ValidationError(_("Indicator boundaries are followed in the data; only events are reported."))
    if boundary.version.state != AgreementState.SIGNED:
        raise ValidationError(_("Only a boundary of the agreement in force can be reported."))
    if occurred_on is None:
        raise ValidationError({"occurred_on": _("Say when it happened.")})
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("The date cannot be in the future.")})
    cleaned = clean_text(description)
    if not cleaned:
        raise ValidationError({"description": _("Describe what happened.")})
    if len(cleaned) > MAX_COMMENT_LENGTH:
        raise ValidationError(
            {"description": _("Keep it under %(limit)d characters.") % {"limit": MAX_COMMENT_LENGTH}}
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
