from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404

from tillit.agreements.diff import VersionDiff, version_diff
from tillit.agreements.models import (
    OPEN_STATES,
    Agreement,
    AgreementComment,
    AgreementState,
    AgreementVersion,
    Boundary,
    BoundaryKind,
    BoundaryReport,
    Purpose,
    Side,
    Signature,
)
from tillit.chain.access import Access
from tillit.chain.models import Membership
from tillit.core.clock import today


def purpose_current(*, unit) -> Purpose | None:
    return (
        Purpose.objects.filter(unit=unit, organisation_id=unit.organisation_id)
        .select_related("author")
        .order_by("-version")
        .first()
    )


def purpose_history(*, unit) -> QuerySet[Purpose]:
    return (
        Purpose.objects.filter(unit=unit, organisation_id=unit.organisation_id)
        .select_related("author")
        .order_by("-version")
    )


def purpose_summary(*, unit) -> tuple[Purpose | None, list]:
    """The current purpose and everyone who has written a version of it, first author first (one query)."""
    versions = list(purpose_history(unit=unit))
    authors = {}
    for purpose in reversed(versions):
        authors.setdefault(purpose.author_id, purpose.author)
    return (versions[0] if versions else None), list(authors.values())


# --- Trust agreements ---------------------------------------------------------------------------------


def sides_spoken_for(*, person, agreement: Agreement) -> set[str]:
    """The sides of the agreement this person speaks for (`Side.UNIT`, `Side.UPPER`), from their active
    memberships in the two units (one query).

    Who speaks for a unit (may draft, edit, propose and sign for it): a person with an active membership
    in that exact unit whose role can manage. A unit where no active membership has a managing role (a
    political body such as a nämnd) is spoken for by its members whose role can write (the chair)."""
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


def has_role_here_or_above(*, person, unit) -> bool:
    """Whether the person has an active role in the unit or above it in the chain (one query). A role
    that only audits or administers the organisation (held at the top of the chain) does not count:
    reading everything is not being part of the relation."""
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


def _version_queryset() -> QuerySet[AgreementVersion]:
    """Versions with everything a page shows: the parties, the lists and the signatures (5 queries)."""
    return AgreementVersion.objects.select_related(
        "agreement", "agreement__unit", "agreement__upper_unit", "created_by"
    ).prefetch_related(
        "mandate_items",
        Prefetch("boundaries", queryset=Boundary.objects.select_related("indicator")),
        "support_promises",
        Prefetch("signatures", queryset=Signature.objects.select_related("person")),
    )


def agreement_for_unit(*, unit) -> Agreement | None:
    """The unit's agreement with the level above it now (its parent), if one was ever started."""
    if unit.parent_id is None:
        return None
    return (
        Agreement.objects.filter(
            organisation_id=unit.organisation_id, unit=unit, upper_unit_id=unit.parent_id
        )
        .select_related("unit", "upper_unit")
        .first()
    )


def agreement_version_in_force(*, unit) -> AgreementVersion | None:
    """The signed version of the unit's agreement with the level above, with its content prefetched."""
    if unit.parent_id is None:
        return None
    return (
        _version_queryset()
        .filter(
            organisation_id=unit.organisation_id,
            agreement__unit=unit,
            agreement__upper_unit_id=unit.parent_id,
            state=AgreementState.SIGNED,
        )
        .first()
    )


def agreement_version_open(*, unit) -> AgreementVersion | None:
    """The version being worked on (draft or proposed), with its content and comments prefetched."""
    if unit.parent_id is None:
        return None
    return (
        _version_queryset()
        .prefetch_related(Prefetch("comments", queryset=AgreementComment.objects.select_related("author")))
        .filter(
            organisation_id=unit.organisation_id,
            agreement__unit=unit,
            agreement__upper_unit_id=unit.parent_id,
            state__in=OPEN_STATES,
        )
        .first()
    )


def agreement_versions(*, agreement: Agreement) -> QuerySet[AgreementVersion]:
    """Every version of an agreement, newest first, with the signatures (2 queries)."""
    return (
        AgreementVersion.objects.filter(organisation_id=agreement.organisation_id, agreement=agreement)
        .select_related("created_by")
        .prefetch_related(Prefetch("signatures", queryset=Signature.objects.select_related("person")))
        .order_by("-number")
    )


def agreement_version_get_readable(*, access: Access, version_id: int) -> AgreementVersion:
    """A version of an agreement whose unit the person may read; otherwise 404."""
    version = (
        _version_queryset()
        .prefetch_related(Prefetch("comments", queryset=AgreementComment.objects.select_related("author")))
        .filter(pk=version_id, organisation_id=access.organisation_id)
        .first()
    )
    if version is None or not access.can_read(version.agreement.unit):
        raise Http404
    return version


def agreement_version_previous(*, version: AgreementVersion) -> AgreementVersion | None:
    return (
        _version_queryset()
        .filter(
            organisation_id=version.organisation_id,
            agreement_id=version.agreement_id,
            number__lt=version.number,
        )
        .order_by("-number")
        .first()
    )


def boundary_get_readable(*, access: Access, boundary_id: int) -> Boundary:
    boundary = (
        Boundary.objects.filter(pk=boundary_id, organisation_id=access.organisation_id)
        .select_related("version", "version__agreement", "version__agreement__unit", "indicator")
        .first()
    )
    if boundary is None or not access.can_read(boundary.version.agreement.unit):
        raise Http404
    return boundary


