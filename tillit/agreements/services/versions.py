"""The versions of a trust agreement (tillitsöverenskommelse): draft, change, propose, comment, sign.

A trust agreement is between a unit and the unit directly above it (`unit.parent`). Its content lives in
versions that move draft → proposed → signed (in force) → superseded. One version at a time is open
(draft or proposed); a version becomes signed, in force, when both sides have signed it, and the version
that was in force before is superseded in the same transaction.

Who speaks for a unit is `selectors.sides_spoken_for`; who may do what is `rules`. The same person never
signs both sides of one version. Every service takes `actor` (the person acting) and `access` (their
`Access`, or `Access.system()` for setup and demo code, which need not speak for a side to draft or
change a version, but signs only for a side its actor speaks for).
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from tillit.agreements import rules
from tillit.agreements.models import (
    OPEN_STATES,
    Agreement,
    AgreementComment,
    AgreementState,
    AgreementVersion,
    Boundary,
    MandateItem,
    Purpose,
    Side,
    Signature,
    SupportPromise,
)
from tillit.agreements.selectors import sides_spoken_for
from tillit.agreements.services.inputs import (
    KEEP,
    MAX_COMMENT_LENGTH,
    MAX_PURPOSE_LENGTH,
    clean_boundaries,
    clean_items,
    clean_limited,
    clean_promises,
    clean_required,
)
from tillit.audit.enums import AuditAction
from tillit.audit.services import audit_record, snapshot
from tillit.chain.access import Access
from tillit.chain.models import Unit
from tillit.core.clock import now, today
from tillit.core.permissions import require
from tillit.core.rows import locked
from tillit.followup.services import analysis_schedule_for_unit


def _require_readable(access: Access, agreement: Agreement) -> None:
    """Outside the person's chain the agreement does not exist for them (404 in the views)."""
    require(rules.can_read_agreement(access, agreement), _("You cannot see this unit."))


def _require_speaks(*, actor, access: Access, agreement: Agreement) -> set[str]:
    _require_readable(access, agreement)
    sides = sides_spoken_for(person=actor, agreement=agreement)
    require(
        rules.can_change_agreement(access, agreement, sides),
        _("Only the people who speak for the unit or for the level above can change the agreement."),
    )
    return sides


def _require_open_units(agreement: Agreement) -> None:
    if not rules.units_are_open(agreement):
        raise ValidationError(_("The agreement of a closed unit cannot be changed."))


def version_state(version: AgreementVersion) -> dict:
    """A version as the audit log records it: its fields, its lists and its signatures."""
    return snapshot(
        version,
        "number",
        "state",
        "purpose",
        "review_date",
        mandate_items=[item.text for item in version.mandate_items.all()],
        boundaries=[
            snapshot(boundary, "kind", "indicator_id", "low", "high", "description")
            for boundary in version.boundaries.all()
        ],
        support_promises=[
            snapshot(promise, "text", "response_working_days") for promise in version.support_promises.all()
        ],
        signatures=[snapshot(signature, "side", "person_id") for signature in version.signatures.all()],
    )


def _locked_version(version: AgreementVersion) -> AgreementVersion:
    """The version re-read under a row lock, so that two people signing at once are serialised."""
    return locked(
        AgreementVersion.objects.select_related(
            "agreement", "agreement__unit", "agreement__upper_unit", "agreement__organisation"
        ),
        pk=version.pk,
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


def _content_write(version: AgreementVersion, *, mandate_items=None, boundaries=None, promises=None) -> None:
    """Replace the lists of a version that are given (None: leave it), in the order given. The one place
    that writes mandate items, boundaries and support promises: a new draft copies the version in force
    through it and a change writes the cleaned input through it (rows and inputs have the same fields)."""
    if mandate_items is not None:
        version.mandate_items.all().delete()
        MandateItem.objects.bulk_create(
            MandateItem(version=version, position=position, text=text)
            for position, text in enumerate(mandate_items)
        )
    if boundaries is not None:
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
            for position, boundary in enumerate(boundaries)
        )
    if promises is not None:
        version.support_promises.all().delete()
        SupportPromise.objects.bulk_create(
            SupportPromise(
                version=version,
                position=position,
                text=promise.text,
                response_working_days=promise.response_working_days,
            )
            for position, promise in enumerate(promises)
        )


