"""Reads of the delegation register."""

from django.db.models import Q, QuerySet

from tillit.delegation.models import DelegationEntry


def entries_in_force(*, organisation_id: int) -> QuerySet[DelegationEntry]:
    return DelegationEntry.objects.filter(organisation_id=organisation_id, version__in_force=True)


def entries_search(*, organisation_id: int, query: str, limit: int = 10) -> list[DelegationEntry]:
    """Entries in force that answer "vem kan besluta om <query>?", best match first."""
    words = [word for word in query.split() if len(word) > 2]
    if not words:
        return []
    match = Q()
    for word in words:
        match |= Q(matter__icontains=word) | Q(matter_group__icontains=word)
    return list(
        entries_in_force(organisation_id=organisation_id)
        .filter(match)
        .select_related("version__register__unit", "role")[:limit]
    )
