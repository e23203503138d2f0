"""Row locks: a service that changes a row re-reads it under a lock, so two people acting at once are
serialised and the second sees the first's change."""

from django.db.models import Model, QuerySet


def locked[T: Model](queryset: QuerySet[T], *, pk: int) -> T:
    """The row re-read under a lock of its own table only (`FOR UPDATE OF`), which PostgreSQL needs when
    the query also joins nullable relations."""
    return queryset.select_for_update(of=("self",)).get(pk=pk)