# --- Drafting ---------------------------------------------------------------------------------------


@transaction.atomic
def agreement_draft(*, actor, access: Access, unit: Unit) -> AgreementVersion:
    """Start a new draft version of `unit`'s trust agreement with the level above (`unit.parent`).

    The first draft creates the Agreement. A later draft copies the version in force: its mandate items,
    boundaries and support promises, and its review date if that is still ahead. The purpose text is the
    unit's current Purpose statement (or, if the unit has none, the version in force's text).

    Raises ValidationError for a unit at the top of the chain (it has no level above), a closed unit,
    and when a version is already open (draft or proposed): finish or change that one instead.
    PermissionDenied when the actor does not speak for either side (see `rules.can_change_agreement`).
    Returns the new draft version.
    """
    if unit.parent_id is None:
        raise ValidationError(_("The top of the chain has no level above to make an agreement with."))
    require(access.can_read(unit), _("You cannot see this unit."))
    agreement, _created = Agreement.objects.get_or_create(
        unit=unit,
        upper_unit=unit.parent,
        defaults={"organisation_id": unit.organisation_id},
    )
    agreement = locked(
        Agreement.objects.select_related("organisation", "unit", "upper_unit"), pk=agreement.pk
    )
    _require_speaks(actor=actor, access=access, agreement=agreement)
    _require_open_units(agreement)
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
    if in_force is not None and in_force.review_date and in_force.review_date > today():
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
        _content_write(
            version,
            mandate_items=[item.text for item in in_force.mandate_items.all()],
            boundaries=in_force.boundaries.all(),
            promises=in_force.support_promises.all(),
        )
    _audit(
        actor=actor,
        version=version,
        action=AuditAction.AGREEMENT_DRAFTED,
        after=version_state(version) | {"copied_from": in_force.number if in_force else None},
    )
    return version


def _clean_review_date(review_date, *, access: Access) -> date | None:
    if review_date is not None and not isinstance(review_date, date):
        raise ValidationError({"review_date": _("Give the review date as a date.")})
    if isinstance(review_date, datetime):
        review_date = review_date.date()
    if review_date is not None and review_date < today() and not rules.can_set_past_review_date(access):
        raise ValidationError({"review_date": _("The review date cannot be in the past.")})
    return review_date