def boundary_reports(*, boundary: Boundary) -> QuerySet[BoundaryReport]:
    return (
        BoundaryReport.objects.filter(organisation_id=boundary.organisation_id, boundary=boundary)
        .select_related("reported_by")
        .order_by("-occurred_on", "-created_at")
    )


def boundary_report_counts(*, version: AgreementVersion) -> dict[int, int]:
    """How many times each qualitative boundary of a version has been reported (one query)."""
    rows = (
        BoundaryReport.objects.filter(organisation_id=version.organisation_id, boundary__version=version)
        .values("boundary_id")
        .annotate(count=Count("pk"))
    )
    return {row["boundary_id"]: row["count"] for row in rows}


def boundaries_in_force(
    *, organisation_id: int, indicator_ids: Iterable[int] | None
) -> dict[int, tuple[float | None, float | None]]:
    """indicator id -> (low, high): the off-limits values of the signed agreements in force (one query).

    Only agreements with the unit's current parent count (an agreement with a former parent no longer
    binds). An indicator without a boundary in force is absent from the result; low or high is None
    where only one side is bounded."""
    rows = Boundary.objects.filter(
        organisation_id=organisation_id,
        kind=BoundaryKind.INDICATOR,
        version__state=AgreementState.SIGNED,
        version__agreement__upper_unit_id=F("version__agreement__unit__parent_id"),
    )
    if indicator_ids is not None:  # None: the whole organisation, without a list of every id
        rows = rows.filter(indicator_id__in=list(indicator_ids))
    result: dict[int, tuple[float | None, float | None]] = {}
    for indicator_id, low, high in rows.values_list("indicator_id", "low", "high"):
        if indicator_id in result:  # the services allow one per indicator; if data has more, be strict
            old_low, old_high = result[indicator_id]
            low = _strictest(max, low, old_low)
            high = _strictest(min, high, old_high)
        result[indicator_id] = (low, high)
    return result


def _strictest(pick, *values):
    present = [value for value in values if value is not None]
    return pick(present) if present else None


def review_overdue(version: AgreementVersion | None) -> bool:
    """Whether a version in force is past its review date (omprövningsdatum)."""
    if version is None or version.state != AgreementState.SIGNED or version.review_date is None:
        return False
    return version.review_date < today()


@dataclass
class AgreementSummary:
    """What the unit page shows about trust agreements."""

    has_upper: bool
    in_force: AgreementVersion | None = None
    open_version: AgreementVersion | None = None
    overdue: bool = False
    overdue_below: list[AgreementVersion] = field(default_factory=list)
    proposed_below: list[AgreementVersion] = field(default_factory=list)

    def __bool__(self) -> bool:
        return True


def unit_agreement_summary(*, unit) -> AgreementSummary:
    """The unit's agreement with the level above (version in force, open version, whether its review date
    has passed) and, with the units directly below, the agreements whose review date has passed and the
    versions proposed for signing (one query)."""
    with_upper = Q(
        agreement__unit=unit,
        agreement__upper_unit_id=unit.parent_id,
        state__in=(*OPEN_STATES, AgreementState.SIGNED),
    )
    overdue_below = Q(
        agreement__upper_unit=unit,
        agreement__unit__parent_id=unit.pk,
        agreement__unit__closed_at__isnull=True,
        state=AgreementState.SIGNED,
        review_date__lt=today(),
    )
    proposed_below = Q(
        agreement__upper_unit=unit,
        agreement__unit__parent_id=unit.pk,
        agreement__unit__closed_at__isnull=True,
        state=AgreementState.PROPOSED,
    )
    below = overdue_below | proposed_below
    condition = below | with_upper if unit.parent_id is not None else below
    versions = (
        AgreementVersion.objects.filter(condition, organisation_id=unit.organisation_id)
        .select_related("agreement__unit")
        .order_by("agreement__unit__name", "-number")
    )
    summary = AgreementSummary(has_upper=unit.parent_id is not None)
    for version in versions:
        if version.agreement.unit_id == unit.pk:
            if version.state == AgreementState.SIGNED:
                summary.in_force = version
            else:
                summary.open_version = version
        elif version.state == AgreementState.PROPOSED:
            summary.proposed_below.append(version)
        else:
            summary.overdue_below.append(version)
    summary.overdue = review_overdue(summary.in_force)
    return summary


def agreement_version_diff(*, old: AgreementVersion, new: AgreementVersion) -> VersionDiff:
    """The changes from `old` to `new`, two versions of the same agreement, section by section:
    the purpose word by word, the lists item by item (added, removed, changed), and the review date."""
    if old.agreement_id != new.agreement_id:
        raise ValueError("Only versions of the same agreement can be compared.")
    return version_diff(old, new)


def boundary_indicator_choices(*, version: AgreementVersion):
    """Indicators a boundary of this version can use: the unit's own indicators that are not retired,
    and any the version already uses."""
    from tillit.indicators.models import Indicator

    agreement = version.agreement
    used = Boundary.objects.filter(version=version, indicator__isnull=False).values("indicator_id")
    return Indicator.objects.filter(
        Q(retired_at__isnull=True) | Q(pk__in=used),
        organisation_id=agreement.organisation_id,
        unit_id=agreement.unit_id,
    ).order_by("name")
