"""The channel's log is append-only in the database itself (T-30), as the audit log is.

PostgreSQL refuses UPDATE and DELETE row by row; SQLite refuses UPDATE (a DELETE trigger would block
Django's `flush`, which the tests and `loaddemo --reset` use).
"""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER whistle_event_no_update BEFORE UPDATE ON whistle_whistleevent
       BEGIN SELECT RAISE(ABORT, 'the whistleblowing log is append-only'); END;""",
]
SQLITE_REVERSE = ["DROP TRIGGER whistle_event_no_update;"]

POSTGRESQL = [
    """CREATE FUNCTION whistle_event_refuse_change() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'the whistleblowing log is append-only'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER whistle_event_no_change BEFORE UPDATE OR DELETE ON whistle_whistleevent
       FOR EACH ROW EXECUTE FUNCTION whistle_event_refuse_change();""",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER whistle_event_no_change ON whistle_whistleevent;",
    "DROP FUNCTION whistle_event_refuse_change();",
]


def forwards(apps, schema_editor):
    for statement in {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    statements = {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("whistle", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