@transaction.atomic
def agreement_version_update(
    *,
    actor,
    access: Access,
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
    - review_date: a date or None. Must not be in the past (`Access.system()` may set any date).
    - mandate_items: a sequence of str, what the unit decides itself; blank items are dropped.
    - boundaries: a sequence of `BoundaryInput` (or mappings with its fields). An indicator boundary must
      use an indicator of this unit with a low and/or a high value, low < high, one boundary per
      indicator; a qualitative boundary needs a description.
    - support_promises: a sequence of `PromiseInput` (or mappings, or plain str).

    Editing a proposed version sends it back to draft and removes its signatures: both sides sign what
    they read. Raises ValidationError (keyed by the part's name) for invalid content or a version that is
    no longer open, PermissionDenied when the actor speaks for neither side.
    """
    original, version = version, _locked_version(version)
    agreement = version.agreement
    _require_speaks(actor=actor, access=access, agreement=agreement)
    if version.state not in OPEN_STATES:
        raise ValidationError(_("Only a version that is being worked on can be changed."))
    _require_open_units(agreement)
    before = version_state(version)
    if purpose is not KEEP:
        version.purpose = clean_limited(purpose, field="purpose", limit=MAX_PURPOSE_LENGTH)
    if review_date is not KEEP:
        version.review_date = _clean_review_date(review_date, access=access)
    _content_write(
        version,
        mandate_items=None if mandate_items is KEEP else clean_items(mandate_items, field="mandate_items"),
        boundaries=None if boundaries is KEEP else clean_boundaries(boundaries, agreement=agreement),
        promises=None if support_promises is KEEP else clean_promises(support_promises),
    )
    after = version_state(version)
    _sync(original, version)
    if after == before:
        return version  # nothing changed: no audit noise, signatures stay
    if version.state == AgreementState.PROPOSED:
        version.state = AgreementState.DRAFT
        version.proposed_at = None
        version.signatures.all().delete()
        after = version_state(version)
    version.save()
    _sync(original, version)
    _audit(actor=actor, version=version, action=AuditAction.AGREEMENT_UPDATED, before=before, after=after)
    return version


@transaction.atomic
def agreement_propose(*, actor, access: Access, version: AgreementVersion) -> AgreementVersion:
    """Propose a draft to both sides for signing. It needs a purpose, at least one mandate item or
    boundary, and a review date. Proposing an already proposed version changes nothing."""
    original, version = version, _locked_version(version)
    agreement = version.agreement
    _require_speaks(actor=actor, access=access, agreement=agreement)
    _require_open_units(agreement)
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
    version.proposed_at = now()
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
def agreement_comment(*, actor, access: Access, version: AgreementVersion, text: str) -> AgreementComment:
    """Comment on an open version. Anyone with an active role in the unit or in the level above may
    comment: the agreement is a dialogue between both units, not only their managers."""
    version = _locked_version(version)
    agreement = version.agreement
    _require_readable(access, agreement)
    if version.state not in OPEN_STATES:
        raise ValidationError(_("Comments are for versions that are being worked on."))
    require(
        rules.can_comment_on_agreement(access, agreement),
        _("Only the people of the unit and of the level above can comment."),
    )
    cleaned = clean_required(text, field="text", limit=MAX_COMMENT_LENGTH, missing=_("Write a comment."))
    comment = AgreementComment.objects.create(
        organisation_id=version.organisation_id, version=version, author=actor, text=cleaned
    )
    _audit(actor=actor, version=version, action=AuditAction.AGREEMENT_COMMENTED, after={"text": cleaned})
    return comment


def _signed_by_then(version: AgreementVersion, moment: datetime) -> None:
    """A version signed at `moment` was also started and proposed by then (the demo's history signs in
    the past, under `frozen_at`): move those times back where they are later."""
    earlier = {
        name: moment
        for name in ("created_at", "proposed_at")
        if getattr(version, name) and getattr(version, name) > moment
    }
    if earlier:
        AgreementVersion.objects.filter(pk=version.pk).update(**earlier)
        for name, value in earlier.items():
            setattr(version, name, value)


def _enter_into_force(*, actor, version: AgreementVersion, moment: datetime) -> None:
    """Both sides have signed: the version is in force and the one in force before it is superseded."""
    previous = (
        AgreementVersion.objects.select_for_update(of=("self",))
        .filter(agreement=version.agreement, state=AgreementState.SIGNED)
        .first()
    )
    if previous is not None:
        previous.state = AgreementState.SUPERSEDED
        previous.save(update_fields=["state"])
    version.state = AgreementState.SIGNED
    version.signed_at = moment
    version.save(update_fields=["state", "signed_at"])
    _audit(
        actor=actor,
        version=version,
        action=AuditAction.AGREEMENT_IN_FORCE,
        before={"in_force": previous.number if previous else None},
        after={"in_force": version.number},
    )
    analysis_schedule_for_unit(unit=version.agreement.unit)  # its boundaries are judged from now on


@transaction.atomic
def agreement_sign(*, actor, access: Access, version: AgreementVersion) -> Signature:
    """Sign a proposed version for the side the actor speaks for (derived, never chosen), at `now()`.

    When both sides have signed, the version becomes signed, in force (`signed_at` set), and the version
    in force before it is superseded, in this same transaction. The same person cannot sign both sides.
    A person who speaks for both units signs for the unit first.

    Raises ValidationError when the version is not proposed, the actor has already signed, or their
    side is signed already; PermissionDenied when the actor speaks for neither side.
    """
    original, version = version, _locked_version(version)
    agreement = version.agreement
    _require_readable(access, agreement)
    sides = sides_spoken_for(person=actor, agreement=agreement)
    require(
        rules.can_sign_agreement(access, agreement, sides),
        _("Only the people who speak for the unit or for the level above can sign the agreement."),
    )
    _require_open_units(agreement)
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
    moment = now()
    signature = Signature.objects.create(
        organisation_id=version.organisation_id, version=version, side=side, person=actor
    )
    _signed_by_then(version, moment)
    _audit(actor=actor, version=version, action=AuditAction.AGREEMENT_SIGNED, after={"side": side})
    signatures[side] = signature
    if set(signatures) == {Side.UNIT, Side.UPPER}:
        _enter_into_force(actor=actor, version=version, moment=moment)
    _sync(original, version)
    return signature
