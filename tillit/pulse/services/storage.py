"""Writing many rows of the pulse at once, without a model instance per row.

The invitations, answer slots and frozen cells of a pulse run to tens of thousands of rows; building a
Django model for each costs more than the database's work. `rows_insert` prepares each value with its
field (so UUIDs and JSON are stored as the ORM stores them) and writes them in the order given (COPY on
PostgreSQL, multi-row INSERTs on SQLite): for the anonymous tables that order is a random one, chosen by
the caller.
"""

import uuid
from collections.abc import Iterable, Sequence

from django.db import connection

ROWS_PER_INSERT = 500


def new_key() -> uuid.UUID:
    """A random key (uuid4) for an anonymous row; one place, so that tests can draw them from a seed."""
    return uuid.uuid4()


def rows_insert(model, fields: Sequence[str], rows: Iterable[Sequence]) -> int:
    """INSERT `rows` (tuples of values, in `fields` order) into `model`'s table, in the order given; returns
    how many. PostgreSQL takes them by COPY, SQLite by multi-row INSERTs."""
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    names = ", ".join(quote(field.column) for field in columns)
    prepare = [field.get_db_prep_save for field in columns]
    prepared = ([to_db(value, connection) for to_db, value in zip(prepare, row, strict=True)] for row in rows)
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for values in prepared:
                    copy.write_row(values)
                    written += 1
            return written
        head = f"INSERT INTO {table} ({names}) VALUES "  # noqa: S608 (names from the model, quoted)
        one = "(" + ", ".join(["%s"] * len(columns)) + ")"
        batch: list = []
        count = 0
        for values in prepared:
            batch.extend(values)
            count += 1
            if count == ROWS_PER_INSERT:
                cursor.execute(head + ", ".join([one] * count), batch)
                written += count
                batch, count = [], 0
        if count:
            cursor.execute(head + ", ".join([one] * count), batch)
            written += count
    return written


def values_set(model, values_by_pk: dict, *fields: str) -> None:
    """Set each row's `fields` to its values (a tuple per pk, or one value for one field) with one UPDATE
    per distinct value: a few dozen statements for thousands of rows that share a handful of bands."""
    by_value: dict = {}
    for pk, value in values_by_pk.items():
        by_value.setdefault(value if len(fields) > 1 else (value,), []).append(pk)
    for value, pks in by_value.items():
        for start in range(0, len(pks), ROWS_PER_INSERT):
            model.objects.filter(pk__in=pks[start : start + ROWS_PER_INSERT]).update(
                **dict(zip(fields, value, strict=True))
            )
