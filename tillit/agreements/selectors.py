from django.db.models import QuerySet

from tillit.agreements.models import Purpose


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


def unit_agreement_summary(*, unit) -> dict:
    """What the unit page shows about the unit's trust agreements (filled in by the agreements work)."""
    return {}
