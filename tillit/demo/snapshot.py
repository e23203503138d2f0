"""Put the demo back quickly after a test has emptied the database.

Loading the demo through the services takes seconds (three years of follow-up data, agreements, the
analysis). Browser tests empty the database after each test and need the demo again; `demo_load_cached`
loads it through `demo_load` the first time in a process and keeps a copy of exactly the rows it wrote;
later calls on an emptied database put that copy back (a few hundred milliseconds), ids included.

Only for SQLite and PostgreSQL, and only when the demo's tables are empty; otherwise it loads normally.
The copy is the demo as `demo_load` wrote it, so what a test sees is the same either way.
"""

from dataclasses import dataclass

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction

from tillit.demo.generate import DEMO_PASSWORD, DemoResult, demo_load


@dataclass(frozen=True)
class _Table:
    name: str
    columns: tuple[str, ...]
    rows: object  # SQLite: a list of row tuples; PostgreSQL: the table in COPY's binary format


@dataclass(frozen=True)
class _Snapshot:
    password: str
    tables: tuple[_Table, ...]
    result: DemoResult


_snapshot: _Snapshot | None = None


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _counts(cursor, tables) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 -- Django's own table names
        counts[table] = cursor.fetchone()[0]
    return counts


def _read(cursor, table: str) -> _Table:
    columns = tuple(column.name for column in connection.introspection.get_table_description(cursor, table))
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {_quote(table)} TO STDOUT (FORMAT BINARY)") as copy:
            data = b"".join(bytes(chunk) for chunk in copy)
        return _Table(table, columns, data)
    cursor.execute(f"SELECT {', '.join(map(_quote, columns))} FROM {_quote(table)}")  # noqa: S608
    return _Table(table, columns, cursor.fetchall())


def _write(cursor, table: _Table) -> None:
    names = ", ".join(map(_quote, table.columns))
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {_quote(table.name)} ({names}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.write(table.rows)
        return
    marks = ", ".join("%s" for _ in table.columns)
    cursor.executemany(f"INSERT INTO {_quote(table.name)} ({names}) VALUES ({marks})", table.rows)  # noqa: S608


def _reset_sequences(cursor, tables: set[str]) -> None:
    models = [model for model in apps.get_models(include_auto_created=True) if model._meta.db_table in tables]
    for statement in connection.ops.sequence_reset_sql(no_style(), models):
        cursor.execute(statement)


def demo_load_cached(*, password: str = DEMO_PASSWORD) -> DemoResult:
    """`demo_load`, or on an emptied database after a first load in this process, a copy of its rows."""
    global _snapshot
    if connection.vendor not in ("sqlite", "postgresql"):
        return demo_load(password=password)
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    with transaction.atomic(), connection.cursor() as cursor:
        if _snapshot is not None and _snapshot.password == password:
            demo_tables = {table.name for table in _snapshot.tables}
            if not any(_counts(cursor, demo_tables).values()):
                for table in _snapshot.tables:
                    _write(cursor, table)
                _reset_sequences(cursor, demo_tables)
                return _snapshot.result
        before = _counts(cursor, tables)
        result = demo_load(password=password)
        after = _counts(cursor, tables)
        grown = [table for table in tables if after[table] > before[table]]
        if all(before[table] == 0 for table in grown):
            _snapshot = _Snapshot(password, tuple(_read(cursor, table) for table in grown), result)
        else:
            _snapshot = None  # the demo wrote into tables that held other rows: no clean copy to keep
        return result
